/// The pseudonymised statistics store (results issue, §1): one row per person under a keyed
/// pseudonym — no national number, name, address or internal id — and how far the store has read
/// the records, decisions and case events it is kept up to date from.
struct CreateStatistics: SQLMigration {
    let store: Store
    var name: String { "016_CreateStatistics" }

    func up() -> [String] {
        [
            """
            CREATE TABLE stat_persons (
                pseudonym TEXT PRIMARY KEY,
                birth_month TEXT,
                sex TEXT,
                province TEXT,
                track TEXT,
                school_number TEXT,
                source TEXT,
                left_on TEXT,
                qualified INTEGER NOT NULL,
                outcome TEXT NOT NULL,
                exclusion TEXT,
                detected_on TEXT,
                case_opened_on TEXT,
                case_closed_on TEXT,
                case_status TEXT,
                first_letter_on TEXT,
                first_answer_on TEXT,
                first_attempt_on TEXT,
                first_reached_on TEXT,
                registered_on TEXT,
                referred_on TEXT,
                referral_accepted_on TEXT,
                offer_on TEXT,
                contacts INTEGER NOT NULL,
                situation_6 TEXT,
                situation_12 TEXT,
                situation_18 TEXT,
                job_seeking_one_year_later INTEGER,
                updated_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX stat_persons_by_left ON stat_persons (left_on, province)",
            """
            CREATE TABLE stat_progress (
                feed TEXT PRIMARY KEY,
                position BIGINT NOT NULL
            )
            """,
        ]
    }

    func down() -> [String] { ["DROP TABLE stat_progress", "DROP INDEX stat_persons_by_left", "DROP TABLE stat_persons"] }
}
