import Domain
import Foundation
import SQLKit

extension Store {
    public struct CopyProblem: VangnetError {
        public let description: String
        public var kind: ErrorKind { .conflict }
        public var code: String { "copy_refused" }
    }

    /// Copies every table of this SQLite store into `target` (PostgreSQL, to grow a pilot; or another
    /// SQLite file) as it is — ids, sealed values and the audit chain included — in one transaction
    /// on the target, a thousand rows at a time, then moves the target's id sequences past the copied
    /// ids and checks the audit chain and every table's count. Refuses a target that has data or
    /// another schema version. The same keys open both.
    public func copyEverything(to target: Store) async throws -> [String: Int] {
        guard dialect == .sqlite else { throw CopyProblem(description: "the source must be an SQLite database") }
        guard try await pendingMigrations().isEmpty, try await target.pendingMigrations().isEmpty else {
            throw CopyProblem(description: "both databases must have the same, current schema: run vangnet migrate on each first")
        }
        let tables = try await bulk(sql, """
            SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('schema_migrations', '_fluent_migrations')
            ORDER BY name
            """, []).compactMap { $0[0].text }
        // The tables only a used database has rows in (a new one's migrations seed others, such as
        // the audit chain's anchor, which the copy replaces).
        for table in ["persons", "source_records", "deliveries", "cases", "users", "audit_log", "quarantine"] where tables.contains(table) {
            let rows = try await target.bulk(target.sql, "SELECT COUNT(*) FROM \(table)", [])
            guard (rows.first?.first?.integer ?? 0) == 0 else {
                throw CopyProblem(description: "the target is not empty (\(table) has rows): copy into a new, migrated database")
            }
        }
        let counts: [String: Int] = try await target.transaction { targetSQL in
            var counts: [String: Int] = [:]
            for table in tables {
                let columns = try await self.bulk(self.sql, "SELECT name FROM pragma_table_info(?) ORDER BY cid", [.text(table)]).compactMap { $0[0].text }
                guard !columns.isEmpty else { continue }
                let list = columns.joined(separator: ", ")
                _ = try await target.bulk(targetSQL, "DELETE FROM \(table)", [])
                var after: Int64 = Int64.min
                var copied = 0
                while true {
                    let page = try await self.bulk(self.sql, "SELECT rowid, \(list) FROM \(table) WHERE rowid > ? ORDER BY rowid LIMIT 1000", [.integer(after)])
                    guard let last = page.last?.first?.integer else { break }
                    after = last
                    for chunk in page.chunked(into: max(1, 30_000 / columns.count)) {
                        _ = try await target.bulk(targetSQL, "INSERT INTO \(table) (\(list)) VALUES " + Store.placeholders(rows: chunk.count, columns: columns.count),
                                                  chunk.flatMap { Array($0.dropFirst()) })
                    }
                    copied += page.count
                }
                counts[table] = copied
            }
            // Every identity column continues after the copied values: numbers are never reused.
            if target.dialect == .postgres {
                for row in try await target.bulk(targetSQL, """
                    SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES'
                    """, []) {
                    guard let table = row[0].text, let column = row[1].text, (counts[table] ?? 0) > 0 else { continue }
                    _ = try await target.bulk(targetSQL, "SELECT setval(pg_get_serial_sequence('\(table)', '\(column)'), (SELECT MAX(\(column)) FROM \(table)))", [])
                }
            }
            return counts
        }
        for table in tables {
            let n = try await target.bulk(target.sql, "SELECT COUNT(*) FROM \(table)", [])
            guard Int(n.first?.first?.integer ?? -1) == counts[table] ?? 0 else {
                throw CopyProblem(description: "\(table): the counts differ after the copy")
            }
        }
        let verification = try await target.verifyAudit()
        guard verification.intact else { throw CopyProblem(description: "the audit chain does not verify after the copy") }
        return counts
    }
}
