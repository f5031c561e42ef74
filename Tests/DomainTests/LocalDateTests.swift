import Domain
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
