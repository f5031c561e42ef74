/// A daily job's claim says when its run was done, so that the claim of a process killed before
/// that can be taken over after its lease (`Store.claimDailyJob`).
struct AddDailyJobCompletion: SQLMigration {
    let store: Store
    var name: String { "021_AddDailyJobCompletion" }

    func up() -> [String] { ["ALTER TABLE daily_jobs ADD COLUMN completed_at TEXT"] }
    func down() -> [String] { ["ALTER TABLE daily_jobs DROP COLUMN completed_at"] }
}
