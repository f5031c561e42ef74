import Domain
import TestSupport
import Testing

/// The published rules and examples: the IBZ instructions (IT000) as python-stdnum's `be.nn` and
/// `be.bis` documentation and doctests state them.
@Suite struct INSZTests {
    @Test func registerNumberWithSeparatorsIsValidAndCarriesBirthDateAndSex() throws {
        let insz = try INSZ("85.07.30-033 28")
        #expect(insz.digits == "85073003328")
        #expect(insz.kind == .register)
        #expect(insz.birthDate == LocalDate(year: 1985, month: 7, day: 30))
        #expect(insz.sex == .male)
        #expect(insz.formatted == "85.07.30-033.28")
    }

    @Test func birthsFrom2000UseThePrefixTwoInTheCheck() throws {
        let insz = try INSZ("17 07 30 033 84")
        #expect(insz.birthDate == LocalDate(year: 2017, month: 7, day: 30))
    }

    @Test func evenSerialIsFemale() throws {
        #expect(try INSZ("75.06.08-980.09").sex == .female)
    }

    @Test func wrongCheckDigitsAreRejected() {
        #expect(throws: INSZ.Invalid.checksum) { try INSZ("12345678901") }
        #expect(throws: INSZ.Invalid.checksum) { try INSZ("85073003329") }
    }

    @Test(arguments: ["", "1234567890", "123456789012", "85O73003328", "85/07/30-033.28"])
    func anythingButElevenDigitsIsAFormatError(text: String) {
        #expect(throws: INSZ.Invalid.format) { try INSZ(text) }
    }

    @Test func placeholderDatesMeanTheBirthDateIsUnknown() throws {
        for number in ["00000100166", "00000100195", "00400100155", "00400100184", "00200100112", "00200100141"] {
            let insz = try INSZ(number)
            #expect(insz.birthYear == nil, "\(number)")
            #expect(insz.birthDate == nil)
        }
    }

    @Test func monthOrDayZeroMeansUnknown() throws {
        let yearOnly = try INSZ("00000000128")
        #expect(yearOnly.birthYear == 2000)
        #expect(yearOnly.birthMonth == nil)
        let yearAndMonth = try INSZ("00010000135")
        #expect(yearAndMonth.birthYear == 2000)
        #expect(yearAndMonth.birthMonth == 1)
        #expect(yearAndMonth.birthDate == nil)
    }

    @Test func aDayPastTheEndOfItsMonthMeansTheDayIsUnknown() throws {
        let insz = try INSZ("85073500107")
        #expect(insz.birthYear == 1985)
        #expect(insz.birthMonth == 7)
        #expect(insz.birthDay == nil)
        #expect(insz.birthDate == nil)
    }

    @Test func impossibleMonthsAreRejected() {
        #expect(throws: INSZ.Invalid.impossibleDate) { try INSZ("85133000105") }
        #expect(throws: INSZ.Invalid.impossibleDate) { try INSZ("85533000191") }
        #expect(throws: INSZ.Invalid.impossibleDate) { try INSZ("85333000148") }
    }

    @Test func bisNumbersShiftTheMonthByTwentyOrForty() throws {
        let known = try INSZ("75.46.08-980.95")
        #expect(known.kind == .bis)
        #expect(known.birthDate == LocalDate(year: 1975, month: 6, day: 8))
        #expect(known.sex == .female)
        let from2000 = try INSZ("01 49 07 001 85")
        #expect(from2000.birthDate == LocalDate(year: 2001, month: 9, day: 7))
        let sexUnknown = try INSZ("75.26.08-980.52")
        #expect(sexUnknown.kind == .bis)
        #expect(sexUnknown.sex == nil)
        let dayUnknown = try INSZ("85473500193")
        #expect(dayUnknown.birthMonth == 7)
        #expect(dayUnknown.birthDay == nil)
        #expect(dayUnknown.sex == .male)
    }

    @Test func magdaTestNumbersOnlyWhereAllowed() throws {
        #expect(throws: INSZ.Invalid.testNumberNotAllowed) { try INSZ("00671031676") }
        let insz = try INSZ("00671031676", allowTestNumbers: true)
        #expect(insz.kind == .test)
        #expect(insz.birthDate == LocalDate(year: 2000, month: 7, day: 10))
    }

    @Test func aBirthAfterTodayUnderThe2000RuleIsRefused() throws {
        // Valid only under the rule for births from 2000, which makes it 30 July 2085.
        let today = LocalDate(year: 2026, month: 12, day: 1)!
        #expect(throws: INSZ.Invalid.birthInFuture) { try INSZ("85073003357", today: today) }
        #expect(try INSZ("85073003328", today: today).birthYear == 1985, "the same date under the 1900 rule is fine")
        // Born on 30 November 2026 (2000 rule): valid on 1 December, not the day before it was born.
        let newborn = INSZ.make(birthDate: LocalDate(year: 2026, month: 11, day: 30)!, serial: 33)
        #expect(try INSZ(newborn.digits, today: today).birthDate == LocalDate(year: 2026, month: 11, day: 30))
        #expect(throws: INSZ.Invalid.birthInFuture) { try INSZ(newborn.digits, today: LocalDate(year: 2026, month: 11, day: 29)!) }
        // Only the year known: refused when the year is after this one.
        let yearOnly = INSZ.make(birthDate: LocalDate(year: 2027, month: 1, day: 1)!, serial: 33)
        let unknownMonth = String(yearOnly.digits.prefix(2)) + "0000" + String(yearOnly.digits.dropFirst(6).prefix(3))
        let base = Int(unknownMonth)!
        let check = 97 - (2_000_000_000 + base) % 97
        let digits = unknownMonth + (check < 10 ? "0" : "") + String(check)
        #expect(throws: INSZ.Invalid.birthInFuture) { try INSZ(digits, today: today) }
        #expect(try INSZ(digits, today: LocalDate(year: 2027, month: 1, day: 1)!).birthYear == 2027)
    }

    @Test func descriptionNeverShowsTheNumber() throws {
        let insz = try INSZ("85073003328")
        #expect(!"\(insz)".contains("850730"))
        #expect(!String(reflecting: insz).contains("850730"))
        #expect(insz.masked == "85.07.30-•••.••")
    }

    @Test func madeNumbersAreValid() throws {
        let made = INSZ.make(birthDate: LocalDate(year: 2007, month: 2, day: 28)!, serial: 42, monthOffset: 60)
        let parsed = try INSZ(made.digits, allowTestNumbers: true)
        #expect(parsed.birthDate == LocalDate(year: 2007, month: 2, day: 28))
        #expect(parsed.sex == .female)
    }
}
