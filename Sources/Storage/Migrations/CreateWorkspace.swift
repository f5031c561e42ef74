/// The workspace: who is logged in, API clients, sources that deliver events, and login throttling.
///
/// - `sessions`: server-side sessions; the cookie carries a random token, the table its SHA-256.
/// - `api_tokens`: API clients' tokens (hashed), each with a role and scope; revocable.
/// - `event_sources`: the per-source secret that signs webhooks (Standard Webhooks), sealed.
/// - `events`: every event id received per source, so the same event twice has one effect.
/// - `login_failures`: failed logins per account and per address, for throttling and lock-out.
struct CreateWorkspace: SQLMigration {
    let store: Store
    var name: String { "005_CreateWorkspace" }

    func up() -> [String] {
        [
            """
            CREATE TABLE sessions (
                token_hash TEXT PRIMARY KEY,
                user_id BIGINT NOT NULL,
                csrf_token TEXT NOT NULL,
                language TEXT NOT NULL,
                created_at TEXT NOT NULL,
                last_seen_at TEXT NOT NULL,
                revoked_at TEXT
            )
            """,
            "CREATE INDEX sessions_by_user ON sessions (user_id)",
            """
            CREATE TABLE api_tokens (
                id \(id),
                name TEXT NOT NULL UNIQUE,
                token_hash TEXT NOT NULL UNIQUE,
                role TEXT NOT NULL,
                provinces TEXT NOT NULL DEFAULT '',
                organisation TEXT,
                created_at TEXT NOT NULL,
                revoked_at TEXT
            )
            """,
            """
            CREATE TABLE event_sources (
                source TEXT PRIMARY KEY,
                secret_sealed \(binary) NOT NULL,
                created_at TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE events (
                source TEXT NOT NULL,
                event_id TEXT NOT NULL,
                received_at TEXT NOT NULL,
                delivery_id BIGINT NOT NULL,
                PRIMARY KEY (source, event_id)
            )
            """,
            """
            CREATE TABLE login_failures (
                key TEXT PRIMARY KEY,
                failures INTEGER NOT NULL,
                last_failure_at TEXT NOT NULL,
                locked_until TEXT
            )
            """,
        ]
    }

    func down() -> [String] {
        ["DROP TABLE login_failures", "DROP TABLE events", "DROP TABLE event_sources", "DROP TABLE api_tokens", "DROP TABLE sessions"]
    }
}
