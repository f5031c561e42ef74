import Domain
import Foundation
import SQLKit

/// One audit entry as the auditor reads it.
public struct AuditRecord: Sendable, Codable, Equatable {
    public var seq: Int64
    public var at: String
    public var actor: String
    public var role: String
    public var purpose: String
    public var action: String
    public var outcome: String
    public var subject: String?
    public var objectType: String?
    public var objectID: String?
    public var requestID: String?

    enum CodingKeys: String, CodingKey {
        case seq, at, actor, role, purpose, action, outcome, subject
        case objectType = "object_type"
        case objectID = "object_id"
        case requestID = "request_id"
    }
}

extension Store {
    /// Entries filtered by subject (a person, as their audit hash), actor and period (ISO dates,
    /// inclusive), newest first.
    public func auditEntries(subject: String? = nil, actor: String? = nil, from: LocalDate? = nil, to: LocalDate? = nil,
                             limit: Int = 200) async throws -> [AuditRecord] {
        var conditions: [String] = ["1 = 1"]
        var values: [BulkValue] = []
        if let subject { conditions.append("subject = ?"); values.append(.text(subject)) }
        if let actor { conditions.append("actor = ?"); values.append(.text(actor)) }
        if let from { conditions.append("at >= ?"); values.append(.text(from.iso)) }
        if let to { conditions.append("at < ?"); values.append(.text(to.adding(days: 1).iso)) }
        return try await bulk(sql, """
            SELECT seq, at, actor, role, purpose, action, outcome, subject, object_type, object_id, request_id FROM audit_log
            WHERE \(conditions.joined(separator: " AND ")) ORDER BY seq DESC LIMIT \(max(1, min(limit, 5000)))
            """, values).map { row in
            AuditRecord(seq: row[0].integer!, at: row[1].text!, actor: row[2].text!, role: row[3].text!, purpose: row[4].text!,
                        action: row[5].text!, outcome: row[6].text!, subject: row[7].text, objectType: row[8].text,
                        objectID: row[9].text, requestID: row[10].text)
        }
    }
}
