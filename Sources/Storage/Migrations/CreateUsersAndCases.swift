/// Staff accounts, cases and what happens on them.
///
/// - `users`: consultants, team leads, stewards, analysts, auditors, admins and partners; the
///   provinces they cover; a password hash (set by `vangnet user add`).
/// - `cases`: at most one open case per person (a partial unique index), assigned to a consultant.
/// - `case_events`: the case's history — opened, assigned, status changes, contacts, notes (sealed),
///   facts that arrived, suggestions.
struct CreateUsersAndCases: SQLMigration {
    let store: Store
    var name: String { "003_CreateUsersAndCases" }

    func up() -> [String] {
        [
            """
            CREATE TABLE users (
                id \(id),
                username TEXT NOT NULL UNIQUE,
                display_name TEXT NOT NULL,
                role TEXT NOT NULL,
                provinces TEXT NOT NULL DEFAULT '',
                organisation TEXT,
                password_hash TEXT,
                active INTEGER NOT NULL DEFAULT 1,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                sessions_valid_after TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE cases (
                id \(id),
                person_id BIGINT NOT NULL,
                status TEXT NOT NULL,
                action TEXT NOT NULL,
                province TEXT,
                consultant TEXT,
                opened_on TEXT NOT NULL,
                opened_at TEXT NOT NULL,
                due_on TEXT,
                next_action TEXT,
                closed_on TEXT,
                suggestion TEXT,
                track TEXT,
                school_source TEXT,
                last_fact_seq BIGINT NOT NULL DEFAULT 0,
                updated_at TEXT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX cases_one_open_per_person ON cases (person_id) WHERE closed_on IS NULL",
            "CREATE INDEX cases_by_person ON cases (person_id)",
            "CREATE INDEX cases_by_consultant ON cases (consultant, closed_on, opened_at)",
            "CREATE INDEX cases_by_province ON cases (province, closed_on, opened_at)",
            """
            CREATE TABLE case_events (
                id \(id),
                case_id BIGINT NOT NULL,
                at TEXT NOT NULL,
                kind TEXT NOT NULL,
                actor TEXT NOT NULL,
                data TEXT NOT NULL,
                note_sealed \(binary)
            )
            """,
            "CREATE INDEX case_events_by_case ON case_events (case_id, id)",
        ]
    }

    func down() -> [String] { ["DROP TABLE case_events", "DROP TABLE cases", "DROP TABLE users"] }
}
