import Domain
import Foundation
import SQLKit
import Storage
import TestSupport
import Testing
import Workflows

/// Two persons that turn out to be one: merged (a number the register replaced, a steward's
/// decision) with their decisions and cases recomputed, and undone exactly.
@Suite struct PersonMergeTests {
    let steward = Actor(username: "steward", role: .steward, purpose: .dataQuality, requestID: "req-merge")
    let operatorActor = Actor(username: "test", role: .admin, purpose: .subjectAccessRequest)

    /// A pupil known by a BIS number who left school without a qualification.
    func bisPupil(_ bis: INSZ) -> PersonBuilder {
        PersonBuilder(insz: bis)
            .enrolled(from: "2023-09-01", to: "2025-03-10", exit: .pupilOrParents)
            .lives(postcode: "2000", id: "RR-bis")
    }

    /// The register's record of the same person under the national number that replaces it.
    func registerRecord(_ national: INSZ, replacing bis: INSZ) -> IngestItem {
        .record(SourceRecord(source: .populationRegister, recordID: "RR-nat", insz: national, recordedAt: nil, body: .person(PersonRecord(
            firstName: "Amira", lastName: "El Amrani", birthDate: date("2007-05-03"), street: "Kerkstraat", houseNumber: "4",
            postcode: "2000", municipality: "Antwerpen", previousINSZ: bis))), location: "test")
    }

    func count(_ store: Store, _ query: String) async throws -> Int {
        try await store.sql.raw(SQLQueryString(query)).first()?.decode(column: "n", as: Int.self) ?? -1
    }

    @Test(arguments: StoreKind.allCases)
    func aBISNumberReplacedByANationalNumberMergesTheTwoPersonsAndTheUndoSeparatesThemAgain(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let bis = INSZ.make(birthDate: date("2007-05-03"), serial: 123, monthOffset: 40)
            let national = INSZ.make(birthDate: date("2007-05-03"), serial: 125)
            try await deliver([bisPupil(bis)], to: store)
            _ = try await pipeline(store, on: "2025-06-02").run()
            let opened = try #require(try await store.openCases(scope: .all, limit: 5).first)

            // The register replaces the number: the two are one person, whose case goes on.
            try await deliver([registerRecord(national, replacing: bis)], to: store)
            let merging = PersonMerging(merges: store)
            #expect(try await merging.mergeReplacedNumbers() == 1)
            #expect(try await merging.mergeReplacedNumbers() == 0, "once")
            _ = try await pipeline(store, on: "2025-06-03").run()
            let open = try await store.openCases(scope: .all, limit: 5)
            #expect(open.map(\.id) == [opened.id], "the same case goes on, none opened twice")
            let merged = try #require(open.first)
            #expect(try await count(store, "SELECT COUNT(*) AS n FROM decisions") == 1, "one person decided")
            let history = try await store.caseEvents(merged.id).map(\.event)
            #expect(history.contains(.merged(otherCase: nil, closed: false)))
            // Both numbers lead to the one person, with the facts of both.
            let byNational = try #require(try await store.personReport(national, actor: operatorActor))
            #expect(Set(byNational.records.map(\.record.recordID)).isSuperset(of: ["RR-nat", "RR-bis"]))
            // A record that arrives later under the old number follows.
            try await deliver([PersonBuilder(insz: bis).employed(from: "2025-07-01", id: "DIM-late")], to: store)
            #expect(try #require(try await store.personReport(national, actor: operatorActor)).records.contains { $0.record.recordID == "DIM-late" })
            _ = try await pipeline(store, on: "2025-07-02").run()
            try await store.refreshStatistics()
            #expect(try await count(store, "SELECT COUNT(*) AS n FROM stat_persons") == 1, "counted once in the statistics")

            // Undone: two persons again, each with their own records; the case goes back.
            let mergeID = try #require(try await store.recentMerges(limit: 5).first?.merge.id)
            #expect(try await merging.undo(mergeID, by: steward) == .undone)
            #expect(try await merging.undo(mergeID, by: steward) == .notActive)
            _ = try await pipeline(store, on: "2025-07-03").run()
            let afterUndo = try #require(try await store.personReport(national, actor: operatorActor))
            #expect(afterUndo.records.map(\.record.recordID) == ["RR-nat"])
            let bisReport = try #require(try await store.personReport(bis, actor: operatorActor))
            #expect(bisReport.records.contains { $0.record.recordID == "DIM-late" }, "the later record goes back with its number")
            let caseAfter = try #require(try await store.caseSummary(opened.id, scope: .all))
            #expect(caseAfter.personID == opened.personID)
            #expect(try await count(store, "SELECT COUNT(*) AS n FROM decisions") == 2)
            try await store.refreshStatistics()
            #expect(try await count(store, "SELECT COUNT(*) AS n FROM stat_persons") == 2)
            let actions = try await store.auditEntries(limit: 50).map(\.entry.action)
            #expect(actions.contains("person.merge") && actions.contains("person.unmerge"))
            #expect(try await store.verifyAudit().intact)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func theStewardMergesTwoCasesPersonsTheLaterCaseClosesAndTheUndoGivesItBack(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let first = PersonBuilder(born: "2007-02-11", serial: 101).enrolled(from: "2023-09-01", to: "2025-03-10", exit: .pupilOrParents).lives()
            let second = PersonBuilder(born: "2007-02-11", serial: 103).enrolled(from: "2023-09-01", to: "2025-03-12", exit: .pupilOrParents)
                .lives(id: "RR-second")
            try await deliver([first, second], to: store)
            _ = try await pipeline(store, on: "2025-06-02").run()
            let cases = try await store.openCases(scope: .all, limit: 5).sorted { $0.id < $1.id }
            try #require(cases.count == 2)
            let merging = PersonMerging(merges: store)
            let comparison = try await merging.compare(cases[0], cases[1])
            #expect(comparison.probability != nil && !comparison.explanation.isEmpty, "both are in the register: the fields speak")
            let mergeID = try #require(try await merging.merge(cases[0], cases[1], by: steward))
            #expect(try await merging.merge(cases[0], cases[1], by: steward) == nil, "already one person")

            let goingOn = try #require(try await store.caseSummary(cases[0].id, scope: .all))
            let closed = try #require(try await store.caseSummary(cases[1].id, scope: .all))
            #expect(goingOn.isOpen && closed.status == .merged && closed.personID == goingOn.personID)
            #expect(try await store.caseEvents(closed.id).map(\.event).contains(.merged(otherCase: goingOn.id, closed: true)))
            _ = try await pipeline(store, on: "2025-06-03").run()
            #expect(try await store.openCases(scope: .all, limit: 5).map(\.id) == [goingOn.id], "no case opened for the merged person")
            // A team lead cannot reopen a merged case by undoing its closing.
            #expect(throws: CaseRuleViolation.self) { try closed.undoingClosing(backTo: .new, personHasAnotherOpenCase: false) }

            #expect(try await merging.undo(mergeID, by: steward) == .undone)
            _ = try await pipeline(store, on: "2025-06-04").run()
            let reopened = try #require(try await store.caseSummary(cases[1].id, scope: .all))
            #expect(reopened.status == cases[1].status && reopened.isOpen && reopened.personID == cases[1].personID)
            #expect(try await store.openCases(scope: .all, limit: 5).count == 2)
            #expect(try await store.caseEvents(goingOn.id).map(\.event).contains(.mergeUndone(otherCase: cases[1].id)))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aMergeIsUndoneOnlyAfterTheLaterMergeOfItsSurvivor(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let people = [101, 103, 105].map { PersonBuilder(born: "2007-02-11", serial: $0).enrolled(from: "2023-09-01", to: "2025-03-10", exit: .pupilOrParents).lives() }
            try await deliver(people, to: store)
            _ = try await pipeline(store, on: "2025-06-02").run()
            let cases = try await store.openCases(scope: .all, limit: 5).sorted { $0.id < $1.id }
            try #require(cases.count == 3)
            let merging = PersonMerging(merges: store)
            let inner = try #require(try await merging.merge(cases[1], cases[2], by: steward))
            let outer = try #require(try await merging.merge(cases[0], cases[1], by: steward))
            #expect(try await merging.undo(inner, by: steward) == .laterMergeFirst(outer))
            #expect(try await merging.undo(outer, by: steward) == .undone)
            #expect(try await merging.undo(inner, by: steward) == .undone)
            _ = try await pipeline(store, on: "2025-06-03").run()
            #expect(try await store.openCases(scope: .all, limit: 5).count == 3)
            for (index, person) in people.enumerated() {
                let report = try #require(try await store.personReport(person.insz, actor: operatorActor))
                #expect(Set(report.records.map(\.record.insz)) == [person.insz], "person \(index) has only their own records")
            }
        }
    }

    /// A run of replacements is merged together (`mergeReplacements`), as one merge after another
    /// would: a chain within the run (an old BIS number replaced by a newer one, that one by the
    /// national number) ends at one person, each merge has its audit entry, and each undoes exactly.
    @Test(arguments: StoreKind.allCases)
    func aRunOfReplacementsIsMergedTogetherAsOneByOneWouldChainsIncluded(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let born = date("2009-01-02")
            let oldBIS = INSZ.make(birthDate: born, serial: 201, monthOffset: 40)
            let newBIS = INSZ.make(birthDate: born, serial: 203, monthOffset: 40)
            let national = INSZ.make(birthDate: born, serial: 205)
            let otherBIS = INSZ.make(birthDate: born, serial: 207, monthOffset: 40)
            let otherNational = INSZ.make(birthDate: born, serial: 209)
            func register(_ insz: INSZ, replacing previous: INSZ, id: String) -> IngestItem {
                .record(SourceRecord(source: .populationRegister, recordID: id, insz: insz, recordedAt: nil, body: .person(PersonRecord(
                    firstName: "Test", lastName: "Persoon", birthDate: born, street: "Teststraat", houseNumber: "1",
                    postcode: "2000", municipality: "Gemeente", previousINSZ: previous))), location: "test")
            }
            // Pupils still at school: no case on either side.
            try await deliver([PersonBuilder(insz: oldBIS).enrolled(from: "2023-09-01", id: "ENR-old"),
                               PersonBuilder(insz: otherBIS).enrolled(from: "2023-09-01", id: "ENR-other")], to: store)
            _ = try await deliver([register(newBIS, replacing: oldBIS, id: "RR-new"), register(national, replacing: newBIS, id: "RR-nat"),
                                   register(otherNational, replacing: otherBIS, id: "RR-other")], to: store)
            let merging = PersonMerging(merges: store)
            #expect(try await merging.mergeReplacedNumbers() == 3)
            #expect(try await merging.mergeReplacedNumbers() == 0, "once")
            #expect(try await count(store, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'person.merge'") == 3, "one entry per merge")
            let survivor = try await store.person(of: national)
            #expect(try await count(store, "SELECT COUNT(*) AS n FROM persons WHERE merged_into = \(survivor)") == 2, "the chain ends at one person")
            let report = try #require(try await store.personReport(national, actor: operatorActor))
            #expect(Set(report.records.map(\.record.recordID)) == ["ENR-old", "RR-new", "RR-nat"])
            let other = try #require(try await store.personReport(otherNational, actor: operatorActor))
            #expect(Set(other.records.map(\.record.recordID)) == ["ENR-other", "RR-other"])

            // Undone in reverse order, exactly.
            let merges = try await store.recentMerges(limit: 10).map(\.merge)
            let oldPerson = try await store.person(of: oldBIS)
            let first = try #require(merges.first { $0.absorbed == oldPerson })
            let second = try #require(merges.first { $0.survivor == survivor })
            #expect(try await merging.undo(first.id, by: steward) == .laterMergeFirst(second.id))
            #expect(try await merging.undo(second.id, by: steward) == .undone)
            #expect(try await merging.undo(first.id, by: steward) == .undone)
            #expect(Set(try #require(try await store.personReport(oldBIS, actor: operatorActor)).records.map(\.record.recordID)) == ["ENR-old"])
            #expect(Set(try #require(try await store.personReport(national, actor: operatorActor)).records.map(\.record.recordID)) == ["RR-nat"])
            #expect(try await store.verifyAudit().intact)
        }
    }
}
