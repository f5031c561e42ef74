/// The days off that do not count as working days: Belgium's ten public holidays (three of them
/// follow Easter, computed) and, in Flanders, 11 July (the Flemish Community's holiday), plus any
/// extra days an organisation closes (configurable).
public struct HolidayCalendar: Sendable, Equatable {
    public var flemishCommunityHoliday: Bool
    /// Further closing days (bridge days, a regional holiday).
    public var extraDays: Set<LocalDate>

    public init(flemishCommunityHoliday: Bool = true, extraDays: Set<LocalDate> = []) {
        self.flemishCommunityHoliday = flemishCommunityHoliday
        self.extraDays = extraDays
    }

    /// Belgium and the Flemish holiday: the calendar of VDAB's youth consultants.
    public static let flanders = HolidayCalendar()

    public func isHoliday(_ date: LocalDate) -> Bool {
        if extraDays.contains(date) { return true }
        let (year, month, day) = date.components
        switch (month, day) {
        case (1, 1), (5, 1), (7, 21), (8, 15), (11, 1), (11, 11), (12, 25): return true
        case (7, 11): return flemishCommunityHoliday
        default: break
        }
        let easter = Self.easterSunday(year)
        // Easter Monday, Ascension Day (39 days after Easter), Whit Monday (50 days after).
        return [1, 39, 50].contains(easter.days(until: date))
    }

    public func isWorkingDay(_ date: LocalDate) -> Bool { date.isoWeekday <= 5 && !isHoliday(date) }

    /// Easter Sunday in the Gregorian calendar (the anonymous algorithm of Meeus/Jones/Butcher).
    public static func easterSunday(_ year: Int) -> LocalDate {
        let a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4
        let f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1
        return LocalDate(year: year, month: month, day: day)!
    }
}

extension LocalDate {
    /// `count` working days after this date: weekends and the calendar's holidays do not count.
    public func adding(workingDays count: Int, calendar: HolidayCalendar = .flanders) -> LocalDate {
        var date = self
        var remaining = count
        while remaining > 0 {
            date = date.adding(days: 1)
            if calendar.isWorkingDay(date) { remaining -= 1 }
        }
        return date
    }
}
