/// What the pipeline does to a person's case after a new decision: the case follows the facts but a
/// consultant closes it — the pipeline never closes a case by itself.
public enum CaseUpdate: Hashable, Sendable {
    /// Nothing to do.
    case none
    /// Open a case: the person became eligible and has no open case.
    case open(action: CaseAction, province: Province?)
    /// A closed case's young person is eligible again (job ended, left school again): reopen it.
    case reopen(province: Province?)
    /// The open case gets a suggestion for the consultant (e.g. "started work: close as in work?").
    case suggest(Suggestion)

    /// Decides what happens to the case, from the previous and the new decision and the case's state.
    /// `hasOpenCase`/`hasClosedCase` describe the person's existing cases.
    public static func after(previous: Decision?, current: Decision, hasOpenCase: Bool, hasClosedCase: Bool) -> CaseUpdate {
        switch current.outcome {
        case .eligible:
            if hasOpenCase { return .none }
            if hasClosedCase {
                // Reopen only on a relapse: the young person was out of the target group (working,
                // enrolled, …) and is eligible again.
                if let previous, previous.outcome != .eligible { return .reopen(province: current.province) }
                return .none
            }
            return .open(action: current.action ?? .invite, province: current.province)
        case .notALeaver, .notInTargetGroup, .pending:
            guard hasOpenCase, let suggestion = Suggestion(for: current), previous?.outcome != current.outcome else {
                return .none
            }
            return .suggest(suggestion)
        }
    }
}

/// A suggestion shown on an open case when a new fact makes it likely the case can close.
public enum Suggestion: String, Codable, Sendable, CaseIterable {
    case startedWork = "started_work"
    case reEnrolled = "re_enrolled"
    case qualified
    case emigrated
    case deceased
    case registeredAtVDAB = "registered_at_vdab"
    case outOfTargetGroup = "out_of_target_group"
    /// Several contact attempts in a row reached nobody (`CaseRules.failedContactsBeforeUnreachable`).
    case noContact = "no_contact"
    /// The young person answered that they do not want to be contacted.
    case declinedContact = "declined_contact"

    init?(for decision: Decision) {
        switch decision.outcome {
        case .eligible: return nil
        case .pending: return nil
        case .notALeaver:
            self = decision.qualified ? .qualified : .reEnrolled
        case .notInTargetGroup(let exclusion):
            switch exclusion {
            case .atWork: self = .startedWork
            case .abroad: self = .emigrated
            case .deceased: self = .deceased
            case .knownToVDAB: self = .registeredAtVDAB
            case .outsideFlanders, .tooOld, .birthDateUnknown: self = .outOfTargetGroup
            }
        }
    }

    /// The status a consultant would most likely close the case with.
    public var suggestedStatus: CaseStatus? {
        switch self {
        case .startedWork: .inWork
        case .reEnrolled, .qualified: .inEducation
        case .emigrated: .movedAbroad
        case .deceased: .deceased
        case .registeredAtVDAB: nil
        case .outOfTargetGroup: .notInTargetGroup
        case .noContact: .unreachable
        case .declinedContact: .declined
        }
    }
}
