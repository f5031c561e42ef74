import Domain
import Foundation
import Privacy
import SQLKit

/// How many sealed values a rotation re-encrypted, per column.
public struct RotationReport: Sendable, Codable, Equatable {
    public var currentKey: String
    public var resealed: [String: Int] = [:]
    public var alreadyCurrent: [String: Int] = [:]
}

extension Store {
    /// Re-encrypts every sealed value not yet under the keyring's current key, in small batches,
    /// each in its own transaction: readers never wait long, and the old key (still in the key file)
    /// keeps opening what is not yet re-encrypted. Run after adding a key (`vangnet keys rotate`).
    public func reencryptAll(batchSize: Int = 500, progress: (@Sendable (String, Int) -> Void)? = nil) async throws -> RotationReport {
        var report = RotationReport(currentKey: keyring.currentKeyID)
        let columns: [(table: String, key: String, column: String, context: String)] = [
            ("source_records", "seq", "payload_sealed", Keyring.recordContext),
            ("quarantine", "id", "original_sealed", "quarantine.original"),
            ("case_events", "id", "note_sealed", "case_events.note"),
            ("identity_reviews", "id", "candidate_sealed", "identity_reviews.candidate"),
        ]
        for column in columns {
            var after: Int64 = 0
            let name = "\(column.table).\(column.column)"
            while true {
                let rows = try await bulk(sql, """
                    SELECT \(column.key), \(column.column) FROM \(column.table) WHERE \(column.key) > ? AND \(column.column) IS NOT NULL
                    ORDER BY \(column.key) LIMIT \(batchSize)
                    """, [.integer(after)])
                guard let last = rows.last?[0].integer else { break }
                after = last
                var updates: [(Int64, Data)] = []
                for row in rows {
                    guard let sealed = row[1].blob else { continue }
                    if Keyring.keyID(of: sealed) == keyring.currentKeyID {
                        report.alreadyCurrent[name, default: 0] += 1
                        continue
                    }
                    updates.append((row[0].integer!, keyring.seal(try keyring.open(sealed, context: column.context), context: column.context)))
                }
                if !updates.isEmpty {
                    let batch = updates
                    try await transaction { sql in
                        for (key, value) in batch {
                            _ = try await self.bulk(sql, "UPDATE \(column.table) SET \(column.column) = ? WHERE \(column.key) = ?",
                                                    [.blob(value), .integer(key)])
                        }
                    }
                    report.resealed[name, default: 0] += updates.count
                    progress?(name, report.resealed[name, default: 0])
                }
            }
        }
        // The sources' webhook secrets.
        for (source, secret) in try await eventSecrets() { try await setEventSecret(secret, for: source) }
        return report
    }
}
