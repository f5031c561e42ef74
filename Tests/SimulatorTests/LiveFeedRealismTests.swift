import Domain
@testable import Simulator
import Testing

/// The demo's live feed looks like a day of Flanders: young men and women, names that do not repeat,
/// schools near home.
@Suite struct LiveFeedRealismTests {
    static let today = LocalDate(year: 2026, month: 3, day: 16)!

    static func arrivals(seed: UInt64, count: Int) -> [[SourceRecord]] {
        var feed = LiveFeed(seed: seed, today: today)
        return (0..<count).map { _ in feed.next() }
    }

    /// The register entries of the feed, with the INSZ they were sent under.
    static func people(_ arrivals: [[SourceRecord]]) -> [(insz: INSZ, person: PersonRecord)] {
        arrivals.joined().compactMap { record -> (insz: INSZ, person: PersonRecord)? in
            guard case .person(let person) = record.body else { return nil }
            return (record.insz, person)
        }
    }

    static func province(_ postcode: String?) -> Province? {
        guard case .flanders(let province)? = PostcodeArea(postcode: postcode) else { return nil }
        return province
    }

    @Test func twoHundredArrivalsBringYoungMenAndWomenWhoseNumbersSayTheirSex() {
        let people = Self.people(Self.arrivals(seed: 21, count: 200))
        #expect(people.count > 100)
        let men = people.filter { $0.person.sex == .male }.count
        let women = people.filter { $0.person.sex == .female }.count
        #expect(men > people.count / 4, "\(men) men of \(people.count)")
        #expect(women > people.count / 4, "\(women) women of \(people.count)")
        for (insz, person) in people {
            // Odd serial number: male; even: female.
            #expect(insz.sex == person.sex, "\(person.firstName): the register's sex is the one the INSZ encodes")
            let serial = Int(insz.digits.dropFirst(6).prefix(3))!
            #expect(serial % 2 == (person.sex == .male ? 1 : 0))
            #expect(serial >= 700, "above the serials of the simulated population")
        }
        #expect(Set(people.map { $0.insz }).count == people.count, "every young person has a number of their own")
    }

    @Test func namesComeFromTheWholeListAndNoFullNameComesTwice() {
        let people = Self.people(Self.arrivals(seed: 22, count: 200))
        let fullNames = people.map { "\($0.person.firstName) \($0.person.lastName)" }
        #expect(Set(fullNames).count == people.count, "no full name twice in \(people.count) young people")
        #expect(Set(people.map { $0.person.firstName }).count >= 40, "most of the 48 first names")
        #expect(Set(people.map { $0.person.lastName }).count >= 30, "most of the 32 last names")
        for (index, name) in fullNames.enumerated().dropFirst() {
            #expect(name.split(separator: " ").first != fullNames[index - 1].split(separator: " ").first,
                    "not the same first name twice in a row: \(name)")
        }
        let female = Set(Gazetteer.firstNames[.female]!)
        for (_, person) in people where person.sex == .female {
            #expect(female.contains(person.firstName), "\(person.firstName) is a woman's name of the gazetteer")
        }
    }

    @Test func schoolsAndReturnsToSchoolAreInTheProvinceWhereTheYoungPersonLives() {
        var home: [INSZ: Province] = [:]
        var municipality: [String: String] = [:]
        for place in Gazetteer.places.values.joined() { municipality[place.postcode] = place.municipality }
        var returns: [Province] = []
        for arrival in Self.arrivals(seed: 23, count: 400) {
            for record in arrival {
                if case .person(let person) = record.body { home[record.insz] = Self.province(person.postcode) }
            }
            for record in arrival {
                guard case .enrolment(let enrolment) = record.body else { continue }
                let school = Self.province(enrolment.schoolPostcode)
                #expect(school != nil, "\(enrolment.schoolName): a Flemish postcode")
                #expect(school == home[record.insz], "\(record.recordID): \(enrolment.schoolName) is in the province of home")
                let town = enrolment.schoolPostcode.flatMap { municipality[$0] } ?? "?"
                #expect(enrolment.schoolName.hasSuffix(" " + town), "\(enrolment.schoolName): the name says where the school is")
                if enrolment.endDate == nil, let school { returns.append(school) }
            }
        }
        #expect(returns.count > 10, "\(returns.count) returns to school")
        #expect(Set(returns).count >= 3, "returns to school in several provinces, not all in Gent")
    }
}
