/// Decisions and the pipeline's schedule.
///
/// - `decisions`: the current decision per person, with its reasons (rule ids and fact
///   references as JSON — no personal data) and the policy version.
/// - `decision_history`: every change of a school leaver's decision.
/// - `schedule`: persons to decide again on or after `due_on` — because records arrived
///   (due at once) or because a decision is pending until a date (the timers of DESIGN.md §4).
struct CreateDecisionsAndTimers: SQLMigration {
    let store: Store
    var name: String { "002_CreateDecisionsAndTimers" }

    func up() -> [String] {
        [
            """
            CREATE TABLE decisions (
                person_id BIGINT PRIMARY KEY,
                outcome TEXT NOT NULL,
                exclusion TEXT,
                pending_until TEXT,
                left_on TEXT,
                qualified INTEGER NOT NULL,
                province TEXT,
                track TEXT,
                school_source TEXT,
                action TEXT,
                review_on TEXT,
                decided_on TEXT NOT NULL,
                decided_at TEXT NOT NULL,
                policy_version TEXT NOT NULL,
                reasons TEXT NOT NULL
            )
            """,
            "CREATE INDEX decisions_by_outcome ON decisions (outcome, province)",
            """
            CREATE TABLE decision_history (
                id \(id),
                person_id BIGINT NOT NULL,
                outcome TEXT NOT NULL,
                exclusion TEXT,
                pending_until TEXT,
                left_on TEXT,
                province TEXT,
                decided_on TEXT NOT NULL,
                decided_at TEXT NOT NULL,
                policy_version TEXT NOT NULL,
                reasons TEXT NOT NULL
            )
            """,
            "CREATE INDEX decision_history_by_person ON decision_history (person_id, id)",
            """
            CREATE TABLE schedule (
                person_id BIGINT PRIMARY KEY,
                due_on TEXT NOT NULL
            )
            """,
            "CREATE INDEX schedule_by_due ON schedule (due_on, person_id)",
        ]
    }

    func down() -> [String] { ["DROP TABLE schedule", "DROP TABLE decision_history", "DROP TABLE decisions"] }
}
