/// Something that happened on a case: the case's history is a list of these. Stored as a kind
/// code and flat string fields (`kind`, `fields`), read back with `init?(kind:fields:)`; the codes
/// are the case history's stable vocabulary (docs/cases.md).
public enum CaseEvent: Sendable, Equatable {
    /// The pipeline opened the case for an eligible person, under a policy version.
    case opened(action: CaseAction, status: CaseStatus, policyVersion: String)
    /// Given to a consultant (by the pipeline's assignment or a team lead); `from` the one before.
    case assigned(consultant: String, from: String?)
    /// A closed case reopened after a relapse; `outcome` is the new decision's code.
    case reopened(from: CaseStatus, outcome: String)
    /// A new fact made it likely the case can close.
    case suggestion(Suggestion, outcome: String)
    /// Closed by Vangnet before anyone acted on it: the young person is no longer to be reached,
    /// for `reason` (`Case.withdrawing`).
    case withdrawn(reason: Suggestion, outcome: String)
    /// A new record about the person arrived while the case is open.
    case factArrived(source: Source, recordID: String, kind: RecordKind, sequence: Int64)
    /// A consultant changed the status.
    case statusChanged(from: CaseStatus, to: CaseStatus)
    /// A contact attempt and how it went (its note is kept with the event, sealed).
    case contact(channel: ContactChannel, outcome: ContactOutcome)
    /// A note.
    case note
    /// The next action and its date.
    case nextActionSet(action: String, due: LocalDate)
    /// The young person answered on the answer page (their text and contact details are the note).
    case answered(AnswerChoice)
    /// A letter to the young person was made in a batch for the mail house (`reference` is printed on it).
    case letter(kind: LetterKind, reference: String)
    /// VDAB's job-seeker system took the request to register the young person (it confirms later).
    case registrationRequested
    /// VDAB's job-seeker system registered the young person, under `number`.
    case registrationConfirmed(number: String)
    /// The request could not be delivered or was refused: the steward sees it as stuck.
    case registrationFailed(RegistrationProblem)
    /// A referral to a partner organisation (named) changed: sent, accepted, declined, done…
    case referral(ReferralStatus, organisation: String)
    /// The partner logged progress on the referral (the note says what).
    case referralProgress(organisation: String)
    /// The data steward dealt with the young person's "something is wrong in this letter".
    case reportHandled
    /// A consultant asked for a letter to go again (a new reference and code, in the next batch).
    case letterResendRequested(kind: LetterKind)
    /// The mail house brought the letter back (its return file): the address is not to be used.
    case letterReturned(reference: String, reason: LetterReturnReason)
    /// A team lead undid a closing made by mistake: back from the closed status to the open one before it.
    case closingUndone(from: CaseStatus, to: CaseStatus)
    /// Two registrations of one young person (two INSZ) were merged (`PersonMerge`): this case goes
    /// on with the facts of both, with `otherCase` closed into it; or, `closed`, this case was
    /// closed because `otherCase` goes on.
    case merged(otherCase: Int64?, closed: Bool)
    /// A merge was undone: the two registrations are two persons again.
    case mergeUndone(otherCase: Int64?)

    /// The stored kind code.
    public var kind: String {
        switch self {
        case .opened: "opened"
        case .assigned: "assigned"
        case .reopened: "reopened"
        case .suggestion: "suggestion"
        case .withdrawn: "withdrawn"
        case .factArrived: "fact"
        case .statusChanged: "status"
        case .contact: "contact"
        case .note: "note"
        case .nextActionSet: "next_action"
        case .closingUndone: "closing_undone"
        case .merged: "merged"
        case .mergeUndone: "merge_undone"
        case .letter: "letter"
        case .registrationRequested: "registration_requested"
        case .registrationConfirmed: "registration_confirmed"
        case .registrationFailed: "registration_failed"
        case .letterReturned: "letter_returned"
        case .letterResendRequested: "letter_resend"
        case .reportHandled: "report_handled"
        case .referral: "referral"
        case .referralProgress: "referral_progress"
        case .answered: "answer"
        }
    }

    /// The stored fields.
    public var fields: [String: String] {
        switch self {
        case .opened(let action, let status, let policyVersion):
            ["action": action.rawValue, "status": status.rawValue, "policy_version": policyVersion]
        case .assigned(let consultant, let from):
            from.map { ["consultant": consultant, "from": $0] } ?? ["consultant": consultant]
        case .reopened(let from, let outcome): ["from": from.rawValue, "outcome": outcome]
        case .suggestion(let suggestion, let outcome): ["suggestion": suggestion.rawValue, "outcome": outcome]
        case .withdrawn(let reason, let outcome): ["reason": reason.rawValue, "outcome": outcome]
        case .factArrived(let source, let recordID, let kind, let sequence):
            ["source": source.rawValue, "record_id": recordID, "kind": kind.rawValue, "seq": String(sequence)]
        case .statusChanged(let from, let to): ["from": from.rawValue, "to": to.rawValue]
        case .contact(let channel, let outcome): ["channel": channel.rawValue, "outcome": outcome.rawValue]
        case .note: [:]
        case .nextActionSet(let action, let due): ["next_action": action, "due_on": due.iso]
        case .closingUndone(let from, let to): ["from": from.rawValue, "to": to.rawValue]
        case .merged(let other, let closed): (other.map { ["other_case": String($0)] } ?? [:]).merging(["closed": closed ? "1" : "0"]) { $1 }
        case .mergeUndone(let other): other.map { ["other_case": String($0)] } ?? [:]
        case .letter(let kind, let reference): ["letter": kind.rawValue, "reference": reference]
        case .registrationRequested: [:]
        case .registrationConfirmed(let number): ["registration_number": number]
        case .registrationFailed(let problem): ["problem": problem.rawValue]
        case .letterReturned(let reference, let reason): ["reference": reference, "reason": reason.rawValue]
        case .letterResendRequested(let kind): ["letter": kind.rawValue]
        case .reportHandled: [:]
        case .referral(let status, let organisation): ["status": status.rawValue, "organisation": organisation]
        case .referralProgress(let organisation): ["organisation": organisation]
        case .answered(let choice): ["choice": choice.rawValue]
        }
    }

    /// An event as stored; nil for a kind or fields this version does not know.
    public init?(kind: String, fields: [String: String]) {
        switch kind {
        case "opened":
            guard let action = fields["action"].flatMap(CaseAction.init(rawValue:)),
                  let status = fields["status"].flatMap(CaseStatus.init(rawValue:)) else { return nil }
            self = .opened(action: action, status: status, policyVersion: fields["policy_version"] ?? "")
        case "assigned":
            guard let consultant = fields["consultant"] else { return nil }
            self = .assigned(consultant: consultant, from: fields["from"].flatMap { $0.isEmpty ? nil : $0 })
        case "reopened":
            guard let from = fields["from"].flatMap(CaseStatus.init(rawValue:)) else { return nil }
            self = .reopened(from: from, outcome: fields["outcome"] ?? "")
        case "suggestion":
            guard let suggestion = fields["suggestion"].flatMap(Suggestion.init(rawValue:)) else { return nil }
            self = .suggestion(suggestion, outcome: fields["outcome"] ?? "")
        case "withdrawn":
            guard let reason = fields["reason"].flatMap(Suggestion.init(rawValue:)) else { return nil }
            self = .withdrawn(reason: reason, outcome: fields["outcome"] ?? "")
        case "fact":
            guard let source = fields["source"].flatMap(Source.init(rawValue:)), let recordID = fields["record_id"],
                  let kind = fields["kind"].flatMap(RecordKind.init(rawValue:)), let sequence = fields["seq"].flatMap(Int64.init)
            else { return nil }
            self = .factArrived(source: source, recordID: recordID, kind: kind, sequence: sequence)
        case "status":
            guard let from = fields["from"].flatMap(CaseStatus.init(rawValue:)),
                  let to = fields["to"].flatMap(CaseStatus.init(rawValue:)) else { return nil }
            self = .statusChanged(from: from, to: to)
        case "contact":
            guard let channel = fields["channel"].flatMap(ContactChannel.init(rawValue:)),
                  let outcome = fields["outcome"].flatMap(ContactOutcome.init(rawValue:)) else { return nil }
            self = .contact(channel: channel, outcome: outcome)
        case "note":
            self = .note
        case "next_action":
            guard let action = fields["next_action"], let due = fields["due_on"].flatMap({ LocalDate(iso: $0) }) else { return nil }
            self = .nextActionSet(action: action, due: due)
        case "answer":
            guard let choice = fields["choice"].flatMap(AnswerChoice.init(rawValue:)) else { return nil }
            self = .answered(choice)
        case "letter":
            guard let kind = fields["letter"].flatMap(LetterKind.init(rawValue:)), let reference = fields["reference"] else { return nil }
            self = .letter(kind: kind, reference: reference)
        case "registration_requested":
            self = .registrationRequested
        case "registration_confirmed":
            guard let number = fields["registration_number"] else { return nil }
            self = .registrationConfirmed(number: number)
        case "registration_failed":
            self = .registrationFailed(fields["problem"].flatMap(RegistrationProblem.init(rawValue:)) ?? .unreachable)
        case "referral":
            guard let status = fields["status"].flatMap(ReferralStatus.init(rawValue:)) else { return nil }
            self = .referral(status, organisation: fields["organisation"] ?? "")
        case "referral_progress":
            self = .referralProgress(organisation: fields["organisation"] ?? "")
        case "report_handled":
            self = .reportHandled
        case "letter_resend":
            guard let kind = fields["letter"].flatMap(LetterKind.init(rawValue:)) else { return nil }
            self = .letterResendRequested(kind: kind)
        case "letter_returned":
            guard let reference = fields["reference"], let reason = fields["reason"].flatMap(LetterReturnReason.init(rawValue:)) else { return nil }
            self = .letterReturned(reference: reference, reason: reason)
        case "closing_undone":
            guard let from = fields["from"].flatMap(CaseStatus.init(rawValue:)),
                  let to = fields["to"].flatMap(CaseStatus.init(rawValue:)) else { return nil }
            self = .closingUndone(from: from, to: to)
        case "merged":
            self = .merged(otherCase: fields["other_case"].flatMap(Int64.init), closed: fields["closed"] == "1")
        case "merge_undone":
            self = .mergeUndone(otherCase: fields["other_case"].flatMap(Int64.init))
        default:
            return nil
        }
    }
}

/// An event in a case's history, as stored: when, by whom, and its note (decrypted).
public struct CaseHistoryEntry: Sendable, Equatable {
    public var id: Int64
    /// The stored instant (ISO 8601, UTC).
    public var at: String
    /// A user name, or `pipeline`.
    public var actor: String
    public var event: CaseEvent
    public var note: String?

    public init(id: Int64, at: String, actor: String, event: CaseEvent, note: String?) {
        self.id = id
        self.at = at
        self.actor = actor
        self.event = event
        self.note = note
    }
}

extension CaseHistoryEntry {
    /// The stored kind code (`opened`, `status`, `contact`, …).
    public var kind: String { event.kind }
    /// The stored fields of the event.
    public var data: [String: String] { event.fields }
}
