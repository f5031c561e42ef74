import Domain
import Foundation
@testable import Storage
import TestSupport
import Testing

/// A case list shows each young person from their records; what it showed is kept between
/// requests (`CaseListPeople`) only while those records and the day are the same.
@Suite struct CaseListPeopleTests {
    static let today = date("2026-11-29")

    static func leaver(serial: Int) -> PersonBuilder {
        PersonBuilder(born: "2006-03-14", serial: serial)
            .enrolled(from: "2025-09-01", to: "2026-06-30", exit: .endOfSchoolYear, id: "E\(serial)")
            .lives(postcode: "2000", id: "P\(serial)")
    }

    @Test(arguments: StoreKind.allCases)
    func aListShowsThePersonAsTheirRecordsAreNowAndOpensThemOnlyWhenTheyChanged(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await deliver([Self.leaver(serial: 1), Self.leaver(serial: 2)], to: store)
            _ = try await pipeline(store, on: Self.today.iso).run()
            let cases = try await store.openCases(scope: .all, limit: 10)
            #expect(cases.count == 2)

            let first = try await store.withPeople(cases, today: Self.today)
            #expect(first.allSatisfy { $0.name == "Test Persoon" && $0.municipality == "Gemeente" && $0.age == 20 && $0.subject != nil })
            #expect(store.caseListPeople.made == 2)
            let again = try await store.withPeople(cases, today: Self.today)
            #expect(again == first, "the same list")
            #expect(store.caseListPeople.made == 2, "without opening a record again")

            // The register corrects one person's record: that person is read again, the other not.
            let moved = PersonBuilder(born: "2006-03-14", serial: 1).adding(.person(PersonRecord(
                firstName: "Test", lastName: "Persoon-Nieuw", birthDate: date("2006-03-14"), street: "Kerkstraat", houseNumber: "2",
                postcode: "9100", municipality: "Sint-Niklaas")), source: .populationRegister, id: "P1")
            try await deliver([moved], to: store)
            let corrected = try await store.withPeople(cases, today: Self.today)
            let one = try #require(corrected.first { $0.name == "Test Persoon-Nieuw" })
            #expect(one.municipality == "Sint-Niklaas")
            #expect(corrected.filter { $0.name == "Test Persoon" }.count == 1)
            #expect(store.caseListPeople.made == 3)

            // Another day: the register record in force may differ, so everyone is read again.
            let tomorrow = try await store.withPeople(cases, today: Self.today.adding(days: 1))
            #expect(tomorrow.map(\.name) == corrected.map(\.name))
            #expect(store.caseListPeople.made == 5)
        }
    }

    @Test func anEntryExpiresAndTheTableStaysWithinItsCapacity() async throws {
        let people = CaseListPeople(capacity: 3, lifetime: .milliseconds(50))
        func stamp(_ sequences: Int64...) -> CaseListPeople.Stamp { CaseListPeople.Stamp(sequences: sequences) }
        func person(_ sequences: Int64...) -> CaseListPeople.Person {
            CaseListPeople.Person(stamp: CaseListPeople.Stamp(sequences: sequences), day: Self.today, name: "N", age: nil,
                                  municipality: nil, school: nil, subject: nil)
        }
        people.keep([1: person(3, 10), 2: person(4, 20)])
        #expect(people.current([1: stamp(3, 10), 2: stamp(5, 20)], on: Self.today).keys.sorted() == [1],
                "as many records with the same newest one, but another set (a merge undone, another merged in): not the same")
        people.keep([3: person(30), 4: person(40), 5: person(50)])
        #expect(people.current([1: stamp(3, 10)], on: Self.today).isEmpty, "a full table starts again")
        #expect(people.current([5: stamp(50)], on: Self.today).count == 1)
        try await Task.sleep(for: .milliseconds(80))
        #expect(people.current([5: stamp(50)], on: Self.today).isEmpty, "expired")
        #expect(people.held == 0, "and swept, with the others, when any list is read")
    }
}
