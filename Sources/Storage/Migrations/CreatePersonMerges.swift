/// Two persons that turn out to be one (linkage issue, "merges"): `persons.merged_into` sends the
/// records of a merged person's INSZ to the person it was merged into, and `person_merges` keeps
/// every merge — why (a replaced number, a steward's decision), by whom, which cases it moved or
/// closed — so that it can be undone exactly.
struct CreatePersonMerges: SQLMigration {
    let store: Store
    var name: String { "019_CreatePersonMerges" }

    func up() -> [String] {
        [
            "ALTER TABLE persons ADD COLUMN merged_into BIGINT",
            """
            CREATE TABLE person_merges (
                id \(id),
                absorbed_id BIGINT NOT NULL,
                survivor_id BIGINT NOT NULL,
                reason TEXT NOT NULL,
                probability_ppm BIGINT,
                explanation TEXT NOT NULL DEFAULT '[]',
                moved_cases TEXT NOT NULL DEFAULT '',
                closed_case BIGINT,
                closed_case_status TEXT,
                merged_by TEXT NOT NULL,
                merged_at TEXT NOT NULL,
                undone_by TEXT,
                undone_at TEXT
            )
            """,
            "CREATE UNIQUE INDEX person_merges_one_active ON person_merges (absorbed_id) WHERE undone_at IS NULL",
            "CREATE INDEX person_merges_by_survivor ON person_merges (survivor_id)",
            "CREATE TABLE merge_progress (name TEXT PRIMARY KEY, position BIGINT NOT NULL)",
            // Written with the register record that names the number it replaces (`BatchWrite`).
            """
            CREATE TABLE number_replacements (
                id \(id),
                current_index \(binary) NOT NULL,
                previous_index \(binary) NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX number_replacements_pair ON number_replacements (current_index, previous_index)",
        ]
    }

    func down() -> [String] {
        ["DROP TABLE number_replacements", "DROP TABLE merge_progress", "DROP TABLE person_merges", "ALTER TABLE persons DROP COLUMN merged_into"]
    }
}
