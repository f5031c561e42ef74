import Domain
import TestSupport
import Testing

/// The referral's rules, without a store.
@Suite struct ReferralTests {
    let today = date("2026-12-01")
    var organisation: PartnerOrganisation {
        PartnerOrganisation(id: 1, code: "org", name: "Org vzw", kind: .tenderPartner, contact: "-", provinces: [.antwerpen],
                            activeFrom: date("2026-01-01"), activeUntil: nil)
    }
    let consent = Consent(givenOn: date("2026-12-01"), channel: .spoken, givenBy: .youngPerson, extras: [])

    func propose(consent: Consent?, age: Int? = 19, province: Province = .antwerpen, open: Bool = false) throws(ReferralRuleViolation) -> Referral {
        try Referral.proposing(caseID: 7, case: province, caseIsOpen: true, to: organisation, lot: nil, offer: .guidance, reason: "Zoekt werkervaring",
                               consent: consent, age: age, ageOfConsent: 18, organisationHasOpenReferral: open, on: today)
    }

    @Test func withConsentItIsSentAndDueInFiveWorkingDaysWithoutItOnlyProposed() throws {
        let sent = try propose(consent: consent)
        #expect(sent.status == .pending)
        #expect(sent.answerDueOn == date("2026-12-08"))
        let proposed = try propose(consent: nil)
        #expect(proposed.status == .proposed && proposed.sentOn == nil)
        #expect(try proposed.sending(with: consent, age: 19, ageOfConsent: 18, lot: nil, on: today).status == .pending)
    }

    @Test func theRulesRefuseWhatTheyMust() {
        #expect(throws: ReferralRuleViolation.consentByParentRequired(ageOfConsent: 18)) { try propose(consent: consent, age: 17) }
        #expect(throws: ReferralRuleViolation.organisationNotAvailable) { try propose(consent: consent, province: .limburg) }
        #expect(throws: ReferralRuleViolation.alreadyReferred) { try propose(consent: consent, open: true) }
        #expect(throws: ReferralRuleViolation.textRequired) {
            try Referral.proposing(caseID: 7, case: .antwerpen, caseIsOpen: true, to: organisation, lot: nil, offer: .guidance, reason: "  ",
                                   consent: nil, age: 19, ageOfConsent: 18, organisationHasOpenReferral: false, on: today)
        }
        var inactive = organisation
        inactive.activeUntil = date("2026-11-30")
        #expect(!inactive.takes(.antwerpen, on: today))
    }

    @Test func theStatesFollowTheMachineAndTheCaseFollowsTheReferral() throws {
        let sent = try propose(consent: consent)
        #expect(throws: ReferralRuleViolation.self) { try sent.finishing(outcome: .inWork, on: today, today: today) }
        let accepted = try sent.accepting(on: today)
        #expect(accepted.version == sent.version + 1)
        #expect(throws: ReferralRuleViolation.dateInFuture) { try accepted.recordingIntake(on: today.adding(days: 1), today: today) }
        let done = try accepted.finishing(outcome: .inWork, on: today, today: today)
        #expect(done.status == .done && !done.status.isVisibleToPartner)

        let c = Case(id: 7, personID: 1, status: .contacted, action: .invite, province: .antwerpen, consultant: "ann", openedOn: today, openedAt: "",
                     dueOn: nil, nextAction: nil, closedOn: nil, suggestion: nil, track: nil, schoolSource: nil)
        let (referred, events) = c.followingReferral(sent, organisation: "Org vzw", anotherOpen: false, on: today)
        #expect(referred.status == .referred)
        #expect(events.count == 2)
        let (back, _) = referred.followingReferral(try sent.declining(because: "Volzet", on: today), organisation: "Org vzw", anotherOpen: false, on: today)
        #expect(back.status == .contacted && back.nextAction == NextAction.referralFollowUp)
        let (guided, _) = referred.followingReferral(done, organisation: "Org vzw", anotherOpen: false, on: today)
        #expect(guided.status == .inGuidance && guided.suggestion == .startedWork, "a suggestion, never a closing")
        let withdrawn = try accepted.withdrawingConsent(on: today)
        #expect(withdrawn.status == .consentWithdrawn && !withdrawn.status.isVisibleToPartner)
        #expect(throws: ReferralRuleViolation.self) { try withdrawn.revoking(because: "x", on: today) }
    }
}
