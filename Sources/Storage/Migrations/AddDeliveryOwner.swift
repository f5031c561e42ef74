/// Which process a delivery runs in (`host:pid`), so that one whose process is gone can be marked
/// `interrupted` instead of staying `running` forever (production issue), and a re-run of the same
/// delivery marks it `superseded`.
struct AddDeliveryOwner: SQLMigration {
    let store: Store
    var name: String { "014_AddDeliveryOwner" }

    func up() -> [String] { ["ALTER TABLE deliveries ADD COLUMN owner TEXT"] }
    func down() -> [String] { ["ALTER TABLE deliveries DROP COLUMN owner"] }
}
