import Domain
import TestSupport
import Testing

@Suite struct CaseTests {
    @Test func aNewCaseStartsByThePolicyAction() {
        #expect(CaseStatus.initial(for: .invite) == .new)
        #expect(CaseStatus.initial(for: .autoRegister) == .registered)
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
            for closed in CaseStatus.closed { #expect(open.successors.contains(closed), "\(open) → \(closed)") }
        }
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
