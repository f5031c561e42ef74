import Domain
import Foundation
import SQLKit

/// One audit entry as the auditor reads it: the entry and its place in the chain. Reads like the
/// entry (`record.actor`); its JSON is the entry's fields and `seq`, flat.
@dynamicMemberLookup
public struct AuditRecord: Sendable, Codable, Equatable {
    public var seq: Int64
    public var entry: AuditEntry

    public init(seq: Int64, entry: AuditEntry) {
        self.seq = seq
        self.entry = entry
    }

    public subscript<Value>(dynamicMember field: KeyPath<AuditEntry, Value>) -> Value { entry[keyPath: field] }

    enum CodingKeys: String, CodingKey { case seq }

    public init(from decoder: any Decoder) throws {
        seq = try decoder.container(keyedBy: CodingKeys.self).decode(Int64.self, forKey: .seq)
        entry = try AuditEntry(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(seq, forKey: .seq)
        try entry.encode(to: encoder)
    }
}

extension Store {
    /// Entries filtered by subject (a person, as their audit hash), actor and period (ISO dates,
    /// inclusive), newest first.
    /// `before` pages back: entries older than that sequence number.
    public func auditEntries(subject: String? = nil, actor: String? = nil, from: LocalDate? = nil, to: LocalDate? = nil,
                             before: Int64? = nil, limit: Int = 200) async throws -> [AuditRecord] {
        var conditions: [String] = ["1 = 1"]
        var values: [BulkValue] = []
        if let before { conditions.append("seq < ?"); values.append(.integer(before)) }
        if let subject { conditions.append("subject = ?"); values.append(.text(subject)) }
        if let actor { conditions.append("actor = ?"); values.append(.text(actor)) }
        if let from { conditions.append("at >= ?"); values.append(.text(from.iso)) }
        if let to { conditions.append("at < ?"); values.append(.text(to.adding(days: 1).iso)) }
        return try await bulk(sql, """
            SELECT seq, \(AuditEntry.columns) FROM audit_log
            WHERE \(conditions.joined(separator: " AND ")) ORDER BY seq DESC LIMIT \(max(1, min(limit, 5000)))
            """, values).map { row in
            AuditRecord(seq: row[0].integer!, entry: try AuditEntry(row: row, from: 1))
        }
    }
}
