import Domain
import TestSupport
import Testing

/// The policy of DESIGN.md §5, one behaviour per test. "Today" is 29 November 2026.
@Suite struct DeciderTests {
    let decider = Decider(policy: .default)
    let today = date("2026-11-29")

    /// A 20-year-old who left a BSO school at the end of June 2026 without a diploma, living in Antwerp.
    var leaver: PersonBuilder {
        PersonBuilder(born: "2006-03-14")
            .enrolled(from: "2025-09-01", to: "2026-06-30", exit: .endOfSchoolYear)
            .lives(postcode: "2000")
    }

    @Test func unqualifiedLeaverPastTheGracePeriodIsEligible() {
        let decision = decider.decide(leaver.timeline, on: today)
        #expect(decision.outcome == .eligible)
        #expect(decision.leftSchoolOn == date("2026-06-30"))
        #expect(decision.qualified == false)
        #expect(decision.province == .antwerpen)
        #expect(decision.action == .invite)
        #expect(decision.reasons.map(\.rule) == [.leftSchool, .unqualified, .eligible])
        #expect(decision.reasons[0].facts.map(\.source) == [.agodi])
        #expect(decision.policyVersion == Policy.default.version)
    }

    @Test func pupilStillEnrolledIsNotALeaver() {
        let pupil = PersonBuilder(born: "2009-05-01").enrolled(from: "2026-09-01")
        let decision = decider.decide(pupil.timeline, on: today)
        #expect(decision.outcome == .notALeaver)
        #expect(decision.reasons.map(\.rule) == [.stillEnrolled])
        #expect(decision.leftSchoolOn == nil)
    }

    @Test func onlyAdultEducationIsNotQualifyingEducation() {
        let adult = PersonBuilder(born: "2004-05-01")
            .enrolled(from: "2025-09-01", to: "2026-01-31", level: .adult)
        let decision = decider.decide(adult.timeline, on: today)
        #expect(decision.outcome == .notALeaver)
        #expect(decision.reasons.map(\.rule) == [.noQualifyingEnrolment])
    }

    @Test func leaverWithADiplomaIsNotAnUnqualifiedLeaver() {
        let graduate = leaver.qualified(.secondaryDiploma, on: "2026-06-30")
        let decision = decider.decide(graduate.timeline, on: today)
        #expect(decision.outcome == .notALeaver)
        #expect(decision.qualified)
        #expect(decision.leftSchoolOn == date("2026-06-30"))
        #expect(decision.reasons.map(\.rule) == [.leftSchool, .qualified])
    }

    @Test func aPartialCertificateIsNoQualification() {
        let person = leaver.qualified(.partialCertificate, on: "2026-06-30")
        #expect(decider.decide(person.timeline, on: today).outcome == .eligible)
    }

    @Test func cancelledCertificateDoesNotCount() {
        let person = leaver.qualified(.secondaryDiploma, on: "2026-06-30", status: .cancelled)
        let decision = decider.decide(person.timeline, on: today)
        #expect(decision.outcome == .eligible)
        #expect(decision.reasons.map(\.rule).contains(.cancelledQualification))
    }

    @Test func aLateQualificationMakesTheLeaverQualified() {
        let person = leaver.qualified(.bsoStudyCertificate, on: "2026-09-15")
        #expect(decider.decide(person.timeline, on: date("2026-09-14")).qualified == false)
        #expect(decider.decide(person.timeline, on: today).outcome == .notALeaver)
    }

    @Test func leaverReenrolledWithinGracePeriodIsNotEligible() {
        let person = PersonBuilder(born: "2006-03-14")
            .enrolled(from: "2025-09-01", to: "2026-02-10", exit: .pupilOrParents)
            .enrolled(from: "2026-02-25", programme: .dbso)
            .lives(postcode: "2000")
        let decision = decider.decide(person.timeline, on: today)
        #expect(decision.outcome == .notALeaver)
        #expect(decision.reasons.map(\.rule) == [.stillEnrolled])
    }

    @Test func leaverWithinTheGracePeriodIsPendingUntilItEnds() {
        let person = PersonBuilder(born: "2006-03-14")
            .enrolled(from: "2026-09-01", to: "2026-11-10", exit: .pupilOrParents)
        let decision = decider.decide(person.timeline, on: today)
        #expect(decision.outcome == .pending(until: date("2026-12-11")))
        #expect(decision.reviewOn == date("2026-12-11"))
        #expect(decision.reasons.last?.rule == .gracePeriod)
    }

    @Test func exitAtTheEndOfTheSchoolYearIsDecidedFromTheFirstOfOctober() {
        let decision = decider.decide(leaver.timeline, on: date("2026-08-15"))
        #expect(decision.outcome == .pending(until: date("2026-10-01")))
        #expect(decider.decide(leaver.timeline, on: date("2026-09-30")).outcome == .pending(until: date("2026-10-01")))
        #expect(decider.decide(leaver.timeline, on: date("2026-10-01")).outcome == .eligible)
    }

    @Test func leaverStillInCompulsoryEducationIsPendingUntilItEnds() {
        // Turns 18 on 14 March 2027, before 1 July: compulsory education ends on the birthday.
        let minor = PersonBuilder(born: "2009-03-14")
            .enrolled(from: "2025-09-01", to: "2026-06-30", exit: .endOfSchoolYear)
            .lives(postcode: "9000")
        let decision = decider.decide(minor.timeline, on: today)
        #expect(decision.outcome == .pending(until: date("2027-03-14")))
        #expect(decision.reasons.last?.rule == .compulsoryEducation)
        #expect(decider.decide(minor.timeline, on: date("2027-03-14")).outcome == .eligible)
    }

    @Test func compulsoryEducationEndsOnThirtyJuneForBirthdaysFromJuly() {
        #expect(Policy.compulsoryEducationEnds(birth: PartialDate(date("2009-09-15"))) == date("2027-06-30"))
        #expect(Policy.compulsoryEducationEnds(birth: PartialDate(date("2009-03-14"))) == date("2027-03-14"))
        // Only the year known: the latest possible end, 30 June.
        #expect(Policy.compulsoryEducationEnds(birth: PartialDate(year: 2009, month: nil, day: nil)) == date("2027-06-30"))
        // Year and month known: the end of that month's birthday.
        #expect(Policy.compulsoryEducationEnds(birth: PartialDate(year: 2009, month: 2, day: nil)) == date("2027-02-28"))
    }

    @Test func alreadyKnownToVDABIsNotInTheTargetGroup() {
        let person = leaver.registeredAtVDAB(on: "2026-07-15")
        let decision = decider.decide(person.timeline, on: today)
        #expect(decision.outcome == .notInTargetGroup(.knownToVDAB))
        #expect(decision.reasons.last?.facts.map(\.source) == [.vdab])
    }

    @Test func onlyAnActiveRegistrationCountsWhenThePolicySaysSo() {
        var policy = Policy.default
        policy.knownToVDAB = .activeRegistration
        let person = leaver.registeredAtVDAB(on: "2026-07-15", until: "2026-08-31")
        #expect(Decider(policy: policy).decide(person.timeline, on: today).outcome == .eligible)
        #expect(decider.decide(person.timeline, on: today).outcome == .notInTargetGroup(.knownToVDAB))
    }

    @Test func atWorkOnTheDecisionDateIsNotInTheTargetGroupAndIsReviewedWhenTheJobEnds() {
        let person = leaver.employed(from: "2026-10-15", to: "2026-12-31")
        let decision = decider.decide(person.timeline, on: today)
        #expect(decision.outcome == .notInTargetGroup(.atWork))
        #expect(decision.reviewOn == date("2027-01-01"))
        #expect(decider.decide(person.timeline, on: date("2027-01-01")).outcome == .eligible)
    }

    @Test func aCancelledDimonaDeclarationIsNoWork() {
        let person = leaver.employed(from: "2026-10-15", cancelled: true)
        #expect(decider.decide(person.timeline, on: today).outcome == .eligible)
    }

    @Test func emigratedDeceasedAndWalloonAreNotInTheTargetGroup() {
        let emigrated = leaver.lives(postcode: "2000", emigrated: "2026-09-01", validFrom: "2026-09-01")
        #expect(decider.decide(emigrated.timeline, on: today).outcome == .notInTargetGroup(.abroad))
        let abroad = leaver.lives(country: "NL", validFrom: "2026-08-01")
        #expect(decider.decide(abroad.timeline, on: today).outcome == .notInTargetGroup(.abroad))
        let deceased = leaver.lives(postcode: "2000", died: "2026-10-01", validFrom: "2026-10-01")
        #expect(decider.decide(deceased.timeline, on: today).outcome == .notInTargetGroup(.deceased))
        let walloon = PersonBuilder(born: "2006-03-14")
            .enrolled(from: "2025-09-01", to: "2026-06-30").lives(postcode: "4000")
        #expect(decider.decide(walloon.timeline, on: today).outcome == .notInTargetGroup(.outsideFlanders))
    }

    @Test func aReturnFromAbroadCountsFromItsDate() {
        let person = leaver
            .lives(postcode: "2000", emigrated: "2026-07-01", validFrom: "2026-07-01", id: "rr-1")
            .lives(postcode: "2018", validFrom: "2026-10-20", id: "rr-2")
        #expect(decider.decide(person.timeline, on: date("2026-10-10")).outcome == .notInTargetGroup(.abroad))
        #expect(decider.decide(person.timeline, on: today).outcome == .eligible)
    }

    @Test func brusselsLeaversGoToTheConfiguredProvince() {
        let person = PersonBuilder(born: "2006-03-14")
            .enrolled(from: "2025-09-01", to: "2026-06-30", postcode: "1000").lives(postcode: "1030")
        #expect(decider.decide(person.timeline, on: today).province == .vlaamsBrabant)
        #expect(Decider(policy: .default, brusselsProvince: .antwerpen).decide(person.timeline, on: today).province == .antwerpen)
    }

    @Test func withoutAnAddressTheSchoolDecidesTheProvince() {
        let person = PersonBuilder(born: "2006-03-14").enrolled(from: "2025-09-01", to: "2026-06-30", postcode: "3500")
        let decision = decider.decide(person.timeline, on: today)
        #expect(decision.outcome == .eligible)
        #expect(decision.province == .limburg)
    }

    @Test func twentyFiveOrOlderIsNotInTheTargetGroupUnlessThePolicyRaisesTheLimit() {
        let person = PersonBuilder(born: "2001-05-01")
            .enrolled(from: "2025-09-01", to: "2026-06-30").lives()
        #expect(decider.decide(person.timeline, on: today).outcome == .notInTargetGroup(.tooOld))
        var policy = Policy.default
        policy.maximumAge = 30
        #expect(Decider(policy: policy).decide(person.timeline, on: today).outcome == .eligible)
    }

    @Test func busoFormsOneAndTwoAndIACAreNotQualifyingEducation() {
        for form in [Enrolment.SpecialEducationForm.ov1, .ov2] {
            let person = PersonBuilder(born: "2006-03-14").enrolled(from: "2025-09-01", to: "2026-06-30", special: form)
            #expect(decider.decide(person.timeline, on: today).outcome == .notALeaver)
        }
        let ov3 = PersonBuilder(born: "2006-03-14").enrolled(from: "2025-09-01", to: "2026-06-30", special: .ov3).lives()
        #expect(decider.decide(ov3.timeline, on: today).outcome == .eligible)
        let iac = PersonBuilder(born: "2006-03-14").enrolled(from: "2025-09-01", to: "2026-06-30", iac: true)
        #expect(decider.decide(iac.timeline, on: today).outcome == .notALeaver)
    }

    @Test func anApprenticeshipIsQualifyingEducation() {
        let person = PersonBuilder(born: "2006-03-14")
            .enrolled(from: "2025-09-01", to: "2026-03-31", programme: .apprenticeship, source: .syntra).lives()
        let decision = decider.decide(person.timeline, on: today)
        #expect(decision.outcome == .eligible)
        #expect(decision.schoolSource == .syntra)
    }

    @Test func unknownBirthDateIsFlaggedForReview() throws {
        let insz = try INSZ("00000100195")
        let person = PersonBuilder(insz: insz).enrolled(from: "2025-09-01", to: "2026-03-31")
        #expect(decider.decide(person.timeline, on: today).outcome == .notInTargetGroup(.birthDateUnknown))
        let withRegister = person.lives(born: "2005-04-04")
        #expect(decider.decide(withRegister.timeline, on: today).outcome == .eligible)
    }

    @Test func theAutoRegisterPolicyIsRecordedOnTheDecision() {
        var policy = Policy.default
        policy.action = .autoRegister
        let decision = Decider(policy: policy).decide(leaver.timeline, on: today)
        #expect(decision.action == .autoRegister)
        #expect(decision.policyVersion != Policy.default.version)
    }

    @Test func aLaterCorrectionWinsWhateverTheOrderOfArrival() {
        let early = PersonBuilder(born: "2006-03-14").lives()
            .employed(from: "2026-10-01", id: "D1", recordedAt: "2026-10-01T08:00:00")
        let corrected = early.employed(from: "2026-10-01", cancelled: true, id: "D1", recordedAt: "2026-10-02T08:00:00")
            .enrolled(from: "2025-09-01", to: "2026-06-30")
        #expect(decider.decide(corrected.timeline, on: today).outcome == .eligible)
        let reversed = PersonTimeline(insz: corrected.insz, versions: corrected.facts.reversed().enumerated().map {
            var fact = $0.element
            fact.reference.sequence = Int64($0.offset + 1)
            return fact
        })
        #expect(decider.decide(reversed, on: today).outcome == .eligible)
    }

    @Test func policyValuesAreValidated() {
        var policy = Policy.default
        policy.maximumAge = 31
        #expect(throws: Policy.Invalid.self) { try policy.validated() }
        #expect(throws: Never.self) { try Policy.default.validated() }
    }
}
