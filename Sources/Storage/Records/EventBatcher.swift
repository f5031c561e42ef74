import Domain
import Foundation

/// Group commit for the event intake: requests that arrive while a write is running are written
/// together in the next transaction (one delivery per source), so that hundreds of small requests a
/// second cost tens of transactions, not hundreds. Nobody waits for a timer: a request that finds
/// the writer idle is written at once. Each request still learns its own outcome only after its
/// events are durably stored. If a combined write fails, every request is retried on its own, so
/// one bad request cannot fail the others.
///
/// The writer is `run()`, a long-running loop (the server runs it as a service). Before it starts —
/// in tests, in one-shot tools — each request is written on its own, directly by its caller. After
/// `finish()` the loop writes what it still holds, answers every waiting request and returns; a
/// request that comes later is refused as unavailable (503), so no caller ever hangs.
public actor EventBatcher {
    let store: Store

    struct Pending {
        let events: [(id: String, items: [IngestItem])]
        let source: Source
        let format: String?
        let continuation: CheckedContinuation<EventIntakeOutcome, any Error>
    }

    private enum State { case direct, running, stopped }

    private var state = State.direct
    private var queue: [Pending] = []
    /// Wakes the writer: at most one wake-up waits, however many requests arrived meanwhile.
    private let wakes: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    public init(store: Store) {
        self.store = store
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        wakes = stream
        wake = continuation
    }

    /// Whether `run()` is writing the requests.
    public var isRunning: Bool { state == .running }

    /// Stores one request's events (see `RecordWriter.storeEvents`) and returns its outcome.
    public func submit(_ events: [(id: String, items: [IngestItem])], source: Source, format: String?) async throws -> EventIntakeOutcome {
        switch state {
        case .direct:
            return try await RecordWriter.storeEvents(events, source: source, store: store,
                                                      name: "events from \(source.rawValue)", format: format)
        case .stopped:
            throw StoreError.unavailable("the event intake is shutting down: the events were not stored; send them again")
        case .running:
            return try await withCheckedThrowingContinuation { continuation in
                queue.append(Pending(events: events, source: source, format: format, continuation: continuation))
                VangnetMetrics.eventQueueDepth(queue.count)
                wake.yield()
            }
        }
    }

    /// Writes the submitted requests, group-committed, until `finish()` is called or the task is
    /// cancelled; then writes what it still holds and returns how many requests that was. Run it once.
    @discardableResult
    public func run() async -> Int {
        guard state == .direct else { return 0 }
        state = .running
        for await _ in wakes {
            await drain()
        }
        state = .stopped
        let held = queue.count
        await drain()
        return held
    }

    /// Asks `run()` to stop: it writes what it holds, answers every waiting request, and returns.
    public nonisolated func finish() {
        wake.finish()
    }

    private func drain() async {
        while !queue.isEmpty {
            let batch = queue
            queue = []
            VangnetMetrics.eventQueueDepth(0)
            let store = self.store
            do {
                let outcomes = try await store.transaction { sql in
                    var outcomes = [EventIntakeOutcome?](repeating: nil, count: batch.count)
                    var writers: [Source: RecordWriter] = [:]
                    for group in Self.groups(batch) {
                        let first = batch[group[0]]
                        let writer: RecordWriter
                        if let existing = writers[first.source] {
                            writer = existing
                        } else {
                            writer = RecordWriter(store: store, deliveryID: try await RecordWriter.register(
                                sql, channel: .event, name: "events from \(first.source.rawValue)", format: first.format, at: store.timestamp()))
                            writers[first.source] = writer
                        }
                        let merged = try await writer.storeEvents(group.flatMap { batch[$0].events }, source: first.source, on: sql)
                        for (member, outcome) in zip(group, Self.split(merged, into: group.map { batch[$0].events.map(\.id) })) {
                            outcomes[member] = outcome
                        }
                    }
                    for writer in writers.values { try await writer.finish(on: sql) }
                    return outcomes.map { $0! }
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
    }

    /// The requests written with one set of statements: of one source, in arrival order, as long as
    /// every event id is new within the group (a request repeating an id, its own or another's, starts
    /// a new group, so that each id's outcome stays that of its own request, as if written alone).
    static func groups(_ batch: [Pending]) -> [[Int]] {
        var groups: [[Int]] = []
        var open: [Source: (group: Int, ids: Set<String>)] = [:]
        for (index, pending) in batch.enumerated() {
            let ids = pending.events.map(\.id)
            let unique = Set(ids)
            if unique.count == ids.count, let current = open[pending.source], current.ids.isDisjoint(with: unique) {
                groups[current.group].append(index)
                open[pending.source] = (current.group, current.ids.union(unique))
            } else {
                groups.append([index])
                open[pending.source] = unique.count == ids.count ? (groups.count - 1, unique) : nil
            }
        }
        return groups
    }

    /// One outcome per request, from the outcome of their group (whose event ids are all distinct).
    static func split(_ merged: EventIntakeOutcome, into requests: [[String]]) -> [EventIntakeOutcome] {
        // A request alone (it may repeat its own ids) keeps its outcome as it is.
        if requests.count == 1 { return [merged] }
        enum Kind { case accepted, duplicate, unchanged, quarantined }
        var kinds: [String: Kind] = [:]
        for id in merged.accepted { kinds[id] = .accepted }
        for id in merged.duplicates { kinds[id] = .duplicate }
        for id in merged.unchanged { kinds[id] = .unchanged }
        for id in merged.quarantined { kinds[id] = .quarantined }
        return requests.map { ids in
            var outcome = EventIntakeOutcome()
            for id in ids {
                switch kinds[id] {
                case .accepted: outcome.accepted.append(id)
                case .duplicate, nil: outcome.duplicates.append(id)
                case .unchanged: outcome.unchanged.append(id)
                case .quarantined: outcome.quarantined.append(id)
                }
            }
            return outcome
        }
    }
}
