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
public final class RecordWriter: @unchecked Sendable {
    public let store: Store
    public let deliveryID: Int64
    public private(set) var counts = ImportCounts()
    /// Person ids by blind index, for the persons this delivery has met.
    private var personIDs: [String: Int64] = [:]

    public enum Channel: String, Sendable { case file, event }

    /// Registers the delivery. `name` is what the data steward sees (a file name, an event source).
    public init(store: Store, channel: Channel, name: String, format: String?) async throws {
        self.store = store
        let row = try await store.sql.raw("""
            INSERT INTO deliveries (channel, name, format, started_at, status)
            VALUES (\(bind: channel.rawValue), \(bind: name), \(bind: format), \(bind: storedTimestamp()), 'running')
            RETURNING id
            """).first()
        deliveryID = try row!.decode(column: "id", as: Int64.self)
    }

    struct Prepared: Sendable {
        let record: SourceRecord
        let index: String
        let hash: String
        let payload: String
    }

    /// Stores one batch of items in one transaction.
    public func write(_ items: [IngestItem]) async throws {
        guard !items.isEmpty else { return }
        let keyring = store.keyring
        var prepared: [Prepared] = []
        var rejections: [Rejection] = []
        prepared.reserveCapacity(items.count)
        for item in items {
            switch item {
            case .record(let record, _):
                let canonical = RecordCodec.encode(record)
                prepared.append(Prepared(
                    record: record, index: keyring.inszIndex(record.insz),
                    hash: keyring.blindIndex(canonical, purpose: .recordContent),
                    payload: keyring.seal(canonical, context: "source_records.payload")))
            case .rejected(let rejection):
                rejections.append(rejection)
            }
        }
        let now = storedTimestamp()
        let deliveryID = self.deliveryID
        let known = personIDs
        let dialect = store.dialect
        let batch = prepared
        let rejected = rejections
        let outcome = try await store.transaction { sql in
            try await Self.writeBatch(sql, dialect: dialect, keyring: keyring, prepared: batch, rejections: rejected,
                                      knownPersons: known, deliveryID: deliveryID, now: now)
        }
        personIDs.merge(outcome.persons) { $1 }
        counts.records += items.count
        counts.accepted += outcome.accepted
        counts.corrections += outcome.corrections
        counts.duplicates += prepared.count - outcome.accepted
        counts.quarantined += rejections.count
        for rejection in rejections { counts.quarantinedByReason[rejection.reason.rawValue, default: 0] += 1 }
        if let kind = prepared.first?.record.kind ?? rejections.first?.kind, kindSeen == nil { kindSeen = kind }
        if let source = prepared.first?.record.source, sourceSeen == nil { sourceSeen = source }
    }

    private var kindSeen: RecordKind?
    private var sourceSeen: Source?

    struct BatchOutcome: Sendable {
        var persons: [String: Int64] = [:]
        var accepted = 0
        var corrections = 0
        /// Accepted records, for the caller (e.g. event intake) that wants their sequence numbers.
        var sequences: [Int64] = []
    }

    static func writeBatch(_ sql: any SQLDatabase, dialect: Store.Dialect, keyring: Keyring, prepared: [Prepared],
                           rejections: [Rejection], knownPersons: [String: Int64], deliveryID: Int64,
                           now: String) async throws -> BatchOutcome {
        var outcome = BatchOutcome()
        var persons = knownPersons

        // 1. Persons: create the unknown ones, then learn their ids.
        var unknown: [String: INSZ] = [:]
        for item in prepared where persons[item.index] == nil { unknown[item.index] = item.record.insz }
        for chunk in Array(unknown).chunked(into: 400) {
            var query = SQLQueryString("INSERT INTO persons (insz_index, insz_sealed, audit_subject, created_at) VALUES ")
            query += chunk.map { index, insz in
                "(\(bind: index), \(bind: keyring.seal(insz.digits, context: "persons.insz")), \(bind: keyring.auditSubject(insz)), \(bind: now))" as SQLQueryString
            }.joined(separator: ", ")
            query += " ON CONFLICT (insz_index) DO NOTHING"
            try await sql.raw(query).run()
            let select: SQLQueryString = "SELECT id, insz_index FROM persons WHERE insz_index IN (\(binds: chunk.map(\.key)))"
            for row in try await sql.raw(select).all() {
                let index = try row.decode(column: "insz_index", as: String.self)
                let id = try row.decode(column: "id", as: Int64.self)
                persons[index] = id
                outcome.persons[index] = id
            }
        }

        // 2. Which records are already held (then a new version is a correction), and by whom.
        var heldBy: [String: Set<Int64>] = [:]
        let bySource = Dictionary(grouping: prepared, by: \.record.source)
        for (source, items) in bySource {
            for chunk in Array(Set(items.map(\.record.recordID))).chunked(into: 500) {
                let query: SQLQueryString = """
                    SELECT DISTINCT record_id, person_id FROM source_records
                    WHERE source = \(bind: source.rawValue) AND record_id IN (\(binds: Array(chunk)))
                    """
                for row in try await sql.raw(query).all() {
                    let key = source.rawValue + "\u{1F}" + (try row.decode(column: "record_id", as: String.self))
                    heldBy[key, default: []].insert(try row.decode(column: "person_id", as: Int64.self))
                }
            }
        }

        // 3. The records: a version already held is a duplicate (ON CONFLICT DO NOTHING).
        var due: Set<Int64> = []
        var seenInBatch: Set<String> = []
        for chunk in prepared.chunked(into: 400) {
            var query = SQLQueryString("""
                INSERT INTO source_records (source, record_id, kind, person_id, content_hash, recorded_at, payload_sealed,
                delivery_id, received_at) VALUES
                """)
            query += chunk.map { item in
                let r = item.record
                return "(\(bind: r.source.rawValue), \(bind: r.recordID), \(bind: r.kind.rawValue), \(bind: persons[item.index]!), \(bind: item.hash), \(bind: r.recordedAt), \(bind: item.payload), \(bind: deliveryID), \(bind: now))" as SQLQueryString
            }.joined(separator: ", ")
            query += " ON CONFLICT (source, record_id, content_hash) DO NOTHING RETURNING seq, source, record_id, person_id"
            for row in try await sql.raw(query).all() {
                let key = (try row.decode(column: "source", as: String.self)) + "\u{1F}"
                    + (try row.decode(column: "record_id", as: String.self))
                let person = try row.decode(column: "person_id", as: Int64.self)
                outcome.accepted += 1
                outcome.sequences.append(try row.decode(column: "seq", as: Int64.self))
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
        for chunk in rejections.chunked(into: 200) {
            var query = SQLQueryString("""
                INSERT INTO quarantine (delivery_id, received_at, source, kind, record_id, location, reason, field, message,
                original_sealed, original_bytes) VALUES
                """)
            query += chunk.map { r in
                "(\(bind: deliveryID), \(bind: now), \(bind: r.source?.rawValue), \(bind: r.kind?.rawValue), \(bind: r.recordID), \(bind: r.location), \(bind: r.reason.rawValue), \(bind: r.field), \(bind: r.message), \(bind: keyring.seal(r.original, context: "quarantine.original")), \(bind: r.original.count))" as SQLQueryString
            }.joined(separator: ", ")
            try await sql.raw(query).run()
        }

        // 5. Everyone with a new or corrected record is due for a decision now.
        try await Schedule.markDue(Array(due), on: Schedule.now, sql)
        return outcome
    }

    /// Closes the delivery with its counts.
    public func finish(status: String = "done") async throws {
        try await store.sql.raw("""
            UPDATE deliveries SET finished_at = \(bind: storedTimestamp()), records = \(bind: counts.records),
            accepted = \(bind: counts.accepted), corrections = \(bind: counts.corrections),
            duplicates = \(bind: counts.duplicates), quarantined = \(bind: counts.quarantined), status = \(bind: status),
            kind = \(bind: kindSeen?.rawValue), source = \(bind: sourceSeen?.rawValue)
            WHERE id = \(bind: deliveryID)
            """).run()
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
