import Domain
import Foundation

/// Group commit for the event intake: requests that arrive while a write is running are written
/// together in the next transaction (one delivery per source), so that hundreds of small requests a
/// second cost tens of transactions, not hundreds. Nobody waits for a timer: a request that finds
/// the writer idle is written at once. Each request still learns its own outcome only after its
/// events are durably stored. If a combined write fails, every request is retried on its own, so
/// one bad request cannot fail the others.
public actor EventBatcher {
    let store: Store

    struct Pending {
        let events: [(id: String, item: IngestItem)]
        let source: Source
        let format: String?
        let continuation: CheckedContinuation<EventIntakeOutcome, any Error>
    }

    private var queue: [Pending] = []
    private var writing = false

    public init(store: Store) {
        self.store = store
    }

    /// Stores one request's events (see `RecordWriter.storeEvents`) and returns its outcome.
    public func submit(_ events: [(id: String, item: IngestItem)], source: Source, format: String?) async throws -> EventIntakeOutcome {
        try await withCheckedThrowingContinuation { continuation in
            queue.append(Pending(events: events, source: source, format: format, continuation: continuation))
            if !writing {
                writing = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !queue.isEmpty {
            let batch = queue
            queue = []
            let store = self.store
            do {
                let outcomes = try await store.transaction { sql in
                    var outcomes: [EventIntakeOutcome] = []
                    var writers: [Source: RecordWriter] = [:]
                    for pending in batch {
                        let writer: RecordWriter
                        if let existing = writers[pending.source] {
                            writer = existing
                        } else {
                            writer = RecordWriter(store: store, deliveryID: try await RecordWriter.register(
                                sql, channel: .event, name: "events from \(pending.source.rawValue)", format: pending.format))
                            writers[pending.source] = writer
                        }
                        outcomes.append(try await writer.storeEvents(pending.events, source: pending.source, on: sql))
                    }
                    for writer in writers.values { try await writer.finish(on: sql) }
                    return outcomes
                }
                for (pending, outcome) in zip(batch, outcomes) { pending.continuation.resume(returning: outcome) }
            } catch {
                for pending in batch {
                    do {
                        let outcome = try await RecordWriter.storeEvents(pending.events, source: pending.source, store: store,
                                                                         name: "events from \(pending.source.rawValue)", format: pending.format)
                        pending.continuation.resume(returning: outcome)
                    } catch {
                        pending.continuation.resume(throwing: error)
                    }
                }
            }
        }
        writing = false
    }
}
