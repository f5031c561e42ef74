import Foundation

/// A young person's case: the aggregate every rule about cases acts on. Its state changes only
/// through the functions below, each of which names what is allowed and returns the new state
/// with the events that record the change; Storage stores the result, Web renders it.
public struct Case: Sendable, Codable, Equatable {
    public var id: Int64
    public var personID: Int64
    public var status: CaseStatus
    public var action: CaseAction
    public var province: Province?
    public var consultant: String?
    public var openedOn: LocalDate
    /// The instant the case was opened, as stored (the caseload's sort key).
    public var openedAt: String
    public var dueOn: LocalDate?
    /// A code (`NextAction.firstContact`, …) or what the consultant typed.
    public var nextAction: String?
    /// Set exactly when the status is a closed one.
    public var closedOn: LocalDate?
    public var suggestion: Suggestion?
    public var track: Enrolment.Track?
    public var schoolSource: Source?

    public init(id: Int64, personID: Int64, status: CaseStatus, action: CaseAction, province: Province?, consultant: String?,
                openedOn: LocalDate, openedAt: String, dueOn: LocalDate?, nextAction: String?, closedOn: LocalDate?,
                suggestion: Suggestion?, track: Enrolment.Track?, schoolSource: Source?) {
        self.id = id
        self.personID = personID
        self.status = status
        self.action = action
        self.province = province
        self.consultant = consultant
        self.openedOn = openedOn
        self.openedAt = openedAt
        self.dueOn = dueOn
        self.nextAction = nextAction
        self.closedOn = closedOn
        self.suggestion = suggestion
        self.track = track
        self.schoolSource = schoolSource
    }

    /// `VN-000042`.
    public var number: String { CaseNumber.format(id) }

    /// Open while its status is an open one (then `closedOn` is nil).
    public var isOpen: Bool { status.isOpen }

    /// Open and past its due date.
    public func isOverdue(on today: LocalDate) -> Bool {
        isOpen && (dueOn.map { $0 < today } ?? false)
    }
}

/// What a new case starts with, before the store gives it its number.
public struct CaseOpening: Sendable, Equatable {
    public var status: CaseStatus
    public var action: CaseAction
    public var province: Province?
    public var consultant: String?
    public var openedOn: LocalDate
    public var dueOn: LocalDate
    public var nextAction: String
    public var events: [CaseEvent]
}

extension Case {
    /// Opens a case for a person who became eligible: the status the policy's action implies, the
    /// first contact due within `CaseRules.firstContactWorkingDays`, and the consultant the
    /// assignment chose (if any).
    public static func opening(action: CaseAction, province: Province?, consultant: String?, policyVersion: String,
                               on today: LocalDate) -> CaseOpening {
        let status = CaseStatus.initial(for: action)
        var events: [CaseEvent] = [.opened(action: action, status: status, policyVersion: policyVersion)]
        if let consultant { events.append(.assigned(consultant: consultant, from: nil)) }
        return CaseOpening(status: status, action: action, province: province, consultant: consultant, openedOn: today,
                           dueOn: CaseRules.firstContactDue(openedOn: today), nextAction: NextAction.initial(for: action),
                           events: events)
    }

    /// A closed case whose young person relapsed (job ended, left school again): reopened, with
    /// the first contact due again and the suggestion cleared. `outcome` is the decision's code.
    public func reopened(on today: LocalDate, outcome: String) throws(CaseStatus.IllegalTransition) -> (Case, CaseEvent) {
        var next = self
        next.status = try status.transition(to: .reopened)
        next.closedOn = nil
        next.suggestion = nil
        next.dueOn = CaseRules.firstContactDue(openedOn: today)
        next.nextAction = NextAction.firstContact
        return (next, .reopened(from: status, outcome: outcome))
    }

    /// A new status, as the state machine allows. Closing sets the closing date (kept if the case
    /// was already closed) and clears the suggestion; reopening by hand clears the closing date
    /// but is refused while the person has another open case (one open case per person).
    public func changingStatus(to requested: CaseStatus, on today: LocalDate,
                               personHasAnotherOpenCase: Bool) throws(CaseRuleViolation) -> (Case, CaseEvent) {
        let status: CaseStatus
        do { status = try self.status.transition(to: requested) } catch { throw .illegalTransition(error) }
        if status.isOpen, !isOpen, personHasAnotherOpenCase { throw .secondOpenCase }
        var next = self
        next.status = status
        next.closedOn = status.isOpen ? nil : (closedOn ?? today)
        if !status.isOpen { next.suggestion = nil }
        return (next, .statusChanged(from: self.status, to: status))
    }

    /// Undoes a closing made by mistake (a team lead): the case goes back to `previous`, the open
    /// status it had before it was closed, whatever the state machine says about the closed status
    /// (a case closed as deceased by mistake must come back too). Refused while the person has
    /// another open case.
    public func undoingClosing(backTo previous: CaseStatus?, personHasAnotherOpenCase: Bool) throws(CaseRuleViolation) -> (Case, CaseEvent) {
        guard !isOpen else { throw .notClosed }
        // A case closed by a merge goes on in the other case; only undoing the merge gives it back.
        guard status != .merged else { throw .illegalTransition(.init(from: status, to: previous ?? .reopened)) }
        if personHasAnotherOpenCase { throw .secondOpenCase }
        let restored = previous.flatMap { $0.isOpen ? $0 : nil } ?? .reopened
        var next = self
        next.status = restored
        next.closedOn = nil
        return (next, .closingUndone(from: status, to: restored))
    }

    /// A contact attempt. After `CaseRules.failedContactsBeforeUnreachable` attempts in a row that
    /// reached nobody, the case suggests "cannot be contacted" (never sets it); a contact that
    /// reaches the young person takes that suggestion away.
    public func loggingContact(_ channel: ContactChannel, _ outcome: ContactOutcome, failedInARowBefore: Int) -> (Case, CaseEvent) {
        var next = self
        if outcome.isSuccessful {
            if suggestion == .noContact { next.suggestion = nil }
        } else if isOpen, suggestion == nil, failedInARowBefore + 1 >= CaseRules.failedContactsBeforeUnreachable {
            next.suggestion = .noContact
        }
        return (next, .contact(channel: channel, outcome: outcome))
    }

    /// The pipeline's suggestion from a new fact (started work, re-enrolled, …); never closes.
    public func suggesting(_ suggestion: Suggestion, outcome: String) -> (Case, CaseEvent) {
        var next = self
        next.suggestion = suggestion
        return (next, .suggestion(suggestion, outcome: outcome))
    }

    /// Withdraws an open case nobody has acted on yet (`CaseRules.actedOn`) whose young person is no
    /// longer to be reached — registered at VDAB, started work, re-enrolled, moved abroad… before a
    /// letter left or anyone called. Closed as `withdrawn` with the reason; a relapse reopens it as
    /// any closed case. So the order in which the sources deliver leaves no case behind: a case
    /// opened on one source's news and contradicted by the next one's goes away again.
    public func withdrawing(because reason: Suggestion, outcome: String, on today: LocalDate) throws(CaseRuleViolation) -> (Case, CaseEvent) {
        guard isOpen else { throw .closed }
        var next = self
        next.status = .withdrawn
        next.closedOn = today
        next.suggestion = nil
        return (next, .withdrawn(reason: reason, outcome: outcome))
    }

    /// The mail house brought a letter back undeliverable: on an open case the next action becomes
    /// "address unknown" (find another address or channel), due the next working day; a closed
    /// case only records it.
    public func letterCameBack(_ reference: String, reason: LetterReturnReason, on today: LocalDate) -> (Case, CaseEvent) {
        var next = self
        if isOpen {
            next.nextAction = NextAction.addressUnknown
            next.dueOn = today.adding(workingDays: 1, calendar: .flanders)
        }
        return (next, .letterReturned(reference: reference, reason: reason))
    }

    /// VDAB's job-seeker system confirmed the registration Vangnet asked for (policy action
    /// `auto-register`): a case not yet worked on becomes `registered` (and gets its notice
    /// letter); one that moved on, or closed, only records it.
    public func registrationConfirmed(number: String) -> (Case, CaseEvent) {
        var next = self
        if status == .new || status == .reopened, let status = try? status.transition(to: .registered) {
            next.status = status
            next.nextAction = NextAction.registrationFollowUp
        }
        return (next, .registrationConfirmed(number: number))
    }

    /// Whether a suggestion from the pipeline is news for this case: for a case that asked VDAB
    /// to register the young person, "registered at VDAB" is its own doing, not a reason to close.
    public func takesSuggestion(_ suggestion: Suggestion) -> Bool {
        !(action == .autoRegister && suggestion == .registeredAtVDAB)
    }

    /// A consultant asks for a letter to go again — the young person lost it, or it went to an
    /// old address: the next batch makes it anew, with a new reference and personal code.
    public func requestingLetterAgain(_ kind: LetterKind) throws(CaseRuleViolation) -> (Case, CaseEvent) {
        guard isOpen else { throw .closed }
        return (self, .letterResendRequested(kind: kind))
    }

    /// The case follows its referrals: `referred` while one is pending or accepted; a declined,
    /// revoked or consent-withdrawn one brings it back to the consultant (`contacted`, a task due
    /// the next working day) unless another referral is still open; a done one returns it to
    /// guidance with the outcome's suggestion — the consultant closes it, never Vangnet.
    public func followingReferral(_ referral: Referral, organisation: String, anotherOpen: Bool, on today: LocalDate) -> (Case, [CaseEvent]) {
        var next = self
        var events: [CaseEvent] = [.referral(referral.status, organisation: organisation)]
        func move(to status: CaseStatus) {
            guard next.status != status, let moved = try? next.status.transition(to: status) else { return }
            events.append(.statusChanged(from: next.status, to: moved))
            next.status = moved
        }
        guard isOpen else { return (self, events) }
        switch referral.status {
        case .pending, .accepted:
            move(to: .referred)
        case .declined, .revoked, .consentWithdrawn:
            if !anotherOpen, status == .referred { move(to: .contacted) }
            next.nextAction = NextAction.referralFollowUp
            next.dueOn = today.adding(workingDays: 1, calendar: .flanders)
        case .done:
            if !anotherOpen, status == .referred { move(to: .inGuidance) }
            if let suggestion = referral.outcome?.suggestion, next.suggestion == nil { next.suggestion = suggestion }
        case .proposed:
            break
        }
        return (next, events)
    }

    /// Gives an open case to a consultant who works in its province; nil when it is theirs already.
    public func reassigning(to consultant: String, workingIn provinces: [Province]) throws(CaseRuleViolation) -> (Case, CaseEvent)? {
        guard isOpen else { throw .closed }
        guard let province, provinces.contains(province) else {
            throw .consultantOutsideProvince(consultant: consultant, caseNumber: number)
        }
        guard self.consultant != consultant else { return nil }
        var next = self
        next.consultant = consultant
        return (next, .assigned(consultant: consultant, from: self.consultant))
    }

    /// Plans the next action: at most `CaseRules.nextActionMaximumLength` characters, not empty.
    public func planning(_ action: String, due: LocalDate) throws(CaseRuleViolation) -> (Case, CaseEvent) {
        guard isOpen else { throw .closed }
        let text = action.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw .emptyNextAction }
        guard text.count <= CaseRules.nextActionMaximumLength else { throw .tooLong(field: "next_action", maximum: CaseRules.nextActionMaximumLength) }
        var next = self
        next.nextAction = text
        next.dueOn = due
        return (next, .nextActionSet(action: text, due: due))
    }
}

/// A rule about cases that a request broke: each says what to do instead.
public enum CaseRuleViolation: VangnetError, Equatable {
    case illegalTransition(CaseStatus.IllegalTransition)
    /// Reopening a case while the person has another open one.
    case secondOpenCase
    /// Working on a case that is closed.
    case closed
    /// A consultant who does not work in the case's province.
    case consultantOutsideProvince(consultant: String, caseNumber: String)
    /// No such active consultant.
    case unknownConsultant(String)
    case emptyNextAction
    case emptyNote
    case tooLong(field: String, maximum: Int)
    /// Closing a case, or undoing a closing, needs a reason.
    case reasonRequired
    /// Undoing the closing of a case that is open.
    case notClosed

    public var kind: ErrorKind {
        switch self {
        case .illegalTransition, .secondOpenCase, .closed, .consultantOutsideProvince, .notClosed: .conflict
        case .unknownConsultant, .emptyNextAction, .emptyNote, .tooLong, .reasonRequired: .invalidInput
        }
    }

    public var code: String {
        switch self {
        case .illegalTransition: "conflict"
        case .secondOpenCase: "second_open_case"
        case .closed: "case_closed"
        case .consultantOutsideProvince: "consultant_outside_province"
        case .unknownConsultant: "unknown_consultant"
        case .emptyNextAction, .emptyNote: "required"
        case .reasonRequired: "reason_required"
        case .notClosed: "case_open"
        case .tooLong: "too_long"
        }
    }

    public var description: String {
        switch self {
        case .illegalTransition(let illegal): illegal.description
        case .secondOpenCase: "the person already has an open case"
        case .closed: "the case is closed"
        case .consultantOutsideProvince(let consultant, let number): "\(consultant) does not work in the province of \(number)"
        case .unknownConsultant(let username): "no active consultant '\(username)'"
        case .emptyNextAction: "the next action is empty"
        case .emptyNote: "the note is empty"
        case .reasonRequired: "closing a case (or undoing a closing) needs a reason in the note"
        case .notClosed: "the case is open"
        case .tooLong(let field, let maximum): "\(field): at most \(maximum) characters"
        }
    }
}
