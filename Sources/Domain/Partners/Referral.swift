/// A young person's consent to share their data with a partner (docs/partners.md): recorded on the
/// case before a referral is sent, withdrawn at any time.
public struct Consent: Sendable, Codable, Equatable {
    /// How it was given.
    public enum Channel: String, Sendable, Codable, CaseIterable {
        case spoken
        case written
        case answerPage = "answer_page"
    }

    /// Who gave it: the young person, or (under the age of consent) a parent or guardian.
    public enum GivenBy: String, Sendable, Codable, CaseIterable {
        case youngPerson = "young_person"
        case parent
        case guardian
    }

    /// What is shared besides name, contact details, age, the reason and the consultant.
    public enum Extra: String, Sendable, Codable, CaseIterable {
        case schoolHistory = "school_history"
        case notes
    }

    public var givenOn: LocalDate
    public var channel: Channel
    public var givenBy: GivenBy
    public var extras: [Extra]

    public init(givenOn: LocalDate, channel: Channel, givenBy: GivenBy, extras: [Extra]) {
        self.givenOn = givenOn
        self.channel = channel
        self.givenBy = givenBy
        self.extras = extras
    }
}

/// What a referral offers.
public enum ReferralOffer: String, Sendable, Codable, CaseIterable {
    case guidance
    case training
    case workExperience = "work_experience"
    case welfareSupport = "welfare_support"
    case other
}

/// What became of the young person, as the partner reports it when the referral is done.
public enum ReferralOutcome: String, Sendable, Codable, CaseIterable {
    case inWork = "in_work"
    case inEducation = "in_education"
    case stopped
    case unreachable
    case moved

    /// The case's suggestion it implies (the consultant closes the case, never Vangnet).
    public var suggestion: Suggestion? {
        switch self {
        case .inWork: .startedWork
        case .inEducation: .reEnrolled
        case .unreachable: .noContact
        case .stopped, .moved: nil
        }
    }
}

/// A referral's state machine (docs/partners.md draws it).
public enum ReferralStatus: String, Sendable, Codable, CaseIterable {
    /// Saved by the consultant, not sent: no consent yet. The partner sees nothing.
    case proposed
    /// Sent with consent; waiting for the partner's answer.
    case pending
    case accepted
    case declined
    /// The partner closed it with feedback.
    case done
    /// The consultant took it back.
    case revoked
    /// The young person withdrew their consent: the partner's access ended at once.
    case consentWithdrawn = "consent_withdrawn"

    /// The partner sees the case (and may act on it) only while pending or accepted.
    public var isVisibleToPartner: Bool { self == .pending || self == .accepted }
    /// Open: the organisation cannot get a second referral of the same case.
    public var isOpen: Bool { self == .proposed || self == .pending || self == .accepted }
}

/// A case's referral to a partner organisation: every change is a pure function returning the new
/// state, or a `ReferralRuleViolation` that says what to do instead.
public struct Referral: Sendable, Codable, Equatable {
    public var id: Int64
    public var caseID: Int64
    public var organisationID: Int64
    public var lotID: Int64?
    public var offer: ReferralOffer
    public var reason: String
    public var status: ReferralStatus
    public var consent: Consent?
    public var proposedOn: LocalDate
    public var sentOn: LocalDate?
    /// The partner's answer is due on this day (the lot's response time; 5 working days otherwise).
    public var answerDueOn: LocalDate?
    public var answeredOn: LocalDate?
    public var declineReason: String?
    public var intakeOn: LocalDate?
    public var outcome: ReferralOutcome?
    public var outcomeOn: LocalDate?
    public var closedOn: LocalDate?
    /// Why it ended without being done (revoked, consent withdrawn).
    public var endReason: String?
    /// Bumped on every change: a form carries it, so a stale form is refused.
    public var version: Int

    public init(id: Int64, caseID: Int64, organisationID: Int64, lotID: Int64?, offer: ReferralOffer, reason: String, status: ReferralStatus,
                consent: Consent?, proposedOn: LocalDate, sentOn: LocalDate? = nil, answerDueOn: LocalDate? = nil, answeredOn: LocalDate? = nil,
                declineReason: String? = nil, intakeOn: LocalDate? = nil, outcome: ReferralOutcome? = nil, outcomeOn: LocalDate? = nil,
                closedOn: LocalDate? = nil, endReason: String? = nil, version: Int = 1) {
        self.id = id
        self.caseID = caseID
        self.organisationID = organisationID
        self.lotID = lotID
        self.offer = offer
        self.reason = reason
        self.status = status
        self.consent = consent
        self.proposedOn = proposedOn
        self.sentOn = sentOn
        self.answerDueOn = answerDueOn
        self.answeredOn = answeredOn
        self.declineReason = declineReason
        self.intakeOn = intakeOn
        self.outcome = outcome
        self.outcomeOn = outcomeOn
        self.closedOn = closedOn
        self.endReason = endReason
        self.version = version
    }

    /// The partner has not answered in time.
    public func isOverdue(on today: LocalDate) -> Bool {
        status == .pending && (answerDueOn.map { $0 < today } ?? false)
    }
}

/// The rules of referring.
public enum ReferralRules {
    /// The reason for a referral, and a partner's decline reason and feedback: at most this long.
    public static let textMaximumLength = 1_000
    /// Without a lot's response time, a partner answers within this many working days.
    public static let defaultResponseWorkingDays = 5
    /// Under this age a parent or guardian gives the consent (configurable: `VANGNET_CONSENT_AGE`).
    public static let defaultAgeOfConsent = 18

    public static func cleaned(_ text: String?, required: Bool) throws(ReferralRuleViolation) -> String? {
        let value = text?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if value.isEmpty {
            if required { throw .textRequired }
            return nil
        }
        guard value.count <= textMaximumLength else { throw .tooLong(maximum: textMaximumLength) }
        return value
    }

    /// Whether the consent fits the young person's age: under `ageOfConsent` a parent or guardian gives it.
    public static func check(_ consent: Consent, age: Int?, ageOfConsent: Int) throws(ReferralRuleViolation) {
        if let age, age < ageOfConsent, consent.givenBy == .youngPerson { throw .consentByParentRequired(ageOfConsent: ageOfConsent) }
    }
}

extension Referral {
    /// A new referral of an open case to an organisation active for its province; sent at once
    /// when the consent is there (pending, answer due by the lot's response time), else proposed.
    public static func proposing(caseID: Int64, case province: Province?, caseIsOpen: Bool, to organisation: PartnerOrganisation, lot: PartnerLot?,
                                 offer: ReferralOffer, reason: String?, consent: Consent?, age: Int?, ageOfConsent: Int,
                                 organisationHasOpenReferral: Bool, on today: LocalDate) throws(ReferralRuleViolation) -> Referral {
        guard caseIsOpen else { throw .caseClosed }
        guard organisation.takes(province, on: today) else { throw .organisationNotAvailable }
        if let lot, !(lot.organisationID == organisation.id && lot.runs(on: today) && province.map(lot.provinces.contains) == true) {
            throw .organisationNotAvailable
        }
        guard !organisationHasOpenReferral else { throw .alreadyReferred }
        let text = try ReferralRules.cleaned(reason, required: true)!
        var referral = Referral(id: 0, caseID: caseID, organisationID: organisation.id, lotID: lot?.id, offer: offer, reason: text,
                                status: .proposed, consent: nil, proposedOn: today)
        if let consent {
            referral = try referral.sending(with: consent, age: age, ageOfConsent: ageOfConsent, lot: lot, on: today)
        }
        return referral
    }

    /// Sends a proposed referral, with the consent recorded now.
    public func sending(with consent: Consent, age: Int?, ageOfConsent: Int, lot: PartnerLot?, on today: LocalDate) throws(ReferralRuleViolation) -> Referral {
        guard status == .proposed else { throw .illegal(from: status, action: "send") }
        try ReferralRules.check(consent, age: age, ageOfConsent: ageOfConsent)
        var next = self
        next.consent = consent
        next.status = .pending
        next.sentOn = today
        next.answerDueOn = today.adding(workingDays: lot?.responseWorkingDays ?? ReferralRules.defaultResponseWorkingDays, calendar: .flanders)
        next.version += 1
        return next
    }

    public func accepting(on today: LocalDate) throws(ReferralRuleViolation) -> Referral {
        guard status == .pending else { throw .illegal(from: status, action: "accept") }
        var next = self
        next.status = .accepted
        next.answeredOn = today
        next.version += 1
        return next
    }

    public func declining(because reason: String?, on today: LocalDate) throws(ReferralRuleViolation) -> Referral {
        guard status == .pending else { throw .illegal(from: status, action: "decline") }
        var next = self
        next.status = .declined
        next.answeredOn = today
        next.closedOn = today
        next.declineReason = try ReferralRules.cleaned(reason, required: true)
        next.version += 1
        return next
    }

    /// The intake took place (the partner's progress).
    public func recordingIntake(on day: LocalDate, today: LocalDate) throws(ReferralRuleViolation) -> Referral {
        guard status == .accepted else { throw .illegal(from: status, action: "progress") }
        guard day <= today else { throw .dateInFuture }
        var next = self
        next.intakeOn = day
        next.version += 1
        return next
    }

    public func finishing(outcome: ReferralOutcome, on day: LocalDate, today: LocalDate) throws(ReferralRuleViolation) -> Referral {
        guard status == .accepted else { throw .illegal(from: status, action: "done") }
        guard day <= today else { throw .dateInFuture }
        var next = self
        next.status = .done
        next.outcome = outcome
        next.outcomeOn = day
        next.closedOn = today
        next.version += 1
        return next
    }

    /// The consultant takes back a proposed, pending or accepted referral.
    public func revoking(because reason: String?, on today: LocalDate) throws(ReferralRuleViolation) -> Referral {
        guard status.isOpen else { throw .illegal(from: status, action: "revoke") }
        var next = self
        next.status = .revoked
        next.closedOn = today
        next.endReason = try ReferralRules.cleaned(reason, required: true)
        next.version += 1
        return next
    }

    /// The end reason of a referral the young person said no to on the answer page (shown in words).
    public static let refusedOnAnswerPage = "refused_on_answer_page"

    /// The young person withdrew their consent: the partner's access ends at once.
    public func withdrawingConsent(on today: LocalDate) throws(ReferralRuleViolation) -> Referral {
        guard consent != nil, status == .pending || status == .accepted else { throw .illegal(from: status, action: "withdraw-consent") }
        var next = self
        next.status = .consentWithdrawn
        next.closedOn = today
        next.endReason = "consent_withdrawn"
        next.version += 1
        return next
    }
}

/// A referral rule a request broke; each says what to do instead.
public enum ReferralRuleViolation: VangnetError, Equatable {
    case consentRequired
    case consentByParentRequired(ageOfConsent: Int)
    case organisationNotAvailable
    case alreadyReferred
    case caseClosed
    case illegal(from: ReferralStatus, action: String)
    /// The referral changed since the form was shown.
    case stale
    case textRequired
    case tooLong(maximum: Int)
    case dateInFuture

    public var kind: ErrorKind {
        switch self {
        case .illegal, .stale, .alreadyReferred, .caseClosed: .conflict
        default: .invalidInput
        }
    }

    public var code: String {
        switch self {
        case .consentRequired: "consent_required"
        case .consentByParentRequired: "consent_by_parent_required"
        case .organisationNotAvailable: "organisation_not_available"
        case .alreadyReferred: "already_referred"
        case .caseClosed: "case_closed"
        case .illegal: "referral_conflict"
        case .stale: "stale_form"
        case .textRequired: "required"
        case .tooLong: "too_long"
        case .dateInFuture: "date_in_future"
        }
    }

    public var description: String {
        switch self {
        case .consentRequired: "a referral is sent only with the young person's consent"
        case .consentByParentRequired(let age): "under \(age) a parent or guardian gives the consent"
        case .organisationNotAvailable: "the organisation is not active for the case's province"
        case .alreadyReferred: "the case already has an open referral to this organisation"
        case .caseClosed: "the case is closed"
        case .illegal(let from, let action): "a \(from.rawValue) referral cannot \(action)"
        case .stale: "the referral changed since the page was shown; look again"
        case .textRequired: "a reason is required"
        case .tooLong(let maximum): "at most \(maximum) characters"
        case .dateInFuture: "the date is in the future"
        }
    }
}
