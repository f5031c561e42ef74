/// Identity beyond the national number (linkage issue): the review queue of proposed links (the
/// candidate's INSZ sealed, with a blind index so that a question answered "not the same person"
/// is not asked again), the links made (their probability in millionths and explanation, by whom), the best
/// candidate's probability on a quarantine entry, and the header line of a rejected CSV line (so
/// that it can be read by column name whatever the file's column order).
struct CreateIdentityLinks: SQLMigration {
    let store: Store
    var name: String { "018_CreateIdentityLinks" }

    func up() -> [String] {
        [
            """
            CREATE TABLE identity_reviews (
                id \(id),
                quarantine_id BIGINT NOT NULL,
                candidate_sealed \(binary) NOT NULL,
                candidate_index \(binary) NOT NULL,
                probability_ppm BIGINT NOT NULL,
                explanation TEXT NOT NULL,
                status TEXT NOT NULL DEFAULT 'open',
                created_at TEXT NOT NULL,
                decided_by TEXT,
                decided_at TEXT
            )
            """,
            "CREATE UNIQUE INDEX identity_reviews_question ON identity_reviews (quarantine_id, candidate_index)",
            "CREATE INDEX identity_reviews_by_status ON identity_reviews (status, id)",
            """
            CREATE TABLE identity_links (
                id \(id),
                quarantine_id BIGINT NOT NULL,
                person_id BIGINT,
                probability_ppm BIGINT NOT NULL,
                explanation TEXT NOT NULL,
                linked_by TEXT NOT NULL,
                linked_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX identity_links_by_person ON identity_links (person_id)",
            "ALTER TABLE quarantine ADD COLUMN best_match_ppm BIGINT",
            "ALTER TABLE quarantine ADD COLUMN header TEXT",
        ]
    }

    func down() -> [String] {
        ["ALTER TABLE quarantine DROP COLUMN header", "ALTER TABLE quarantine DROP COLUMN best_match_ppm",
         "DROP TABLE identity_links", "DROP TABLE identity_reviews"]
    }
}
