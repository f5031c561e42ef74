import Domain
import Foundation
import Storage
import TestSupport
import Testing

/// The statistics store follows the records, decisions and case events, and a rebuild agrees with it.
@Suite struct StatisticsStoreTests {
    static func leaver(serial: Int = 101) -> PersonBuilder {
        PersonBuilder(born: "2006-03-14", serial: serial)
            .enrolled(from: "2025-09-01", to: "2026-06-30", exit: .endOfSchoolYear, id: "E\(serial)")
            .lives(postcode: "2000", id: "P\(serial)")
    }

    @Test(arguments: StoreKind.allCases)
    func theStatisticsFollowCasesAndFactsAndARebuildGivesTheSameRows(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await deliver([Self.leaver(), Self.leaver(serial: 103)], to: store)
            try await pipeline(store, on: "2026-11-02").run()
            #expect(try await store.refreshStatistics() == 2)
            #expect(try await store.refreshStatistics() == 0, "nothing new: nobody refreshed")
            let caseID = try #require(try await store.openCases(scope: .all, limit: 1).first?.id)
            _ = try await store.work(on: "2026-11-03").logContact(caseID, channel: .phone, outcome: .reached, note: nil, by: testActor)
            #expect(try await store.refreshStatistics() == 1)

            let rows = try await store.statistics()
            #expect(rows.count == 2)
            #expect(rows.allSatisfy { $0.leftOn == date("2026-06-30") && $0.province == .antwerpen && $0.caseOpenedOn == date("2026-11-02") })
            #expect(rows.allSatisfy { $0.birthMonth == "2006-03" && $0.outcome == "eligible" && !$0.qualified })
            let contacted = try #require(rows.first { $0.contacts == 1 })
            #expect(contacted.firstAttemptOn != nil && contacted.firstReachedOn == contacted.firstAttemptOn)
            // No national number and no internal id: the pseudonym is keyed.
            #expect(rows.allSatisfy { !$0.pseudonym.contains(Self.leaver().insz.digits) && $0.pseudonym.count == 32 })

            // A job arrives: the person's row follows it.
            try await deliver([PersonBuilder(insz: Self.leaver(serial: 103).insz).employed(from: "2026-11-20", id: "D1")], to: store)
            try await pipeline(store, on: "2026-11-21").run()
            #expect(try await store.refreshStatistics() >= 1)
            let after = try await store.statistics()
            #expect(after.contains { $0.offerOn == date("2026-11-20") })

            try await store.rebuildStatistics()
            let rebuilt = try await store.statistics()
            #expect(rebuilt.sorted { $0.pseudonym < $1.pseudonym } == after.sorted { $0.pseudonym < $1.pseudonym })
        }
    }

    @Test(arguments: StoreKind.allCases)
    func theStatisticsKeepOnlyWhatTheyShouldFilteredByProvince(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await deliver([Self.leaver()], to: store)
            try await pipeline(store, on: "2026-11-02").run()
            try await store.rebuildStatistics()
            #expect(try await store.statistics(provinces: [.antwerpen]).count == 1)
            #expect(try await store.statistics(provinces: [.limburg]).isEmpty)
            #expect(try await store.statistics(source: .agodi).count == 1)
        }
    }
}
