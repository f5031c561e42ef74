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

    /// Every figure is about school leavers or persons with a case, so nobody else gets a row (at
    /// ten school years nine persons in ten, whom a rebuild no longer reads). A person who had a
    /// row and leaves the figures keeps it, brought up to date, out of every count.
    @Test(arguments: StoreKind.allCases)
    func onlyLeaversAndPersonsWithACaseHaveARow(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let pupil = PersonBuilder(born: "2009-04-21", serial: 301).enrolled(from: "2025-09-01", id: "E301").lives(postcode: "2000", id: "P301")
            try await deliver([Self.leaver(), pupil], to: store)
            try await pipeline(store, on: "2026-11-02").run()
            #expect(try await store.refreshStatistics() == 2, "both persons were looked at")
            #expect(try await store.statistics().count == 1, "the pupil still at school has no row")
            #expect(try await store.rebuildStatistics() == 1)
            #expect(try await store.statistics().count == 1)

            // The pupil leaves school with a diploma: a row, counted among the qualified leavers.
            try await deliver([PersonBuilder(insz: pupil.insz).enrolled(from: "2025-09-01", to: "2026-06-30", exit: .endOfSchoolYear, id: "E301")
                .qualified(on: "2026-06-30", id: "Q301")], to: store)
            try await pipeline(store, on: "2026-11-03").run()
            try await store.refreshStatistics()
            #expect(try await store.statistics().count == 2)
            #expect(try await store.qualifiedLeavers(StatisticsFilter(), split: .province) == ["antwerpen": 1])

            // The school withdraws the leaving (the pupil is enrolled after all): the row is kept
            // up to date, so the pupil is counted nowhere any more.
            try await deliver([PersonBuilder(insz: pupil.insz).enrolled(from: "2025-09-02", id: "E301")], to: store)
            try await pipeline(store, on: "2026-11-04").run()
            try await store.refreshStatistics()
            #expect(try await store.statistics().count == 1)
            #expect(try await store.qualifiedLeavers(StatisticsFilter(), split: .province) == [:])
            #expect(try await store.rebuildStatistics() == 1)
        }
    }

    /// The qualified leavers' counts per day (`stat_leaver_counts`) agree with the persons' rows,
    /// for every split and filter: after a first refresh, after a correction moves a leaver to
    /// another day, and after a rebuild.
    @Test(arguments: StoreKind.allCases)
    func theQualifiedLeaversCountsAgreeWithThePersonsRows(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            func qualifiedLeaver(_ serial: Int, postcode: String, left: String = "2026-06-30") -> PersonBuilder {
                PersonBuilder(born: "2007-02-11", serial: serial)
                    .enrolled(from: "2025-09-01", to: left, exit: .endOfSchoolYear, id: "E\(serial)")
                    .qualified(on: left, id: "Q\(serial)")
                    .lives(postcode: postcode, id: "P\(serial)")
            }
            func expectAgreement(_ when: Comment) async throws {
                let rows = try await store.statistics().filter { $0.qualified && $0.caseOpenedOn == nil }
                for filter in [StatisticsFilter(), StatisticsFilter(from: date("2026-06-01"), to: date("2026-06-30")),
                               StatisticsFilter(provinces: [.limburg]), StatisticsFilter(source: .agodi, track: .bso)] {
                    for split in StatisticsSplit.allCases {
                        let expected = Dictionary(grouping: rows.filter(filter.includes), by: split.key).mapValues(\.count)
                        #expect(try await store.qualifiedLeavers(filter, split: split) == expected, when)
                    }
                }
            }
            try await deliver([qualifiedLeaver(101, postcode: "2000"), qualifiedLeaver(103, postcode: "3500"),
                               qualifiedLeaver(105, postcode: "3500", left: "2026-05-15"), Self.leaver(serial: 107)], to: store)
            try await pipeline(store, on: "2026-11-02").run()
            try await store.refreshStatistics()
            #expect(try await store.qualifiedLeavers(StatisticsFilter(), split: .province) == ["antwerpen": 1, "limburg": 2])
            try await expectAgreement("after the first refresh")

            // The school corrects a leaving date: the leaver counts on the new day, no longer on the old one.
            let moved = qualifiedLeaver(103, postcode: "3500")
            try await deliver([PersonBuilder(insz: moved.insz).enrolled(from: "2025-09-01", to: "2026-04-30", exit: .endOfSchoolYear, id: "E103")],
                              to: store)
            try await pipeline(store, on: "2026-11-03").run()
            try await store.refreshStatistics()
            #expect(try await store.qualifiedLeavers(StatisticsFilter(), split: .month) == ["2026-04": 1, "2026-05": 1, "2026-06": 1])
            try await expectAgreement("after a correction")

            try await store.rebuildStatistics()
            try await expectAgreement("after a rebuild")
        }
    }

    /// The dashboard's rows kept in memory (`StatisticsMirror`) are what the store holds after
    /// every kind of write: new rows, a changed row, a row that leaves the dashboard's rows (a
    /// pending leaver whose certificate arrives), and a rebuild.
    @Test(arguments: StoreKind.allCases)
    func theDashboardsRowsInMemoryFollowEveryWrite(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let mirror = StatisticsMirror(store: store)
            func expectSame(_ when: Comment) async throws -> Int {
                let expected = try await store.statistics(qualified: false).sorted { $0.pseudonym < $1.pseudonym }
                let held = try await mirror.rows().sorted { $0.pseudonym < $1.pseudonym }
                #expect(held == expected, when)
                return expected.count
            }
            #expect(try await expectSame("nothing yet") == 0)
            let late = PersonBuilder(born: "2007-08-09", serial: 211)
                .enrolled(from: "2025-09-01", to: "2026-10-28", exit: .pupilOrParents, id: "E211").lives(postcode: "9000", id: "P211")
            try await deliver([Self.leaver(), Self.leaver(serial: 103), late], to: store)
            try await pipeline(store, on: "2026-11-02").run()
            try await store.refreshStatistics()
            #expect(try await expectSame("after the first refresh") == 3)

            let caseID = try #require(try await store.openCases(scope: .all, limit: 1).first?.id)
            _ = try await store.work(on: "2026-11-03").logContact(caseID, channel: .phone, outcome: .reached, note: nil, by: testActor)
            try await store.refreshStatistics()
            #expect(try await expectSame("after a contact") == 3)
            #expect(try await mirror.rows().contains { $0.contacts == 1 })

            try await deliver([PersonBuilder(insz: late.insz).qualified(on: "2026-10-30", id: "Q211")], to: store)
            try await pipeline(store, on: "2026-11-04").run()
            try await store.refreshStatistics()
            #expect(try await expectSame("after the late leaver's certificate") == 2)

            try await store.rebuildStatistics()
            #expect(try await expectSame("after a rebuild") == 2)
        }
    }
}
