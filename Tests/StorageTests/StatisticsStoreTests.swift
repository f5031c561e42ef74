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

    /// More persons than one chunk, so the rebuild's chunks run side by side: every person once,
    /// the same rows as the refresh that followed the deliveries.
    @Test(arguments: StoreKind.allCases)
    func aRebuildOfManyChunksSideBySideGivesEveryPersonOnce(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let births = ["2006-03-14", "2006-05-02", "2007-01-20"]
            let people = births.flatMap { born in
                stride(from: 1, through: 997, by: 2).map { serial in
                    PersonBuilder(born: born, serial: serial)
                        .enrolled(from: "2025-09-01", to: "2026-06-30", exit: .endOfSchoolYear, id: "E\(born)-\(serial)")
                        .lives(postcode: serial % 3 == 0 ? "3500" : "2000", id: "P\(born)-\(serial)")
                }
            }
            try await deliver(people, to: store)
            try await pipeline(store, on: "2026-11-02").run()
            #expect(try await store.refreshStatistics() == people.count)
            let refreshed = try await store.statistics()
            #expect(try await store.rebuildStatistics(workers: 3) == people.count)
            let rebuilt = try await store.statistics()
            #expect(rebuilt.count == people.count)
            #expect(Set(rebuilt.map(\.pseudonym)).count == people.count)
            #expect(rebuilt.sorted { $0.pseudonym < $1.pseudonym } == refreshed.sorted { $0.pseudonym < $1.pseudonym })
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
