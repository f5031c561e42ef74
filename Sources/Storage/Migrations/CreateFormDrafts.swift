/// What a user typed in a form that arrived after their session had expired (workspace issue): kept
/// sealed, for that user only, until they log in again and find it back in the form — or for a day.
struct CreateFormDrafts: SQLMigration {
    let store: Store
    var name: String { "020_CreateFormDrafts" }

    func up() -> [String] {
        [
            """
            CREATE TABLE form_drafts (
                token_hash TEXT PRIMARY KEY,
                username TEXT NOT NULL,
                path TEXT NOT NULL,
                fields_sealed \(binary) NOT NULL,
                created_at TEXT NOT NULL
            )
            """,
        ]
    }

    func down() -> [String] { ["DROP TABLE form_drafts"] }
}
