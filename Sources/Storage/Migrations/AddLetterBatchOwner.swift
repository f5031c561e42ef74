/// The process making a letter batch: a batch whose process is gone (a `kill -9`, a crash) no
/// longer blocks the next one for ten minutes (`Store.reserveLetterBatch`).
struct AddLetterBatchOwner: SQLMigration {
    let store: Store
    var name: String { "024_AddLetterBatchOwner" }

    func up() -> [String] { ["ALTER TABLE letter_batches ADD COLUMN owner TEXT"] }
    func down() -> [String] { ["ALTER TABLE letter_batches DROP COLUMN owner"] }
}
