/// The dashboard reads the unqualified school leavers and the persons with a case, and counts the
/// qualified leavers: with these indexes SQLite and PostgreSQL find them without reading every
/// person (most persons in the store never left school, most leavers are qualified).
struct AddStatisticsIndexes: SQLMigration {
    let store: Store
    var name: String { "017_AddStatisticsIndexes" }

    func up() -> [String] {
        ["CREATE INDEX stat_persons_by_case ON stat_persons (case_opened_on)",
         "CREATE INDEX stat_persons_by_qualified ON stat_persons (qualified, left_on)"]
    }

    func down() -> [String] { ["DROP INDEX stat_persons_by_qualified", "DROP INDEX stat_persons_by_case"] }
}
