import Foundation
import SQLKit

/// Upkeep of the database itself: by the server in the background, and after an import.
extension Store {
    /// Writes SQLite's write-ahead log back into the database and truncates the `-wal` file to zero
    /// bytes (`PRAGMA wal_checkpoint(TRUNCATE)`). SQLite's automatic checkpoints (every ~64 MB of log,
    /// see `open`) write the log back but never shrink the file, so a server that writes all day
    /// kept a `-wal` as large as its busiest stretch (67 MB after 13 minutes of the demo).
    ///
    /// True when the whole log was written back; false when a reader in another process (a
    /// `vangnet` command) still needed part of it — the next checkpoint finishes the job. PostgreSQL
    /// manages its own log: nothing to do, true.
    @discardableResult
    public func checkpoint() async throws -> Bool {
        guard dialect == .sqlite else { return true }
        // One row: busy (1 if it could not finish), pages in the log, pages written back.
        let rows = try await bulk(sql, "PRAGMA wal_checkpoint(TRUNCATE)", [])
        return rows.first?.first?.integer == 0
    }

    /// After a bulk load: PostgreSQL's planner statistics of the tables an import fills, brought up
    /// to date at once rather than when autovacuum gets to them. Without it, the identity step after
    /// a first import planned its reads with the statistics of empty tables (the school-year
    /// benchmark: reading the register 5 → 20 s once the import got faster than autovacuum's round).
    /// SQLite's planner needs no statistics for these reads; nothing is done there.
    public func refreshPlannerStatistics() async throws {
        guard dialect == .postgres else { return }
        try await sql.raw("ANALYZE persons, source_records, schedule, quarantine, number_replacements").run()
    }
}
