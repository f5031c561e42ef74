/// The transactional outbox of registration requests to VDAB's job-seeker system (policy action
/// `auto-register`, docs/outreach.md): written in the same transaction as the case that needs it,
/// delivered by the registration worker, kept with its outcome.
///
/// `status`: `pending` (to send; `next_attempt_at` says when, and holds the lease of the worker
/// sending it), `accepted` (the system took it and will call back), `confirmed` (registered, with
/// `registration_number`), `stuck` (no more attempts, or refused: `last_error` says why),
/// `cancelled` (the case was withdrawn before the request left).
struct CreateRegistrationOutbox: SQLMigration {
    let store: Store
    var name: String { "010_CreateRegistrationOutbox" }

    func up() -> [String] {
        [
            """
            CREATE TABLE registration_outbox (
                id \(id),
                case_id BIGINT NOT NULL,
                idempotency_key TEXT NOT NULL UNIQUE,
                body_sealed \(binary) NOT NULL,
                status TEXT NOT NULL,
                attempts INTEGER NOT NULL,
                next_attempt_at TEXT NOT NULL,
                last_error TEXT,
                problem TEXT,
                registration_number TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX registration_outbox_due ON registration_outbox (status, next_attempt_at)",
            "CREATE INDEX registration_outbox_by_case ON registration_outbox (case_id)",
        ]
    }

    func down() -> [String] { ["DROP INDEX registration_outbox_by_case", "DROP INDEX registration_outbox_due", "DROP TABLE registration_outbox"] }
}
