/// Everything Vangnet holds about one person: the current version of every record delivered about
/// them, in a stable order. The decision is a function of this value and a date only.
public struct PersonTimeline: Sendable {
    public let insz: INSZ
    /// The current version of each record, ordered by source, record id.
    public let facts: [Fact]

    /// Builds the timeline from every stored version; per record the current version is chosen by
    /// `VersionOrder`.
    public init(insz: INSZ, versions: [Fact]) {
        self.insz = insz
        var current: [RecordKey: Fact] = [:]
        for fact in versions.sorted(by: { $0.reference.sequence < $1.reference.sequence }) {
            let key = RecordKey(source: fact.record.source, recordID: fact.record.recordID)
            if let held = current[key],
               !VersionOrder.supersedes(fact.record.recordedAt, held.record.recordedAt) { continue }
            current[key] = fact
        }
        facts = current.values.sorted { ($0.record.source, $0.record.recordID) < ($1.record.source, $1.record.recordID) }
    }

    /// The number a person goes by. One, unless two registrations were merged (`PersonMerge`):
    /// then a national number before a BIS number, then a number the population register has a
    /// record of, then the one delivered first. Nil without records.
    public static func insz(of versions: [Fact]) -> INSZ? {
        guard let first = versions.first else { return nil }
        guard versions.contains(where: { $0.record.insz != first.record.insz }) else { return first.record.insz }
        let register = Set(versions.filter { $0.record.kind == .person }.map(\.record.insz))
        return versions.min { a, b in
            func rank(_ fact: Fact) -> (Int, Int, Int64) {
                (fact.record.insz.kind == .bis ? 1 : 0, register.contains(fact.record.insz) ? 0 : 1, fact.reference.sequence)
            }
            return rank(a) < rank(b)
        }?.record.insz
    }

    struct RecordKey: Hashable {
        let source: Source
        let recordID: String
    }

    public var enrolments: [(Fact, Enrolment)] {
        facts.compactMap { if case .enrolment(let e) = $0.record.body { ($0, e) } else { nil } }
    }

    /// The enrolment that ended last, or one that still runs: the school a young person left (or is at).
    public var lastEnrolment: Enrolment? {
        enrolments.max { ($0.1.endDate ?? LocalDate(ordinal: .max)) < ($1.1.endDate ?? LocalDate(ordinal: .max)) }?.1
    }

    public var qualifications: [(Fact, Qualification)] {
        facts.compactMap { if case .qualification(let q) = $0.record.body { ($0, q) } else { nil } }
    }

    public var personRecords: [(Fact, PersonRecord)] {
        facts.compactMap { if case .person(let p) = $0.record.body { ($0, p) } else { nil } }
    }

    public var registrations: [(Fact, JobSeekerRegistration)] {
        facts.compactMap { if case .jobseeker(let j) = $0.record.body { ($0, j) } else { nil } }
    }

    public var employments: [(Fact, EmploymentPeriod)] {
        facts.compactMap { if case .employment(let e) = $0.record.body { ($0, e) } else { nil } }
    }

    /// The register's state of the person on `date`: the record valid from the latest date not after
    /// `date` (a record without `validFrom` holds from the start). Nil when the register said nothing.
    public func personRecord(on date: LocalDate) -> (Fact, PersonRecord)? {
        let candidates = personRecords.filter { ($0.1.validFrom ?? LocalDate(ordinal: .min)) <= date }
        let pool = candidates.isEmpty ? [] : candidates
        return pool.max { lhs, rhs in
            let l = lhs.1.validFrom?.ordinal ?? .min
            let r = rhs.1.validFrom?.ordinal ?? .min
            return l != r ? l < r : lhs.0.reference.sequence < rhs.0.reference.sequence
        }
    }

    /// The birth date as well as it is known: the register's, else what the INSZ says.
    public var birthDate: PartialDate {
        if let date = personRecords.compactMap({ $0.1.birthDate }).min() { return PartialDate(date) }
        return insz.partialBirthDate
    }
}

/// Which version of a record is current. Versions are visited in order of arrival; a later arrival
/// replaces the held one unless both carry `recordedAt` and the later arrival's is older — so a
/// correction wins whatever order the versions arrive in, as long as the source dates them.
public enum VersionOrder {
    /// Whether a version that arrived later, recorded at `newer`, replaces one recorded at `held`.
    public static func supersedes(_ newer: String?, _ held: String?) -> Bool {
        guard let newer, let held else { return true }
        return newer >= held
    }

    /// Where another person holds a version of the same record (a correction that moved the
    /// record to another INSZ): the arrival sequence and `recordedAt` of that person's latest version.
    public struct ForeignVersion: Sendable, Equatable {
        public var sequence: Int64
        public var recordedAt: String?
        public init(sequence: Int64, recordedAt: String?) {
            self.sequence = sequence
            self.recordedAt = recordedAt
        }
    }

    /// A person's facts without the records whose current version now belongs to someone else.
    /// `foreign` is keyed by `recordKey(source:recordID:)`. The other person's version is current
    /// if it arrived later and supersedes ours, or arrived earlier but ours does not supersede it.
    public static func withoutMovedRecords(_ facts: [Fact], foreign: [String: ForeignVersion]) -> [Fact] {
        guard !foreign.isEmpty else { return facts }
        var latestOwn: [String: Fact] = [:]
        for fact in facts.sorted(by: { $0.reference.sequence < $1.reference.sequence }) {
            let key = recordKey(source: fact.record.source, recordID: fact.record.recordID)
            if let held = latestOwn[key], !supersedes(fact.record.recordedAt, held.record.recordedAt) { continue }
            latestOwn[key] = fact
        }
        var lost: Set<String> = []
        for (key, own) in latestOwn {
            guard let other = foreign[key] else { continue }
            let otherWins = other.sequence > own.reference.sequence
                ? supersedes(other.recordedAt, own.record.recordedAt)
                : !supersedes(own.record.recordedAt, other.recordedAt)
            if otherWins { lost.insert(key) }
        }
        guard !lost.isEmpty else { return facts }
        return facts.filter { !lost.contains(recordKey(source: $0.record.source, recordID: $0.record.recordID)) }
    }

    /// One record of one source, whatever its versions.
    public static func recordKey(source: Source, recordID: String) -> String { source.rawValue + "\u{1F}" + recordID }
}
