/// The fields a pair of records is compared on, each with its comparison levels from most to least
/// alike. Level 0 of every field is "missing on one side": it weighs nothing either way.
///
/// The address (street, house number, postcode, municipality) is one comparison with fuzzy levels
/// rather than four: siblings share all four, and four independent weights would count one
/// household four times (measured on the synthetic population: every sibling pair scored as a match).
public enum LinkageField: Int, CaseIterable, Sendable {
    case nationalNumber, givenName, surname, birthDate, sex, address

    /// The levels after "missing", in order; a pair falls in the first that applies.
    public var levels: [ComparisonLevel] {
        switch self {
        case .nationalNumber: [.exact, .exactButChecksumFails, .oneEdit, .transposition, .sameBirthOtherKind, .different]
        case .givenName: [.exact, .firstGivenName, .veryClose, .close, .swapped, .initial, .somewhatClose, .different]
        case .surname: [.exact, .veryClose, .close, .swapped, .somewhatClose, .different]
        case .birthDate: [.exact, .dayMonthSwapped, .oneDigit, .sameYear, .different]
        case .sex: [.exact, .different]
        // The last applies when a street is missing on one side (a school gives a postcode only).
        case .address: [.sameAddress, .nearlySameAddress, .sameStreet, .samePlace, .sameRegion, .different, .samePlaceStreetUnknown]
        }
    }

    /// Four bits per field in a comparison pattern.
    var shift: UInt64 { UInt64(rawValue * 4) }
}

/// How alike two values of a field are. The steward reads these as words (`dutch`, `english`).
public enum ComparisonLevel: String, Sendable {
    case missing, exact, exactButChecksumFails, oneEdit, transposition, sameBirthOtherKind
    case firstGivenName, veryClose, close, swapped, initial, somewhatClose
    case dayMonthSwapped, oneDigit, sameYear
    case sameAddress, nearlySameAddress, sameStreet, samePlace, sameRegion, different, samePlaceStreetUnknown
}

/// A pair's comparison levels, four bits per field (`LinkageField.shift`); the EM step counts pairs
/// per pattern, so thousands of distinct patterns stand for millions of pairs.
public struct ComparisonPattern: Hashable, Comparable, Sendable {
    public var bits: UInt64

    public func level(_ field: LinkageField) -> Int { Int((bits >> field.shift) & 0xF) }

    public static func < (a: Self, b: Self) -> Bool { a.bits < b.bits }
}

/// Compares two records of the same run (their columns share token tables).
struct Comparator: Sendable {
    let encoder: RecordEncoder

    // Jaro–Winkler bands of the name and address levels.
    static let veryClose = 0.94, close = 0.88, somewhatClose = 0.7
    static let addressVeryClose = 0.92

    func pattern(_ a: RecordColumns, _ i: Int, _ b: RecordColumns, _ j: Int) -> UInt64 {
        var bits: UInt64 = 0
        func put(_ field: LinkageField, _ level: Int) { bits |= UInt64(level) << field.shift }
        put(.nationalNumber, nationalNumber(a, i, b, j))
        var swapped: Bool?
        put(.givenName, givenName(a, i, b, j, &swapped))
        put(.surname, surname(a, i, b, j, &swapped))
        put(.birthDate, Self.birthDate(a.birthDate[i], b.birthDate[j]))
        let sa = a.sex[i], sb = b.sex[j]
        put(.sex, sa == 0 || sb == 0 ? 0 : sa == sb ? 1 : 2)
        put(.address, address(a, i, b, j))
        return bits
    }

    // Level numbers below are 1-based positions in `LinkageField.levels`.

    private func nationalNumber(_ a: RecordColumns, _ i: Int, _ b: RecordColumns, _ j: Int) -> Int {
        let x = a.nationalNumber[i], y = b.nationalNumber[j]
        if x == 0 || y == 0 { return 0 }
        if x == y { return a.checksum[i] == 2 ? 2 : 1 }
        return encoder.numbers.withBytes(x) { p in
            encoder.numbers.withBytes(y) { q in
                if StringSimilarity.isOneEdit(p, q) { return 3 }
                if StringSimilarity.isAdjacentTransposition(p, q) { return 4 }
                if Self.sameBirthOtherKind(p, q) { return 5 }
                return 6
            }
        }
    }

    /// A BIS number (month + 20 or + 40) and a national number, or two of a kind, for the same birth
    /// date: the same person often has both over time.
    static func sameBirthOtherKind(_ p: UnsafeBufferPointer<UInt8>, _ q: UnsafeBufferPointer<UInt8>) -> Bool {
        guard p.count == 11, q.count == 11 else { return false }
        func month(_ d: UnsafeBufferPointer<UInt8>) -> Int { Int(d[2] - 0x30) * 10 + Int(d[3] - 0x30) }
        let mp = month(p), mq = month(q)
        guard mp / 20 != mq / 20, mp % 20 == mq % 20 else { return false }
        return p[0] == q[0] && p[1] == q[1] && p[4] == q[4] && p[5] == q[5]
    }

    private func givenName(_ a: RecordColumns, _ i: Int, _ b: RecordColumns, _ j: Int, _ swapped: inout Bool?) -> Int {
        let x = a.givenName[i], y = b.givenName[j]
        if x == 0 || y == 0 { return 0 }
        if x == y { return 1 }
        let fx = a.firstGivenName[i], fy = b.firstGivenName[j]
        if fx == fy || fx == y || x == fy { return 2 }
        var score = jaroWinkler(x, y)
        if fx != x || fy != y { score = max(score, jaroWinkler(fx, fy)) }
        if score >= Self.veryClose { return 3 }
        if score >= Self.close { return 4 }
        if isSwapped(a, i, b, j, &swapped) { return 5 }
        if isInitial(x, of: y) || isInitial(y, of: x) { return 6 }
        if score >= Self.somewhatClose { return 7 }
        return 8
    }

    private func surname(_ a: RecordColumns, _ i: Int, _ b: RecordColumns, _ j: Int, _ swapped: inout Bool?) -> Int {
        let x = a.surname[i], y = b.surname[j]
        if x == 0 || y == 0 { return 0 }
        if x == y { return 1 }
        let score = jaroWinkler(x, y)
        if score >= Self.veryClose { return 2 }
        if score >= Self.close { return 3 }
        if isSwapped(a, i, b, j, &swapped) { return 4 }
        if score >= Self.somewhatClose { return 5 }
        return 6
    }

    /// Given name and surname entered in each other's place, on either side; worked out once per
    /// pair for both fields.
    private func isSwapped(_ a: RecordColumns, _ i: Int, _ b: RecordColumns, _ j: Int, _ known: inout Bool?) -> Bool {
        if let known { return known }
        let result = isSwapped(given: a.givenName[i], a.firstGivenName[i], surname: b.surname[j])
            || isSwapped(given: b.givenName[j], b.firstGivenName[j], surname: a.surname[i])
        known = result
        return result
    }

    static func birthDate(_ x: Int32, _ y: Int32) -> Int {
        if x == 0 || y == 0 { return 0 }
        if x == y { return 1 }
        let yearX = x / 10_000, yearY = y / 10_000
        let monthX = x / 100 % 100, monthY = y / 100 % 100, dayX = x % 100, dayY = y % 100
        if yearX == yearY && monthX == dayY && dayX == monthY && monthX != 0 && dayX != 0 { return 2 }
        var differences = 0
        var p = x, q = y
        for _ in 0..<8 {
            if p % 10 != q % 10 { differences += 1 }
            p /= 10; q /= 10
        }
        if differences == 1 { return 3 }
        if yearX == yearY { return 4 }
        return 5
    }

    /// The address levels: the place (postcode, or the municipality where a postcode is missing),
    /// the street and the house number, each agreeing exactly (2), nearly (1) or not (0).
    private func address(_ a: RecordColumns, _ i: Int, _ b: RecordColumns, _ j: Int) -> Int {
        let pa = a.postcode[i], pb = b.postcode[j], ca = a.city[i], cb = b.city[j]
        let sa = a.street[i], sb = b.street[j]
        let placeKnown = (pa != 0 && pb != 0) || (ca != 0 && cb != 0)
        let streetKnown = sa != 0 && sb != 0
        if !placeKnown && !streetKnown { return 0 }
        var place = 0
        var region = false
        if pa != 0 && pb != 0 {
            if pa == pb { place = 2 } else {
                encoder.postcodes.withBytes(pa) { p in
                    encoder.postcodes.withBytes(pb) { q in
                        if p.count == q.count && (StringSimilarity.isOneEdit(p, q) || StringSimilarity.isAdjacentTransposition(p, q)) { place = 1 }
                        region = p.count >= 2 && q.count >= 2 && p[0] == q[0] && p[1] == q[1]
                    }
                }
                // Two postcodes of one city (Antwerpen 2000 and 2018) with the municipality the same.
                if place == 0 && ca != 0 && cb != 0 && (ca == cb || fuzzy(encoder.cities, ca, cb) >= Self.addressVeryClose) { place = 1 }
            }
        } else if ca != 0 && cb != 0 {
            place = ca == cb ? 2 : fuzzy(encoder.cities, ca, cb) >= Self.addressVeryClose ? 1 : 0
        }
        // In another place the street and house number do not matter: not compared.
        if placeKnown && place == 0 { return region ? 5 : 6 }
        if placeKnown && !streetKnown { return place == 2 ? 7 : 5 }
        let street = !streetKnown ? 0 : sa == sb ? 2 : fuzzy(encoder.streets, sa, sb) >= Self.addressVeryClose ? 1 : 0
        let house = houseNumber(a.houseNumber[i], b.houseNumber[j])
        if !placeKnown {
            return street == 2 && house == 2 ? 2 : street >= 1 ? 3 : 6
        }
        if place == 2 && street == 2 && house == 2 { return 1 }
        if place >= 1 && street >= 1 && house >= 1 { return 2 }
        if place >= 1 && street >= 1 { return 3 }
        if place == 2 { return 4 }
        if place == 1 || region { return 5 }
        return 6
    }

    /// 2 the same, 1 the same number with another suffix ("12" and "12 bus 3"), 0 otherwise or missing.
    private func houseNumber(_ x: Int32, _ y: Int32) -> Int {
        if x == 0 || y == 0 { return 0 }
        if x == y { return 2 }
        let leading: (Int32) -> [UInt8] = { token in
            encoder.houseNumbers.withBytes(token) { Array($0.prefix { $0 >= 0x30 && $0 <= 0x39 }) }
        }
        let dx = leading(x)
        return !dx.isEmpty && dx == leading(y) ? 1 : 0
    }

    /// Jaro–Winkler of two address values, or 0 when their lengths alone rule out the 0.92 band
    /// (it needs the shorter at least 0.6 of the longer: see `StringSimilarity.lengthRatioNeeded`).
    private func fuzzy(_ table: TokenTable, _ x: Int32, _ y: Int32) -> Double {
        let lx = table.length(x), ly = table.length(y)
        guard Double(min(lx, ly)) >= StringSimilarity.lengthRatioNeeded(Self.addressVeryClose) * Double(max(lx, ly)) else { return 0 }
        return table.withBytes(x) { p in table.withBytes(y) { q in StringSimilarity.jaroWinkler(p, q) } }
    }

    private func jaroWinkler(_ x: Int32, _ y: Int32) -> Double {
        if x == 0 || y == 0 { return 0 }
        return encoder.names.withBytes(x) { p in encoder.names.withBytes(y) { q in StringSimilarity.jaroWinkler(p, q) } }
    }

    /// A given name that is (nearly) the other record's surname: the two were entered in each other's place.
    private func isSwapped(given: Int32, _ firstGiven: Int32, surname: Int32) -> Bool {
        guard given != 0, surname != 0 else { return false }
        if given == surname || firstGiven == surname { return true }
        return nearlyEqual(given, surname) || (firstGiven != given && nearlyEqual(firstGiven, surname))
    }

    /// Jaro–Winkler ≥ 0.94, which needs the shorter at least 0.7 of the longer: most pairs are told
    /// apart by their lengths alone.
    private func nearlyEqual(_ x: Int32, _ y: Int32) -> Bool {
        let lx = encoder.names.length(x), ly = encoder.names.length(y)
        guard Double(min(lx, ly)) >= StringSimilarity.lengthRatioNeeded(Self.veryClose) * Double(max(lx, ly)) else { return false }
        return jaroWinkler(x, y) >= Self.veryClose
    }

    private func isInitial(_ x: Int32, of y: Int32) -> Bool {
        encoder.names.length(x) == 1 && encoder.names.withBytes(x) { p in encoder.names.withBytes(y) { q in !q.isEmpty && p[0] == q[0] } }
    }
}

/// A pattern as a small dense number (mixed radix over the fields' level counts, 55,566 in all),
/// so that a candidate pair stores two bytes for it and counts and weights are plain arrays.
enum PatternIndex {
    static let radices: [Int] = LinkageField.allCases.map { $0.levels.count + 1 }
    static let count: Int = radices.reduce(1, *)

    static func index(_ bits: UInt64) -> UInt16 {
        var index = 0
        for field in LinkageField.allCases.reversed() {
            index = index * radices[field.rawValue] + Int((bits >> field.shift) & 0xF)
        }
        return UInt16(index)
    }

    static func pattern(_ index: Int) -> ComparisonPattern {
        var rest = index
        var bits: UInt64 = 0
        for field in LinkageField.allCases {
            bits |= UInt64(rest % radices[field.rawValue]) << field.shift
            rest /= radices[field.rawValue]
        }
        return ComparisonPattern(bits: bits)
    }
}
