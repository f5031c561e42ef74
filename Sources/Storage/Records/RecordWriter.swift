import Domain
import Foundation
import Privacy
import SQLKit

/// What an import did — always adds up: records = accepted + duplicates + quarantined.
public struct ImportCounts: Codable, Sendable, Equatable {
    /// Records (and whole files) read.
    public var records = 0
    /// New records and corrections stored.
    public var accepted = 0
    /// Of the accepted, how many were corrections of a record already held.
    public var corrections = 0
    /// Records already held with the same content: stored once, no effect.
    public var duplicates = 0
    public var quarantined = 0
    /// Quarantined records by reason code.
    public var quarantinedByReason: [String: Int] = [:]

    public init() {}

    public var addsUp: Bool { records == accepted + duplicates + quarantined }

    public static func + (lhs: ImportCounts, rhs: ImportCounts) -> ImportCounts {
        var sum = lhs
        sum.records += rhs.records
        sum.accepted += rhs.accepted
        sum.corrections += rhs.corrections
        sum.duplicates += rhs.duplicates
        sum.quarantined += rhs.quarantined
        sum.quarantinedByReason.merge(rhs.quarantinedByReason, uniquingKeysWith: +)
        return sum
    }

    enum CodingKeys: String, CodingKey {
        case records, accepted, corrections, duplicates, quarantined
        case quarantinedByReason = "quarantined_by_reason"
    }
}

/// Stores one delivery (a file, a batch of events): every record with its source reference, every
/// rejection in quarantine, and the persons to decide again — batch by batch, each batch in one
/// transaction. The same record twice has one effect.
///
/// Each batch is first `prepare`d (validation is done; this seals and hashes, CPU only) and then
/// `store`d (the database): a caller can prepare the next batch while the previous one is stored.
public final class RecordWriter: @unchecked Sendable {
    public let store: Store
    public let deliveryID: Int64
    public internal(set) var counts = ImportCounts()
    /// Person ids by blind index, shared by the deliveries of one import run.
    let persons: PersonDirectory
    var kindSeen: RecordKind?
    var sourceSeen: Source?

    public enum Channel: String, Sendable { case file, event }

    /// Registers the delivery. `name` is what the data steward sees (a file name, an event source).
    /// Writers of one import run share a `PersonDirectory`, so a person is looked up once.
    public init(store: Store, channel: Channel, name: String, format: String?, persons: PersonDirectory = PersonDirectory()) async throws {
        self.store = store
        self.persons = persons
        deliveryID = try await Self.register(store.sql, channel: channel, name: name, format: format, at: store.timestamp())
    }

    /// A writer for a delivery registered inside the caller's transaction.
    init(store: Store, deliveryID: Int64) {
        self.store = store
        self.persons = PersonDirectory()
        self.deliveryID = deliveryID
    }

    static func register(_ sql: any SQLDatabase, channel: Channel, name: String, format: String?, at: String) async throws -> Int64 {
        let row = try await sql.raw("""
            INSERT INTO deliveries (channel, name, format, started_at, status)
            VALUES (\(bind: channel.rawValue), \(bind: name), \(bind: format), \(bind: at), 'running')
            RETURNING id
            """).first()
        return try row!.decode(column: "id", as: Int64.self)
    }

    /// A batch ready to store: sealed, hashed, nothing personal in the clear.
    public struct PreparedBatch: Sendable {
        struct Record: Sendable {
            let source: String
            let recordID: String
            let kind: String
            let index: Data
            let hash: Int64
            let recordedAt: String?
            let payload: Data
        }

        struct NewPerson: Sendable {
            let index: Data
        }

        let records: [Record]
        let persons: [NewPerson]
        let rejections: [Rejection]
        let items: Int
        let kind: RecordKind?
        let source: Source?
    }

    /// Seals and hashes a batch. Pure CPU work, spread over the cores; safe to run while the
    /// previous batch is stored.
    public func prepare(_ items: [IngestItem]) -> PreparedBatch {
        let keyring = store.keyring
        let parts = 1
        let size = (items.count + parts - 1) / parts
        let results = PrepareResults(parts: parts)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            var records: [PreparedBatch.Record] = []
            var rejections: [Rejection] = []
            records.reserveCapacity(size)
            for item in items[min(items.count, part * size)..<min(items.count, (part + 1) * size)] {
                switch item {
                case .record(let record, _):
                    let canonical = RecordCodec.encode(record)
                    records.append(PreparedBatch.Record(
                        source: record.source.rawValue, recordID: record.recordID, kind: record.kind.rawValue,
                        index: keyring.inszIndex(record.insz), hash: keyring.contentHash(canonical), recordedAt: record.recordedAt,
                        payload: keyring.seal(canonical, context: "source_records.payload")))
                case .rejected(let rejection):
                    rejections.append(rejection)
                }
            }
            results.set(part, records, rejections)
        }
        let records = results.records.flatMap { $0 }
        var seen: Set<Data> = []
        let persons = records.compactMap { seen.insert($0.index).inserted ? PreparedBatch.NewPerson(index: $0.index) : nil }
        var first: SourceRecord?
        for item in items { if case .record(let r, _) = item { first = r; break } }
        let rejections = results.rejections.flatMap { $0 }
        return PreparedBatch(records: records, persons: persons, rejections: rejections, items: items.count,
                             kind: first?.kind ?? rejections.first?.kind, source: first?.source)
    }

    /// Per-part results of `prepare`, each part written by one thread.
    private final class PrepareResults: @unchecked Sendable {
        var records: [[PreparedBatch.Record]]
        var rejections: [[Rejection]]
        let lock = NSLock()

        init(parts: Int) {
            records = Array(repeating: [], count: parts)
            rejections = Array(repeating: [], count: parts)
        }

        func set(_ part: Int, _ records: [PreparedBatch.Record], _ rejections: [Rejection]) {
            lock.lock()
            self.records[part] = records
            self.rejections[part] = rejections
            lock.unlock()
        }
    }

    /// Stores one batch of items in one transaction.
    public func write(_ items: [IngestItem]) async throws {
        try await store(prepare(items))
    }

    /// Stores a prepared batch in one transaction; returns the sequence numbers of the accepted records.
    @discardableResult
    public func store(_ batch: PreparedBatch) async throws -> [Int64] {
        guard batch.items > 0 else { return [] }
        let now = store.timestamp()
        let deliveryID = self.deliveryID
        var known: [Data: Int64] = [:]
        var unknown: [PreparedBatch.NewPerson] = []
        for person in batch.persons {
            if let id = persons.id(person.index) { known[person.index] = id } else { unknown.append(person) }
        }
        let store = self.store
        let knownPersons = known
        let newPersons = unknown
        let outcome = try await store.transaction { sql in
            try await store.writeBatch(sql, batch: batch, knownPersons: knownPersons, newPersons: newPersons,
                                       deliveryID: deliveryID, now: now)
        }
        persons.remember(outcome.persons)
        count(batch: batch, outcome: outcome)
        return outcome.sequences
    }

    func count(batch: PreparedBatch, outcome: BatchOutcome) {
        counts.records += batch.items
        counts.accepted += outcome.accepted
        counts.corrections += outcome.corrections
        counts.duplicates += batch.records.count - outcome.accepted
        counts.quarantined += batch.rejections.count
        for rejection in batch.rejections { counts.quarantinedByReason[rejection.reason.rawValue, default: 0] += 1 }
        if kindSeen == nil { kindSeen = batch.kind }
        if sourceSeen == nil { sourceSeen = batch.source }
    }

    /// Closes the delivery with its counts.
    public func finish(status: String = "done") async throws {
        try await finish(on: store.sql, status: status)
    }

    func finish(on sql: any SQLDatabase, status: String = "done") async throws {
        try await sql.raw("""
            UPDATE deliveries SET finished_at = \(bind: store.timestamp()), records = \(bind: counts.records),
            accepted = \(bind: counts.accepted), corrections = \(bind: counts.corrections),
            duplicates = \(bind: counts.duplicates), quarantined = \(bind: counts.quarantined), status = \(bind: status),
            kind = \(bind: kindSeen?.rawValue), source = \(bind: sourceSeen?.rawValue)
            WHERE id = \(bind: deliveryID)
            """).run()
    }
}

struct BatchOutcome: Sendable {
    var persons: [Data: Int64] = [:]
    var accepted = 0
    var corrections = 0
    var sequences: [Int64] = []
    var acceptedHashes: [Int64] = []
}

extension Store {
    func writeBatch(_ sql: any SQLDatabase, batch: RecordWriter.PreparedBatch, knownPersons: [Data: Int64],
                    newPersons: [RecordWriter.PreparedBatch.NewPerson], deliveryID: Int64, now: String) async throws -> BatchOutcome {
        var outcome = BatchOutcome()
        var persons = knownPersons

        // 1. Persons: create the unknown ones (learning their ids), then look up those that existed.
        for chunk in newPersons.chunked(into: 500) {
            var missing = Set(chunk.map(\.index))
            let created = try await bulk(sql, "INSERT INTO persons (insz_index) VALUES " + Store.placeholders(rows: chunk.count, columns: 1)
                                         + " ON CONFLICT (insz_index) DO NOTHING RETURNING id, insz_index", chunk.map { .blob($0.index) })
            var rows = created
            for row in created { missing.remove(row[1].blob!) }
            if !missing.isEmpty {
                rows += try await bulk(sql, "SELECT id, insz_index FROM persons WHERE insz_index IN (\(Store.list(missing.count)))",
                                       missing.map { .blob($0) })
            }
            for row in rows {
                let id = row[0].integer!
                let index = row[1].blob!
                persons[index] = id
                outcome.persons[index] = id
            }
        }

        // 2. Which records are already held (then a new version is a correction), and by whom.
        var heldBy: [String: Set<Int64>] = [:]
        for (source, items) in Dictionary(grouping: batch.records, by: \.source) {
            for chunk in Array(Set(items.map(\.recordID))).chunked(into: 500) {
                let rows = try await bulk(sql, "SELECT DISTINCT record_id, person_id FROM source_records WHERE source = ? AND record_id IN ("
                                          + Store.list(chunk.count) + ")", [.text(source)] + chunk.map { .text($0) })
                for row in rows { heldBy[source + "\u{1F}" + row[0].text!, default: []].insert(row[1].integer!) }
            }
        }

        // 3. The records: a version already held is a duplicate (ON CONFLICT DO NOTHING).
        var due: Set<Int64> = []
        var seenInBatch: Set<String> = []
        for chunk in batch.records.chunked(into: 500) {
            var values: [BulkValue] = []
            values.reserveCapacity(chunk.count * 8)
            var byHash: [Int64: [Int]] = [:]
            for (offset, r) in chunk.enumerated() {
                values += [.text(r.source), .text(r.recordID), .text(r.kind), .integer(persons[r.index]!), .integer(r.hash),
                           BulkValue(r.recordedAt), .blob(r.payload), .integer(deliveryID)]
                byHash[r.hash, default: []].append(chunk.startIndex + offset)
            }
            let rows = try await bulk(sql, """
                INSERT INTO source_records (source, record_id, kind, person_id, content_hash, recorded_at, payload_sealed,
                delivery_id) VALUES \(Store.placeholders(rows: chunk.count, columns: 8))
                ON CONFLICT (source, record_id, content_hash) DO NOTHING RETURNING seq, person_id, content_hash
                """, values)
            for row in rows {
                // The content hash (with the person) finds the record this row came from.
                let person = row[1].integer!
                guard let position = byHash[row[2].integer!]?.first(where: { persons[batch.records[$0].index] == person }) else { continue }
                let record = batch.records[position]
                let key = record.source + "\u{1F}" + record.recordID
                outcome.accepted += 1
                outcome.sequences.append(row[0].integer!)
                outcome.acceptedHashes.append(record.hash)
                due.insert(person)
                if let holders = heldBy[key] {
                    outcome.corrections += 1
                    due.formUnion(holders)
                } else if !seenInBatch.insert(key).inserted {
                    outcome.corrections += 1
                }
            }
        }

        // 4. Quarantine: reason, field, location, and the original bytes, sealed.
        for chunk in batch.rejections.chunked(into: 200) {
            var values: [BulkValue] = []
            for r in chunk {
                values += [.integer(deliveryID), .text(now), BulkValue(r.source?.rawValue), BulkValue(r.kind?.rawValue),
                           BulkValue(r.recordID), .text(r.location), .text(r.reason.rawValue), BulkValue(r.field), .text(r.message),
                           .blob(keyring.seal(r.original, context: "quarantine.original")), .integer(Int64(r.original.count))]
            }
            _ = try await bulk(sql, """
                INSERT INTO quarantine (delivery_id, received_at, source, kind, record_id, location, reason, field, message,
                original_sealed, original_bytes) VALUES \(Store.placeholders(rows: chunk.count, columns: 11))
                """, values)
        }

        // 5. Everyone with a new or corrected record is due for a decision now.
        try await markDue(Array(due), on: Schedule.now, sql)
        return outcome
    }

    /// Makes persons due on `day`, or earlier if they already were.
    func markDue(_ persons: [Int64], on day: String, _ sql: any SQLDatabase) async throws {
        for chunk in persons.sorted().chunked(into: 500) {
            var values: [BulkValue] = []
            for person in chunk { values += [.integer(person), .text(day)] }
            _ = try await bulk(sql, "INSERT INTO schedule (person_id, due_on) VALUES " + Store.placeholders(rows: chunk.count, columns: 2)
                               + " ON CONFLICT (person_id) DO UPDATE SET due_on = "
                               + "CASE WHEN excluded.due_on < schedule.due_on THEN excluded.due_on ELSE schedule.due_on END", values)
        }
    }
}

extension Array {
    func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

extension ArraySlice {
    func map<T>(_ transform: (Element) throws -> T) rethrows -> [T] {
        var result: [T] = []
        result.reserveCapacity(count)
        for element in self { result.append(try transform(element)) }
        return result
    }
}

/// Person ids by blind index, remembered across the files of one import run (so the persons file
/// after the enrolment file needs no look-up at all). About 50 MB for all of Flanders.
public final class PersonDirectory: @unchecked Sendable {
    private var ids: [Data: Int64] = [:]
    private let lock = NSLock()

    public init() {}

    func id(_ index: Data) -> Int64? {
        lock.lock()
        defer { lock.unlock() }
        return ids[index]
    }

    func remember(_ found: [Data: Int64]) {
        lock.lock()
        ids.merge(found) { $1 }
        lock.unlock()
    }
}

/// What an event delivery did, per event id.
public struct EventIntakeOutcome: Sendable, Codable, Equatable {
    /// Events whose record was stored (new or a correction).
    public var accepted: [String] = []
    /// Events already received before (the same id): no effect.
    public var duplicates: [String] = []
    /// Events whose record was already held with the same content.
    public var unchanged: [String] = []
    /// Events kept in quarantine.
    public var quarantined: [String] = []
}

extension RecordWriter {
    /// Stores events of one source atomically with their ids: an id seen before is a duplicate and
    /// has no effect; the records of new ones are stored (or quarantined) in the same transaction,
    /// so an acknowledged event is never lost and never counted twice.
    /// One request's events as one delivery, in one transaction: the delivery row, the event ids,
    /// the records or their quarantine, and the delivery's counts.
    public static func storeEvents(_ events: [(id: String, item: IngestItem)], source: Source, store: Store, name: String,
                                   format: String?) async throws -> EventIntakeOutcome {
        try await store.transaction { sql in
            let writer = RecordWriter(store: store, deliveryID: try await register(sql, channel: .event, name: name, format: format,
                                                                                               at: store.timestamp()))
            let outcome = try await writer.storeEvents(events, source: source, on: sql)
            try await writer.finish(on: sql)
            return outcome
        }
    }

    func storeEvents(_ events: [(id: String, item: IngestItem)], source: Source, on sql: any SQLDatabase) async throws -> EventIntakeOutcome {
        let store = self.store
        let deliveryID = self.deliveryID
        let now = store.timestamp()
        let writer = self
        do {
            var outcome = EventIntakeOutcome()
            var fresh: Set<String> = []
            for chunk in Array(Set(events.map(\.id))).sorted().chunked(into: 500) {
                var values: [BulkValue] = []
                for id in chunk { values += [.text(source.rawValue), .text(id), .text(now), .integer(deliveryID)] }
                for row in try await store.bulk(sql, "INSERT INTO events (source, event_id, received_at, delivery_id) VALUES "
                                                + Store.placeholders(rows: chunk.count, columns: 4)
                                                + " ON CONFLICT (source, event_id) DO NOTHING RETURNING event_id", values) {
                    fresh.insert(row[0].text!)
                }
            }
            var items: [IngestItem] = []
            var itemEvents: [String] = []
            var taken: Set<String> = []
            for event in events {
                guard fresh.contains(event.id), taken.insert(event.id).inserted else { outcome.duplicates.append(event.id); continue }
                items.append(event.item)
                itemEvents.append(event.id)
            }
            let batch = writer.prepare(items)
            var known: [Data: Int64] = [:]
            var unknown: [PreparedBatch.NewPerson] = []
            for person in batch.persons {
                if let id = writer.persons.id(person.index) { known[person.index] = id } else { unknown.append(person) }
            }
            let result = try await store.writeBatch(sql, batch: batch, knownPersons: known, newPersons: unknown,
                                                    deliveryID: deliveryID, now: now)
            writer.persons.remember(result.persons)
            let acceptedHashes = Set(result.acceptedHashes)
            var recordIndex = 0
            for (index, item) in items.enumerated() {
                switch item {
                case .rejected: outcome.quarantined.append(itemEvents[index])
                case .record:
                    let record = batch.records[recordIndex]
                    recordIndex += 1
                    if acceptedHashes.contains(record.hash) { outcome.accepted.append(itemEvents[index]) } else { outcome.unchanged.append(itemEvents[index]) }
                }
            }
            writer.count(batch: batch, outcome: result)
            return outcome
        }
    }
}
