import Domain
@testable import Linkage
import Testing

@Suite struct FoldingTests {
    @Test func caseAccentsAndParticlesDoNotCountAsDifferences() {
        #expect(Folding.fold("Van den Broeck", keeping: .letters) == Folding.fold("VANDENBROECK", keeping: .letters))
        #expect(Folding.fold("ÖZTÜRK", keeping: .letters) == Array("ozturk".utf8))
        #expect(Folding.fold("Zoë", keeping: .letters) == Array("zoe".utf8))
        #expect(Folding.fold("Jean-Pierre  Marie", keeping: .lettersAndSpaces) == Array("jean pierre marie".utf8))
        #expect(Folding.fold("85.07.30-033.28", keeping: .digits) == Array("85073003328".utf8))
        #expect(Folding.fold("12 bus 3", keeping: .lettersAndDigits) == Array("12bus3".utf8))
    }
}

@Suite struct StringSimilarityTests {
    @Test func jaroWinklerGivesTheTextbookValues() {
        func jw(_ a: String, _ b: String) -> Double { StringSimilarity.jaroWinkler(Array(a.utf8), Array(b.utf8)) }
        #expect(abs(jw("martha", "marhta") - 0.9611) < 0.0005)
        #expect(abs(jw("dwayne", "duane") - 0.84) < 0.0005)
        #expect(abs(jw("dixon", "dicksonx") - 0.8133) < 0.0005)
        #expect(jw("peeters", "peeters") == 1)
        #expect(jw("", "peeters") == 0)
    }

    @Test func oneEditAndTranspositionAreTold() {
        func check(_ a: String, _ b: String) -> (Bool, Bool) {
            Array(a.utf8).withUnsafeBufferPointer { p in
                Array(b.utf8).withUnsafeBufferPointer { q in
                    (StringSimilarity.isOneEdit(p, q), StringSimilarity.isAdjacentTransposition(p, q))
                }
            }
        }
        #expect(check("85073003328", "85073003828") == (true, false))
        #expect(check("85073003328", "8507300328") == (true, false))
        #expect(check("85073003328", "85070303328") == (false, true))
        #expect(check("85073003328", "85073003328") == (false, false))
        #expect(check("85073003328", "12345678901") == (false, false))
    }
}

@Suite struct ComparisonTests {
    func levels(_ x: LinkageRecord, _ y: LinkageRecord) -> [LinkageField: ComparisonLevel] {
        var encoder = RecordEncoder()
        let a = encoder.encode([x]), b = encoder.encode([y])
        let pattern = ComparisonPattern(bits: Comparator(encoder: encoder).pattern(a, 0, b, 0))
        var out: [LinkageField: ComparisonLevel] = [:]
        for field in LinkageField.allCases {
            let level = pattern.level(field)
            out[field] = level == 0 ? .missing : field.levels[level - 1]
        }
        return out
    }

    @Test func aBISNumberAndANationalNumberOfTheSameBirthDateAreSeenAsSuch() {
        let national = INSZ.make(birthDate: LocalDate(year: 2007, month: 3, day: 14)!, serial: 123)
        let bis = INSZ.make(birthDate: LocalDate(year: 2007, month: 3, day: 14)!, serial: 456, monthOffset: 20)
        let result = levels(LinkageRecord(id: "a", nationalNumber: national.formatted), LinkageRecord(id: "b", nationalNumber: bis.digits))
        #expect(result[.nationalNumber] == .sameBirthOtherKind)
        #expect(levels(LinkageRecord(id: "a", nationalNumber: national.formatted), LinkageRecord(id: "b", nationalNumber: national.digits))[.nationalNumber] == .exact)
        #expect(levels(LinkageRecord(id: "a", nationalNumber: "07031412345"), LinkageRecord(id: "b", nationalNumber: "07031412345"))[.nationalNumber]
            == .exactButChecksumFails)
    }

    @Test func swappedNamesFirstGivenNamesAndSwappedDatesHaveTheirOwnLevels() {
        let jan = LinkageRecord(id: "a", givenName: "Jan Pieter", surname: "Peeters", birthDate: "2007-03-14")
        let swapped = LinkageRecord(id: "b", givenName: "Peeters", surname: "Jan", birthDate: "2007-14-03")
        #expect(levels(jan, swapped)[.givenName] == .swapped)
        #expect(levels(jan, swapped)[.surname] == .swapped)
        #expect(levels(jan, swapped)[.birthDate] == .dayMonthSwapped)
        let firstOnly = LinkageRecord(id: "c", givenName: "JAN", surname: "Peters", birthDate: "20070314")
        #expect(levels(jan, firstOnly)[.givenName] == .firstGivenName)
        #expect(levels(jan, firstOnly)[.surname] == .close)
        #expect(levels(jan, firstOnly)[.birthDate] == .exact)
        #expect(levels(jan, LinkageRecord(id: "d", givenName: "J.", birthDate: "2007"))[.givenName] == .initial)
        #expect(levels(jan, LinkageRecord(id: "d", givenName: "J.", birthDate: "2007"))[.birthDate] == .sameYear)
        #expect(levels(jan, LinkageRecord(id: "e"))[.givenName] == .missing)
    }

    @Test func theAddressIsOneComparisonWithFuzzyLevels() {
        let home = LinkageRecord(id: "a", street: "Kerkstraat", houseNumber: "12", postcode: "2000", city: "Antwerpen")
        func level(_ other: LinkageRecord) -> ComparisonLevel? { levels(home, other)[.address] }
        #expect(level(LinkageRecord(id: "b", street: "KERKSTR.", houseNumber: "12", postcode: "2000", city: "ANTWERPEN")) == .sameAddress)
        #expect(level(LinkageRecord(id: "b", street: "Kerkstraat", houseNumber: "12 bus 3", postcode: "2000")) == .nearlySameAddress)
        #expect(level(LinkageRecord(id: "b", street: "Kerkstraat", houseNumber: "12", postcode: "2060", city: "Antwerpen")) == .nearlySameAddress)
        #expect(level(LinkageRecord(id: "b", street: "Kerkstrat", houseNumber: "12", postcode: "2000")) == .nearlySameAddress)
        #expect(level(LinkageRecord(id: "b", street: "Kerkstraat", houseNumber: "40", postcode: "2000")) == .sameStreet)
        #expect(level(LinkageRecord(id: "b", street: "Molenstraat", houseNumber: "12", postcode: "2000")) == .samePlace)
        #expect(level(LinkageRecord(id: "b", street: "Kerkstraat", houseNumber: "12", postcode: "2018")) == .sameRegion)
        #expect(level(LinkageRecord(id: "b", street: "Kerkstraat", houseNumber: "12", postcode: "9400", city: "Ninove")) == .different)
        #expect(level(LinkageRecord(id: "b", street: "Kerkstraat", houseNumber: "12", city: "Antwerpen")) == .sameAddress)
        #expect(level(LinkageRecord(id: "b", givenName: "Jan")) == .missing)
    }
}

@Suite struct LengthBoundTests {
    /// The length filter never hides a pair that reaches the band.
    @Test func theLengthBoundNeverRulesOutAPairThatReachesTheBand() {
        var random = SeededRandom(seed: 4)
        for _ in 0..<20_000 {
            let x = (0..<(1 + random.below(14))).map { _ in UInt8(97 + random.below(4)) }
            let y = (0..<(1 + random.below(14))).map { _ in UInt8(97 + random.below(4)) }
            let ratio = Double(min(x.count, y.count)) / Double(max(x.count, y.count))
            for threshold in [0.94, 0.92, 0.88] where StringSimilarity.jaroWinkler(x, y) >= threshold {
                #expect(ratio >= StringSimilarity.lengthRatioNeeded(threshold), "\(x) \(y)")
            }
        }
    }
}

/// A small population with the errors real sources make, for the linker's behaviour.
struct NoisyPopulation {
    var a: [LinkageRecord] = []
    var b: [LinkageRecord] = []
    /// a.id → b.id of the same person.
    var truth: [String: String] = [:]

    init(persons: Int, seed: UInt64) {
        var random = SeededRandom(seed: seed)
        let given = ["Emma", "Louise", "Noah", "Liam", "Lucas", "Mila", "Arthur", "Julie", "Yasmine", "Mohamed", "Lotte", "Wout",
                     "Senne", "Febe", "Ines", "Kobe", "Amira", "Stef", "Nina", "Robbe"]
        let surnames = ["Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters", "De Smet",
                        "Dubois", "Hermans", "Aerts", "Pauwels", "Van Damme", "Lambrechts", "El Amrani", "Öztürk", "Nowak", "Verbeke",
                        "Coppens", "Van Hoof", "Michiels", "Vandenberghe", "De Wilde", "Bakker", "Kaya", "Dumont"]
        let streets = ["Kerkstraat", "Stationsstraat", "Dorpsstraat", "Molenstraat", "Lindenlaan", "Heirweg", "Steenweg"]
        let places = [("2000", "Antwerpen"), ("9000", "Gent"), ("3500", "Hasselt"), ("8000", "Brugge"), ("3000", "Leuven")]
        func typo(_ text: String) -> String {
            var characters = Array(text)
            let k = random.below(characters.count)
            characters[k] = Character(Unicode.Scalar(UInt8(97 + random.below(26))))
            return String(characters)
        }
        for person in 0..<persons {
            let born = LocalDate(year: 2000 + random.below(8), month: 1 + random.below(12), day: 1 + random.below(28))!
            let sex: LinkageRecord.Sex = random.chance(0.5) ? .male : .female
            let number = INSZ.make(birthDate: born, serial: 1 + random.below(996))
            let place = random.pick(places)
            let record = LinkageRecord(id: "a\(person)", nationalNumber: number.digits, givenName: random.pick(given),
                                       surname: random.pick(surnames), sex: sex, birthDate: born.description,
                                       street: random.pick(streets), houseNumber: String(1 + random.below(120)),
                                       postcode: place.0, city: place.1)
            a.append(record)
            guard person % 5 != 0 else { continue }
            var copy = record
            copy.id = "b\(person)"
            switch random.below(6) {
            case 0: copy.nationalNumber = nil
            case 1: copy.surname = typo(record.surname!)
            case 2: (copy.givenName, copy.surname) = (record.surname, record.givenName)
            case 3: copy.street = random.pick(streets); copy.houseNumber = String(1 + random.below(120))
            case 4: copy.givenName = record.givenName!.uppercased(); copy.nationalNumber = typo(number.digits)
            default: break
            }
            b.append(copy)
            truth[record.id] = copy.id
        }
    }
}

@Suite struct LinkerTests {
    @Test func theSamePersonsAreFoundThroughTyposSwapsAndMissingNumbers() {
        let population = NoisyPopulation(persons: 2_000, seed: 1)
        var options = Linker.Options()
        options.oneToOne = true
        options.randomPairs = 200_000
        let linker = Linker(population.a, population.b, options: options)
        let result = linker.run()
        let found = result.links.filter { population.truth[linker.idsA[$0.a]] == linker.idsB[$0.b] }.count
        let precision = Double(found) / Double(result.links.count)
        let recall = Double(found) / Double(population.truth.count)
        #expect(precision > 0.99, "precision \(precision)")
        #expect(recall > 0.98, "recall \(recall)")
        #expect(result.summary.candidatePairs > 0)
        #expect(result.model.weight(.surname, level: 1) > 0)
        #expect(result.model.weight(.birthDate, level: 5) < 0)
    }

    @Test func theResultDoesNotDependOnTheOrderOfTheRecordsOrTheThreads() {
        let population = NoisyPopulation(persons: 600, seed: 2)
        var options = Linker.Options()
        options.randomPairs = 50_000
        func links(_ a: [LinkageRecord], _ b: [LinkageRecord], threads: Int) -> [String] {
            var o = options
            o.threads = threads
            let linker = Linker(a, b, options: o)
            return linker.run().links.map { "\(linker.idsA[$0.a])-\(linker.idsB[$0.b])-\($0.probability)" }.sorted()
        }
        let forward = links(population.a, population.b, threads: 2)
        var random = SeededRandom(seed: 9)
        var shuffledA = population.a, shuffledB = population.b
        for k in stride(from: shuffledA.count - 1, to: 0, by: -1) { shuffledA.swapAt(k, random.below(k + 1)) }
        for k in stride(from: shuffledB.count - 1, to: 0, by: -1) { shuffledB.swapAt(k, random.below(k + 1)) }
        #expect(links(shuffledA, shuffledB, threads: 1) == forward)
        #expect(!forward.isEmpty)
    }

    @Test func oneToOneKeepsEachRecordsMostProbableLink() {
        let links = Linker.oneToOne([
            .init(a: 1, b: 0, matchWeight: 5, probability: 0.97), .init(a: 0, b: 0, matchWeight: 9, probability: 0.998),
        ])
        #expect(links == [.init(a: 0, b: 0, matchWeight: 9, probability: 0.998)])
    }

    @Test func aMillionIdenticalNamesAreCappedNotCompared() {
        let a = (0..<1_500).map { LinkageRecord(id: "a\($0)", givenName: "Jan", surname: "Peeters", postcode: "2000") }
        let b = (0..<1_500).map { LinkageRecord(id: "b\($0)", givenName: "Jan", surname: "Peeters", postcode: "2000") }
        var options = Linker.Options()
        options.maximumPairsPerBlock = 100_000
        options.randomPairs = 10_000
        let result = Linker(a, b, options: options).run()
        #expect(result.summary.skippedBlocks >= 2)
        #expect(result.summary.skippedPairs >= 2 * 1_500 * 1_500)
        #expect(result.summary.candidatePairs == 0)
    }

    @Test func aRecordWithNothingToCompareIsNeverPaired() {
        let a = [LinkageRecord(id: "a1"), LinkageRecord(id: "a2", givenName: "Jan", surname: "Peeters", birthDate: "2007-03-14")]
        let b = [LinkageRecord(id: "b1", givenName: " "), LinkageRecord(id: "b2", givenName: "Jan", surname: "Peeters", birthDate: "2007-03-14")]
        let result = Linker(a, b).run()
        #expect(result.summary.emptyA == 1)
        #expect(result.summary.emptyB == 1)
        #expect(result.links.allSatisfy { $0.a == 1 && $0.b == 1 })
    }

    @Test func everyLinkIsExplainedInWordsAStewardReads() {
        let population = NoisyPopulation(persons: 800, seed: 3)
        var options = Linker.Options()
        options.randomPairs = 50_000
        let linker = Linker(population.a, population.b, options: options)
        let result = linker.run()
        let link = try! #require(result.links.first)
        let explanation = linker.explain(link.a, link.b, model: result.model)
        #expect(abs(explanation.matchWeight - link.matchWeight) < 1e-9)
        let dutch = explanation.lines(.dutch)
        #expect(dutch.count == LinkageField.allCases.count)
        #expect(dutch.contains { $0.hasPrefix("geboortedatum: gelijk (+") }, "\(dutch)")
        #expect(!explanation.supportingFields.isEmpty)
    }
}
