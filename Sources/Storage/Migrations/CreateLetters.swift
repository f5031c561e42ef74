/// Letters to young people, in daily batches for the mail house, and the personal answer codes.
///
/// - `letter_batches`: one print-ready PDF and its manifest per batch (both sealed: they name many
///   people), the PDF's SHA-256, and where the batch stands (`prepared`, `handed_over`).
/// - `letters`: one row per letter: its case, kind, template version and language, its reference,
///   its pages in the batch, and what it said (sealed), so it can be shown again exactly.
/// - `answer_codes`: the keyed hash of each personal code, its case and letter, until when it is valid.
struct CreateLetters: SQLMigration {
    let store: Store
    var name: String { "008_CreateLetters" }

    func up() -> [String] {
        [
            """
            CREATE TABLE letter_batches (
                id \(id),
                made_on TEXT NOT NULL,
                made_at TEXT NOT NULL,
                status TEXT NOT NULL,
                letters INTEGER NOT NULL,
                pages INTEGER NOT NULL,
                pdf_sha256 TEXT NOT NULL,
                pdf_sealed \(binary) NOT NULL,
                manifest_sealed \(binary) NOT NULL,
                handed_over_at TEXT,
                handed_over_by TEXT
            )
            """,
            """
            CREATE TABLE letters (
                id \(id),
                case_id BIGINT NOT NULL,
                batch_id BIGINT NOT NULL,
                kind TEXT NOT NULL,
                template TEXT NOT NULL,
                language TEXT NOT NULL,
                reference TEXT NOT NULL UNIQUE,
                made_on TEXT NOT NULL,
                first_page INTEGER NOT NULL,
                pages INTEGER NOT NULL,
                status TEXT NOT NULL,
                content_sealed \(binary) NOT NULL
            )
            """,
            "CREATE INDEX letters_by_case ON letters (case_id, made_on)",
            """
            CREATE TABLE answer_codes (
                code_index TEXT PRIMARY KEY,
                case_id BIGINT NOT NULL,
                letter_id BIGINT NOT NULL,
                valid_until TEXT NOT NULL
            )
            """,
        ]
    }

    func down() -> [String] { ["DROP TABLE answer_codes", "DROP INDEX letters_by_case", "DROP TABLE letters", "DROP TABLE letter_batches"] }
}
