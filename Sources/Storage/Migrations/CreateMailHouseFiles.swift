/// What the mail house sends back (docs/outreach.md, "The mail house's files").
///
/// - `mail_house_files`: each imported acknowledgement or return file — who imported it, when,
///   and the outcome of every line (line number, letter reference, accepted or why not): no names
///   or addresses, only references.
/// - `letters.returned_on`, `letters.return_reason`: a letter the mail house brought back.
/// - `returned_addresses`: the keyed hash of an address a letter to the person came back from
///   (`BlindIndexPurpose.returnedAddress`): no further letters go there.
struct CreateMailHouseFiles: SQLMigration {
    let store: Store
    var name: String { "009_CreateMailHouseFiles" }

    func up() -> [String] {
        [
            """
            CREATE TABLE mail_house_files (
                id \(id),
                kind TEXT NOT NULL,
                name TEXT NOT NULL,
                imported_at TEXT NOT NULL,
                imported_by TEXT NOT NULL,
                accepted INTEGER NOT NULL,
                unchanged INTEGER NOT NULL,
                rejected INTEGER NOT NULL,
                outcome TEXT NOT NULL
            )
            """,
            "ALTER TABLE letters ADD COLUMN returned_on TEXT",
            "ALTER TABLE letters ADD COLUMN return_reason TEXT",
            """
            CREATE TABLE returned_addresses (
                person_id BIGINT NOT NULL,
                address_index TEXT NOT NULL,
                returned_on TEXT NOT NULL,
                PRIMARY KEY (person_id, address_index)
            )
            """,
        ]
    }

    func down() -> [String] {
        ["DROP TABLE returned_addresses", "ALTER TABLE letters DROP COLUMN return_reason", "ALTER TABLE letters DROP COLUMN returned_on",
         "DROP TABLE mail_house_files"]
    }
}
