/// The qualified school leavers without a case, counted per day of leaving, province, source and
/// track: most leavers, and what every dashboard counts (`Store.qualifiedLeavers`). Counting them in
/// `stat_persons` read every one of them (two million rows at ten school years, a second a
/// dashboard); the counts are kept up to date by the statistics refresh instead (the days it
/// touched are counted again) and made again by the rebuild. A province, source or track the
/// person has none of is '' (a key column cannot be NULL).
///
/// And each person's row gets the revision it was last written in (a counter in `stat_progress`,
/// taken in the writing transaction, so revisions commit in order): a process that keeps the
/// dashboard's rows in memory (`StatisticsMirror`) reads only the rows written since it last looked.
struct CreateStatisticsLeaverCounts: SQLMigration {
    let store: Store
    var name: String { "025_CreateStatisticsLeaverCounts" }

    func up() -> [String] {
        ["""
         CREATE TABLE stat_leaver_counts (
             left_on TEXT NOT NULL,
             province TEXT NOT NULL,
             source TEXT NOT NULL,
             track TEXT NOT NULL,
             n INTEGER NOT NULL,
             PRIMARY KEY (left_on, province, source, track)
         )
         """,
         "INSERT INTO stat_leaver_counts (left_on, province, source, track, n) " + Store.leaverCountsSelect(where: ""),
         "ALTER TABLE stat_persons ADD COLUMN revision INTEGER NOT NULL DEFAULT 0",
         "CREATE INDEX stat_persons_by_revision ON stat_persons (revision)"]
    }

    func down() -> [String] {
        ["DROP INDEX stat_persons_by_revision", "ALTER TABLE stat_persons DROP COLUMN revision", "DROP TABLE stat_leaver_counts"]
    }
}
