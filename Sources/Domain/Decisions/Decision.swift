/// What Vangnet decided about a person on a date, and why.
public struct Decision: Hashable, Sendable {
    public enum Outcome: Hashable, Sendable {
        /// Not an unqualified school leaver (never in qualifying education, still enrolled, qualified).
        case notALeaver
        /// Cannot be decided before `until` (grace period, compulsory education).
        case pending(until: LocalDate)
        /// An unqualified school leaver whom Vangnet does not follow up, for this reason.
        case notInTargetGroup(Exclusion)
        /// An unqualified school leaver whom a youth consultant must reach.
        case eligible

        /// The stored code of the outcome.
        public var code: String {
            switch self {
            case .notALeaver: "not_a_leaver"
            case .pending: "pending"
            case .notInTargetGroup: "not_in_target_group"
            case .eligible: "eligible"
            }
        }
    }

    /// Why an unqualified school leaver is not in the target group.
    public enum Exclusion: String, CaseIterable, Codable, Sendable {
        case deceased
        case abroad
        case outsideFlanders = "outside_flanders"
        case tooOld = "too_old"
        case birthDateUnknown = "birth_date_unknown"
        case knownToVDAB = "known_to_vdab"
        case atWork = "at_work"
    }

    public var outcome: Outcome
    /// Every rule that was applied, in order, with the facts it used.
    public var reasons: [Reason]
    /// The end of the last qualifying enrolment, for a young person who left school.
    public var leftSchoolOn: LocalDate?
    /// Whether the young person held a qualification on the decision date.
    public var qualified: Bool
    public var decidedOn: LocalDate
    public var policyVersion: String
    /// The next date on which the same facts could give another decision: the pipeline's timer.
    public var reviewOn: LocalDate?
    /// The province that follows the young person up: of the main address, else of the last school.
    public var province: Province?
    /// The track of the last qualifying enrolment (monitoring by school type).
    public var track: Enrolment.Track?
    /// The source of the last qualifying enrolment (monitoring by source).
    public var schoolSource: Source?
    /// For an eligible young person: what the policy says to do.
    public var action: CaseAction?

    public init(outcome: Outcome, reasons: [Reason], leftSchoolOn: LocalDate? = nil, qualified: Bool = false,
                decidedOn: LocalDate, policyVersion: String, reviewOn: LocalDate? = nil, province: Province? = nil,
                track: Enrolment.Track? = nil, schoolSource: Source? = nil, action: CaseAction? = nil) {
        self.outcome = outcome
        self.reasons = reasons
        self.leftSchoolOn = leftSchoolOn
        self.qualified = qualified
        self.decidedOn = decidedOn
        self.policyVersion = policyVersion
        self.reviewOn = reviewOn
        self.province = province
        self.track = track
        self.schoolSource = schoolSource
        self.action = action
    }

    public var exclusion: Exclusion? {
        if case .notInTargetGroup(let exclusion) = outcome { exclusion } else { nil }
    }

    public var pendingUntil: LocalDate? {
        if case .pending(let until) = outcome { until } else { nil }
    }

    /// Whether two decisions say the same thing (ignoring when they were made): the pipeline stores a
    /// new decision only when this changes.
    public func saysTheSame(as other: Decision) -> Bool {
        outcome == other.outcome && reasons == other.reasons && leftSchoolOn == other.leftSchoolOn
            && qualified == other.qualified && policyVersion == other.policyVersion && reviewOn == other.reviewOn
            && province == other.province && track == other.track && schoolSource == other.schoolSource
            && action == other.action
    }
}

/// One step of a decision: the rule that was applied, the date it produced (if any) and the facts
/// it rests on.
public struct Reason: Hashable, Sendable, Codable {
    public var rule: Rule
    public var date: LocalDate?
    public var facts: [FactReference]

    public init(_ rule: Rule, date: LocalDate? = nil, facts: [FactReference] = []) {
        self.rule = rule
        self.date = date
        self.facts = facts
    }
}

/// The rules of the policy, each with a stable id (documented in docs/policy.md).
public enum Rule: String, Codable, Sendable, CaseIterable {
    case noQualifyingEnrolment = "leaver.no-qualifying-enrolment"
    case stillEnrolled = "leaver.still-enrolled"
    case leftSchool = "leaver.left-school"
    case gracePeriod = "leaver.grace-period"
    case qualified = "qualification.held"
    case unqualified = "qualification.none"
    case cancelledQualification = "qualification.cancelled"
    case deceased = "filter.deceased"
    case abroad = "filter.abroad"
    case outsideFlanders = "filter.outside-flanders"
    case tooOld = "target.age-limit"
    case birthDateUnknown = "target.birth-date-unknown"
    case knownToVDAB = "filter.known-to-vdab"
    case atWork = "filter.at-work"
    case compulsoryEducation = "target.compulsory-education"
    case eligible = "target.eligible"
}
