import Domain
import TestSupport
import Testing

@Suite struct CaseTests {
    @Test func aNewCaseStartsByThePolicyAction() {
        #expect(CaseStatus.initial(for: .invite) == .new)
        #expect(CaseStatus.initial(for: .autoRegister) == .new, "registered once VDAB's system confirms")
    }

    @Test func statusesChangeOnlyAlongTheMachine() throws {
        #expect(try CaseStatus.new.transition(to: .invited) == .invited)
        #expect(try CaseStatus.contacted.transition(to: .inWork) == .inWork)
        #expect(throws: CaseStatus.IllegalTransition(from: .inWork, to: .contacted)) {
            try CaseStatus.inWork.transition(to: .contacted)
        }
        #expect(throws: CaseStatus.IllegalTransition.self) { try CaseStatus.deceased.transition(to: .reopened) }
        #expect(try CaseStatus.declined.transition(to: .reopened) == .reopened)
    }

    @Test func everyOpenStatusCanClose() {
        for open in CaseStatus.open {
            for closed in CaseStatus.closedByUser { #expect(open.successors.contains(closed), "\(open) → \(closed)") }
            #expect(!open.successors.contains(.withdrawn), "withdrawing is Vangnet's own")
        }
        #expect(CaseStatus.withdrawn.successors == [.reopened])
    }

    @Test func firstContactIsDueInFiveWorkingDays() {
        #expect(CaseRules.firstContactDue(openedOn: date("2026-11-27")) == date("2026-12-04"))
    }

    @Test func leastLoadedConsultantGetsTheCaseAndTiesAreStable() {
        let consultants = [
            Consultant(username: "b", displayName: "B", provinces: [.antwerpen]),
            Consultant(username: "a", displayName: "A", provinces: [.antwerpen]),
            Consultant(username: "c", displayName: "C", provinces: [.limburg]),
        ]
        var assigner = CaseAssigner(consultants: consultants, openCases: ["a": 3, "b": 1])
        #expect(assigner.assign(in: .antwerpen) == "b")
        #expect(assigner.assign(in: .antwerpen) == "b")
        #expect(assigner.assign(in: .antwerpen) == "a")
        #expect(assigner.assign(in: .limburg) == "c")
        #expect(assigner.assign(in: .westVlaanderen) == nil)
        #expect(assigner.assign(in: nil) == nil)
    }

    @Test func theCaseFollowsTheDecisionsButNeverClosesItself() {
        let eligible = Decision(outcome: .eligible, reasons: [], decidedOn: date("2026-11-29"), policyVersion: "p",
                                province: .limburg, action: .invite)
        var working = eligible
        working.outcome = .notInTargetGroup(.atWork)
        #expect(CaseUpdate.after(previous: nil, current: eligible, hasOpenCase: false, hasClosedCase: false)
            == .open(action: .invite, province: .limburg))
        #expect(CaseUpdate.after(previous: eligible, current: eligible, hasOpenCase: true, hasClosedCase: false) == .none)
        #expect(CaseUpdate.after(previous: eligible, current: working, hasOpenCase: true, hasClosedCase: false)
            == .suggest(.startedWork))
        #expect(CaseUpdate.after(previous: working, current: eligible, hasOpenCase: false, hasClosedCase: true)
            == .reopen(province: .limburg))
        #expect(CaseUpdate.after(previous: eligible, current: eligible, hasOpenCase: false, hasClosedCase: true) == .none)
    }
}

@Suite struct LoginThrottleTests {
    @Test func aKeyIsLockedFromTheThresholdOnTwiceAsLongEachTimeAtMostADay() {
        let throttle = LoginThrottle.standard
        #expect(throttle.lockSeconds(afterFailures: 4, threshold: 5) == nil)
        #expect(throttle.lockSeconds(afterFailures: 5, threshold: 5) == 60)
        #expect(throttle.lockSeconds(afterFailures: 6, threshold: 5) == 120)
        #expect(throttle.lockSeconds(afterFailures: 8, threshold: 5) == 480)
        #expect(throttle.lockSeconds(afterFailures: 40, threshold: 5) == 86_400)
    }
}

/// The case aggregate's rules, as pure functions.
@Suite struct CaseAggregateTests {
    @Test func aNewCaseIsDueForFirstContactInFiveWorkingDaysAndNamesItsConsultant() {
        let opening = Case.opening(action: .invite, province: .limburg, consultant: "consultant-limburg", policyVersion: "p1",
                                   on: date("2026-11-27"))
        #expect(opening.status == .new)
        #expect(opening.dueOn == date("2026-12-04"))
        #expect(opening.nextAction == NextAction.firstContact)
        #expect(opening.events == [.opened(action: .invite, status: .new, policyVersion: "p1"),
                                   .assigned(consultant: "consultant-limburg", from: nil)])
        #expect(Case.opening(action: .autoRegister, province: nil, consultant: nil, policyVersion: "p1", on: date("2026-11-27")).events.count == 1)
    }

    @Test func aRelapseReopensWithTheFirstContactDueAgain() throws {
        var closed = openCase(1, on: "2026-03-02")
        closed.status = .inWork
        closed.closedOn = date("2026-04-01")
        closed.suggestion = .startedWork
        let (reopened, event) = try closed.reopened(on: date("2026-11-30"), outcome: "eligible")
        #expect(reopened.status == .reopened && reopened.closedOn == nil && reopened.suggestion == nil)
        #expect(reopened.dueOn == date("2026-12-07"))
        #expect(event == .reopened(from: .inWork, outcome: "eligible"))
        var dead = closed
        dead.status = .deceased
        #expect(throws: CaseStatus.IllegalTransition.self) { try dead.reopened(on: date("2026-11-30"), outcome: "eligible") }
    }

    @Test func anOpenCasePastItsDueDateIsOverdueAClosedOneNever() {
        let c = openCase(1, on: "2026-11-02")
        #expect(!c.isOverdue(on: date("2026-11-09")))
        #expect(c.isOverdue(on: date("2026-11-10")))
        var closed = c
        closed.status = .declined
        closed.closedOn = date("2026-11-05")
        #expect(!closed.isOverdue(on: date("2026-12-01")))
    }

    @Test func everyEventReadsBackAsStored() {
        let events: [CaseEvent] = [
            .opened(action: .autoRegister, status: .registered, policyVersion: "v#1"), .assigned(consultant: "a", from: "b"),
            .assigned(consultant: "a", from: nil), .reopened(from: .inWork, outcome: "eligible"), .suggestion(.emigrated, outcome: "x"),
            .factArrived(source: .dimona, recordID: "D1", kind: .employment, sequence: 42), .statusChanged(from: .new, to: .contacted),
            .contact(channel: .homeVisit, outcome: .messageLeft), .note, .nextActionSet(action: "Bellen", due: date("2026-12-01")),
        ]
        for event in events { #expect(CaseEvent(kind: event.kind, fields: event.fields) == event) }
        #expect(CaseEvent(kind: "letter_sent_by_owl", fields: [:]) == nil)
    }

    @Test func whatIsTypedInTheSearchFieldIsReadAsNumberNationalNumberOrName() {
        let today = date("2026-12-01")
        #expect(CaseSearch("VN-000042", allowTestNumbers: false, today: today) == .caseNumber(42))
        #expect(CaseSearch("42", allowTestNumbers: false, today: today) == .caseNumber(42))
        #expect(CaseSearch("85.07.30-033.28", allowTestNumbers: false, today: today) == .insz(try! INSZ("85073003328")))
        #expect(CaseSearch("Peeters", allowTestNumbers: false, today: today) == .name("Peeters"))
        #expect(CaseSearch("12345678901", allowTestNumbers: false, today: today) == .nothing)
        #expect(CaseSearch("   ", allowTestNumbers: false, today: today) == .nothing)
    }

    @Test func aSourceIsLateAfterThirtyFiveDaysWithoutADelivery() {
        #expect(!DeliveryHealth.isStale(hoursSinceLastDelivery: nil))
        #expect(!DeliveryHealth.isStale(hoursSinceLastDelivery: 35 * 24))
        #expect(DeliveryHealth.isStale(hoursSinceLastDelivery: 35 * 24 + 1))
    }

    @Test func aClosedCasesDataIsRemovedFiveYearsAfterClosing() {
        let policy = RetentionPolicy()
        #expect(policy.caseDataRemoved(closedOn: nil) == nil)
        #expect(policy.caseDataRemoved(closedOn: date("2026-01-01")) == date("2026-01-01").adding(days: 5 * 365))
    }
}
