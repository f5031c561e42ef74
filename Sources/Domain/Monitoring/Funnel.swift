/// The counts a manager follows: from school leavers to open cases (`vangnet report funnel`).
/// Computed from decisions and cases only — no names, no INSZ.
public struct Funnel: Hashable, Sendable, Codable {
    public struct Row: Hashable, Sendable, Codable {
        /// Young people who left qualifying secondary education (qualified or not).
        public var leavers = 0
        /// Of those, without a qualification.
        public var unqualified = 0
        /// Decisions waiting for a date (grace period, compulsory education).
        public var pending = 0
        /// Unqualified leavers Vangnet does not follow up, by reason.
        public var notInTargetGroup: [String: Int] = [:]
        /// Unqualified leavers in the target group.
        public var eligible = 0
        public var openCases = 0
        /// Open cases of young people whose current decision is still "to be reached".
        public var openCasesEligible = 0
        /// Open cases of young people who, since the case opened, are no longer to be reached
        /// (started work, registered at VDAB, …): open until the consultant closes them.
        public var openCasesNoLongerEligible: Int { openCases - openCasesEligible }
        /// To be reached, but their case is closed (declined, could not be contacted, …).
        public var eligibleWithoutOpenCase: Int { eligible - openCasesEligible }

        public init() {}

        public var notInTargetGroupTotal: Int { notInTargetGroup.values.reduce(0, +) }
    }

    public var asOf: LocalDate
    public var total: Row
    /// Per province; young people with no known province under `unknown`.
    public var provinces: [String: Row]

    public init(asOf: LocalDate, total: Row, provinces: [String: Row]) {
        self.asOf = asOf
        self.total = total
        self.provinces = provinces
    }

    public static let unknownProvince = "unknown"
}
