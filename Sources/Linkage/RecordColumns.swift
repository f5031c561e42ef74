import Domain

/// The records of one file as columns of tokens, ready to compare.
struct RecordColumns: Sendable {
    var nationalNumber: [Int32] = []
    /// 0 not checkable (not 11 digits), 1 valid INSZ/BIS checksum, 2 an 11-digit number whose checksum fails.
    var checksum: [UInt8] = []
    var givenName: [Int32] = []
    var firstGivenName: [Int32] = []
    var surname: [Int32] = []
    /// The surname without its leading particles (`Van den Broeck`, `Vandenbroeck` → `broeck`), for blocking.
    var surnameCore: [Int32] = []
    /// yyyymmdd as digits (month or day 0 when unknown); 0 when missing.
    var birthDate: [Int32] = []
    /// 0 missing, 1 male, 2 female.
    var sex: [UInt8] = []
    var street: [Int32] = []
    var houseNumber: [Int32] = []
    var postcode: [Int32] = []
    var city: [Int32] = []

    var count: Int { nationalNumber.count }

    mutating func reserve(_ n: Int) {
        nationalNumber.reserveCapacity(n); checksum.reserveCapacity(n)
        givenName.reserveCapacity(n); firstGivenName.reserveCapacity(n); surname.reserveCapacity(n); surnameCore.reserveCapacity(n)
        birthDate.reserveCapacity(n); sex.reserveCapacity(n); street.reserveCapacity(n)
        houseNumber.reserveCapacity(n); postcode.reserveCapacity(n); city.reserveCapacity(n)
    }
}

/// The shared token tables of a run and the folding of records into columns.
struct RecordEncoder: Sendable {
    /// Given names and surnames share a table, so that a swap is seen as equal tokens.
    var names = TokenTable()
    var numbers = TokenTable()
    var streets = TokenTable()
    var houseNumbers = TokenTable()
    var postcodes = TokenTable()
    var cities = TokenTable()

    mutating func encode(_ records: [LinkageRecord]) -> RecordColumns {
        var columns = RecordColumns()
        columns.reserve(records.count)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(256)
        var given: [UInt8] = []
        given.reserveCapacity(256)
        for record in records {
            // One buffer reused for every field: a token's bytes are copied only when it is new.
            func token(_ text: String?, _ keep: Folding.Keep, _ table: inout TokenTable, _ transform: ((inout [UInt8]) -> Void)? = nil) -> Int32 {
                buffer.removeAll(keepingCapacity: true)
                if let text { Folding.fold(text, keeping: keep, into: &buffer) }
                transform?(&buffer)
                return table.intern(buffer)
            }
            columns.nationalNumber.append(token(record.nationalNumber, .digits, &numbers))
            columns.checksum.append(Self.checksum(buffer))
            given.removeAll(keepingCapacity: true)
            if let text = record.givenName { Folding.fold(text, keeping: .lettersAndSpaces, into: &given) }
            buffer.removeAll(keepingCapacity: true)
            buffer.append(contentsOf: given.lazy.filter { $0 != 0x20 })
            columns.givenName.append(names.intern(buffer))
            buffer.removeAll(keepingCapacity: true)
            buffer.append(contentsOf: given.prefix { $0 != 0x20 })
            columns.firstGivenName.append(names.intern(buffer))
            columns.surname.append(token(record.surname, .letters, &names))
            columns.surnameCore.append(names.intern(Self.core(buffer)))
            columns.birthDate.append(Self.birthDate(record.birthDate))
            columns.sex.append(record.sex == .male ? 1 : record.sex == .female ? 2 : 0)
            columns.street.append(token(record.street, .lettersAndDigits, &streets) { $0 = Self.street($0) })
            columns.houseNumber.append(token(record.houseNumber, .lettersAndDigits, &houseNumbers))
            columns.postcode.append(token(record.postcode, .digits, &postcodes))
            columns.city.append(token(record.city, .letters, &cities))
        }
        return columns
    }

    /// A folded surname without leading particles, as long as three letters remain. Only a blocking
    /// key: both spellings of one name give the same core, and "Van Damme" meets "Damme".
    static func core(_ folded: [UInt8]) -> [UInt8] {
        var rest = folded[...]
        var stripped = true
        while stripped {
            stripped = false
            for particle in particles where rest.count - particle.count >= 3 && rest.starts(with: particle) {
                rest = rest.dropFirst(particle.count)
                stripped = true
                break
            }
        }
        return Array(rest)
    }

    private static let particles = ["vanden", "vander", "vande", "van", "den", "der", "de", "ver", "op", "ten", "ter", "el", "ben"]
        .map { Array($0.utf8) }

    /// The INSZ check: 97 minus the first nine digits modulo 97, with a 2 in front for births from 2000.
    static func checksum(_ digits: [UInt8]) -> UInt8 {
        guard digits.count == 11 else { return 0 }
        var base = 0
        for digit in digits.prefix(9) { base = base * 10 + Int(digit - 0x30) }
        let check = Int(digits[9] - 0x30) * 10 + Int(digits[10] - 0x30)
        return (97 - base % 97 == check || 97 - (2_000_000_000 + base) % 97 == check) ? 1 : 2
    }

    /// YYYY-MM-DD, DD/MM/YYYY (or with dashes or dots), YYYYMMDD or YYYY as yyyymmdd digits;
    /// anything else is missing. Eight digits in a row are taken as they are, even when they are no
    /// valid date (a typo in a date is a comparison level of its own); a date written with
    /// separators must exist.
    static func birthDate(_ text: String?) -> Int32 {
        guard let text else { return 0 }
        let parts = text.split(whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." || $0 == " " })
        if parts.count == 3, parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) {
            let numbers = parts.map { Int($0)! }
            let (year, month, day) = parts[0].count == 4 ? (numbers[0], numbers[1], numbers[2])
                : parts[2].count == 4 ? (numbers[2], numbers[1], numbers[0]) : (0, 0, 0)
            guard LocalDate(year: year, month: month, day: day) != nil
                    || (1...31).contains(month) && (1...12).contains(day) && parts[0].count == 4 else { return 0 }
            return Int32(year * 10_000 + month * 100 + day)
        }
        guard parts.count == 1 else { return 0 }
        let digits = Folding.fold(text, keeping: .digits)
        guard digits.count == text.utf8.count else { return 0 }
        var value: Int32 = 0
        for digit in digits { value = value * 10 + Int32(digit - 0x30) }
        switch digits.count {
        case 8: return value
        case 4: return value * 10_000
        default: return 0
        }
    }

    /// A street's common abbreviations written out ("kerkstr" → "kerkstraat", "lindenln" → "lindenlaan").
    static func street(_ folded: [UInt8]) -> [UInt8] {
        for (short, long) in streetAbbreviations where folded.count > short.count && folded.suffix(short.count).elementsEqual(short) {
            return Array(folded.dropLast(short.count)) + long
        }
        return folded
    }

    private static let streetAbbreviations: [([UInt8], [UInt8])] = [
        ("str", "straat"), ("stwg", "steenweg"), ("stw", "steenweg"), ("ln", "laan"), ("pln", "plein"),
    ].map { (Array($0.0.utf8), Array($0.1.utf8)) }
}
