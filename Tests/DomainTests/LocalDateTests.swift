import Domain
import Foundation
import TestSupport
import Testing

@Suite struct LocalDateTests {
    @Test func parsesAndPrintsISODates() {
        #expect(LocalDate(iso: "2024-02-29")?.iso == "2024-02-29")
        #expect(LocalDate(iso: "2023-02-29") == nil)
        #expect(LocalDate(iso: "2024-13-01") == nil)
        #expect(LocalDate(iso: "24-01-01") == nil)
        #expect(LocalDate(iso: "2024/01/01") == nil)
        #expect(LocalDate(iso: "1969-12-31")?.ordinal == -1)
        #expect(LocalDate(iso: "1970-01-01")?.ordinal == 0)
    }

    @Test func arithmeticCrossesMonthsAndYears() {
        #expect(date("2025-12-31").adding(days: 1) == date("2026-01-01"))
        #expect(date("2024-02-28").adding(days: 1) == date("2024-02-29"))
        #expect(date("2024-02-29").adding(years: 1) == date("2025-03-01"))
        #expect(date("2024-02-29").adding(years: 4) == date("2028-02-29"))
        #expect(date("2025-06-30").days(until: date("2025-10-01")) == 93)
    }

    @Test func ageCountsCompletedYears() {
        let born = date("2007-10-15")
        #expect(born.age(on: date("2025-10-14")) == 17)
        #expect(born.age(on: date("2025-10-15")) == 18)
    }

    @Test func workingDaysSkipWeekends() {
        // 2026-11-27 is a Friday.
        #expect(date("2026-11-27").isoWeekday == 5)
        #expect(date("2026-11-27").adding(workingDays: 1) == date("2026-11-30"))
        #expect(date("2026-11-27").adding(workingDays: 5) == date("2026-12-04"))
    }

    @Test func schoolYearsRunFromSeptemberToAugust() {
        #expect(SchoolYear("2025-2026")?.firstDay == date("2025-09-01"))
        #expect(SchoolYear("2025-2027") == nil)
        #expect(SchoolYear("1899-1900") == nil)
        #expect(SchoolYear("2999-3000")?.startYear == 2999)
        for malformed in ["", "2025", "2025-", "2025-202", "2025-20260", " 2025-2026", "2025/2026", "20a5-2026", "2025--2026", "२०२५-२०२६"] {
            #expect(SchoolYear(malformed) == nil, "\(malformed)")
        }
        #expect(SchoolYear("x2025-2026".dropFirst())?.startYear == 2025)
        #expect(SchoolYear(containing: date("2026-08-31")).description == "2025-2026")
        #expect(SchoolYear(containing: date("2026-09-01")).description == "2026-2027")
    }
}

@Suite struct TypedDateTests {
    @Test func datesAreReadAsPeopleInBelgiumTypeThem() {
        let first = LocalDate(year: 2026, month: 12, day: 1)!
        for typed in ["2026-12-01", "01/12/2026", "1/12/2026", "1-12-2026", "01.12.2026", " 01/12/2026 "] {
            #expect(TypedDate(typed) == .date(first), "\(typed)")
        }
        #expect(TypedDate("30/02/2026") == .noSuchDay(day: 30, month: 2, year: 2026))
        #expect(TypedDate("2026-02-30") == .noSuchDay(day: 30, month: 2, year: 2026))
        #expect(TypedDate("morgen") == .notADate)
        #expect(TypedDate("12/2026") == .notADate)
        #expect(TypedDate("13/13/2026") == .notADate)
        #expect(TypedDate("") == .empty)
    }
}

@Suite struct HolidayTests {
    @Test func easterAndTheHolidaysThatFollowItAreComputed() {
        #expect(HolidayCalendar.easterSunday(2026) == date("2026-04-05"))
        #expect(HolidayCalendar.easterSunday(2027) == date("2027-03-28"))
        #expect(HolidayCalendar.easterSunday(2025) == date("2025-04-20"))
        let flanders = HolidayCalendar.flanders
        for day in ["2026-04-06", "2026-05-14", "2026-05-25", "2026-07-11", "2026-07-21", "2026-08-15", "2026-11-01",
                    "2026-11-11", "2026-12-25", "2027-01-01", "2026-05-01"] {
            #expect(flanders.isHoliday(date(day)), "\(day)")
        }
        #expect(!flanders.isHoliday(date("2026-04-05").adding(days: 2)))
        #expect(!HolidayCalendar(flemishCommunityHoliday: false).isHoliday(date("2026-07-11")))
    }

    @Test func theFirstContactIsDueInFiveWorkingDaysWithoutHolidays() {
        // Opened on Friday 8 May 2026: Ascension (Thursday 14 May) does not count.
        #expect(CaseRules.firstContactDue(openedOn: date("2026-05-08")) == date("2026-05-18"))
        // Opened on Wednesday 8 July 2026: 11 July is a Saturday, 21 July far away: 15 July.
        #expect(CaseRules.firstContactDue(openedOn: date("2026-07-08")) == date("2026-07-15"))
        // Opened on Monday 21 December 2026: Christmas and New Year's Day do not count.
        #expect(CaseRules.firstContactDue(openedOn: date("2026-12-21")) == date("2026-12-29"))
        #expect(CaseRules.firstContactDue(openedOn: date("2026-11-27")) == date("2026-12-04"))
    }
}

@Suite struct StoredTimestampTests {
    /// The parser is the formatter's inverse, to the millisecond, before and after 1970 too.
    @Test func aStoredTimestampReadsBackAsTheInstantItNames() throws {
        for seconds in [0.0, 1_764_576_000.123, 1_796_112_000.999, 951_782_400.5, -86_400.25, 4_102_444_799.001] {
            let instant = Date(timeIntervalSince1970: seconds)
            let text = storedTimestamp(instant)
            let back = parseStoredTimestamp(text)
            #expect(back.map { abs($0.timeIntervalSince1970 - seconds) < 0.0015 } == true, "\(text)")
            // As Foundation's ISO 8601 formatter reads it.
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            let foundation = try #require(formatter.date(from: text))
            #expect(back.map { abs($0.timeIntervalSince(foundation)) < 0.000_01 } == true, "\(text)")
        }
        #expect(parseStoredTimestamp("2026-12-01T07:58:05Z") == Date(timeIntervalSince1970: 1_796_111_885))
    }

    @Test func anythingElseIsNoInstant() {
        for text in ["", "2026-12-01", "2026-12-01T07:58:05.088", "2026-12-01 07:58:05.088Z", "2026-13-01T07:58:05.088Z",
                     "2026-02-30T07:58:05.088Z", "2026-12-01T24:00:00.000Z", "2026-12-01T07:60:05.088Z", "2026-12-01T07:58:05,088Z",
                     "2026-12-01T07:58:05.08xZ", "2026-12-01T07:58:05.0880Z", "２026-12-01T07:58:05.088Z"] {
            #expect(parseStoredTimestamp(text) == nil, "\(text)")
        }
    }
}
