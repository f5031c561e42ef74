import Domain
import Foundation
import Letters
import SQLKit
import Storage
import TestSupport
import Testing
import Workflows

/// The daily letter batch on a real store: who gets which letter, decided again first.
@Suite struct LetterBatchTests {
    static func leaver(_ serial: Int, postcode: String) -> PersonBuilder {
        PersonBuilder(born: "2006-03-14", serial: serial)
            .enrolled(from: "2025-09-01", to: "2026-06-30", exit: .endOfSchoolYear, id: "E\(serial)")
            .lives(postcode: postcode, id: "P\(serial)")
    }

    static func work(_ store: Store, on day: String) -> LetterBatchWork {
        LetterBatchWork(letters: store, regions: .demo, settings: .init(), clock: .fixed(date(day)),
                        decideAgain: { persons in
                            try await store.markDue(persons: persons)
                            return try await pipeline(store, on: day).run().casesWithdrawn
                        },
                        sha256: { bytes in String(bytes.count) })
    }

    @Test(arguments: StoreKind.allCases)
    func everyoneIsDecidedAgainAndWhoIsStillToBeReachedGetsALetterInTheirLanguage(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await deliver([Self.leaver(101, postcode: "2000"), Self.leaver(103, postcode: "1000"), Self.leaver(105, postcode: "9000")], to: store)
            try await pipeline(store, on: "2026-11-29").run()
            #expect(try await store.openCases(scope: .all, limit: 10).count == 3)
            // One registers at VDAB before the batch; nobody has decided again yet.
            try await deliver([PersonBuilder(insz: Self.leaver(105, postcode: "9000").insz).registeredAtVDAB(on: "2026-11-30")], to: store)

            let (summary, record) = try await Self.work(store, on: "2026-12-01").make()
            #expect(summary.letters == 2)
            #expect(summary.withdrawn == 1, "decided again first: the registered one gets no letter, and nobody had acted on the case")
            #expect(summary.noLongerEligible == 0)
            #expect(summary.byKind == ["invitation": 2])
            let batch = try #require(record)
            #expect(batch.items.map(\.language).sorted { $0.rawValue < $1.rawValue } == [.fr, .nl], "Brussels in French")
            #expect(batch.manifestCSV.split(separator: "\n").count == 3)
            let statuses = try await store.openCases(scope: .all, limit: 10).map(\.status)
            #expect(statuses.filter { $0 == .invited }.count == 2)
            let events = try await store.caseEvents(batch.items[0].caseID)
            #expect(events.contains { $0.kind == "letter" && $0.data["reference"] == batch.items[0].reference })
            // The code is stored only as a keyed hash.
            let indexes = try await store.sql.raw("SELECT code_index FROM answer_codes").all().map { try $0.decode(column: "code_index", as: String.self) }
            #expect(indexes.count == 2)
            #expect(!indexes.contains(batch.items[0].code.characters))
            let files = try #require(try await store.letterBatchFiles(batch.id))
            #expect(files.pdf.count == batch.pdf.count && files.manifestJSON.contains(batch.items[0].reference))

            // The next day: nothing new to send.
            let (again, none) = try await Self.work(store, on: "2026-12-02").make()
            #expect(none == nil && again.letters == 0)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aReminderGoesAfterTwoWeeksToWhoeverWasNotReached(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await deliver([Self.leaver(101, postcode: "2000"), Self.leaver(103, postcode: "3500")], to: store)
            try await pipeline(store, on: "2026-11-29").run()
            let (first, _) = try await Self.work(store, on: "2026-11-30").make()
            #expect(first.letters == 2)
            let reached = try #require(try await store.openCases(scope: .all, limit: 10).first)
            let consultant = Actor(username: "consultant", role: .teamlead, provinces: Province.allCases, purpose: .caseWork)
            try await store.work(on: "2026-12-03").logContact(reached.id, channel: .phone, outcome: .reached, note: nil, by: consultant)
            #expect(try await Self.work(store, on: "2026-12-10").make().0.letters == 0, "not yet two weeks")
            let (later, record) = try await Self.work(store, on: "2026-12-14").make()
            #expect(later.byKind == ["reminder": 1], "only the one nobody reached")
            #expect(record?.items.first?.caseID != reached.id)
            #expect(record?.items.first?.reference.hasSuffix("-2") == true, "the case's second letter")
        }
    }
}
