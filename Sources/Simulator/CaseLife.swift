import Domain

/// How the lived demo's people behave, day by day, at plausible rates: the consultant working a
/// case, the young person answering a letter, the partner handling a referral, and the world
/// around them (a job that starts, a return to school). Pure: it decides, the demo's player does
/// it through the same use cases as the web pages (and so every step is audited and on the case).
/// Deterministic per seed.
public struct CaseLife: Sendable {
    var random: SeededRandom

    public init(seed: UInt64) { random = SeededRandom(seed: seed &* 0x2545_F491 &+ 3) }

    /// What the consultant remembers of a case between days.
    public struct Memory: Sendable {
        public var attempts = 0
        public var lastAttempt: LocalDate?
        public var reached = false
        public var referred = false
        /// The world already gave this young person a job or a school: not twice.
        public var settled = false
        public init() {}
    }

    /// One thing that happens to a case on a day.
    public enum Step: Sendable, Equatable {
        case contact(ContactChannel, ContactOutcome)
        case status(CaseStatus, note: String)
        case refer(ReferralOffer)
        /// The next action, due in `days` days.
        case plan(String, days: Int)
        /// A job starts (DIMONA will tell Vangnet).
        case startsWork
        /// Back to (part-time) school (the school will tell Vangnet).
        case reEnrols
    }

    /// The consultant's work on one open case on a working day (and what happens to the young person).
    public mutating func consultantDay(_ c: Case, memory: inout Memory, today: LocalDate) -> [Step] {
        if let suggestion = c.suggestion, random.chance(0.15), let closing = Self.closing(for: suggestion) {
            return [.status(closing.0, note: closing.1)]
        }
        if !memory.reached {
            let since = memory.lastAttempt.map { $0.days(until: today) } ?? 99
            // Most first attempts within the five working days; the next ones every few days.
            let p = memory.attempts == 0 ? 0.32 : (since >= 3 ? 0.22 : 0)
            guard random.chance(p) else { return [] }
            memory.attempts += 1
            memory.lastAttempt = today
            let channel = random.weighted([(ContactChannel.phone, 0.6), (.sms, 0.12), (.email, 0.15), (.homeVisit, 0.08), (.office, 0.05)])
            let outcome = random.weighted([(ContactOutcome.reached, 0.36), (.appointment, 0.1), (.noAnswer, 0.28), (.messageLeft, 0.17),
                                           (.wrongNumber, 0.05), (.declined, 0.04)])
            guard outcome.isSuccessful else { return [.contact(channel, outcome)] }
            memory.reached = true
            if outcome == .declined { return [.contact(channel, outcome), .status(.declined, note: "Wil geen begeleiding van VDAB.")] }
            return [.contact(channel, outcome), .status(.contacted, note: "Eerste gesprek gehad; we bekijken samen wat past."), followUp()]
        }
        var steps: [Step] = []
        // The planned follow-up: mostly on time, sometimes a few days late.
        if let due = c.dueOn, due <= today, random.chance(0.45) {
            steps += [.contact(random.weighted([(.phone, 0.5), (.office, 0.3), (.email, 0.2)]), .reached), followUp()]
        }
        switch c.status {
        case .contacted, .registered, .invited, .new, .reopened:
            if random.chance(0.08) { steps.append(.status(.inGuidance, note: "Start van een begeleidingstraject.")) }
            else if !memory.referred, random.chance(0.04) { memory.referred = true; steps.append(.refer(offer())) }
        case .inGuidance:
            if !memory.referred, random.chance(0.025) { memory.referred = true; steps.append(.refer(offer())) }
            else if !memory.settled, random.chance(0.005) { memory.settled = true; steps.append(.startsWork) }
            else if !memory.settled, random.chance(0.002) { memory.settled = true; steps.append(.reEnrols) }
        default:
            break
        }
        return steps
    }

    /// How the consultant closes a case on a suggestion (a fact from the sources, or the contacts).
    static func closing(for suggestion: Suggestion) -> (CaseStatus, String)? {
        switch suggestion {
        case .startedWork: (.inWork, "Werkt, volgens DIMONA.")
        case .reEnrolled: (.inEducation, "Weer ingeschreven in een school.")
        case .qualified: (.inEducation, "Heeft alsnog een diploma behaald.")
        case .emigrated: (.movedAbroad, "Verhuisd naar het buitenland.")
        case .deceased: (.deceased, "Overleden volgens het rijksregister.")
        case .outOfTargetGroup: (.notInTargetGroup, "Hoort niet meer bij de doelgroep.")
        case .noContact: (.unreachable, "Na herhaalde pogingen niet bereikt.")
        case .declinedContact: (.declined, "Wil niet gecontacteerd worden.")
        case .registeredAtVDAB: nil
        }
    }

    mutating func followUp() -> Step {
        .plan(random.pick(["Opvolggesprek", "Vacatures overlopen", "Cv samen afwerken", "Gesprek over opleidingen"]), days: random.between(10, 35))
    }

    mutating func offer() -> ReferralOffer {
        random.weighted([(ReferralOffer.workExperience, 0.4), (.training, 0.3), (.guidance, 0.2), (.welfareSupport, 0.1)])
    }

    /// Whether a young person answers a letter, and how (most do not).
    public mutating func answer() -> AnswerChoice? {
        guard random.chance(0.3) else { return nil }
        return random.weighted([(AnswerChoice.wantsHelp, 0.55), (.alreadyWorks, 0.2), (.backToSchool, 0.12), (.noContactWanted, 0.13)])
    }

    /// After how many days an answer comes, once the letter has left.
    public mutating func answerDelay() -> Int { random.between(2, 16) }

    /// What a partner does with a referral on a working day.
    public enum PartnerStep: Sendable, Equatable {
        case accept
        case decline(String)
        case intake
        case finish(ReferralOutcome)
    }

    public mutating func partnerDay(_ referral: Referral) -> PartnerStep? {
        switch referral.status {
        case .pending:
            guard random.chance(0.3) else { return nil }
            return random.chance(0.82) ? .accept : .decline(random.pick(["Geen plaats meer in dit kwartaal.", "Past niet bij ons aanbod."]))
        case .accepted where referral.intakeOn == nil:
            return random.chance(0.15) ? .intake : nil
        case .accepted:
            guard random.chance(0.012) else { return nil }
            return .finish(random.weighted([(ReferralOutcome.inWork, 0.42), (.inEducation, 0.18), (.stopped, 0.2), (.unreachable, 0.12),
                                            (.moved, 0.08)]))
        default:
            return nil
        }
    }

    /// Draws a number in `lower...upper`.
    public mutating func between(_ lower: Int, _ upper: Int) -> Int { random.between(lower, upper) }
}

extension CaseLife {
    /// The DIMONA declaration of a job that starts on `day` (the world's side of `.startsWork`, and
    /// of a partner's "in work").
    public mutating func job(for insz: INSZ, on day: LocalDate, number: Int) -> SourceRecord {
        SourceRecord(source: .dimona, recordID: String(6_000_000_000 + number), insz: insz, recordedAt: day.iso,
                     body: .employment(EmploymentPeriod(employerNumber: random.pick(Gazetteer.employers), startDate: day)))
    }

    /// A (part-time) school's enrolment from `day`, near home (the world's side of `.reEnrols`).
    public mutating func reEnrolment(for insz: INSZ, in province: Province?, on day: LocalDate, number: Int) -> SourceRecord {
        let school = random.pick(LiveFeed.schools[province ?? .vlaamsBrabant]!)
        return SourceRecord(source: .agodi, recordID: "LIVED-\(number)", insz: insz, recordedAt: day.iso, body: .enrolment(Enrolment(
            schoolNumber: school.number, schoolName: school.name, schoolPostcode: school.postcode,
            programme: .dbso, track: .dbso, startDate: day, endDate: nil)))
    }
}
