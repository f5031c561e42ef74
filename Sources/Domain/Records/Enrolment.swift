/// An enrolment period at a school or training centre (AGODI Discimus, Syntra).
public struct Enrolment: Hashable, Sendable {
    /// How the pupil follows secondary education (MAGDA `SoortProgramma`).
    public enum Programme: String, CaseIterable, Codable, Sendable {
        /// Full-time secondary education (SoortProgramma 1).
        case fulltime
        /// Part-time vocational secondary education, DBSO (SoortProgramma 2).
        case dbso
        /// Apprenticeship with Syntra, leertijd (SoortProgramma 5).
        case apprenticeship
    }

    /// The level of education; only secondary education can make a school leaver.
    public enum Level: String, CaseIterable, Codable, Sendable {
        case nursery, primary, secondary, higher, adult
    }

    /// The training form (opleidingsvorm) of special secondary education, BuSO.
    public enum SpecialEducationForm: String, CaseIterable, Codable, Sendable {
        case ov1, ov2, ov3, ov4
    }

    /// The school track, for monitoring by school type and for the simulator's leaving rates.
    public enum Track: String, CaseIterable, Codable, Sendable {
        /// First grade, A stream / B stream.
        case a, b
        case aso, tso, kso, bso
        case dbso
        /// Special secondary education.
        case buso
        case apprenticeship
    }

    /// Why the enrolment ended (MAGDA `Uitschrijving/Aanleiding`).
    public enum ExitReason: String, CaseIterable, Codable, Sendable {
        /// X: normal end of the school year or module.
        case endOfSchoolYear = "X"
        /// E: at the request of the pupil or the parents.
        case pupilOrParents = "E"
        /// S: on the advice of the school or the CLB.
        case schoolOrCLB = "S"
        /// T: definitive exclusion (disciplinary).
        case disciplinary = "T"
    }

    /// What the pupil went on to, as the school recorded it (MAGDA `Uitschrijving/SituatieNa`).
    /// Only the codes Vangnet knows are accepted; a new code is quarantined so it gets a name here.
    public enum SituationAfter: String, CaseIterable, Codable, Sendable {
        /// 1: changed to recognised training (part-time training, apprenticeship, …).
        case recognisedTraining = "1"
        /// 5: work.
        case work = "5"
        /// 9: other.
        case other = "9"
        /// 10: no information.
        case unknown = "10"
        /// 12: change within the school or to another Flemish school.
        case otherFlemishSchool = "12"
    }

    public var schoolNumber: String
    public var schoolName: String
    public var schoolPostcode: String?
    public var level: Level
    /// Required for secondary education; empty for other levels.
    public var programme: Programme?
    public var track: Track?
    /// The class or course as the school names it (administratieve groep, opleiding).
    public var programmeName: String?
    public var specialEducationForm: SpecialEducationForm?
    /// Individual adapted curriculum (individueel aangepast curriculum).
    public var iac: Bool
    public var schoolYear: SchoolYear?
    public var startDate: LocalDate
    public var endDate: LocalDate?
    public var exitReason: ExitReason?
    public var situationAfter: SituationAfter?

    public init(
        schoolNumber: String, schoolName: String, schoolPostcode: String? = nil, level: Level = .secondary,
        programme: Programme?, track: Track? = nil, programmeName: String? = nil,
        specialEducationForm: SpecialEducationForm? = nil, iac: Bool = false, schoolYear: SchoolYear? = nil,
        startDate: LocalDate, endDate: LocalDate?, exitReason: ExitReason? = nil, situationAfter: SituationAfter? = nil
    ) {
        self.schoolNumber = schoolNumber
        self.schoolName = schoolName
        self.schoolPostcode = schoolPostcode
        self.level = level
        self.programme = programme
        self.track = track
        self.programmeName = programmeName
        self.specialEducationForm = specialEducationForm
        self.iac = iac
        self.schoolYear = schoolYear
        self.startDate = startDate
        self.endDate = endDate
        self.exitReason = exitReason
        self.situationAfter = situationAfter
    }

    /// The track, from the record or else from the programme.
    public var effectiveTrack: Track? {
        if let track { return track }
        if specialEducationForm != nil { return .buso }
        switch programme {
        case .dbso: return .dbso
        case .apprenticeship: return .apprenticeship
        default: return nil
        }
    }

    /// Whether `date` falls within the period (an open end means ongoing).
    public func covers(_ date: LocalDate) -> Bool {
        startDate <= date && (endDate.map { date <= $0 } ?? true)
    }
}

/// A Flemish school year, 1 September to 31 August, written `2025-2026`.
public struct SchoolYear: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    public let startYear: Int

    public init(startYear: Int) { self.startYear = startYear }

    /// Parses exactly `YYYY-YYYY` (consecutive years): nothing before, between or after (the
    /// split this replaced let extra hyphens through, `2025--2026`). Read byte by byte: every
    /// enrolment record has one, and the generic split was a twentieth of the import's reading.
    public init?(_ text: some StringProtocol) {
        var first = 0
        var second = 0
        var count = 0
        for byte in text.utf8 {
            switch count {
            case 0..<4 where (0x30...0x39).contains(byte): first = first * 10 + Int(byte - 0x30)
            case 4 where byte == UInt8(ascii: "-"): break
            case 5..<9 where (0x30...0x39).contains(byte): second = second * 10 + Int(byte - 0x30)
            default: return nil
            }
            count += 1
        }
        guard count == 9, second == first + 1, (1900...2999).contains(first) else { return nil }
        startYear = first
    }

    /// The school year that contains `date`.
    public init(containing date: LocalDate) {
        startYear = date.month >= 9 ? date.year : date.year - 1
    }

    public var firstDay: LocalDate { LocalDate(year: startYear, month: 9, day: 1)! }
    public var lastDay: LocalDate { LocalDate(year: startYear + 1, month: 8, day: 31)! }
    public var description: String { "\(startYear)-\(startYear + 1)" }

    public static func < (lhs: SchoolYear, rhs: SchoolYear) -> Bool { lhs.startYear < rhs.startYear }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let year = SchoolYear(try container.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected YYYY-YYYY")
        }
        self = year
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
