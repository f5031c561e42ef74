/// A quarantine entry's link, found without reading every link: a linkage run closes its entries
/// with the link's probability, and an undo removes the entry's link.
struct AddIdentityLinksByQuarantine: SQLMigration {
    let store: Store
    var name: String { "023_AddIdentityLinksByQuarantine" }

    func up() -> [String] { ["CREATE INDEX identity_links_by_quarantine ON identity_links (quarantine_id)"] }
    func down() -> [String] { ["DROP INDEX identity_links_by_quarantine"] }
}
