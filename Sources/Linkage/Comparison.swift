/// The fields a pair of records is compared on, each with its comparison levels from most to least
/// alike. Level 0 of every field is "missing on one side": it weighs nothing either way.
public enum LinkageField: Int, CaseIterable, Sendable {
    case nationalNumber, givenName, surname, birthDate, sex, street, houseNumber, postcode, city

    /// The levels after "missing", in order; a pair falls in the first that applies.
    public var levels: [ComparisonLevel] {
        switch self {
        case .nationalNumber: [.exact, .exactButChecksumFails, .oneEdit, .transposition, .sameBirthOtherKind, .different]
        case .givenName: [.exact, .firstGivenName, .veryClose, .close, .swapped, .initial, .somewhatClose, .different]
        case .surname: [.exact, .veryClose, .close, .swapped, .somewhatClose, .different]
        case .birthDate: [.exact, .dayMonthSwapped, .oneDigit, .sameYear, .different]
        case .sex: [.exact, .different]
        case .street, .city: [.exact, .veryClose, .close, .different]
        case .houseNumber: [.exact, .sameNumberOtherSuffix, .different]
        case .postcode: [.exact, .oneDigit, .sameRegion, .different]
        }
    }

    /// Four bits per field in a comparison pattern.
    var shift: UInt64 { UInt64(rawValue * 4) }
}

/// How alike two values of a field are. The steward reads these as words (`dutch`, `english`).
public enum ComparisonLevel: String, Sendable {
    case missing, exact, exactButChecksumFails, oneEdit, transposition, sameBirthOtherKind
    case firstGivenName, veryClose, close, swapped, initial, somewhatClose
    case dayMonthSwapped, oneDigit, sameYear, sameNumberOtherSuffix, sameRegion, different
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
    let encoder: Encoder

    // Jaro–Winkler bands of the name and address levels.
    static let veryClose = 0.94, close = 0.88, somewhatClose = 0.7
    static let addressVeryClose = 0.92, addressClose = 0.8

    func pattern(_ a: RecordColumns, _ i: Int, _ b: RecordColumns, _ j: Int) -> UInt64 {
        var bits: UInt64 = 0
        func put(_ field: LinkageField, _ level: Int) { bits |= UInt64(level) << field.shift }
        put(.nationalNumber, nationalNumber(a, i, b, j))
        put(.givenName, givenName(a, i, b, j))
        put(.surname, surname(a, i, b, j))
        put(.birthDate, Self.birthDate(a.birthDate[i], b.birthDate[j]))
        let sa = a.sex[i], sb = b.sex[j]
        put(.sex, sa == 0 || sb == 0 ? 0 : sa == sb ? 1 : 2)
        put(.street, fuzzy(encoder.streets, a.street[i], b.street[j], Self.addressVeryClose, Self.addressClose))
        put(.houseNumber, houseNumber(a.houseNumber[i], b.houseNumber[j]))
        put(.postcode, postcode(a.postcode[i], b.postcode[j]))
        put(.city, fuzzy(encoder.cities, a.city[i], b.city[j], Self.addressVeryClose, Self.addressClose))
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

    private func givenName(_ a: RecordColumns, _ i: Int, _ b: RecordColumns, _ j: Int) -> Int {
        let x = a.givenName[i], y = b.givenName[j]
        if x == 0 || y == 0 { return 0 }
        if x == y { return 1 }
        let fx = a.firstGivenName[i], fy = b.firstGivenName[j]
        if fx == fy || fx == y || x == fy { return 2 }
        let score = max(jaroWinkler(x, y), jaroWinkler(fx, fy))
        if score >= Self.veryClose { return 3 }
        if score >= Self.close { return 4 }
        if fx == b.surname[j] || a.surname[i] == fy { return 5 }
        if isInitial(x, of: y) || isInitial(y, of: x) { return 6 }
        if score >= Self.somewhatClose { return 7 }
        return 8
    }

    private func surname(_ a: RecordColumns, _ i: Int, _ b: RecordColumns, _ j: Int) -> Int {
        let x = a.surname[i], y = b.surname[j]
        if x == 0 || y == 0 { return 0 }
        if x == y { return 1 }
        let score = jaroWinkler(x, y)
        if score >= Self.veryClose { return 2 }
        if score >= Self.close { return 3 }
        if x == b.firstGivenName[j] || a.firstGivenName[i] == y { return 4 }
        if score >= Self.somewhatClose { return 5 }
        return 6
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

    private func houseNumber(_ x: Int32, _ y: Int32) -> Int {
        if x == 0 || y == 0 { return 0 }
        if x == y { return 1 }
        let leading: (Int32) -> [UInt8] = { token in
            encoder.houseNumbers.withBytes(token) { Array($0.prefix { $0 >= 0x30 && $0 <= 0x39 }) }
        }
        let dx = leading(x)
        return !dx.isEmpty && dx == leading(y) ? 2 : 3
    }

    private func postcode(_ x: Int32, _ y: Int32) -> Int {
        if x == 0 || y == 0 { return 0 }
        if x == y { return 1 }
        return encoder.postcodes.withBytes(x) { p in
            encoder.postcodes.withBytes(y) { q in
                if p.count == q.count && StringSimilarity.isOneEdit(p, q) { return 2 }
                if p.count >= 2 && q.count >= 2 && p[0] == q[0] && p[1] == q[1] { return 3 }
                return 4
            }
        }
    }

    private func fuzzy(_ table: TokenTable, _ x: Int32, _ y: Int32, _ veryClose: Double, _ close: Double) -> Int {
        if x == 0 || y == 0 { return 0 }
        if x == y { return 1 }
        let score = table.withBytes(x) { p in table.withBytes(y) { q in StringSimilarity.jaroWinkler(p, q) } }
        return score >= veryClose ? 2 : score >= close ? 3 : 4
    }

    private func jaroWinkler(_ x: Int32, _ y: Int32) -> Double {
        if x == 0 || y == 0 { return 0 }
        return encoder.names.withBytes(x) { p in encoder.names.withBytes(y) { q in StringSimilarity.jaroWinkler(p, q) } }
    }

    private func isInitial(_ x: Int32, of y: Int32) -> Bool {
        encoder.names.length(x) == 1 && encoder.names.withBytes(x) { p in encoder.names.withBytes(y) { q in !q.isEmpty && p[0] == q[0] } }
    }
}
