/// The audit log (DESIGN.md §8): who read or changed whose data, when and why. Each entry's hash
/// covers the previous entry's hash (an HMAC chain); `audit_head` holds the chain's end so that
/// concurrent writers append one at a time; `audit_checkpoints` are the hashes an operator copies
/// elsewhere. No payload: the subject is a keyed hash, never the INSZ or a name.
struct CreateAuditLog: SQLMigration {
    let store: Store
    var name: String { "004_CreateAuditLog" }

    func up() -> [String] {
        [
            """
            CREATE TABLE audit_log (
                seq BIGINT PRIMARY KEY,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                role TEXT NOT NULL,
                purpose TEXT NOT NULL,
                action TEXT NOT NULL,
                outcome TEXT NOT NULL,
                subject TEXT,
                object_type TEXT,
                object_id TEXT,
                request_id TEXT,
                previous_hash TEXT NOT NULL,
                hash TEXT NOT NULL
            )
            """,
            "CREATE INDEX audit_log_by_subject ON audit_log (subject, at)",
            "CREATE INDEX audit_log_by_actor ON audit_log (actor, at)",
            """
            CREATE TABLE audit_head (
                id INTEGER PRIMARY KEY,
                seq BIGINT NOT NULL,
                hash TEXT NOT NULL
            )
            """,
            "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, 'genesis')",
            """
            CREATE TABLE audit_checkpoints (
                id \(id),
                at TEXT NOT NULL,
                seq BIGINT NOT NULL,
                hash TEXT NOT NULL
            )
            """,
        ]
    }

    func down() -> [String] { ["DROP TABLE audit_checkpoints", "DROP TABLE audit_head", "DROP TABLE audit_log"] }
}
