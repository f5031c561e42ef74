/// Decides, for one person on one date, whether they are an unqualified school leaver that a youth
/// consultant must reach — a pure function of the person's timeline, the date and the policy.
/// Replaying the same records in any order gives the same timeline, hence the same decision.
public struct Decider: Sendable {
    public let policy: Policy
    public let version: String
    /// Where young people living in Brussels are followed up (from the regions configuration).
    public let brusselsProvince: Province

    public init(policy: Policy, brusselsProvince: Province = .vlaamsBrabant) {
        self.policy = policy
        self.version = policy.version
        self.brusselsProvince = brusselsProvince
    }

    /// A person of whom no record is left (all were moved to another INSZ by corrections): not a
    /// leaver, for want of any enrolment.
    public func decideWithoutRecords(on date: LocalDate) -> Decision {
        Decision(outcome: .notALeaver, reasons: [Reason(.noQualifyingEnrolment)], decidedOn: date, policyVersion: version)
    }

    /// The decision on `date`, with its timer (`reviewOn`) unless `withTimer` is false: a policy
    /// simulation, which decides once as of a date, has no use for it.
    public func decide(_ timeline: PersonTimeline, on date: LocalDate, withTimer: Bool = true) -> Decision {
        var decision = evaluate(timeline, on: date)
        if withTimer { decision.reviewOn = nextChange(timeline, of: decision, after: date) }
        return decision
    }

    // MARK: - The rules, in the order of docs/policy.md

    func evaluate(_ timeline: PersonTimeline, on date: LocalDate) -> Decision {
        var decision = Decision(outcome: .notALeaver, reasons: [], decidedOn: date, policyVersion: version)
        let register = timeline.personRecord(on: date)
        let qualifying = timeline.enrolments.filter { policy.isQualifyingEducation($0.1) }
        let valid = timeline.qualifications.filter { policy.isQualification($0.1, on: date) }
        decision.qualified = !valid.isEmpty

        guard !qualifying.isEmpty else {
            decision.reasons = [Reason(.noQualifyingEnrolment)]
            decision.province = province(register: register?.1, lastSchool: nil)
            return decision
        }
        let last = qualifying.max { lhs, rhs in
            let l = lhs.1.endDate?.ordinal ?? .max
            let r = rhs.1.endDate?.ordinal ?? .max
            return l != r ? l < r : lhs.1.startDate < rhs.1.startDate
        }!
        decision.track = last.1.effectiveTrack
        decision.schoolSource = last.0.record.source
        decision.province = province(register: register?.1, lastSchool: last.1)

        // Still enrolled (or enrolled for later): not a leaver.
        let ongoing = qualifying.filter { $0.1.endDate.map { $0 >= date } ?? true }
        guard ongoing.isEmpty else {
            decision.reasons = [Reason(.stillEnrolled, facts: ongoing.map(\.0.reference))]
            return decision
        }
        let leftOn = last.1.endDate!
        decision.leftSchoolOn = leftOn
        var reasons = [Reason(.leftSchool, date: leftOn, facts: [last.0.reference])]

        // Qualified: not an unqualified leaver.
        if !valid.isEmpty {
            reasons.append(Reason(.qualified, facts: valid.map(\.0.reference)))
            decision.reasons = reasons
            return decision
        }
        let cancelled = timeline.qualifications.filter {
            $0.1.status == .cancelled && policy.qualifyingCertificates.contains($0.1.certificateType)
        }
        if !cancelled.isEmpty {
            reasons.append(Reason(.cancelledQualification, facts: cancelled.map(\.0.reference)))
        }
        reasons.append(Reason(.unqualified))

        // Grace period: a new enrolment may still come.
        let decidable = firstDecidableDay(afterLeaving: leftOn)
        if date < decidable {
            reasons.append(Reason(.gracePeriod, date: decidable))
            decision.outcome = .pending(until: decidable)
            decision.reasons = reasons
            return decision
        }

        func exclude(_ exclusion: Decision.Exclusion, _ rule: Rule, date: LocalDate? = nil, facts: [Fact]) -> Decision {
            var excluded = decision
            excluded.outcome = .notInTargetGroup(exclusion)
            excluded.reasons = reasons + [Reason(rule, date: date, facts: facts.map(\.reference))]
            return excluded
        }

        if let death = timeline.personRecords.first(where: { ($0.1.deathDate.map { $0 <= date }) ?? false }) {
            return exclude(.deceased, .deceased, date: death.1.deathDate, facts: [death.0])
        }
        if let register {
            if let emigrated = register.1.emigrationDate, emigrated <= date {
                return exclude(.abroad, .abroad, date: emigrated, facts: [register.0])
            }
            if !register.1.livesInBelgium {
                return exclude(.abroad, .abroad, facts: [register.0])
            }
            if case .wallonia = register.1.area {
                return exclude(.outsideFlanders, .outsideFlanders, facts: [register.0])
            }
        }
        let birth = timeline.birthDate
        guard let latestBirth = birth.latestPossible else {
            return exclude(.birthDateUnknown, .birthDateUnknown, facts: register.map { [$0.0] } ?? [])
        }
        let ageLimit = latestBirth.adding(years: policy.maximumAge)
        if date >= ageLimit {
            return exclude(.tooOld, .tooOld, date: ageLimit, facts: register.map { [$0.0] } ?? [])
        }
        let known = timeline.registrations.filter {
            switch policy.knownToVDAB {
            case .anyRegistration: $0.1.registrationDate <= date
            case .activeRegistration: $0.1.isActive(on: date)
            }
        }
        if !known.isEmpty {
            return exclude(.knownToVDAB, .knownToVDAB, facts: known.map(\.0))
        }
        let working = timeline.employments.filter { $0.1.covers(date) }
        if !working.isEmpty {
            return exclude(.atWork, .atWork, facts: working.map(\.0))
        }
        if let ends = Policy.compulsoryEducationEnds(birth: birth), date < ends {
            reasons.append(Reason(.compulsoryEducation, date: ends))
            decision.outcome = .pending(until: ends)
            decision.reasons = reasons
            return decision
        }
        reasons.append(Reason(.eligible))
        decision.outcome = .eligible
        decision.action = policy.action(for: decision.province)
        decision.reasons = reasons
        return decision
    }

    /// The first day on which a leaver who left on `leftOn` can be decided: after the grace period,
    /// and for an exit at the end of the school year not before 1 October.
    public func firstDecidableDay(afterLeaving leftOn: LocalDate) -> LocalDate {
        let afterGrace = leftOn.adding(days: policy.gracePeriodDays + 1)
        guard policy.schoolYearEndMonths.contains(leftOn.month),
              let earliest = LocalDate(year: leftOn.year, month: policy.schoolYearEndDecisionMonth,
                                       day: policy.schoolYearEndDecisionDay) else { return afterGrace }
        return max(afterGrace, earliest)
    }

    func province(register: PersonRecord?, lastSchool: Enrolment?) -> Province? {
        func map(_ area: PostcodeArea?) -> Province? {
            switch area {
            case .flanders(let province): province
            case .brussels: brusselsProvince
            case .wallonia, nil: nil
            }
        }
        if let register, register.livesInBelgium, let province = map(register.area) { return province }
        return map(PostcodeArea(postcode: lastSchool?.schoolPostcode))
    }

    // MARK: - Timer

    /// The first date after `date` on which the same facts give another decision than `decision`,
    /// or nil when they never will: the pipeline's timer. The decision can only change on a date
    /// where some rule could change its answer (`changePoints`), so those are tried in order. A
    /// timer that would decide a person again to the same effect is not set: a qualified leaver
    /// turning 18 or reaching the age limit costs the pipeline nothing, and a day's run costs what
    /// changes that day, however many years of persons the store holds.
    func nextChange(_ timeline: PersonTimeline, of decision: Decision, after date: LocalDate) -> LocalDate? {
        for candidate in changePoints(timeline, after: date) where !evaluate(timeline, on: candidate).saysTheSame(as: decision) {
            return candidate
        }
        return nil
    }

    /// Every date after `date` at which a rule could change its answer for the same facts, in order:
    /// every date in the facts (and the day after every end), the end of the grace period, of
    /// compulsory education and the age limit. The decision is constant between such dates.
    func changePoints(_ timeline: PersonTimeline, after date: LocalDate) -> [LocalDate] {
        var points: Set<LocalDate> = []
        func consider(_ candidate: LocalDate?) {
            if let candidate, candidate > date { points.insert(candidate) }
        }
        for fact in timeline.facts {
            switch fact.record.body {
            case .enrolment(let e):
                consider(e.startDate)
                if let end = e.endDate {
                    consider(end.adding(days: 1))
                    if policy.isQualifyingEducation(e) { consider(firstDecidableDay(afterLeaving: end)) }
                }
            case .qualification(let q): consider(q.awardDate)
            case .person(let p):
                consider(p.validFrom); consider(p.emigrationDate); consider(p.deathDate)
            case .jobseeker(let j):
                consider(j.registrationDate); consider(j.deregistrationDate?.adding(days: 1))
            case .employment(let e):
                consider(e.startDate); consider(e.endDate?.adding(days: 1))
            }
        }
        let birth = timeline.birthDate
        consider(Policy.compulsoryEducationEnds(birth: birth))
        consider(birth.latestPossible?.adding(years: policy.maximumAge))
        return points.sorted()
    }
}
