import Domain
import Foundation
import Privacy
import SQLKit

/// What one batch did in the database.
struct BatchOutcome: Sendable {
    /// The id of each of the batch's persons (aligned with `PreparedBatch.persons`).
    var personIDs: [Int64] = []
    var accepted = 0
    var corrections = 0
    var sequences: [Int64] = []
    var acceptedHashes: [Int64] = []
    /// Accepted records per delivery, when the batch's records belong to several.
    var acceptedPerDelivery: [Int64: Int] = [:]
    /// Rejections already in quarantine from an earlier delivery (the same source, location and bytes).
    var repeatedRejections = 0
    /// The reasons of the rejections quarantined now (not the repeats).
    var newRejectionReasons: [String] = []
}

/// A record as its source names it; versions of it differ in content.
struct RecordReference: Hashable {
    let source: String
    let recordID: String
}

extension Store {
    /// Writes a prepared batch inside the caller's transaction. Its records belong to `deliveryID`,
    /// or each to its own delivery when `recordDeliveries` (aligned with `batch.records`) is given.
    /// `knownPersons` (aligned with `batch.persons`) holds the ids already known, nil for the others.
    func writeBatch(_ sql: any SQLDatabase, batch: RecordWriter.PreparedBatch, knownPersons: [Int64?],
                    deliveryID: Int64, now: String, recordDeliveries: [Int64]? = nil) async throws -> BatchOutcome {
        var outcome = BatchOutcome()

        // 1. Persons: create the unknown ones (learning their ids), then look up those that existed.
        var ids = knownPersons
        let created = try await insertPersons(sql, batch.persons.indices.filter { ids[$0] == nil }.map { batch.persons[$0].data })
        for row in created { ids[batch.personPositions[InszKey(row[1].blob!)!]!] = row[0].integer! }
        for row in try await existingPersons(sql, batch.persons.indices.filter { ids[$0] == nil }.map { batch.persons[$0].data }) {
            ids[batch.personPositions[InszKey(row[1].blob!)!]!] = row[0].integer!
        }
        outcome.personIDs = ids.map { $0! }
        let recordPersons = batch.records.map { outcome.personIDs[$0.person] }

        // 2. Which records are already held (then a new version is a correction), and by whom.
        var heldBy: [RecordReference: Set<Int64>] = [:]
        for (source, recordIDs) in batch.recordIDsBySource {
            for row in try await heldRecords(sql, source: source, ids: recordIDs) {
                heldBy[RecordReference(source: source, recordID: row[0].text!), default: []].insert(row[1].integer!)
            }
        }

        // 3. The records: a version already held is a duplicate (ON CONFLICT DO NOTHING).
        var due: [Int64] = []
        var seenInBatch: Set<RecordReference> = []
        let inserted = try await insertRecords(sql, batch.records, persons: recordPersons,
                                               deliveries: batch.records.indices.map { recordDeliveries?[$0] ?? deliveryID })
        outcome.sequences.reserveCapacity(inserted.count)
        outcome.acceptedHashes.reserveCapacity(inserted.count)
        due.reserveCapacity(inserted.count)
        for row in inserted {
            // The content hash (with the person) finds the record this row came from.
            let person = row[1].integer!
            guard let position = batch.positionsByHash[row[2].integer!]?.first(where: { recordPersons[$0] == person }) else { continue }
            outcome.accepted += 1
            if recordDeliveries != nil { outcome.acceptedPerDelivery[row[3].integer!, default: 0] += 1 }
            outcome.sequences.append(row[0].integer!)
            outcome.acceptedHashes.append(row[2].integer!)
            due.append(person)
            guard !heldBy.isEmpty || batch.sharedReferences.contains(position) else { continue }
            // Only here the record's texts (a copy of the record would retain them all for every row).
            let key = RecordReference(source: batch.records[position].source, recordID: batch.records[position].recordID)
            if let holders = heldBy[key] {
                outcome.corrections += 1
                due += holders
            } else if batch.sharedReferences.contains(position), !seenInBatch.insert(key).inserted {
                outcome.corrections += 1
            }
        }

        // 4. Numbers the register says were replaced: kept for the merge that follows the import
        //    (`Store.replacedNumbers`), without opening any record again.
        for chunk in batch.replacements.chunked(into: 500) {
            _ = try await bulk(sql, "INSERT INTO number_replacements (current_index, previous_index) VALUES "
                               + Store.placeholders(rows: chunk.count, columns: 2) + " ON CONFLICT (current_index, previous_index) DO NOTHING",
                               chunk.flatMap { [BulkValue.blob($0.current), .blob($0.previous)] })
        }

        // 5. Quarantine: reason, field, location, and the original bytes, sealed.
        //    A rejection already quarantined (same source, location and original bytes) is a repeat.
        for chunk in batch.rejections.chunked(into: 200) {
            var values: [BulkValue] = []
            var identities: [String: String] = [:]
            for r in chunk {
                let identity = keyring.blindIndex("\(r.source?.rawValue ?? "-")|\(r.location)|" + Checksum.sha256Hex(r.original), purpose: .recordContent)
                identities[identity] = r.reason.rawValue
                values += [.integer(deliveryID), .text(now), BulkValue(r.source?.rawValue), BulkValue(r.kind?.rawValue),
                           BulkValue(r.recordID), .text(r.location), .text(r.reason.rawValue), BulkValue(r.field), .text(r.message),
                           .blob(keyring.seal(r.original, context: "quarantine.original")), .integer(Int64(r.original.count)), .text(identity),
                           BulkValue(r.header)]
            }
            let inserted = try await bulk(sql, """
                INSERT INTO quarantine (delivery_id, received_at, source, kind, record_id, location, reason, field, message,
                original_sealed, original_bytes, identity, header) VALUES \(Store.placeholders(rows: chunk.count, columns: 13))
                ON CONFLICT (identity) DO NOTHING RETURNING identity
                """, values).compactMap { $0[0].text }
            outcome.repeatedRejections += chunk.count - inserted.count
            outcome.newRejectionReasons += inserted.compactMap { identities[$0] }
        }

        // 6. Everyone with a new or corrected record is due for a decision now.
        try await markDue(due, on: Store.dueAtOnce, sql)
        return outcome
    }

    /// Creates the persons of these blind indexes that do not exist yet: (id, blind index) rows of those created.
    func insertPersons(_ sql: any SQLDatabase, _ indexes: [Data]) async throws -> [[BulkValue]] {
        guard !indexes.isEmpty else { return [] }
        let returning = " RETURNING id, insz_index"
        if dialect == .postgres {
            return try await bulkColumns(sql, "INSERT INTO persons (insz_index) SELECT * FROM unnest($1::bytea[]) ON CONFLICT (insz_index) DO NOTHING"
                                         + returning, [.blobs(indexes)])
        }
        // SQLite: OR IGNORE rather than an upsert, which makes SQLite keep a statement journal (a copy of
        // every page the statement changes, in case a later row aborts it): the only constraint a row
        // can meet is the one to skip. 8 % of SQLite's import work (BENCHMARKS.md).
        var rows: [[BulkValue]] = []
        for chunk in indexes.chunked(into: 500) {
            rows += try await bulk(sql, "INSERT OR IGNORE INTO persons (insz_index) VALUES " + Store.placeholders(rows: chunk.count, columns: 1)
                                   + returning, chunk.map { BulkValue.blob($0) })
        }
        return rows
    }

    /// Inserts the record versions not held yet (`persons` and `deliveries` aligned with `records`):
    /// (seq, person id, content hash, delivery id) rows of those inserted.
    func insertRecords(_ sql: any SQLDatabase, _ records: [RecordWriter.PreparedBatch.Record], persons: [Int64],
                       deliveries: [Int64]) async throws -> [[BulkValue]] {
        guard !records.isEmpty else { return [] }
        let target = "INTO source_records (source, record_id, kind, person_id, content_hash, recorded_at, payload_sealed, delivery_id) "
        let returning = " RETURNING seq, person_id, content_hash, delivery_id"
        if dialect == .postgres {
            // An absent recording time is a false flag beside an empty text (arrays carry no NULLs here).
            return try await bulkColumns(sql, "INSERT " + target + """
                SELECT s, r, k, p, h, CASE WHEN g THEN t END, b, d
                FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::bool[], $8::bytea[], $9::bigint[])
                AS u(s, r, k, p, h, t, g, b, d) ON CONFLICT (source, record_id, content_hash) DO NOTHING
                """ + returning, [
                    .texts(records.map(\.source)), .texts(records.map(\.recordID)), .texts(records.map(\.kind)), .integers(persons),
                    .integers(records.map(\.hash)), .texts(records.map { $0.recordedAt ?? "" }), .flags(records.map { $0.recordedAt != nil }),
                    .blobs(records.map(\.payload)), .integers(deliveries),
                ])
        }
        var rows: [[BulkValue]] = []
        for start in stride(from: 0, to: records.count, by: 500) {
            let chunk = start..<min(start + 500, records.count)
            var values: [BulkValue] = []
            values.reserveCapacity(chunk.count * 8)
            for i in chunk {
                let r = records[i]
                values += [.text(r.source), .text(r.recordID), .text(r.kind), .integer(persons[i]), .integer(r.hash),
                           BulkValue(r.recordedAt), .blob(r.payload), .integer(deliveries[i])]
            }
            // OR IGNORE, as for the persons: no statement journal. Every other column is bound non-null.
            rows += try await bulk(sql, "INSERT OR IGNORE " + target + "VALUES " + Store.placeholders(rows: chunk.count, columns: 8)
                                   + returning, values)
        }
        return rows
    }

    /// The ids (the survivor's, for a merged person) of persons already in the store: (id, blind index) rows.
    func existingPersons(_ sql: any SQLDatabase, _ indexes: [Data]) async throws -> [[BulkValue]] {
        guard !indexes.isEmpty else { return [] }
        if dialect == .postgres {
            // One index probe per blind index, as for the held records.
            return try await bulkColumns(sql, """
                SELECT found.person, found.insz_index FROM unnest($1::bytea[]) AS wanted(ix),
                LATERAL (SELECT COALESCE(merged_into, id) AS person, insz_index FROM persons WHERE insz_index = wanted.ix OFFSET 0) AS found
                """, [.blobs(indexes)])
        }
        var rows: [[BulkValue]] = []
        for chunk in indexes.chunked(into: 500) {
            rows += try await bulk(sql, "SELECT COALESCE(merged_into, id), insz_index FROM persons WHERE insz_index IN (\(Store.list(chunk.count)))",
                                   chunk.map { BulkValue.blob($0) })
        }
        return rows
    }

    /// Who holds a version of these records of `source` already: (record id, person id) rows.
    func heldRecords(_ sql: any SQLDatabase, source: String, ids: [String]) async throws -> [[BulkValue]] {
        guard !ids.isEmpty else { return [] }
        if dialect == .postgres {
            // One index probe per id, whatever the planner's statistics say. With `record_id =
            // ANY($2)` and the statistics of the empty table (a first import runs before any
            // analyze), PostgreSQL read every row of the source and compared it with the array: a
            // cost growing with the table, 9.3 of the import benchmark's 38.7 s.
            return try await bulkColumns(sql, """
                SELECT DISTINCT held.record_id, held.person_id FROM unnest($2::text[]) AS wanted(id),
                LATERAL (SELECT record_id, person_id FROM source_records WHERE source = $1 AND record_id = wanted.id OFFSET 0) AS held
                """, [.value(.text(source)), .texts(ids)])
        }
        var rows: [[BulkValue]] = []
        for chunk in ids.chunked(into: 500) {
            rows += try await bulk(sql, "SELECT DISTINCT record_id, person_id FROM source_records WHERE source = ? AND record_id IN ("
                                   + Store.list(chunk.count) + ")", [.text(source)] + chunk.map { BulkValue.text($0) })
        }
        return rows
    }

    /// The pipeline's schedule says who is to be decided again from which day: records arriving make
    /// a person due at once (this date, before any real one); a decision that can change on a later
    /// date (a grace period, the end of compulsory education, a job's end) is a timer on that date.
    static let dueAtOnce = "0001-01-01"

    /// Makes persons due at once (to be decided again before a letter).
    public func markDue(persons: [Int64]) async throws {
        guard !persons.isEmpty else { return }
        try await transaction { sql in try await self.markDue(persons, on: Store.dueAtOnce, sql) }
    }

    /// Makes persons due on `day`, or earlier if they already were.
    func markDue(_ persons: [Int64], on day: String, _ sql: any SQLDatabase) async throws {
        let persons = Array(Set(persons)).sorted()
        let keepEarlier = " ON CONFLICT (person_id) DO UPDATE SET due_on = "
            + "CASE WHEN excluded.due_on < schedule.due_on THEN excluded.due_on ELSE schedule.due_on END"
        if dialect == .postgres {
            guard !persons.isEmpty else { return }
            _ = try await bulkColumns(sql, "INSERT INTO schedule (person_id, due_on) SELECT p, $2 FROM unnest($1::bigint[]) AS u(p)" + keepEarlier,
                                      [.integers(persons), .value(.text(day))])
            return
        }
        for chunk in persons.chunked(into: 500) {
            var values: [BulkValue] = []
            for person in chunk { values += [.integer(person), .text(day)] }
            _ = try await bulk(sql, "INSERT INTO schedule (person_id, due_on) VALUES " + Store.placeholders(rows: chunk.count, columns: 2)
                               + keepEarlier, values)
        }
    }
}

extension Array {
    /// Consecutive slices of at most `size` elements, for statements with a bounded number of binds.
    /// The slices keep the array's indices.
    func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
