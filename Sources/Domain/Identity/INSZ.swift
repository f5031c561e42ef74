/// The Belgian national number (INSZ: rijksregisternummer or BIS number), `YYMMDDSSSCC`.
///
/// A value of this type always holds a valid number: 11 digits whose mod-97 check matches (with the
/// `2` prefix for births from 2000), a month that is 00-12 (register), 20-32 or 40-52 (BIS, sex
/// unknown / known), or 60-72 (MAGDA test numbers, accepted only when the caller allows them).
/// Rules from the IBZ instructions (IT000) and python-stdnum's `be.nn` / `be.bis`:
/// month 00 or day 00 mean unknown; a day past the end of its month means unknown (the register's
/// way out when a day's serial numbers run out); `000001`, `002001` and `004001` are the placeholder
/// dates of a person whose birth date was unknown. Odd serial: male, even: female.
///
/// `description` never shows the number, so an INSZ interpolated into a log line by mistake leaks
/// nothing; use `digits` or `formatted` where showing it is the point.
public struct INSZ: Hashable, Sendable, Comparable {
    /// The 11 digits.
    public let digits: String

    public enum Kind: String, Sendable {
        /// A rijksregisternummer (national register).
        case register
        /// A BIS number (KSZ) for a person not in the national register.
        case bis
        /// A MAGDA test number (month 60-72): never a real person.
        case test
    }

    public enum Sex: String, Sendable, Codable { case male = "M", female = "F" }

    public enum Invalid: Error, Equatable, Sendable, CustomStringConvertible {
        /// Not 11 digits after removing dots, dashes and spaces.
        case format
        /// The mod-97 check digits do not match.
        case checksum
        /// A month that no INSZ uses (e.g. 13, 33, 53).
        case impossibleDate
        /// A MAGDA test number where only real numbers are accepted.
        case testNumberNotAllowed
        /// The check digits fit only the rule for births from 2000, and that birth date is after today.
        case birthInFuture

        public var code: String {
            switch self {
            case .format: "format"
            case .checksum: "checksum"
            case .impossibleDate: "impossible_date"
            case .testNumberNotAllowed: "test_number"
            case .birthInFuture: "birth_in_future"
            }
        }

        public var description: String {
            switch self {
            case .format: "not 11 digits"
            case .checksum: "check digits do not match (mod 97)"
            case .impossibleDate: "the birth date part is impossible"
            case .testNumberNotAllowed: "a MAGDA test number (month 60-72) is only accepted in a test or demo environment"
            case .birthInFuture: "the birth date it encodes lies in the future"
            }
        }
    }

    public let kind: Kind
    /// The year of birth, when known.
    public let birthYear: Int?
    /// The month of birth, when known.
    public let birthMonth: Int?
    /// The day of birth, when known (then `birthDate` is known too).
    public let birthDay: Int?
    public let sex: Sex?

    /// Validates `text`, accepting dots, dashes and spaces as separators, on `today` (from the
    /// clock): a number whose check digits fit only the rule for births from 2000 but whose birth
    /// date would then lie after today is refused, as the IBZ rules and python-stdnum do
    /// (`85073003357` would be born on 30 July 2085).
    public init(_ text: some StringProtocol, allowTestNumbers: Bool = false, today: LocalDate) throws(Invalid) {
        try self.init(text, allowTestNumbers: allowTestNumbers, notAfter: today)
    }

    /// A number read back from the store, validated when it arrived (no date to check against).
    public init(stored text: some StringProtocol) throws(Invalid) {
        try self.init(text, allowTestNumbers: true, notAfter: nil)
    }

    private init(_ text: some StringProtocol, allowTestNumbers: Bool, notAfter today: LocalDate?) throws(Invalid) {
        var digits: [UInt8] = []
        digits.reserveCapacity(11)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard digits.count < 11 else { throw .format }
                digits.append(byte - 48)
            case UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: " "):
                continue
            default:
                throw .format
            }
        }
        guard digits.count == 11 else { throw .format }

        func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + Int(digits[$1]) } }
        let base = number(0..<9)
        let check = number(9..<11)
        let century: Int
        if 97 - base % 97 == check {
            century = 1900
        } else if 97 - (2_000_000_000 + base) % 97 == check {
            century = 2000
        } else {
            throw .checksum
        }

        let yy = number(0..<2)
        let rawMonth = number(2..<4)
        let rawDay = number(4..<6)
        let serial = number(6..<9)
        let serialSex: Sex = serial % 2 == 1 ? .male : .female

        let kind: Kind
        let month: Int
        var sex: Sex? = serialSex
        switch rawMonth {
        case 0...12: kind = .register; month = rawMonth
        case 20...32: kind = .bis; month = rawMonth - 20; sex = nil
        case 40...52: kind = .bis; month = rawMonth - 40
        case 60...72:
            guard allowTestNumbers else { throw .testNumberNotAllowed }
            kind = .test; month = rawMonth - 60
        default: throw .impossibleDate
        }

        self.digits = String(decoding: digits.map { $0 + 48 }, as: UTF8.self)
        self.kind = kind
        self.sex = sex

        // The placeholder dates 00 00 01, 00 20 01, 00 40 01: nothing of the birth date is known.
        if yy == 0, month == 0, rawDay == 1 {
            birthYear = nil; birthMonth = nil; birthDay = nil
            return
        }
        let year = century + yy
        birthYear = year
        guard month != 0 else {
            birthMonth = nil; birthDay = nil
            if let today, year > today.components.year { throw .birthInFuture }
            return
        }
        birthMonth = month
        if rawDay == 0 || rawDay > LocalDate.daysIn(month: month, year: year) {
            birthDay = nil
        } else {
            birthDay = rawDay
        }
        // The earliest date the number can mean must not be after today.
        if let today, let earliest = LocalDate(year: year, month: month, day: birthDay ?? 1), earliest > today {
            throw .birthInFuture
        }
    }

    /// The birth date, only when the number carries all of it.
    public var birthDate: LocalDate? {
        guard let year = birthYear, let month = birthMonth, let day = birthDay else { return nil }
        return LocalDate(year: year, month: month, day: day)
    }

    /// What the number says of the birth date, possibly partial.
    public var partialBirthDate: PartialDate {
        PartialDate(year: birthYear, month: birthMonth, day: birthDay)
    }

    /// `YY.MM.DD-SSS.CC`, the form printed on identity documents.
    public var formatted: String {
        let d = Array(digits)
        return "\(d[0])\(d[1]).\(d[2])\(d[3]).\(d[4])\(d[5])-\(d[6])\(d[7])\(d[8]).\(d[9])\(d[10])"
    }

    /// `YY.MM.DD-SSS.CC` with all but the birth-date part hidden, for screens where recognising the
    /// person is enough.
    public var masked: String {
        let d = Array(digits)
        return "\(d[0])\(d[1]).\(d[2])\(d[3]).\(d[4])\(d[5])-•••.••"
    }

    public static func < (lhs: INSZ, rhs: INSZ) -> Bool { lhs.digits < rhs.digits }

    public static func == (lhs: INSZ, rhs: INSZ) -> Bool { lhs.digits == rhs.digits }
    public func hash(into hasher: inout Hasher) { hasher.combine(digits) }

    /// Builds a valid number from a birth date, a serial (1...997) and a kind; used by the simulator
    /// and by test builders.
    public static func make(birthDate: LocalDate, serial: Int, monthOffset: Int = 0) -> INSZ {
        let (year, month, day) = birthDate.components
        let yy = year % 100
        let base = yy * 10_000_000 + (month + monthOffset) * 100_000 + day * 1_000 + serial
        let check = year >= 2000 ? 97 - (2_000_000_000 + base) % 97 : 97 - base % 97
        let text = String(base).leftPadded(to: 9) + String(check).leftPadded(to: 2)
        return try! INSZ(stored: text)
    }
}

extension INSZ: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { "INSZ(redacted)" }
    public var debugDescription: String { "INSZ(redacted)" }
}

/// A birth date of which the year, the month or the day may be unknown.
public struct PartialDate: Hashable, Sendable {
    public var year: Int?
    public var month: Int?
    public var day: Int?

    public init(year: Int?, month: Int?, day: Int?) {
        self.year = year
        self.month = year == nil ? nil : month
        self.day = self.month == nil ? nil : day
    }

    public init(_ date: LocalDate) {
        let (y, m, d) = date.components
        self.init(year: y, month: m, day: d)
    }

    public var exact: LocalDate? {
        guard let year, let month, let day else { return nil }
        return LocalDate(year: year, month: month, day: day)
    }

    /// The latest date the birth can have been, given what is known.
    public var latestPossible: LocalDate? {
        guard let year else { return nil }
        if let exact { return exact }
        if let month { return LocalDate(year: year, month: month, day: LocalDate.daysIn(month: month, year: year)) }
        return LocalDate(year: year, month: 12, day: 31)
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
