/// Persons, deliveries, source records and quarantine.
///
/// - `persons`: one row per INSZ, found through its blind index (`insz_index`, 16 bytes of HMAC).
///   Nothing else: the number itself, sealed, is in each of the person's records.
/// - `source_records`: every distinct version of every record, append-only. A record is
///   (source, record_id); a version is also identified by its content's keyed 64-bit hash; a new
///   version is a correction. `payload_sealed` holds the whole record. Kept lean: the import writes
///   a million of these for a school year of Flanders (BENCHMARKS.md).
/// - `quarantine`: every rejected record or file, with its reason and its original bytes (sealed).
struct CreatePersonsAndRecords: SQLMigration {
    let store: Store
    var name: String { "001_CreatePersonsAndRecords" }

    func up() -> [String] {
        [
            """
            CREATE TABLE persons (
                id \(id),
                insz_index \(binary) NOT NULL UNIQUE
            )
            """,
            """
            CREATE TABLE deliveries (
                id \(id),
                channel TEXT NOT NULL,
                name TEXT NOT NULL,
                format TEXT,
                kind TEXT,
                source TEXT,
                started_at TEXT NOT NULL,
                finished_at TEXT,
                records INTEGER NOT NULL DEFAULT 0,
                accepted INTEGER NOT NULL DEFAULT 0,
                corrections INTEGER NOT NULL DEFAULT 0,
                duplicates INTEGER NOT NULL DEFAULT 0,
                quarantined INTEGER NOT NULL DEFAULT 0,
                status TEXT NOT NULL
            )
            """,
            "CREATE INDEX deliveries_by_source ON deliveries (source, started_at)",
            """
            CREATE TABLE source_records (
                seq \(id),
                source TEXT NOT NULL,
                record_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                person_id BIGINT NOT NULL,
                content_hash BIGINT NOT NULL,
                recorded_at TEXT,
                payload_sealed \(binary) NOT NULL,
                delivery_id BIGINT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX source_records_version ON source_records (source, record_id, content_hash)",
            "CREATE INDEX source_records_by_person ON source_records (person_id)",
            """
            CREATE TABLE quarantine (
                id \(id),
                delivery_id BIGINT,
                received_at TEXT NOT NULL,
                source TEXT,
                kind TEXT,
                record_id TEXT,
                location TEXT NOT NULL,
                reason TEXT NOT NULL,
                field TEXT,
                message TEXT NOT NULL,
                original_sealed \(binary) NOT NULL,
                original_bytes INTEGER NOT NULL,
                status TEXT NOT NULL DEFAULT 'open',
                resolved_at TEXT,
                resolved_by TEXT
            )
            """,
            "CREATE INDEX quarantine_by_status ON quarantine (status, received_at)",
            "CREATE INDEX quarantine_by_reason ON quarantine (reason)",
        ]
    }

    func down() -> [String] {
        ["DROP TABLE quarantine", "DROP TABLE source_records", "DROP TABLE deliveries", "DROP TABLE persons"]
    }
}
