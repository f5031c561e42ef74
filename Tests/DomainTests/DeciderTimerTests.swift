import Domain
import PropertyBased
import TestSupport
import Testing

/// The pipeline's timer (`reviewOn`) is the first day the same facts give another decision: the
/// decision holds every day before it and changes on it, and without a timer it never changes.
@Suite struct DeciderTimerTests {
    static let decider = Decider(policy: .default)

    @Test func aQualifiedLeaverGetsNoTimerForBirthdays() {
        // Qualified in 2024, turns 18 in 2025 and reaches the age limit in 2032: neither changes anything.
        let person = PersonBuilder(born: "2007-03-14")
            .enrolled(from: "2023-09-01", to: "2024-06-30", exit: .endOfSchoolYear)
            .qualified(on: "2024-06-30")
            .lives(postcode: "9000")
        let decision = Self.decider.decide(person.timeline, on: date("2024-11-01"))
        #expect(decision.reasons.last?.rule == .qualified)
        #expect(decision.reviewOn == nil)
    }

    @Test func anUnqualifiedLeaverIsReviewedAtTheAgeLimit() {
        let person = PersonBuilder(born: "2006-03-14")
            .enrolled(from: "2023-09-01", to: "2024-06-30", exit: .endOfSchoolYear)
            .lives(postcode: "9000")
        let decision = Self.decider.decide(person.timeline, on: date("2024-11-01"))
        #expect(decision.outcome == .eligible)
        #expect(decision.reviewOn == date("2006-03-14").adding(years: Policy.default.maximumAge))
    }

    @Test func withoutTheTimerTheDecisionIsTheSame() {
        let person = PersonBuilder(born: "2008-01-20").enrolled(from: "2025-09-01", to: "2026-02-10", exit: .pupilOrParents)
        var withTimer = Self.decider.decide(person.timeline, on: date("2026-11-29"))
        #expect(withTimer.reviewOn != nil)
        withTimer.reviewOn = nil
        #expect(Self.decider.decide(person.timeline, on: date("2026-11-29"), withTimer: false).saysTheSame(as: withTimer))
    }

    /// A person of one to six random records (enrolments that end or go on, a diploma, an address
    /// abroad or not, a registration at VDAB, a job), decided on a random day between 2020 and 2030:
    /// every day up to the timer says the same, the timer's day says something else, and after a
    /// decision without a timer nothing changes for fifteen years.
    @Test func theTimerIsTheFirstDayTheDecisionChanges() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            var generator = SplitMix(seed: UInt64(seed))
            let person = Self.randomPerson(&generator)
            let today = LocalDate(ordinal: LocalDate(year: 2020, month: 1, day: 1)!.ordinal + Int.random(in: 0..<3650, using: &generator))
            let decision = Self.decider.decide(person.timeline, on: today)
            let end = decision.reviewOn ?? today.adding(years: 15)
            // Every day before the timer (a sample of them, and the day before it) says the same.
            var days = (0..<60).map { _ in Int.random(in: (today.ordinal + 1)..<max(end.ordinal, today.ordinal + 2), using: &generator) }
            days.append(end.ordinal - 1)
            for ordinal in days where ordinal > today.ordinal && ordinal < end.ordinal {
                var later = Self.decider.decide(person.timeline, on: LocalDate(ordinal: ordinal), withTimer: false)
                later.reviewOn = decision.reviewOn
                #expect(later.saysTheSame(as: decision), "changed on \(LocalDate(ordinal: ordinal).iso) before the timer \(end.iso)")
            }
            if let review = decision.reviewOn {
                var then = Self.decider.decide(person.timeline, on: review, withTimer: false)
                then.reviewOn = decision.reviewOn
                #expect(!then.saysTheSame(as: decision), "nothing changed on the timer's day \(review.iso)")
            }
        }
    }

    static func randomPerson(_ g: inout SplitMix) -> PersonBuilder {
        func day(_ from: Int, _ to: Int) -> String {
            LocalDate(ordinal: LocalDate(year: from, month: 1, day: 1)!.ordinal
                      + Int.random(in: 0..<((to - from + 1) * 365), using: &g)).iso
        }
        let born = day(2002, 2010)
        var person = PersonBuilder(born: born)
        let start = day(2018, 2026)
        let end = Bool.random(using: &g) ? nil : LocalDate(ordinal: date(start).ordinal + Int.random(in: 30...700, using: &g)).iso
        let exit: Enrolment.ExitReason? = end == nil ? nil : [.endOfSchoolYear, .pupilOrParents, .schoolOrCLB].randomElement(using: &g)!
        person = person.enrolled(from: start, to: end, exit: exit)
        if Int.random(in: 0..<3, using: &g) == 0, let end { person = person.qualified(on: end) }
        if Bool.random(using: &g) {
            person = person.lives(postcode: ["9000", "2000", "1000", "4000"].randomElement(using: &g)!,
                                  emigrated: Int.random(in: 0..<5, using: &g) == 0 ? day(2022, 2030) : nil)
        }
        if Int.random(in: 0..<3, using: &g) == 0 {
            let registered = day(2021, 2030)
            person = person.registeredAtVDAB(on: registered, until: Bool.random(using: &g)
                                             ? LocalDate(ordinal: date(registered).ordinal + Int.random(in: 10...400, using: &g)).iso : nil)
        }
        if Bool.random(using: &g) {
            let job = day(2021, 2030)
            person = person.employed(from: job, to: Bool.random(using: &g)
                                     ? LocalDate(ordinal: date(job).ordinal + Int.random(in: 10...400, using: &g)).iso : nil)
        }
        return person
    }
}
