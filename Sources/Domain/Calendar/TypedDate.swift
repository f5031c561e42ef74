import Foundation

/// A date as people type it in a form: `2026-12-01`, `01/12/2026`, `1-12-2026` or `1.12.2026`
/// (day first, as in Belgium). Says precisely what is wrong, so the form can say it.
public enum TypedDate: Sendable, Equatable {
    case date(LocalDate)
    /// Empty (the caller decides whether that is allowed).
    case empty
    /// Not a date in any of the forms above.
    case notADate
    /// Day and month are numbers, but that day does not exist (`30/02/2026`).
    case noSuchDay(day: Int, month: Int, year: Int)

    public init(_ typed: String) {
        let text = typed.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { self = .empty; return }
        let parts = text.split(whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." }).map(String.init)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let a = Int(parts[0]), let b = Int(parts[1]), let c = Int(parts[2]) else { self = .notADate; return }
        let (year, month, day): (Int, Int, Int)
        if parts[0].count == 4 { (year, month, day) = (a, b, c) } else if parts[2].count == 4 { (year, month, day) = (c, b, a) } else {
            self = .notADate
            return
        }
        guard (1...12).contains(month), (1...31).contains(day), (1900...2999).contains(year) else { self = .notADate; return }
        guard let date = LocalDate(year: year, month: month, day: day) else { self = .noSuchDay(day: day, month: month, year: year); return }
        self = .date(date)
    }

    public var date: LocalDate? { if case .date(let d) = self { d } else { nil } }
}

extension LocalDate {
    /// The date as the forms ask for it: `01/12/2026` (dd/mm/jjjj), which `TypedDate` reads back.
    public var typed: String {
        let (y, m, d) = components
        return (d < 10 ? "0" : "") + String(d) + "/" + (m < 10 ? "0" : "") + String(m) + "/" + String(y)
    }
}
