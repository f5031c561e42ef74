/// "What if the policy were different?" (docs/monitoring.md, policy simulation): everyone decided
/// again as of a date with the policy in force and with an alternative, side by side — counts per
/// funnel step, province and month of leaving, and a few anonymised examples of persons whose
/// outcome would change, with the rule that changed them. Pure: decisions and cases are not touched.
public struct PolicySimulation: Sendable, Codable, Equatable {
    /// The funnel steps compared.
    public enum Step: String, Sendable, Codable, CaseIterable {
        case leavers
        case unqualified
        case pending
        case notInTargetGroup = "not_in_target_group"
        case eligible
        case autoRegister = "eligible_auto_register"
    }

    public struct Counts: Sendable, Codable, Equatable {
        public var current: [String: Int] = [:]
        public var alternative: [String: Int] = [:]
        public init() {}

        mutating func add(_ step: String, current c: Bool, alternative a: Bool) {
            if c { current[step, default: 0] += 1 }
            if a { alternative[step, default: 0] += 1 }
        }
    }

    /// A person whose outcome changes, without anything that names them.
    public struct Example: Sendable, Codable, Equatable {
        /// A keyed pseudonym (not the blind index): the same person is the same across runs.
        public var pseudonym: String
        public var birthYear: Int?
        public var province: String
        public var leftSchool: String?
        public var current: String
        public var alternative: String
        /// The first rule of the alternative's reasons that the current decision does not have.
        public var rule: String
        /// Both outcomes as codes, for a page to put words on.
        public var currentOutcome: Outcome
        public var alternativeOutcome: Outcome
    }

    /// An outcome as codes: `eligible` with its action, `not_in_target_group` with its reason,
    /// `pending` with its date, `not_a_leaver`.
    public struct Outcome: Sendable, Codable, Equatable {
        public var code: String
        public var exclusion: String?
        public var until: String?
        public var action: String?

        init(_ d: Decision) {
            code = d.outcome.code
            switch d.outcome {
            case .notInTargetGroup(let e): exclusion = e.rawValue
            case .pending(let date): until = date.iso
            case .eligible: action = (d.action ?? .invite).rawValue
            case .notALeaver: break
            }
        }
    }

    public var asOf: LocalDate
    public var currentPolicy: String
    public var alternativePolicy: String
    public var persons = 0
    public var changed = 0
    public var total = Counts()
    public var provinces: [String: Counts] = [:]
    /// By month of leaving school (`2026-06`).
    public var months: [String: Counts] = [:]
    /// Not in the target group, by reason.
    public var exclusions = Counts()
    public var examples: [Example] = []
    public static let exampleLimit = 5

    public init(asOf: LocalDate, currentPolicy: String, alternativePolicy: String) {
        self.asOf = asOf
        self.currentPolicy = currentPolicy
        self.alternativePolicy = alternativePolicy
    }

    static func steps(_ d: Decision) -> [Step: Bool] {
        let unqualified = d.leftSchoolOn != nil && !d.qualified
        var eligible = false
        var excluded = false
        var pending = false
        switch d.outcome {
        case .eligible: eligible = true
        case .notInTargetGroup: excluded = true
        case .pending: pending = true
        case .notALeaver: break
        }
        return [.leavers: d.leftSchoolOn != nil, .unqualified: unqualified, .pending: pending, .notInTargetGroup: excluded, .eligible: eligible,
                .autoRegister: eligible && d.action == .autoRegister]
    }

    /// Counts one person, decided both ways; `pseudonym` and `birthYear` only for an example.
    public mutating func add(current: Decision, alternative: Decision, pseudonym: @autoclosure () -> String, birthYear: Int?) {
        persons += 1
        let c = Self.steps(current), a = Self.steps(alternative)
        let province = (alternative.province ?? current.province)?.rawValue ?? Funnel.unknownProvince
        let left = (current.leftSchoolOn ?? alternative.leftSchoolOn).map { String($0.iso.prefix(7)) }
        for step in Step.allCases {
            total.add(step.rawValue, current: c[step]!, alternative: a[step]!)
            provinces[province, default: Counts()].add(step.rawValue, current: c[step]!, alternative: a[step]!)
            if let left { months[left, default: Counts()].add(step.rawValue, current: c[step]!, alternative: a[step]!) }
        }
        if case .notInTargetGroup(let e) = current.outcome { exclusions.current[e.rawValue, default: 0] += 1 }
        if case .notInTargetGroup(let e) = alternative.outcome { exclusions.alternative[e.rawValue, default: 0] += 1 }
        let differs = current.outcome != alternative.outcome || current.action != alternative.action
        guard differs else { return }
        changed += 1
        guard examples.count < Self.exampleLimit else { return }
        let currentRules = Set(current.reasons.map(\.rule))
        let rule = alternative.reasons.first { !currentRules.contains($0.rule) }?.rule ?? alternative.reasons.last?.rule
        examples.append(Example(pseudonym: pseudonym(), birthYear: birthYear, province: province, leftSchool: left,
                                current: Self.describe(current), alternative: Self.describe(alternative), rule: rule?.rawValue ?? "-",
                                currentOutcome: Outcome(current), alternativeOutcome: Outcome(alternative)))
    }

    static func describe(_ d: Decision) -> String {
        switch d.outcome {
        case .notInTargetGroup(let e): "not_in_target_group (\(e.rawValue))"
        case .pending(let until): "pending until \(until.iso)"
        case .eligible: "eligible (\(d.action?.rawValue ?? "invite"))"
        case .notALeaver: "not_a_leaver"
        }
    }
}
