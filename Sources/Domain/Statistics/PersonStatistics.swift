/// One young person as the statistics store holds them (docs/monitoring.md, "The statistics
/// store"): a keyed pseudonym, no national number, name or address; the month of birth, sex,
/// province, school track and number; the dates of each step from leaving school to an offer;
/// and the situation after the case closed, derived from the facts (DIMONA employment,
/// enrolments, job-seeker registrations), never from what a consultant typed.
public struct PersonStatistics: Sendable, Equatable, Codable {
    public var pseudonym: String
    /// "2008-03".
    public var birthMonth: String?
    public var sex: String?
    public var province: Province?
    public var track: Enrolment.Track?
    public var schoolNumber: String?
    /// The education agency whose records say the person left school.
    public var source: Source?
    public var leftOn: LocalDate?
    public var qualified: Bool
    /// The current decision: `eligible`, `pending`, `not_in_target_group`, `not_a_leaver`.
    public var outcome: String
    public var exclusion: String?
    /// When Vangnet first decided about the person as a school leaver.
    public var detectedOn: LocalDate?
    public var caseOpenedOn: LocalDate?
    /// Nil while the case is open.
    public var caseClosedOn: LocalDate?
    public var caseStatus: CaseStatus?
    public var firstLetterOn: LocalDate?
    public var firstAnswerOn: LocalDate?
    /// The first contact attempt, whatever its outcome.
    public var firstAttemptOn: LocalDate?
    /// The first time a consultant spoke with the young person.
    public var firstReachedOn: LocalDate?
    /// Registered as a job seeker after leaving school: by VDAB's job-seeker system (automatic
    /// registration) or per the registration records, whichever came first.
    public var registeredOn: LocalDate?
    public var referredOn: LocalDate?
    public var referralAcceptedOn: LocalDate?
    /// The first offer after the case opened: a job, an education or training start (an
    /// apprenticeship included), or a referral a partner accepted.
    public var offerOn: LocalDate?
    public var contacts: Int
    /// The situation 6, 12 and 18 months after the case closed (nil when it has not closed).
    public var situation6: Situation?
    public var situation12: Situation?
    public var situation18: Situation?
    /// Registered as job-seeking on 30 June of the year after the school year the person left in
    /// (VDAB's school-leaver measure); nil for a person who did not leave school.
    public var jobSeekingOneYearLater: Bool?

    /// Where a young person is on a day, per the facts, in this order of precedence (the EU Youth
    /// Guarantee counts a job before education, and either before a registration).
    public enum Situation: String, Sendable, Codable, CaseIterable {
        case work, education, jobSeeker = "job_seeker", other, unknown
    }

    public init(pseudonym: String,
                birthMonth: String? = nil,
                sex: String? = nil,
                province: Province? = nil,
                track: Enrolment.Track? = nil,
                schoolNumber: String? = nil,
                source: Source? = nil,
                leftOn: LocalDate? = nil,
                qualified: Bool = false,
                outcome: String = "eligible",
                exclusion: String? = nil,
                detectedOn: LocalDate? = nil,
                caseOpenedOn: LocalDate? = nil,
                caseClosedOn: LocalDate? = nil,
                caseStatus: CaseStatus? = nil,
                firstLetterOn: LocalDate? = nil,
                firstAnswerOn: LocalDate? = nil,
                firstAttemptOn: LocalDate? = nil,
                firstReachedOn: LocalDate? = nil,
                registeredOn: LocalDate? = nil,
                referredOn: LocalDate? = nil,
                referralAcceptedOn: LocalDate? = nil,
                offerOn: LocalDate? = nil,
                contacts: Int = 0,
                situation6: Situation? = nil,
                situation12: Situation? = nil,
                situation18: Situation? = nil,
                jobSeekingOneYearLater: Bool? = nil) {
        self.pseudonym = pseudonym
        self.birthMonth = birthMonth
        self.sex = sex
        self.province = province
        self.track = track
        self.schoolNumber = schoolNumber
        self.source = source
        self.leftOn = leftOn
        self.qualified = qualified
        self.outcome = outcome
        self.exclusion = exclusion
        self.detectedOn = detectedOn
        self.caseOpenedOn = caseOpenedOn
        self.caseClosedOn = caseClosedOn
        self.caseStatus = caseStatus
        self.firstLetterOn = firstLetterOn
        self.firstAnswerOn = firstAnswerOn
        self.firstAttemptOn = firstAttemptOn
        self.firstReachedOn = firstReachedOn
        self.registeredOn = registeredOn
        self.referredOn = referredOn
        self.referralAcceptedOn = referralAcceptedOn
        self.offerOn = offerOn
        self.contacts = contacts
        self.situation6 = situation6
        self.situation12 = situation12
        self.situation18 = situation18
        self.jobSeekingOneYearLater = jobSeekingOneYearLater
    }

    /// The months after the case closed at which the situation is taken.
    public static let followUpMonths = [6, 12, 18]

    /// The 30 June one year after the school year `left` falls in (a school year runs from
    /// 1 September to 31 August): a leaver of June 2025 is measured on 30 June 2026.
    public static func oneYearLaterMeasureDate(leftOn left: LocalDate) -> LocalDate {
        let (year, month, _) = left.components
        let schoolYearEnd = month >= 9 ? year + 1 : year
        return LocalDate(year: schoolYearEnd + 1, month: 6, day: 30)!
    }
}

/// What the statistics of one person are made of: their records, the current decision, the first
/// decision as a school leaver, and their cases with their events.
public struct StatisticsInput: Sendable {
    public struct DecisionFacts: Sendable {
        public var outcome: String
        public var exclusion: String?
        public var leftOn: LocalDate?
        public var qualified: Bool
        public var province: Province?
        public var track: Enrolment.Track?
        public var source: Source?
        public init(outcome: String, exclusion: String?, leftOn: LocalDate?, qualified: Bool, province: Province?,
                    track: Enrolment.Track?, source: Source?) {
            self.outcome = outcome
            self.exclusion = exclusion
            self.leftOn = leftOn
            self.qualified = qualified
            self.province = province
            self.track = track
            self.source = source
        }
    }

    public struct CaseFacts: Sendable {
        public var summary: Case
        /// Oldest first: the day of each event and the event.
        public var events: [(on: LocalDate, event: CaseEvent)]
        public init(summary: Case, events: [(on: LocalDate, event: CaseEvent)]) {
            self.summary = summary
            self.events = events
        }
    }

    public var pseudonym: String
    public var timeline: PersonTimeline
    public var decision: DecisionFacts?
    public var detectedOn: LocalDate?
    public var cases: [CaseFacts]

    public init(pseudonym: String, timeline: PersonTimeline, decision: DecisionFacts?, detectedOn: LocalDate?, cases: [CaseFacts]) {
        self.pseudonym = pseudonym
        self.timeline = timeline
        self.decision = decision
        self.detectedOn = detectedOn
        self.cases = cases
    }
}

extension PersonStatistics {
    /// The statistics of one person. Pure: the same input gives the same row whenever it is made,
    /// so a rebuild from scratch and the row kept up to date by events agree.
    public init(_ input: StatisticsInput) {
        let timeline = input.timeline
        let decision = input.decision
        pseudonym = input.pseudonym
        let birth = timeline.birthDate
        birthMonth = birth.year.flatMap { year in birth.month.map { "\(year)-\($0 < 10 ? "0" : "")\($0)" } }
        sex = (timeline.personRecords.compactMap(\.1.sex).first ?? timeline.insz.sex)?.rawValue
        let cases = input.cases.sorted { $0.summary.openedOn < $1.summary.openedOn }
        let last = cases.last?.summary
        province = last?.province ?? decision?.province
        track = decision?.track ?? last?.track
        schoolNumber = timeline.lastEnrolment?.schoolNumber
        source = decision?.source ?? last?.schoolSource
        leftOn = decision?.leftOn
        qualified = decision?.qualified ?? false
        outcome = decision?.outcome ?? "not_a_leaver"
        exclusion = decision?.exclusion
        detectedOn = input.detectedOn
        caseOpenedOn = cases.first?.summary.openedOn
        caseClosedOn = last.flatMap { $0.isOpen ? nil : $0.closedOn }
        caseStatus = last?.status

        var firstLetter: LocalDate?, firstAnswer: LocalDate?, firstAttempt: LocalDate?, firstReached: LocalDate?
        var registered: LocalDate?, referred: LocalDate?, accepted: LocalDate?
        var contactCount = 0
        func earliest(_ held: inout LocalDate?, _ day: LocalDate) { if held.map({ day < $0 }) ?? true { held = day } }
        for c in cases {
            for (day, event) in c.events {
                switch event {
                case .letter: earliest(&firstLetter, day)
                case .answered: earliest(&firstAnswer, day)
                case .contact(_, let outcome):
                    contactCount += 1
                    earliest(&firstAttempt, day)
                    if outcome.isSuccessful { earliest(&firstReached, day) }
                case .registrationConfirmed: earliest(&registered, day)
                case .referral(let status, _):
                    if status == .pending { earliest(&referred, day) }
                    if status == .accepted { earliest(&accepted, day) }
                default: break
                }
            }
        }
        if let left = leftOn {
            for (_, registration) in timeline.registrations where registration.registrationDate >= left {
                earliest(&registered, registration.registrationDate)
            }
        }
        firstLetterOn = firstLetter
        firstAnswerOn = firstAnswer
        firstAttemptOn = firstAttempt
        firstReachedOn = firstReached
        registeredOn = registered
        referredOn = referred
        referralAcceptedOn = accepted
        contacts = contactCount

        var offer: LocalDate?
        if let opened = caseOpenedOn {
            for (_, job) in timeline.employments where !job.cancelled && job.startDate >= opened { earliest(&offer, job.startDate) }
            for (_, enrolment) in timeline.enrolments where enrolment.startDate >= opened { earliest(&offer, enrolment.startDate) }
            if let accepted { earliest(&offer, accepted) }
        }
        offerOn = offer

        if let closed = caseClosedOn {
            situation6 = Self.situation(timeline, on: closed.adding(months: 6))
            situation12 = Self.situation(timeline, on: closed.adding(months: 12))
            situation18 = Self.situation(timeline, on: closed.adding(months: 18))
        }
        if let left = leftOn {
            let day = Self.oneYearLaterMeasureDate(leftOn: left)
            jobSeekingOneYearLater = timeline.registrations.contains { $0.1.isActive(on: day) }
        }
    }

    /// Where the person is on `day`, per the facts.
    public static func situation(_ timeline: PersonTimeline, on day: LocalDate) -> Situation {
        if timeline.employments.contains(where: { !$0.1.cancelled && $0.1.covers(day) }) { return .work }
        if timeline.enrolments.contains(where: { $0.1.covers(day) }) { return .education }
        if timeline.registrations.contains(where: { $0.1.isActive(on: day) }) { return .jobSeeker }
        if let (_, person) = timeline.personRecord(on: day),
           person.deathDate.map({ $0 <= day }) ?? false || person.emigrationDate.map({ $0 <= day }) ?? false || !person.livesInBelgium {
            return .other
        }
        return .unknown
    }
}
