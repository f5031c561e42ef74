import Domain
import Foundation
import SQLKit

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
    /// One request's events as one delivery, in one transaction: the delivery row, the event ids,
    /// the records or their quarantine, and the delivery's counts. An id seen before is a duplicate
    /// and has no effect, so an acknowledged event is never lost and never counted twice.
    public static func storeEvents(_ events: [(id: String, items: [IngestItem])], source: Source, store: Store, name: String,
                                   format: String?) async throws -> EventIntakeOutcome {
        try await store.transaction { sql in
            let writer = RecordWriter(store: store, deliveryID: try await register(sql, channel: .event, name: name, format: format,
                                                                                   at: store.timestamp()))
            let outcome = try await writer.storeEvents(events, source: source, on: sql)
            try await writer.finish(on: sql)
            return outcome
        }
    }

    /// Stores events of one source on `sql`, a transaction the caller owns (and commits).
    func storeEvents(_ events: [(id: String, items: [IngestItem])], source: Source, on sql: any SQLDatabase) async throws -> EventIntakeOutcome {
        let store = self.store
        let now = store.timestamp()
        var outcome = EventIntakeOutcome()
        var fresh: Set<String> = []
        for chunk in Set(events.map(\.id)).sorted().chunked(into: 500) {
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
            // An event's records (one, or a notification's several).
            items += event.items
            itemEvents += Array(repeating: event.id, count: event.items.count)
        }
        let batch = prepare(items)
        let known = persons.known(batch.persons)
        let result = try await store.writeBatch(sql, batch: batch, knownPersons: known, deliveryID: deliveryID, now: now)
        persons.remember(batch.persons, ids: result.personIDs, before: known)
        let acceptedHashes = Set(result.acceptedHashes)
        var recordIndex = 0
        // The same record under two ids is stored once: the first id is accepted, the others unchanged.
        var counted: Set<Int64> = []
        for (index, item) in items.enumerated() {
            switch item {
            case .rejected: outcome.quarantined.append(itemEvents[index])
            case .record:
                let record = batch.records[recordIndex]
                recordIndex += 1
                if acceptedHashes.contains(record.hash), counted.insert(record.hash).inserted {
                    outcome.accepted.append(itemEvents[index])
                } else {
                    outcome.unchanged.append(itemEvents[index])
                }
            }
        }
        // An id is taken only by an event that was stored: one whose every record was rejected can be
        // sent again, corrected, under the same id.
        var stored: Set<String> = []
        for (index, item) in items.enumerated() { if case .record = item { stored.insert(itemEvents[index]) } }
        let rejectedOnly = Array(Set(itemEvents).subtracting(stored))
        for chunk in rejectedOnly.chunked(into: 500) {
            _ = try await store.bulk(sql, "DELETE FROM events WHERE source = ? AND event_id IN (\(Store.list(chunk.count)))",
                                     [.text(source.rawValue)] + chunk.map { .text($0) })
        }
        count(batch: batch, outcome: result)
        outcome.accepted = outcome.accepted.uniqued()
        outcome.unchanged = outcome.unchanged.filter { !outcome.accepted.contains($0) }.uniqued()
        outcome.quarantined = outcome.quarantined.uniqued()
        return outcome
    }
}

extension Array where Element: Hashable {
    /// The elements in order, each once.
    func uniqued() -> [Element] {
        var seen: Set<Element> = []
        return filter { seen.insert($0).inserted }
    }
}
