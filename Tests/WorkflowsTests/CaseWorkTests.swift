import Domain
import TestSupport
import Testing
import Workflows

/// The case use cases on in-memory storage: the rules, the scope and the audit, without a database.
@Suite struct CaseWorkTests {
    let consultant = Actor(username: "consultant-antwerpen", role: .consultant, provinces: [.antwerpen], purpose: .caseWork, requestID: "r1")
    let lead = Actor(username: "teamlead-antwerpen", role: .teamlead, provinces: [.antwerpen], purpose: .teamManagement, requestID: "r2")

    func setUp(_ cases: [Case], consultants: [Consultant] = []) -> (CaseWork, InMemoryCaseRepository, InMemoryAuditLog) {
        let log = InMemoryAuditLog()
        let repository = InMemoryCaseRepository(cases, consultants: consultants, audit: log)
        return (CaseWork(cases: repository, audit: log, clock: .fixed(date("2026-11-30"))), repository, log)
    }

    @Test func aContactIsLoggedWithItsNoteAndAudited() async throws {
        let (work, repository, log) = setUp([openCase(1)])
        let updated = try await work.logContact(1, channel: .phone, outcome: .reached, note: "  Gebeld, komt langs  ", by: consultant)
        #expect(updated?.id == 1)
        let history = try #require(await repository.history[1])
        #expect(history.map(\.event) == [.contact(channel: .phone, outcome: .reached)])
        #expect(history.first?.note == "Gebeld, komt langs", "trimmed")
        let entries = await log.entries
        #expect(entries.map(\.action) == ["case.contact"])
        #expect(entries.first?.subject == "subject-1")
        #expect(entries.first?.purpose == "case-work")
        #expect(entries.first?.requestID == "r1")
    }

    @Test func aCaseOutsideTheScopeIsNotFoundChangesNothingAndIsAuditedAsDenied() async throws {
        let (work, repository, log) = setUp([openCase(2, province: .limburg, consultant: "consultant-limburg")])
        #expect(try await work.addNote(2, note: "Kijkje", by: consultant) == nil)
        #expect(await repository.history[2] == nil)
        let entries = await log.entries
        #expect(entries.map(\.outcome) == ["denied"])
        #expect(entries.first?.objectID == "2")
        #expect(entries.first?.subject == nil, "a denied attempt names no person")
    }

    @Test func closingSetsTheDateClearsTheSuggestionAndAClosedCaseOnlyReopens() async throws {
        var suggested = openCase(3)
        suggested.suggestion = .startedWork
        let (work, repository, _) = setUp([suggested])
        let closed = try #require(try await work.changeStatus(3, to: .inWork, note: "Werkt bij de bakker", by: consultant))
        #expect(closed.closedOn == date("2026-11-30"))
        #expect(closed.suggestion == nil)
        await #expect(throws: CaseRuleViolation.self) { try await work.changeStatus(3, to: .contacted, note: nil, by: consultant) }
        #expect(await repository.cases[3]?.status == .inWork, "the refused change wrote nothing")
        let reopened = try #require(try await work.changeStatus(3, to: .reopened, note: nil, by: consultant))
        #expect(reopened.closedOn == nil)
    }

    @Test func aCaseIsNotReopenedWhileThePersonHasAnotherOpenCase() async throws {
        var old = openCase(4, person: 40)
        old.status = .inWork
        old.closedOn = date("2026-01-10")
        let (work, _, _) = setUp([old, openCase(5, person: 40)])
        await #expect(throws: CaseRuleViolation.secondOpenCase) { try await work.changeStatus(4, to: .reopened, note: nil, by: consultant) }
    }

    @Test func aNoteIsCleanedOfControlCharactersAndLimitedTo4000Characters() async throws {
        let (work, repository, _) = setUp([openCase(6)])
        try await work.addNote(6, note: "Zie\u{0} bijlage\u{202E}txt.exe", by: consultant)
        #expect(await repository.history[6]?.first?.note == "Zie bijlagetxt.exe")
        await #expect(throws: CaseRuleViolation.tooLong(field: "note", maximum: 4_000)) {
            try await work.addNote(6, note: String(repeating: "a", count: 4_001), by: consultant)
        }
        await #expect(throws: CaseRuleViolation.emptyNote) { try await work.addNote(6, note: " \n ", by: consultant) }
        try await work.addNote(6, note: String(repeating: "é", count: 4_000), by: consultant)
        #expect(await repository.history[6]?.count == 2)
    }

    @Test func reassignmentIsAllOrNothingWithinTheProvince() async throws {
        let other = Consultant(username: "consultant-antwerpen-2", displayName: "Tweede", provinces: [.antwerpen])
        let limburger = Consultant(username: "consultant-limburg", displayName: "Limburg", provinces: [.limburg])
        let (work, repository, log) = setUp([openCase(7), openCase(8), openCase(9, province: .limburg)], consultants: [other, limburger])
        #expect(try await work.reassign([7, 8], to: other.username, by: lead) == 2)
        #expect(await repository.cases[7]?.consultant == other.username)
        #expect(await repository.history[7]?.first?.event == .assigned(consultant: other.username, from: "consultant-antwerpen"))
        #expect(try await work.reassign([7, 8], to: other.username, by: lead) == 0, "already theirs")
        #expect(try await work.reassign([7, 9], to: other.username, by: lead) == nil, "one case of another province: nothing moves")
        #expect(await log.entries.filter { $0.outcome == "denied" }.map(\.objectID) == ["9"])
        await #expect(throws: CaseRuleViolation.consultantOutsideProvince(consultant: "consultant-limburg", caseNumber: "VN-000007")) {
            try await work.reassign([7], to: limburger.username, by: lead)
        }
        await #expect(throws: CaseRuleViolation.unknownConsultant("nobody")) { try await work.reassign([7], to: "nobody", by: lead) }
    }

    @Test func whenTheAuditLogCannotBeWrittenNothingChanges() async throws {
        let (work, repository, log) = setUp([openCase(10)])
        await log.fail(true)
        await #expect(throws: InMemoryAuditLog.Unavailable.self) {
            try await work.planNextAction(10, action: "Huisbezoek", due: date("2026-12-04"), by: consultant)
        }
        #expect(await repository.cases[10]?.nextAction == NextAction.firstContact)
    }

    @Test func closingNeedsAReasonAndATeamLeadCanUndoAMistakenOne() async throws {
        let (work, repository, log) = setUp([openCase(11)])
        try await work.changeStatus(11, to: .contacted, note: nil, by: consultant)
        await #expect(throws: CaseRuleViolation.reasonRequired) { try await work.changeStatus(11, to: .deceased, note: "  ", by: consultant) }
        try await work.changeStatus(11, to: .deceased, note: "Bericht van de school", by: consultant)
        #expect(await repository.cases[11]?.status == .deceased)
        await #expect(throws: CaseRuleViolation.reasonRequired) { try await work.undoClosing(11, reason: nil, by: lead) }
        #expect(try await work.undoClosing(11, reason: "Verkeerde persoon", by: consultant) == nil, "a consultant may not undo")
        let restored = try #require(try await work.undoClosing(11, reason: "Verkeerde persoon", by: lead))
        #expect(restored.status == .contacted, "back to the status before the closing, even from deceased")
        #expect(restored.closedOn == nil)
        #expect(await repository.history[11]?.last?.event == .closingUndone(from: .deceased, to: .contacted))
        #expect(await log.entries.last?.action == "case.undo-close")
        await #expect(throws: CaseRuleViolation.notClosed) { try await work.undoClosing(11, reason: "Nog eens", by: lead) }
    }

    @Test func threeAttemptsThatReachNobodySuggestUnreachableAndAContactTakesItAway() async throws {
        let (work, repository, _) = setUp([openCase(12)])
        try await work.logContact(12, channel: .phone, outcome: .noAnswer, note: nil, by: consultant)
        try await work.logContact(12, channel: .phone, outcome: .messageLeft, note: nil, by: consultant)
        #expect(await repository.cases[12]?.suggestion == nil)
        try await work.logContact(12, channel: .letter, outcome: .noAnswer, note: nil, by: consultant)
        #expect(await repository.cases[12]?.suggestion == .noContact)
        #expect(await repository.cases[12]?.status.isOpen == true, "only a suggestion: the consultant closes")
        #expect(Suggestion.noContact.suggestedStatus == .unreachable)
        try await work.logContact(12, channel: .phone, outcome: .reached, note: nil, by: consultant)
        #expect(await repository.cases[12]?.suggestion == nil)
    }

    @Test func aClosedCaseIsNoLongerWorkedOn() async throws {
        let (work, repository, _) = setUp([openCase(13)])
        try await work.changeStatus(13, to: .declined, note: "Wil niet", by: consultant)
        await #expect(throws: CaseRuleViolation.closed) { try await work.addNote(13, note: "Nog iets", by: consultant) }
        await #expect(throws: CaseRuleViolation.closed) {
            try await work.logContact(13, channel: .phone, outcome: .reached, note: nil, by: consultant)
        }
        await #expect(throws: CaseRuleViolation.closed) { try await work.planNextAction(13, action: "Bellen", due: date("2026-12-10"), by: consultant) }
        #expect(await repository.history[13]?.count == 1, "only the closing")
    }
}
