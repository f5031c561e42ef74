/// One record as a source delivered it, after validation: who it is about, where it comes from, and
/// what it says. The pair (source, recordID) identifies the record across deliveries; a later
/// delivery of the same pair with other content is a correction.
public struct SourceRecord: Hashable, Sendable {
    public var source: Source
    public var recordID: String
    public var insz: INSZ
    /// When the source recorded this version (ISO date or date-time). Between two versions of one
    /// record the later `recordedAt` wins whatever the order of arrival; without it, the later arrival.
    public var recordedAt: String?
    public var body: Body

    public enum Body: Hashable, Sendable {
        case enrolment(Enrolment)
        case qualification(Qualification)
        case person(PersonRecord)
        case jobseeker(JobSeekerRegistration)
        case employment(EmploymentPeriod)
    }

    public init(source: Source, recordID: String, insz: INSZ, recordedAt: String? = nil, body: Body) {
        self.source = source
        self.recordID = recordID
        self.insz = insz
        self.recordedAt = recordedAt
        self.body = body
    }

    public var kind: RecordKind {
        switch body {
        case .enrolment: .enrolment
        case .qualification: .qualification
        case .person: .person
        case .jobseeker: .jobseeker
        case .employment: .employment
        }
    }
}

/// Identifies one stored version of a record: what a decision reason points at.
public struct FactReference: Hashable, Sendable, Codable, Comparable {
    public var source: Source
    public var recordID: String
    /// The store's arrival sequence number of this version.
    public var sequence: Int64

    public init(source: Source, recordID: String, sequence: Int64) {
        self.source = source
        self.recordID = recordID
        self.sequence = sequence
    }

    public static func < (lhs: FactReference, rhs: FactReference) -> Bool {
        (lhs.source, lhs.recordID, lhs.sequence) < (rhs.source, rhs.recordID, rhs.sequence)
    }
}

/// A stored version of a record: the record and where it sits in the store.
public struct Fact: Hashable, Sendable {
    public var reference: FactReference
    public var record: SourceRecord

    public init(reference: FactReference, record: SourceRecord) {
        self.reference = reference
        self.record = record
    }
}
