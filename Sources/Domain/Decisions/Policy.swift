/// The rules that decide who is an unqualified school leaver Vangnet must reach (DESIGN.md §5).
/// Every value is configurable (a JSON file, `VANGNET_POLICY_FILE`); every decision records the
/// policy's `version`, which changes whenever any value changes.
public struct Policy: Hashable, Sendable, Codable {
    /// A name for this policy, chosen by whoever configures it.
    public var name: String
    /// Days after the end of an enrolment within which a new qualifying enrolment means the young
    /// person did not leave school.
    public var gracePeriodDays: Int
    /// Months in which an exit counts as an exit at the end of the school year.
    public var schoolYearEndMonths: [Int]
    /// For an exit at the end of the school year, the earliest decision date: month and day in the
    /// year of the exit (default 1 October, when schools know who came back).
    public var schoolYearEndDecisionMonth: Int
    public var schoolYearEndDecisionDay: Int
    /// The young person must be younger than this (DESIGN: 25, configurable up to 30).
    public var maximumAge: Int
    /// The certificate kinds that make a young person qualified.
    public var qualifyingCertificates: [Qualification.CertificateType]
    /// Special secondary education forms that are not qualifying education (BuSO OV1, OV2).
    public var nonQualifyingSpecialEducationForms: [Enrolment.SpecialEducationForm]
    /// Whether an individual adapted curriculum (IAC) counts as qualifying education.
    public var iacIsQualifyingEducation: Bool
    /// Which job-seeker registrations make a young person "already known to VDAB".
    public var knownToVDAB: KnownToVDAB
    /// What happens to an eligible young person.
    public var action: CaseAction
    /// Provinces where an eligible young person is registered automatically whatever `action`
    /// says — a pilot of automatic registration in part of Flanders. Optional in the file (none).
    public var autoRegisterProvinces: [Province] = []

    /// The action for a young person followed up from `province`.
    public func action(for province: Province?) -> CaseAction {
        if let province, autoRegisterProvinces.contains(province) { return .autoRegister }
        return action
    }

    enum CodingKeys: String, CodingKey {
        case name, gracePeriodDays, schoolYearEndMonths, schoolYearEndDecisionMonth, schoolYearEndDecisionDay, maximumAge
        case qualifyingCertificates, nonQualifyingSpecialEducationForms, iacIsQualifyingEducation, knownToVDAB, action, autoRegisterProvinces
    }

    public init(name: String, gracePeriodDays: Int, schoolYearEndMonths: [Int], schoolYearEndDecisionMonth: Int, schoolYearEndDecisionDay: Int,
                maximumAge: Int, qualifyingCertificates: [Qualification.CertificateType],
                nonQualifyingSpecialEducationForms: [Enrolment.SpecialEducationForm], iacIsQualifyingEducation: Bool,
                knownToVDAB: KnownToVDAB, action: CaseAction, autoRegisterProvinces: [Province] = []) {
        self.name = name
        self.gracePeriodDays = gracePeriodDays
        self.schoolYearEndMonths = schoolYearEndMonths
        self.schoolYearEndDecisionMonth = schoolYearEndDecisionMonth
        self.schoolYearEndDecisionDay = schoolYearEndDecisionDay
        self.maximumAge = maximumAge
        self.qualifyingCertificates = qualifyingCertificates
        self.nonQualifyingSpecialEducationForms = nonQualifyingSpecialEducationForms
        self.iacIsQualifyingEducation = iacIsQualifyingEducation
        self.knownToVDAB = knownToVDAB
        self.action = action
        self.autoRegisterProvinces = autoRegisterProvinces
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try c.decode(String.self, forKey: .name), gracePeriodDays: try c.decode(Int.self, forKey: .gracePeriodDays),
                  schoolYearEndMonths: try c.decode([Int].self, forKey: .schoolYearEndMonths),
                  schoolYearEndDecisionMonth: try c.decode(Int.self, forKey: .schoolYearEndDecisionMonth),
                  schoolYearEndDecisionDay: try c.decode(Int.self, forKey: .schoolYearEndDecisionDay),
                  maximumAge: try c.decode(Int.self, forKey: .maximumAge),
                  qualifyingCertificates: try c.decode([Qualification.CertificateType].self, forKey: .qualifyingCertificates),
                  nonQualifyingSpecialEducationForms: try c.decode([Enrolment.SpecialEducationForm].self, forKey: .nonQualifyingSpecialEducationForms),
                  iacIsQualifyingEducation: try c.decode(Bool.self, forKey: .iacIsQualifyingEducation),
                  knownToVDAB: try c.decode(KnownToVDAB.self, forKey: .knownToVDAB), action: try c.decode(CaseAction.self, forKey: .action),
                  autoRegisterProvinces: try c.decodeIfPresent([Province].self, forKey: .autoRegisterProvinces) ?? [])
    }

    public enum KnownToVDAB: String, Codable, Sendable, CaseIterable {
        /// Any registration that started on or before the decision date (DESIGN.md §5).
        case anyRegistration = "any"
        /// Only a registration that is active on the decision date.
        case activeRegistration = "active"
    }

    public static let `default` = Policy(
        name: "vangnet-default-2026",
        gracePeriodDays: 30,
        schoolYearEndMonths: [6, 7, 8],
        schoolYearEndDecisionMonth: 10,
        schoolYearEndDecisionDay: 1,
        maximumAge: 25,
        qualifyingCertificates: Qualification.CertificateType.allCases
            .filter { Qualification.CertificateType.statistiekVlaanderenQualifications.contains($0) },
        nonQualifyingSpecialEducationForms: [.ov1, .ov2],
        iacIsQualifyingEducation: false,
        knownToVDAB: .anyRegistration,
        action: .invite
    )

    public enum Invalid: Error, Equatable, CustomStringConvertible {
        case value(String)
        public var description: String { if case .value(let text) = self { text } else { "" } }
    }

    /// The values the rules can work with (a policy file and the simulation page check the same).
    public static let gracePeriodDaysRange = 0...365
    public static let maximumAgeRange = 18...30

    /// Rejects values the rules cannot work with.
    public func validated() throws(Invalid) -> Policy {
        guard Self.gracePeriodDaysRange.contains(gracePeriodDays) else { throw .value("gracePeriodDays must be 0...365") }
        guard Self.maximumAgeRange.contains(maximumAge) else { throw .value("maximumAge must be 18...30") }
        guard schoolYearEndMonths.allSatisfy({ (1...12).contains($0) }) else { throw .value("schoolYearEndMonths must be months 1...12") }
        guard LocalDate(year: 2001, month: schoolYearEndDecisionMonth, day: schoolYearEndDecisionDay) != nil else {
            throw .value("schoolYearEndDecisionMonth/Day is not a date")
        }
        guard !qualifyingCertificates.isEmpty else { throw .value("qualifyingCertificates must not be empty") }
        return self
    }

    /// `name#fingerprint`: the fingerprint (FNV-1a over the canonical values) changes with any value.
    public var version: String {
        var parts: [String] = [name, String(gracePeriodDays), schoolYearEndMonths.map(String.init).joined(separator: ","),
                               "\(schoolYearEndDecisionMonth)-\(schoolYearEndDecisionDay)", String(maximumAge),
                               qualifyingCertificates.map(\.rawValue).sorted().joined(separator: ","),
                               nonQualifyingSpecialEducationForms.map(\.rawValue).sorted().joined(separator: ","),
                               iacIsQualifyingEducation ? "iac" : "no-iac", knownToVDAB.rawValue, action.rawValue]
        if !autoRegisterProvinces.isEmpty { parts.append("auto-register:" + autoRegisterProvinces.map(\.rawValue).sorted().joined(separator: ",")) }
        parts.append("v1")
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in parts.joined(separator: "|").utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return name + "#" + String(String(hash, radix: 16).prefix(8))
    }

    /// Whether an enrolment is in qualifying education: regular secondary, DBSO or apprenticeship;
    /// not BuSO OV1/OV2, not IAC (unless configured), not higher or adult education.
    public func isQualifyingEducation(_ enrolment: Enrolment) -> Bool {
        guard enrolment.level == .secondary, enrolment.programme != nil else { return false }
        if let form = enrolment.specialEducationForm, nonQualifyingSpecialEducationForms.contains(form) { return false }
        if enrolment.iac && !iacIsQualifyingEducation { return false }
        return true
    }

    public func isQualification(_ qualification: Qualification, on date: LocalDate) -> Bool {
        qualification.status == .registered && qualification.awardDate <= date
            && qualifyingCertificates.contains(qualification.certificateType)
    }

    /// The first day the young person is no longer in compulsory education: the 18th birthday if it
    /// falls before 1 July, else 30 June of the year they turn 18. With a partly known birth date,
    /// the latest possible day.
    public static func compulsoryEducationEnds(birth: PartialDate) -> LocalDate? {
        guard let year = birth.year else { return nil }
        let juneThirtieth = LocalDate(year: year + 18, month: 6, day: 30)!
        guard let latest = birth.latestPossible else { return juneThirtieth }
        let birthday = latest.adding(years: 18)
        return min(birthday, juneThirtieth)
    }
}

/// What an eligible young person gets.
public enum CaseAction: String, Codable, Sendable, CaseIterable {
    /// A letter with the contact details of the youth consultant (today's legal framework).
    case invite
    /// Registration as a job seeker is requested from VDAB's job-seeker system; the case becomes
    /// `registered` when the system confirms.
    case autoRegister = "auto-register"
}
