/// The caseload shows overdue cases first, by due date: indexes that give a consultant's (or a
/// province's) open cases in due-date order, so the page stays fast with tens of thousands of
/// overdue cases.
struct AddCaseloadIndexes: SQLMigration {
    let store: Store
    var name: String { "007_AddCaseloadIndexes" }

    func up() -> [String] {
        [
            "CREATE INDEX cases_by_consultant_due ON cases (consultant, closed_on, due_on)",
            "CREATE INDEX cases_by_province_due ON cases (province, closed_on, due_on)",
        ]
    }

    func down() -> [String] { ["DROP INDEX cases_by_province_due", "DROP INDEX cases_by_consultant_due"] }
}
