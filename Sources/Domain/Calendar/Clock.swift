import Foundation

/// Where "now" and "today" come from: the one clock of the system. Nothing outside the
/// composition root (`vangnet`'s commands and the test support) reads the system clock; every
/// rule, store and page that needs an instant or a date is given a clock. Tests pin it.
///
/// `today` is the calendar date in Belgium (Europe/Brussels), where every rule of the policy is set.
public struct Clock: Sendable {
    private let instant: @Sendable () -> Date
    private let date: @Sendable (Date) -> LocalDate

    /// A clock whose date is the Belgian date of its instant.
    public init(_ now: @escaping @Sendable () -> Date) {
        instant = now
        date = { LocalDate(in: Clock.belgium, at: $0) }
    }

    private init(now: @escaping @Sendable () -> Date, date: @escaping @Sendable (Date) -> LocalDate) {
        instant = now
        self.date = date
    }

    /// The current instant: what sessions, lock-outs, audit entries and signatures are timed by.
    public func now() -> Date { instant() }

    /// The date the rules apply to: the calendar date in Belgium, unless pinned.
    public func today() -> LocalDate { date(instant()) }

    /// The system clock.
    public static let system = Clock { Date() }

    /// Always the same instant.
    public static func fixed(_ instant: Date) -> Clock { Clock { instant } }

    /// Always noon (Belgian time) of `date`.
    public static func fixed(_ date: LocalDate) -> Clock { fixed(date.noonInBelgium) }

    /// Instants from `clock`, but the rules' date pinned to `date` (`VANGNET_TODAY`: the demo, tests
    /// and benchmarks that replay a school year). Time keeps running for sessions and signatures.
    public static func pinned(to date: LocalDate, instants clock: Clock = .system) -> Clock {
        Clock(now: { clock.now() }, date: { _ in date })
    }

    /// The hour (0–23) in Belgium of this clock's instant: for jobs that run at a time of day.
    public func hourInBelgium() -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Clock.belgium
        return calendar.component(.hour, from: now())
    }

    public static let belgium: TimeZone = TimeZone(identifier: "Europe/Brussels") ?? TimeZone(secondsFromGMT: 3600)!
}

extension LocalDate {
    /// The date of `instant` in `zone`.
    public init(in zone: TimeZone, at instant: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        self = LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }

    /// 12:00 in Belgium on this date.
    public var noonInBelgium: Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Clock.belgium
        let (year, month, day) = components
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: 12))!
    }
}

/// A clock that tests move by hand: session expiry, lock-outs, retention.
public final class ManualClock: Sendable {
    private let state: LockedInstant

    public init(_ start: Date) { state = LockedInstant(start) }

    public var clock: Clock { let state = state; return Clock { state.value } }

    public func advance(by interval: TimeInterval) { state.add(interval) }
    public func set(_ instant: Date) { state.set(instant) }
}

/// The one lock idiom of the domain: an `NSLock` around a value.
final class LockedInstant: @unchecked Sendable {
    private let lock = NSLock()
    private var instant: Date
    init(_ instant: Date) { self.instant = instant }
    var value: Date { lock.withLock { instant } }
    func add(_ interval: TimeInterval) { lock.withLock { instant = instant.addingTimeInterval(interval) } }
    func set(_ next: Date) { lock.withLock { instant = next } }
}
