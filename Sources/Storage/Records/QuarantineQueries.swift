import Domain
import SQLKit

/// A quarantine entry as the data steward sees it in a list: without the original bytes.
public struct QuarantineEntry: Sendable, Codable, Equatable {
    public var id: Int64
    public var receivedAt: String
    public var delivery: String
    public var source: String?
    public var kind: String?
    public var recordID: String?
    public var location: String
    public var reason: String
    public var field: String?
    public var message: String
    public var originalBytes: Int
    public var status: String
}

extension Store {
    public func quarantine(reason: String? = nil, status: String = "open", limit: Int = 50) async throws -> [QuarantineEntry] {
        let reasonFilter: SQLQueryString = reason.map { "AND q.reason = \(bind: $0)" } ?? ""
        return try await sql.raw("""
            SELECT q.*, d.name AS delivery FROM quarantine q LEFT JOIN deliveries d ON d.id = q.delivery_id
            WHERE q.status = \(bind: status) \(reasonFilter) ORDER BY q.id DESC LIMIT \(literal: limit)
            """).all().map { row in
            func text(_ c: String) throws -> String? { try row.decodeNil(column: c) ? nil : try row.decode(column: c, as: String.self) }
            return QuarantineEntry(
                id: try row.decode(column: "id", as: Int64.self), receivedAt: try row.decode(column: "received_at", as: String.self),
                delivery: try text("delivery") ?? "-", source: try text("source"), kind: try text("kind"),
                recordID: try text("record_id"), location: try row.decode(column: "location", as: String.self),
                reason: try row.decode(column: "reason", as: String.self), field: try text("field"),
                message: try row.decode(column: "message", as: String.self),
                originalBytes: try row.decode(column: "original_bytes", as: Int.self),
                status: try row.decode(column: "status", as: String.self))
        }
    }
}
