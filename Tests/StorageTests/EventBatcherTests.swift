import Domain
import Foundation
import SQLKit
import Storage
import TestSupport
import Testing

/// Group commit for the event intake: requests written together get the outcome each would get
/// written alone, and every accepted record is stored exactly once.
@Suite struct EventBatcherTests {
    func count(_ store: Store, _ query: String) async throws -> Int {
        try await store.sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: query)").first()!.decode(column: "n", as: Int.self)
    }

    /// One enrolment record per serial, as a school's event would carry it.
    func enrolment(_ serial: Int) -> IngestItem {
        let fact = PipelineStoreTests.leaver(serial: serial).facts.first { $0.record.kind == .enrolment }!
        return .record(fact.record, location: "event")
    }

    func rejected(_ recordID: String) -> IngestItem {
        .rejected(Rejection(.invalidDate, field: "start_date", message: "start_date: not a date", location: "event",
                            kind: .enrolment, source: .agodi, recordID: recordID, original: Array("\(recordID),2026-02-30".utf8)))
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentRequestsGetTheOutcomeOfTheirOwnEventsAndHaveOneEffect(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let batcher = EventBatcher(store: store)
            // The writer runs as it does in the server, so that the requests are group-committed.
            async let written = batcher.run()
            while !(await batcher.isRunning) { await Task.yield() }
            // Thirty requests at once: one new event each; two of them repeat an id of another
            // request; one repeats its own id; one carries a record that cannot be read.
            var requests: [[(id: String, items: [IngestItem])]] = (0..<30).map { n in [(id: "ev-\(n)", items: [enrolment(201 + 2 * n)])] }
            requests.append([(id: "ev-3", items: [enrolment(207)])])
            requests.append([(id: "ev-4", items: [enrolment(209)])])
            requests.append([(id: "ev-own", items: [enrolment(301)]), (id: "ev-own", items: [enrolment(301)])])
            requests.append([(id: "ev-bad", items: [rejected("E-BAD")])])
            let outcomes = try await withThrowingTaskGroup(of: (Int, EventIntakeOutcome).self) { group in
                for (index, events) in requests.enumerated() {
                    group.addTask { (index, try await batcher.submit(events, source: .agodi, format: "cloudevents")) }
                }
                var outcomes: [Int: EventIntakeOutcome] = [:]
                for try await (index, outcome) in group { outcomes[index] = outcome }
                return outcomes
            }
            // Every event id is accepted once, whichever request came first; the repeat is a duplicate.
            let all = outcomes.values
            for n in 0..<30 {
                #expect(all.filter { $0.accepted.contains("ev-\(n)") }.count == 1, "ev-\(n) accepted once")
            }
            #expect(all.filter { $0.duplicates.contains("ev-3") }.count == 1)
            #expect(all.filter { $0.duplicates.contains("ev-4") }.count == 1)
            #expect(outcomes[32]?.accepted == ["ev-own"] && outcomes[32]?.duplicates == ["ev-own"], "a repeat within one request")
            #expect(outcomes[33]?.quarantined == ["ev-bad"] && outcomes[33]?.accepted == [])
            for (index, outcome) in outcomes {
                let ids = requests[index].map(\.id)
                #expect((outcome.accepted + outcome.duplicates + outcome.unchanged + outcome.quarantined).sorted() == ids.sorted(),
                        "request \(index) hears about exactly its own events")
            }
            #expect(try await count(store, "events") == 31, "thirty ids and ev-own; ev-bad's id stays free, to be sent again corrected")
            #expect(try await count(store, "source_records") == 31, "one record per accepted event")
            #expect(try await count(store, "quarantine") == 1)
            batcher.finish()
            let held = await written
            #expect(held == 0, "nothing was left waiting when the writer stopped")
            await #expect(throws: StoreError.self, "a request after the stop is refused, not left waiting") {
                try await batcher.submit([(id: "ev-late", items: [enrolment(401)])], source: .agodi, format: "cloudevents")
            }
        }
    }
}
