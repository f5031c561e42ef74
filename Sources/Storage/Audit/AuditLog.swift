import Domain
import Foundation
import Privacy
import SQLKit

extension AuditEntry {
    /// The stored columns, in the order `init(row:from:)` reads them.
    static let columns = "at, actor, role, purpose, action, outcome, subject, object_type, object_id, request_id"

    /// An entry as stored, from `row[offset...]` selected with `columns`.
    init(row: [BulkValue], from offset: Int) throws {
        func required(_ index: Int) throws -> String {
            guard let text = row[offset + index].text else { throw StoreError.corrupted("an audit entry with a required field missing") }
            return text
        }
        let at = try required(0), actor = try required(1), role = try required(2), purpose = try required(3)
        let action = try required(4), outcome = try required(5)
        self.init(stored: at, actor: actor, role: role, purpose: purpose, action: action, outcome: outcome,
                  subject: row[offset + 6].text, objectType: row[offset + 7].text, objectID: row[offset + 8].text,
                  requestID: row[offset + 9].text)
    }

    /// The text the chain hashes: every field, in a fixed order, unambiguously separated.
    /// It is `flatJSON` of the fields (keys sorted), written out in that order without building
    /// the dictionary: a caseload page chains 35 entries (`AuditLogTests` holds the two equal).
    func canonical(seq: Int64) -> String {
        var out = "{"
        out.reserveCapacity(256)
        func field(_ key: String, _ value: String, last: Bool = false) {
            out += "\"" + key + "\":" + ReasonsJSON.jsonString(value) + (last ? "}" : ",")
        }
        field("action", action); field("actor", actor); field("at", at); field("object_id", objectID ?? "")
        field("object_type", objectType ?? ""); field("outcome", outcome); field("purpose", purpose)
        field("request_id", requestID ?? ""); field("role", role); field("seq", String(seq)); field("subject", subject ?? "", last: true)
        return out
    }

}

/// The result of checking the chain.
public struct AuditVerification: Sendable, Codable, Equatable {
    public var entries: Int
    public var lastSeq: Int64
    public var lastHash: String
    /// The first entry that does not fit the chain, and why.
    public var firstBroken: Int64?
    public var problem: String?

    public var intact: Bool { firstBroken == nil }
}

extension Store {
    /// Appends entries in their own transaction; throws if they cannot be written (the caller then
    /// returns nothing: reads of personal data fail closed).
    public func audit(_ entries: AuditEntry...) async throws {
        try await audit(entries)
    }

    /// Appends entries on their own (not inside a caller's transaction): with those of concurrent
    /// requests, in one transaction (`AuditGroupCommit`); returns once they are durably on the chain.
    public func audit(_ entries: [AuditEntry]) async throws {
        guard !entries.isEmpty else { return }
        try await auditCommits.append(entries) { entries in
            try await self.transaction { sql in try await self.audit(entries, on: sql) }
        }
    }

    /// Appends entries inside the caller's transaction, one after another on the chain (in
    /// statements of at most 1,000 entries: the databases limit the bound values per statement).
    public func audit(_ entries: [AuditEntry], on sql: any SQLDatabase) async throws {
        guard !entries.isEmpty else { return }
        if entries.count > 1_000 {
            for chunk in entries.chunked(into: 1_000) { try await audit(Array(chunk), on: sql) }
            return
        }
        guard let head = try await bulk(sql, "SELECT seq, hash FROM audit_head WHERE id = 1" + (dialect == .postgres ? " FOR UPDATE" : ""), []).first,
              var seq = head[0].integer, var hash = head[1].text else {
            throw StoreError.corrupted("the audit log has no head")
        }
        // Bound as values (`bulk`), not through SQLKit's encoder: a caseload page chains 35 entries.
        var values: [BulkValue] = []
        values.reserveCapacity(entries.count * 13)
        let now = timestamp()
        for var entry in entries {
            // Stamped as written, by the store's clock (an entry read back keeps its own time).
            if entry.at.isEmpty { entry.at = now }
            seq += 1
            let previous = hash
            hash = keyring.chainHash(previous: previous, entry: entry.canonical(seq: seq))
            values += [.integer(seq), .text(entry.at), .text(entry.actor), .text(entry.role), .text(entry.purpose), .text(entry.action),
                       .text(entry.outcome), BulkValue(entry.subject), BulkValue(entry.objectType), BulkValue(entry.objectID),
                       BulkValue(entry.requestID), .text(previous), .text(hash)]
        }
        _ = try await bulk(sql, """
            INSERT INTO audit_log (seq, at, actor, role, purpose, action, outcome, subject, object_type, object_id, request_id,
            previous_hash, hash) VALUES
            """ + Store.placeholders(rows: entries.count, columns: 13), values)
        _ = try await bulk(sql, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", [.integer(seq), .text(hash)])
    }

    /// Walks the whole chain: each entry's `previous_hash` must be the hash before it, its hash must
    /// be the keyed hash of its content, sequence numbers must follow each other, and the chain must
    /// end at the head. Names the first entry that does not fit.
    public func verifyAudit() async throws -> AuditVerification {
        // After retention purged the oldest entries, the chain starts at its anchor.
        let anchor = try await bulk(sql, "SELECT seq, hash FROM audit_anchor WHERE id = 1", []).first
        var previous = anchor?[1].text ?? "genesis"
        var expectedSeq: Int64 = (anchor?[0].integer ?? 0) + 1
        var count = 0
        var after: Int64 = expectedSeq - 1
        while true {
            let rows = try await bulk(sql, "SELECT seq, previous_hash, hash, \(AuditEntry.columns) FROM audit_log WHERE seq > ? ORDER BY seq LIMIT 5000",
                                      [.integer(after)])
            if rows.isEmpty { break }
            for row in rows {
                guard let seq = row[0].integer, let storedPrevious = row[1].text, let storedHash = row[2].text else {
                    throw StoreError.corrupted("an audit entry without its sequence number or hashes")
                }
                let entry = try AuditEntry(row: row, from: 3)
                func broken(_ why: String) -> AuditVerification {
                    AuditVerification(entries: count, lastSeq: seq, lastHash: previous, firstBroken: seq, problem: why)
                }
                if seq != expectedSeq {
                    return AuditVerification(entries: count, lastSeq: seq, lastHash: previous, firstBroken: expectedSeq,
                                             problem: seq > expectedSeq ? "entry \(expectedSeq) is missing (deleted?)"
                                                 : "entry \(seq) is out of order")
                }
                if storedPrevious != previous { return broken("its previous hash does not match the entry before it (reordered or replaced?)") }
                if keyring.chainHash(previous: previous, entry: entry.canonical(seq: seq)) != storedHash {
                    return broken("its content does not match its hash (changed?)")
                }
                previous = storedHash
                expectedSeq += 1
                count += 1
                after = seq
            }
        }
        let head = try await sql.raw("SELECT seq, hash FROM audit_head WHERE id = 1").first()
        let headSeq = try head?.decode(column: "seq", as: Int64.self) ?? 0
        let headHash = try head?.decode(column: "hash", as: String.self) ?? "genesis"
        if headSeq != expectedSeq - 1 || headHash != previous {
            return AuditVerification(entries: count, lastSeq: expectedSeq - 1, lastHash: previous,
                                     firstBroken: min(headSeq, expectedSeq - 1) + 1,
                                     problem: "the chain ends at entry \(expectedSeq - 1) but the head says \(headSeq) (entries removed from the end?)")
        }
        return AuditVerification(entries: count, lastSeq: expectedSeq - 1, lastHash: previous, firstBroken: nil, problem: nil)
    }

    /// Records the chain's current end as a checkpoint and returns it, for the operator to store elsewhere.
    public func auditCheckpoint() async throws -> (seq: Int64, hash: String) {
        try await transaction { sql in
            let head = try await sql.raw("SELECT seq, hash FROM audit_head WHERE id = 1").first()!
            let seq = try head.decode(column: "seq", as: Int64.self)
            let hash = try head.decode(column: "hash", as: String.self)
            try await sql.raw("INSERT INTO audit_checkpoints (at, seq, hash) VALUES (\(bind: self.timestamp()), \(bind: seq), \(bind: hash))").run()
            return (seq, hash)
        }
    }
}
