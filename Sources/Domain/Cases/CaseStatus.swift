/// Where a case stands. Open statuses need work from a consultant; closed ones record the outcome.
/// A status changes only through `CaseStatus.transition(to:)`, which names what is allowed
/// (docs/cases.md draws the machine).
public enum CaseStatus: String, CaseIterable, Codable, Sendable {
    // Open
    /// Opened; the young person has not been approached yet.
    case new
    /// The invitation letter has been sent.
    case invited
    /// Registered as a job seeker by Vangnet (policy action `auto-register`), as VDAB's job-seeker
    /// system confirmed.
    case registered
    /// The consultant has spoken with the young person.
    case contacted
    /// The young person follows a guidance track with VDAB.
    case inGuidance = "in_guidance"
    /// Referred to a partner organisation.
    case referred
    /// Closed before, reopened after a relapse (job ended, left school again).
    case reopened

    // Closed
    /// Found work.
    case inWork = "in_work"
    /// Back in education or in training.
    case inEducation = "in_education"
    /// Does not want guidance.
    case declined
    /// Could not be contacted.
    case unreachable
    /// Situation unknown after the follow-up period.
    case unknown
    /// Turned out not to belong to the target group.
    case notInTargetGroup = "not_in_target_group"
    /// Moved abroad.
    case movedAbroad = "moved_abroad"
    /// Deceased.
    case deceased
    /// Closed by Vangnet before anyone acted on it: the young person was no longer to be reached
    /// (`Case.withdrawing`). Never chosen by a user.
    case withdrawn
    /// Closed because the young person turned out to be registered twice (two INSZ, one person) and
    /// the other registration's case goes on (`PersonMerge`). Never chosen by a user; undoing the
    /// merge gives the case back its status.
    case merged

    public var isOpen: Bool {
        switch self {
        case .new, .invited, .registered, .contacted, .inGuidance, .referred, .reopened: true
        default: false
        }
    }

    public static let open: [CaseStatus] = allCases.filter(\.isOpen)
    public static let closed: [CaseStatus] = allCases.filter { !$0.isOpen }
    /// The closed statuses a user may choose (withdrawing is Vangnet's own).
    public static let closedByUser: [CaseStatus] = closed.filter { $0 != .withdrawn && $0 != .merged }

    /// The statuses this one may change to.
    public var successors: [CaseStatus] {
        switch self {
        case .new, .reopened:
            [.invited, .registered, .contacted, .referred] + CaseStatus.closedByUser
        case .invited, .registered:
            [.contacted, .inGuidance, .referred] + CaseStatus.closedByUser
        case .contacted:
            [.inGuidance, .referred] + CaseStatus.closedByUser
        case .inGuidance:
            [.referred] + CaseStatus.closedByUser
        case .referred:
            [.contacted, .inGuidance] + CaseStatus.closedByUser
        case .inWork, .inEducation, .declined, .unreachable, .unknown, .notInTargetGroup, .movedAbroad, .withdrawn:
            [.reopened]
        case .deceased, .merged:
            []
        }
    }

    public struct IllegalTransition: Error, Equatable, Sendable, CustomStringConvertible {
        public let from: CaseStatus
        public let to: CaseStatus
        public init(from: CaseStatus, to: CaseStatus) {
            self.from = from
            self.to = to
        }
        public var description: String { "a case cannot go from \(from.rawValue) to \(to.rawValue)" }
    }

    /// The new status, if the machine allows it.
    public func transition(to next: CaseStatus) throws(IllegalTransition) -> CaseStatus {
        guard successors.contains(next) else { throw IllegalTransition(from: self, to: next) }
        return next
    }

    /// The status a new case starts in, by the policy's action.
    public static func initial(for action: CaseAction) -> CaseStatus {
        switch action {
        case .invite: .new
        case .autoRegister: .new  // `registered` once VDAB's job-seeker system confirms (Case.registrationConfirmed)
        }
    }
}
