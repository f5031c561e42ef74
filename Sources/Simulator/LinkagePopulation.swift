import Domain
import Foundation
import Ingest

/// Two files of the same Belgian population for the linkage benchmark (`vangnet-bench linkage`):
/// each holds `size` records, `overlap` of them the same persons, written as two sources would have
/// them — with moves, missing and mistyped national numbers, typos in names and streets, only the
/// first given name, swapped names, upper case, stripped accents, day and month swapped, a BIS
/// number in one source and a national number in the other, another person's valid number, and
/// foreign names in realistic shares. Siblings share a surname and an address, as they do.
/// Deterministic per seed. Record ids are `A<person>` and `B<person>`: the same number is the same person.
public struct LinkagePopulation: Sendable {
    public let seed: UInt64
    public let size: Int
    public let overlap: Double

    public init(seed: UInt64 = 11, size: Int = 1_000_000, overlap: Double = 0.8) {
        self.seed = seed
        self.size = size
        self.overlap = overlap
    }

    public static let columns = "rec_id,insz,given_name,surname,sex,date_of_birth,street,house_number,postcode,city"

    /// The person number behind a record id, for scoring.
    public static func person(_ id: Substring) -> Int? { Int(id.dropFirst()) }

    /// Writes `a.csv` and `b.csv` into `folder`; returns their paths and the number of true pairs.
    public func write(to folder: String) throws -> (a: String, b: String, truePairs: Int) {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let shared = Int(Double(size) * overlap)
        let persons = 2 * size - shared
        var random = SeededRandom(seed: seed)
        var people = Names(random: random.fork())
        var outA = Output(path: folder + "/a.csv"), outB = Output(path: folder + "/b.csv")
        var serials: [Int: Int] = [:]
        var previous: Person?
        for index in 0..<persons {
            var person = people.person(index: index, sibling: random.chance(0.3) ? previous : nil, random: &random, serials: &serials)
            previous = person
            // Persons 0 ..< shared are in both files; then alternately in A only and in B only.
            let inA = index < shared || (index - shared) % 2 == 0
            let inB = index < shared || (index - shared) % 2 == 1
            if inA { outA.append(noisy(person, source: "A", random: &random, people: &people, light: true)) }
            if inB {
                if random.chance(0.15) { person.address = people.address(random: &random) }
                outB.append(noisy(person, source: "B", random: &random, people: &people, light: false))
            }
        }
        try outA.close(); try outB.close()
        return (folder + "/a.csv", folder + "/b.csv", shared)
    }

    struct Person {
        var index: Int
        var given: [String]
        var surname: String
        var sex: LinkageSex
        var born: LocalDate
        var number: String
        var bis: String
        var address: Address
    }

    enum LinkageSex { case male, female }

    struct Address {
        var street: String
        var house: String
        var postcode: String
        var city: String
    }

    /// A record of `person` with the errors of a source. File A is a register (few errors), file B
    /// a school or training source (more).
    private func noisy(_ person: Person, source: String, random: inout SeededRandom, people: inout Names, light: Bool) -> String {
        let scale = light ? 0.4 : 1.0
        func maybe(_ p: Double) -> Bool { random.chance(p * scale) }
        var given = person.given
        var surname = person.surname
        if given.count > 1 && maybe(0.35) { given = [given[0]] }
        var givenText = given.joined(separator: " ")
        if maybe(0.04) { givenText = Self.typo(givenText, &random) }
        if maybe(0.04) { surname = Self.typo(surname, &random) }
        if maybe(0.015) { swap(&givenText, &surname) }
        if maybe(0.2) { givenText = givenText.uppercased(); surname = surname.uppercased() }
        if maybe(0.15) { givenText = Self.stripped(givenText); surname = Self.stripped(surname) }
        var number: String? = person.number
        if maybe(0.04) { number = nil }
        else if maybe(0.02) { number = Self.typo(digits: person.number, &random) }
        else if maybe(0.02) { number = person.bis }
        else if maybe(0.005) { number = people.someoneElsesNumber(&random) }
        if let text = number, random.chance(0.3) { number = Self.formatted(text) }
        var (year, month, day) = person.born.components
        var born: String? = nil
        if !maybe(0.01) {
            if maybe(0.015) && day <= 12 { swap(&month, &day) }
            else if maybe(0.015) { day = max(1, min(28, day + (random.chance(0.5) ? 1 : -1))) }
            else if maybe(0.005) { year += random.chance(0.5) ? 1 : -1 }
            born = String(format: "%04d-%02d-%02d", year, month, day)
        }
        var street = person.address.street
        if maybe(0.05) { street = Self.typo(street, &random) }
        if maybe(0.05) { street = street.replacingOccurrences(of: "straat", with: "str.") }
        var house = person.address.house
        if maybe(0.02) { house = "" }
        let sex = maybe(0.05) ? "" : person.sex == .male ? "M" : "F"
        let fields = [source + String(person.index), number ?? "", givenText, surname, sex, born ?? "", street, house,
                      person.address.postcode, maybe(0.03) ? person.address.city.uppercased() : person.address.city]
        return fields.map(ExchangeWriter.csvEscape).joined(separator: ",")
    }

    static func typo(_ text: String, _ random: inout SeededRandom) -> String {
        var characters = Array(text)
        guard characters.count > 2 else { return text }
        let k = 1 + random.below(characters.count - 1)
        switch random.below(4) {
        case 0: characters[k] = Character(Unicode.Scalar(UInt8(97 + random.below(26))))
        case 1: characters.remove(at: k)
        case 2: characters.insert(Character(Unicode.Scalar(UInt8(97 + random.below(26)))), at: k)
        default: if k + 1 < characters.count { characters.swapAt(k, k + 1) }
        }
        return String(characters)
    }

    static func typo(digits: String, _ random: inout SeededRandom) -> String {
        var characters = Array(digits)
        let k = random.below(characters.count)
        if random.chance(0.5) && k + 1 < characters.count { characters.swapAt(k, k + 1) } else {
            characters[k] = Character(String((Int(String(characters[k]))! + 1 + random.below(9)) % 10))
        }
        return String(characters)
    }

    static func stripped(_ text: String) -> String {
        text.folding(options: .diacriticInsensitive, locale: nil)
    }

    /// 85073003328 → 85.07.30-033.28, the notation on an identity card.
    static func formatted(_ digits: String) -> String {
        let d = Array(digits)
        guard d.count == 11 else { return digits }
        return "\(String(d[0..<2])).\(String(d[2..<4])).\(String(d[4..<6]))-\(String(d[6..<9])).\(String(d[9..<11]))"
    }

    /// Buffered CSV output.
    struct Output {
        let path: String
        var buffer = LinkagePopulation.columns + "\n"
        var handle: FileHandle?

        init(path: String) {
            self.path = path
            FileManager.default.createFile(atPath: path, contents: nil)
            handle = FileHandle(forWritingAtPath: path)
        }

        mutating func append(_ line: String) {
            buffer += line
            buffer += "\n"
            if buffer.utf8.count > 1 << 20 { handle?.write(Data(buffer.utf8)); buffer = "" }
        }

        mutating func close() throws {
            handle?.write(Data(buffer.utf8))
            try handle?.close()
        }
    }
}

/// Names and places drawn with Zipf-like frequencies from generated lists: tens of thousands of
/// surnames (a common one is about 1 % of people, as Peeters is), a few hundred given names, some
/// thousand streets in 600 municipalities.
struct Names {
    let flemishCores: Weighted
    let foreignSurnames: Weighted
    let givenMale: Weighted
    let givenFemale: Weighted
    let places: [(postcode: String, city: String, streets: [String])]
    var numbers: [String] = []

    init(random seedRandom: SeededRandom) {
        var random = seedRandom
        let stems = ["Peet", "Jans", "Maes", "Jacob", "Mert", "Willem", "Cla", "Goos", "Wout", "Smet", "Herm", "Aert", "Pauw",
                     "Lambrecht", "Damm", "Broeck", "Meul", "Berg", "Hoof", "Wild", "Clercq", "Bakk", "Copp", "Michiel", "Hulst",
                     "Veld", "Straet", "Looy", "Acker", "Bosch", "Kerckhov", "Poel", "Lind", "Put", "Mol", "Beek", "Hov", "Bruyn",
                     "Back", "Rijck", "Steen", "Vos", "Wyn", "Huys", "Caut", "Praet", "Geert", "Rooy", "Baert", "Dries", "Nev",
                     "Sterck", "Vlaem", "Moort", "Eeck", "Dael", "Haes", "Leem", "Gheyl", "Verm", "Stev", "Thys", "Claer", "Dew",
                     "Smedt", "Block", "Hend", "Coen", "Dierck", "Pieter", "Roels", "Slab", "Tack", "Uytt", "Wauters", "Ys"]
        let suffixes = ["", "s", "ens", "ers", "mans", "aert", "inck", "x", "e", "el", "ijns", "eel", "ier", "ghe", "ckx", "en"]
        let infixes = ["", "e", "er", "el", "en", "ae", "ie"]
        var cores: [String] = []
        for stem in stems { for infix in infixes { for suffix in suffixes { cores.append(stem + infix + suffix) } } }
        flemishCores = Weighted(Array(Set(cores)).sorted().shuffled(&random), exponent: 0.75)
        let foreignStems = ["Amrani", "Benali", "Bouzid", "Haddou", "Tahiri", "Ouali", "Idrissi", "Zerouali", "Mansouri", "Azzouz",
                            "Yılmaz", "Kaya", "Demir", "Çelik", "Şahin", "Öztürk", "Aydın", "Arslan", "Doğan", "Kılıç",
                            "Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Lewandowski", "Rossi", "Russo", "Esposito", "Bianchi",
                            "Mbuyi", "Kabasele", "Ilunga", "Tshibangu", "Popescu", "Ionescu", "Dimitrov", "Petrov", "Nguyen",
                            "García", "Fernández", "Müller", "Schmidt", "Dupont", "Lefèvre", "Hernández", "Sánchez"]
        let foreignAffixes = ["", "El ", "Ben ", "-ova", "-escu", "i", "-oğlu", "a", "ić", "ski"]
        var foreign: [String] = []
        for stem in foreignStems {
            for affix in foreignAffixes {
                foreign.append(affix.hasPrefix("-") ? stem + affix.dropFirst() : affix.hasSuffix(" ") ? affix + stem : stem + affix)
            }
        }
        foreignSurnames = Weighted(foreign.shuffled(&random), exponent: 0.75)
        let male = ["Noah", "Liam", "Louis", "Lucas", "Arthur", "Jules", "Adam", "Finn", "Lars", "Victor", "Matteo", "Wout", "Senne",
                    "Milan", "Thibo", "Kobe", "Jasper", "Robbe", "Stef", "Tibo", "Seppe", "Lander", "Jens", "Ruben", "Bram", "Tom",
                    "Pieter", "Jan", "Wannes", "Warre", "Mathis", "Vince", "Lowie", "Mauro", "Elias", "Jef", "Emiel", "Cas",
                    "Nand", "Staf", "Rune", "Jorne", "Xander", "Tuur", "Mats", "Brent", "Dries", "Gilles", "Niels", "Arne",
                    "Mohamed", "Rayan", "Ibrahim", "Youssef", "Ayoub", "Bilal", "Hamza", "Yusuf", "Emir", "Mehmet", "Kacper",
                    "Jakub", "Mateusz", "Gabriel", "Luca", "Rafael", "Amadou", "Ismaël", "Anas", "Ilias"]
        let female = ["Emma", "Louise", "Olivia", "Elena", "Noor", "Mila", "Lina", "Julie", "Marie", "Lotte", "Fien", "Sara",
                      "Zoë", "Hanne", "Lore", "Ines", "Nina", "Laura", "Eline", "Febe", "Jana", "Lien", "Ellen", "Amber",
                      "Ella", "Anna", "Lisa", "Charlotte", "Hanna", "Liv", "Nore", "Roos", "Jolien", "Margot", "Floor", "Lena",
                      "Kato", "Stien", "Tess", "Manon", "Axelle", "Axana", "Febe", "Britt", "Marthe", "Renée", "Amélie", "Chloë",
                      "Yasmine", "Amira", "Aya", "Salma", "Hiba", "Imane", "Meryem", "Elif", "Zeynep", "Zuzanna", "Julia",
                      "Maja", "Sofia", "Giulia", "Grace", "Fatoumata", "Aïcha", "Naïma", "Rania", "Ikram", "Lina-Rose"]
        givenMale = Weighted(male, exponent: 0.6)
        givenFemale = Weighted(female, exponent: 0.6)
        let streetStems = ["Kerk", "Statie", "Dorps", "School", "Molen", "Nieuw", "Kapel", "Beek", "Veld", "Linden", "Kastanje",
                           "Boomgaard", "Heide", "Hoog", "Bos", "Wilgen", "Berken", "Eiken", "Beuken", "Populier", "Meidoorn",
                           "Hazel", "Rozen", "Tulpen", "Lelie", "Akker", "Koning", "Prins", "Abdij", "Klooster", "Brouwerij",
                           "Smidse", "Vaart", "Kanaal", "Leie", "Schelde", "Dender", "Demer", "Nete", "Zand", "Steen", "Berg",
                           "Dal", "Broek", "Meers", "Weide", "Hof", "Park", "Markt", "Zuid", "Noord", "Oost", "West", "Pastoor",
                           "Burgemeester", "Onderwijs", "Spoor", "Tram", "Vijver", "Bron", "Zonne", "Maan", "Sterre", "Vlinder"]
        let streetKinds = ["straat", "straat", "straat", "laan", "weg", "plein", "dreef", "steenweg", "hof", "pad"]
        var allStreets: [String] = []
        for stem in streetStems { for kind in streetKinds { allStreets.append(stem + kind) } }
        let cityStems = ["Sint-", "Oost", "West", "Neder", "Over", "Groot-", "Klein-", "", "", ""]
        let cityRoots = ["Kerk", "Beve", "Mald", "Lebb", "Wett", "Herz", "Zott", "Gav", "Lede", "Merel", "Ass", "Kap", "Brak",
                         "Wichel", "Erpe", "Aart", "Ruis", "Tielt", "Lich", "Hoog", "Stad", "Zwev", "Deerl", "Harel", "Ingel",
                         "Moor", "Ledeg", "Oud", "Poper", "Vlet", "Lo", "Alv", "Diks", "Koks", "Middel", "Damm", "Knok", "Heist"]
        let cityEnds = ["gem", "ene", "dijk", "hout", "beke", "kerke", "zele", "rode", "lo", "hem", "egem", "ingen"]
        var cities: [String] = []
        for root in cityRoots { for end in cityEnds { cities.append(root + end) } }
        cities = cities.shuffled(&random)
        var places: [(String, String, [String])] = []
        for k in 0..<600 {
            let postcode = String(1500 + k * 14 % 8400 + k % 7)
            let name = cityStems[k % cityStems.count] + cities[k % cities.count]
            let streets = (0..<(40 + random.below(160))).map { _ in random.pick(allStreets) }
            places.append((postcode, name, Array(Set(streets)).sorted()))
        }
        self.places = places
    }

    mutating func person(index: Int, sibling: LinkagePopulation.Person?, random: inout SeededRandom,
                         serials: inout [Int: Int]) -> LinkagePopulation.Person {
        let sex: LinkagePopulation.LinkageSex = random.chance(0.5) ? .male : .female
        let names = sex == .male ? givenMale : givenFemale
        var given = [names.draw(&random)]
        if random.chance(0.55) { given.append(names.draw(&random)) }
        if random.chance(0.15) { given.append(names.draw(&random)) }
        let born = LocalDate(year: 1998 + random.below(13), month: 1 + random.below(12), day: 1 + random.below(28))!
        let serial = serials[born.ordinal, default: 0] + 1
        serials[born.ordinal] = serial
        // Odd serials are men, even women; 997 a day is the limit of the scheme, far above what 1.2 million persons need.
        let number = INSZ.make(birthDate: born, serial: min(997, 2 * serial - (sex == .male ? 1 : 0)))
        let bis = INSZ.make(birthDate: born, serial: min(997, 2 * serial - (sex == .male ? 1 : 0)), monthOffset: 20)
        numbers.append(number.digits)
        return LinkagePopulation.Person(index: index, given: given, surname: sibling?.surname ?? surname(&random), sex: sex,
                                        born: born, number: number.digits, bis: bis.digits,
                                        address: sibling?.address ?? address(random: &random))
    }

    /// About 18 % of foreign origin (Statbel: residents of foreign origin in Flanders); of the
    /// Flemish names about a quarter start with a particle (Van, De, Vanden, Ver, …).
    func surname(_ random: inout SeededRandom) -> String {
        if random.chance(0.18) { return foreignSurnames.draw(&random) }
        let particle = random.weighted([("", 0.74), ("Van ", 0.06), ("De ", 0.07), ("Van de ", 0.02), ("Van den ", 0.02),
                                        ("Vanden", 0.02), ("Ver", 0.02), ("D'", 0.01), ("Van der ", 0.02), ("Op de ", 0.01),
                                        ("Vande", 0.01)])
        return particle + flemishCores.draw(&random)
    }

    func address(random: inout SeededRandom) -> LinkagePopulation.Address {
        // Larger municipalities first in the list are drawn more often.
        let place = places[min(places.count - 1, Int(Double(places.count) * pow(random.unit(), 2)))]
        var house = String(1 + Int(pow(random.unit(), 2) * 250))
        if random.chance(0.08) { house += random.chance(0.5) ? "A" : " bus \(1 + random.below(6))" }
        return .init(street: random.pick(place.streets), house: house, postcode: place.postcode, city: place.city)
    }

    func someoneElsesNumber(_ random: inout SeededRandom) -> String { numbers[random.below(numbers.count)] }
}

/// Draws from a list with weight 1/rank^exponent, optionally mixed with a second list at a share.
struct Weighted {
    let items: [String]
    let cumulative: [Double]

    init(_ items: [String], exponent: Double, mixedWith other: [String] = [], share: Double = 0) {
        func weights(_ list: [String]) -> [Double] {
            let raw = (0..<list.count).map { 1 / pow(Double($0 + 1), exponent) }
            let total = raw.reduce(0, +)
            return raw.map { $0 / total }
        }
        let combined = weights(items).map { $0 * (1 - share) } + weights(other).map { $0 * share }
        self.items = items + other
        var running = 0.0
        cumulative = combined.map { running += $0; return running }
    }

    func draw(_ random: inout SeededRandom) -> String {
        let point = random.unit() * (cumulative.last ?? 1)
        var low = 0, high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] < point { low = middle + 1 } else { high = middle }
        }
        return items[low]
    }
}

extension Array {
    func shuffled(_ random: inout SeededRandom) -> [Element] {
        var copy = self
        for k in stride(from: copy.count - 1, to: 0, by: -1) { copy.swapAt(k, random.below(k + 1)) }
        return copy
    }
}
