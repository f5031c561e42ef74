/// Jobs that run once a day across every server and worker (the letter batch, retention): the
/// first process to claim a day's key runs it; the others skip (production issue, "workers").
struct CreateDailyJobs: SQLMigration {
    let store: Store
    var name: String { "015_CreateDailyJobs" }

    func up() -> [String] {
        ["""
         CREATE TABLE daily_jobs (
             job TEXT NOT NULL,
             day TEXT NOT NULL,
             claimed_at TEXT NOT NULL,
             owner TEXT NOT NULL,
             PRIMARY KEY (job, day)
         )
         """]
    }

    func down() -> [String] { ["DROP TABLE daily_jobs"] }
}
