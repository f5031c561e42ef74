/// Retention: where the audit chain starts once its oldest entries are purged, and a log of runs.
///
/// - `audit_anchor`: the sequence number and hash of the last purged audit entry; verification of
///   the chain starts after it.
/// - `retention_runs`: what each retention run removed or anonymised (counts only).
struct CreateRetention: SQLMigration {
    let store: Store
    var name: String { "006_CreateRetention" }

    func up() -> [String] {
        [
            "CREATE TABLE audit_anchor (id INTEGER PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL)",
            "INSERT INTO audit_anchor (id, seq, hash) VALUES (1, 0, 'genesis')",
            """
            CREATE TABLE retention_runs (
                id \(id),
                at TEXT NOT NULL,
                dry_run INTEGER NOT NULL,
                report TEXT NOT NULL
            )
            """,
        ]
    }

    func down() -> [String] { ["DROP TABLE retention_runs", "DROP TABLE audit_anchor"] }
}
