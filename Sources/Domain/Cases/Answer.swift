/// What a young person answers on the answer page, with the personal code of their letter.
public enum AnswerChoice: String, CaseIterable, Codable, Sendable {
    /// "I'd like help finding work or training."
    case wantsHelp = "wants_help"
    /// "I already work."
    case alreadyWorks = "already_works"
    /// "I went back to school."
    case backToSchool = "back_to_school"
    /// "I don't want to be contacted."
    case noContactWanted = "no_contact_wanted"
    /// "Something is wrong in this letter" (with what, in their words).
    case somethingWrong = "something_wrong"

    /// The status the answer suggests to the consultant — to be confirmed with the facts, never set.
    public var suggestion: Suggestion? {
        switch self {
        case .alreadyWorks: .startedWork
        case .backToSchool: .reEnrolled
        case .noContactWanted: .declinedContact
        case .wantsHelp, .somethingWrong: nil
        }
    }
}

extension Case {
    /// The young person answered: the answer is on the case at once, with a task for the
    /// consultant (follow the answer up the next working day) and, where it says so, a suggestion.
    public func answering(_ choice: AnswerChoice, on today: LocalDate) -> (Case, CaseEvent) {
        var next = self
        if isOpen {
            if let suggestion = choice.suggestion { next.suggestion = suggestion }
            next.nextAction = NextAction.answerFollowUp
            next.dueOn = today.adding(workingDays: 1)
        }
        return (next, .answered(choice))
    }
}

extension AuditEntry {
    /// The young person's own access through the answer page (they have no account): named as such.
    public init(youngPerson action: AuditAction, outcome: AuditOutcome = .allowed, subject: String?, requestID: String?) {
        self.init(stored: "", actor: CaseRules.youngPersonActor, role: CaseRules.youngPersonActor, purpose: Purpose.ownAccess.rawValue, action: action.code,
                  outcome: outcome.rawValue, subject: subject, objectType: action.objectType, objectID: action.objectID, requestID: requestID)
    }
}
