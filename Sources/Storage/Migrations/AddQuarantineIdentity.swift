/// A rejected record's stable identity (production issue: re-running the same file doubled the
/// quarantine): a keyed hash of its source, location and original bytes, unique, so that a repeat
/// is a duplicate as an accepted record's repeat already is. Rows from before have none.
struct AddQuarantineIdentity: SQLMigration {
    let store: Store
    var name: String { "013_AddQuarantineIdentity" }

    func up() -> [String] {
        ["ALTER TABLE quarantine ADD COLUMN identity TEXT", "CREATE UNIQUE INDEX quarantine_identity ON quarantine (identity)"]
    }

    func down() -> [String] { ["DROP INDEX quarantine_identity", "ALTER TABLE quarantine DROP COLUMN identity"] }
}
