import Foundation

/// A calendar date without a time of day or a time zone: a birth date, an enrolment's last day, an
/// award date. Stored as the number of days since 1970-01-01 so that comparing and adding days is
/// integer arithmetic (Foundation's `Calendar` is far too slow for the pipeline's millions of dates).
public struct LocalDate: Hashable, Comparable, Sendable {
    /// Days since 1970-01-01 (negative before).
    public let ordinal: Int

    public init(ordinal: Int) { self.ordinal = ordinal }

    /// A valid Gregorian date, or nil (month 1...12, day within the month, year 1...9999).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= LocalDate.daysIn(month: month, year: year) else { return nil }
        ordinal = LocalDate.daysFromCivil(year: year, month: month, day: day)
    }

    /// Parses `YYYY-MM-DD` exactly (the exchange format's only date form).
    public init?(iso text: some StringProtocol) {
        var utf8 = Array(text.utf8)
        guard utf8.count == 10, utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-") else { return nil }
        guard let year = LocalDate.digits(&utf8, 0, 4), let month = LocalDate.digits(&utf8, 5, 2),
              let day = LocalDate.digits(&utf8, 8, 2) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    private static func digits(_ bytes: inout [UInt8], _ start: Int, _ count: Int) -> Int? {
        var value = 0
        for index in start..<(start + count) {
            let byte = bytes[index]
            guard byte >= 48, byte <= 57 else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        return value
    }

    public var components: (year: Int, month: Int, day: Int) { LocalDate.civilFromDays(ordinal) }
    public var year: Int { components.year }
    public var month: Int { components.month }
    public var day: Int { components.day }

    public func adding(days: Int) -> LocalDate { LocalDate(ordinal: ordinal + days) }

    /// The same day and month `years` later. A 29 February becomes 1 March in a common year — the
    /// day a person born on 29 February legally reaches an age in a common year.
    public func adding(years: Int) -> LocalDate {
        let (y, m, d) = components
        if let date = LocalDate(year: y + years, month: m, day: d) { return date }
        return LocalDate(year: y + years, month: 3, day: 1)!
    }

    /// The same day `months` calendar months later, or the last day of that month when it is
    /// shorter (31 January + 1 month is 28 or 29 February).
    public func adding(months: Int) -> LocalDate {
        let (y, m, d) = components
        let index = y * 12 + (m - 1) + months
        let (year, month) = (index >= 0 ? index / 12 : (index - 11) / 12, ((index % 12) + 12) % 12 + 1)
        var day = d
        while day > 28, LocalDate(year: year, month: month, day: day) == nil { day -= 1 }
        return LocalDate(year: year, month: month, day: day)!
    }

    /// Whole days from `self` to `other` (positive when `other` is later).
    public func days(until other: LocalDate) -> Int { other.ordinal - ordinal }

    /// Completed years of age on `date` for a person born on `self`.
    public func age(on date: LocalDate) -> Int {
        let (by, bm, bd) = components
        let (y, m, d) = date.components
        var age = y - by
        if m < bm || (m == bm && d < bd) { age -= 1 }
        return age
    }

    /// Monday = 1 ... Sunday = 7 (ISO 8601).
    public var isoWeekday: Int {
        // 1970-01-01 was a Thursday (4).
        let weekday = ((ordinal % 7) + 7 + 3) % 7
        return weekday + 1
    }

    public var iso: String {
        let (y, m, d) = components
        return LocalDate.pad(y, 4) + "-" + LocalDate.pad(m, 2) + "-" + LocalDate.pad(d, 2)
    }

    /// The bytes of `iso`, appended without making a text (the record codec writes one per date).
    public func appendISO(to bytes: inout [UInt8]) {
        let (y, m, d) = components
        guard (0...9999).contains(y) else { bytes.append(contentsOf: iso.utf8); return }
        @inline(__always) func digit(_ value: Int) { bytes.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value)) }
        digit(y / 1000); digit(y / 100 % 10); digit(y / 10 % 10); digit(y % 10)
        bytes.append(UInt8(ascii: "-")); digit(m / 10); digit(m % 10)
        bytes.append(UInt8(ascii: "-")); digit(d / 10); digit(d % 10)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool { lhs.ordinal < rhs.ordinal }

    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's days_from_civil / civil_from_days (public domain algorithms).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}

extension LocalDate: CustomStringConvertible {
    public var description: String { iso }
}

extension LocalDate: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = LocalDate(iso: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected YYYY-MM-DD")
        }
        self = date
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}

