import Foundation

/// The UTC instant as stored: ISO 8601 with milliseconds, sortable as text.
public func storedTimestamp(_ date: Date) -> String {
    let seconds = date.timeIntervalSince1970
    let whole = floor(seconds)
    let millis = Int((seconds - whole) * 1000)
    let day = LocalDate(ordinal: Int(whole) / 86_400 - (Int(whole) < 0 && Int(whole) % 86_400 != 0 ? 1 : 0))
    let secondOfDay = Int(whole) - day.ordinal * 86_400
    func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    let ms = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
    return "\(day.iso)T\(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)):\(two(secondOfDay % 60)).\(ms)Z"
}

/// The instant a stored timestamp names (`storedTimestamp`'s form, milliseconds optional), or nil.
/// By hand rather than with `ISO8601DateFormatter`: every page request reads its session's two
/// times and a case page the time of every event it lists; a formatter made per request took 4 %
/// of the server's CPU under the caseload benchmark's load.
public func parseStoredTimestamp(_ text: String) -> Date? {
    let utf8 = Array(text.utf8)
    guard utf8.count == 20 || utf8.count == 24, utf8.last == UInt8(ascii: "Z"), utf8[10] == UInt8(ascii: "T"),
          utf8[13] == UInt8(ascii: ":"), utf8[16] == UInt8(ascii: ":"),
          let day = LocalDate(iso: text.prefix(10))
    else { return nil }
    func number(_ start: Int, _ count: Int) -> Int? {
        var value = 0
        for byte in utf8[start..<(start + count)] {
            guard byte >= 48, byte <= 57 else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        return value
    }
    guard let hours = number(11, 2), let minutes = number(14, 2), let seconds = number(17, 2),
          hours < 24, minutes < 60, seconds < 61 else { return nil }
    var millis = 0
    if utf8.count == 24 {
        guard utf8[19] == UInt8(ascii: "."), let fraction = number(20, 3) else { return nil }
        millis = fraction
    }
    let whole = day.ordinal * 86_400 + hours * 3600 + minutes * 60 + seconds
    return Date(timeIntervalSince1970: Double(whole) + Double(millis) / 1000)
}
