import Domain
import Foundation
import NIOConcurrencyHelpers
import SQLKit

/// Stores one delivery (a file, a batch of events): every record with its source reference, every
/// rejection in quarantine, and the persons to decide again — batch by batch, each batch in one
/// transaction. The same record twice has one effect.
///
/// Each batch is first `prepare`d (validation is done; this seals and hashes, CPU only) and then
/// `store`d (the database): a caller can prepare the next batch while the previous one is stored.
/// That is safe by construction: what identifies the delivery is immutable, and what changes — the
/// person directory and the running tally — is behind a lock.
public final class RecordWriter: Sendable {
    public let store: Store
    public let deliveryID: Int64
    /// Person ids by blind index, shared by the deliveries of one import run.
    let persons: PersonDirectory
    private let tally = NIOLockedValueBox(Tally())

    /// What the stored batches added up to so far.
    private struct Tally: Sendable {
        var counts = ImportCounts()
        /// The kind and source of the first batch that had one, for the delivery row.
        var kind: RecordKind?
        var source: Source?
    }

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
            INSERT INTO deliveries (channel, name, format, started_at, status, owner)
            VALUES (\(bind: channel.rawValue), \(bind: name), \(bind: format), \(bind: at), 'running', \(bind: Store.processOwner))
            RETURNING id
            """).first()
        return try row!.decode(column: "id", as: Int64.self)
    }

    /// What the delivery did so far: the batches stored until now.
    public var counts: ImportCounts { tally.withLockedValue { $0.counts } }

    /// Stores one batch of items in one transaction.
    public func write(_ items: [IngestItem]) async throws {
        try await store(prepare(items))
    }

    /// Stores a prepared batch in one transaction; returns the sequence numbers of the accepted records.
    @discardableResult
    public func store(_ batch: PreparedBatch) async throws -> [Int64] {
        guard batch.items > 0 else { return [] }
        let store = self.store
        let deliveryID = self.deliveryID
        let now = store.timestamp()
        let known = persons.known(batch.persons)
        let outcome = try await store.transaction { sql in
            try await store.writeBatch(sql, batch: batch, knownPersons: known, deliveryID: deliveryID, now: now)
        }
        persons.remember(batch.persons, ids: outcome.personIDs, before: known)
        count(batch: batch, outcome: outcome)
        return outcome.sequences
    }

    /// Adds a stored batch to the delivery's tally.
    func count(batch: PreparedBatch, outcome: BatchOutcome) {
        VangnetMetrics.recordsStored(source: batch.source?.rawValue, new: outcome.accepted - outcome.corrections,
                                     corrections: outcome.corrections, duplicates: batch.records.count - outcome.accepted,
                                     quarantineReasons: outcome.newRejectionReasons)
        tally.withLockedValue { tally in
            tally.counts.records += batch.items
            tally.counts.accepted += outcome.accepted
            tally.counts.corrections += outcome.corrections
            // A rejection quarantined before is a duplicate too (the same record, the same fault).
            tally.counts.duplicates += batch.records.count - outcome.accepted + outcome.repeatedRejections
            tally.counts.quarantined += batch.rejections.count - outcome.repeatedRejections
            for reason in outcome.newRejectionReasons { tally.counts.quarantinedByReason[reason, default: 0] += 1 }
            if tally.kind == nil { tally.kind = batch.kind }
            if tally.source == nil { tally.source = batch.source }
        }
    }

    /// Closes the delivery with its counts.
    public func finish(status: String = "done") async throws {
        try await finish(on: store.sql, status: status)
    }

    func finish(on sql: any SQLDatabase, status: String = "done") async throws {
        let totals = tally.withLockedValue { $0 }
        let counts = totals.counts
        try await sql.raw("""
            UPDATE deliveries SET finished_at = \(bind: store.timestamp()), records = \(bind: counts.records),
            accepted = \(bind: counts.accepted), corrections = \(bind: counts.corrections),
            duplicates = \(bind: counts.duplicates), quarantined = \(bind: counts.quarantined), status = \(bind: status),
            kind = \(bind: totals.kind?.rawValue), source = \(bind: totals.source?.rawValue)
            WHERE id = \(bind: deliveryID)
            """).run()
        // A completed re-run of the same file completes the deliveries of it that were interrupted.
        if status == "done" {
            try await sql.raw("""
                UPDATE deliveries SET status = 'superseded' WHERE status = 'interrupted' AND name = (SELECT name FROM deliveries WHERE id = \(bind: deliveryID))
                AND channel = 'file'
                """).run()
        }
    }
}
