/// Everything known about a case, as the store reads it (after auditing the read): the case, the
/// person's records, the current decision and the history. Rendered through `CaseProjection`.
public struct CaseFile: Sendable {
    public var summary: Case
    public var insz: INSZ
    /// The national register's current state of the person, if it delivered any.
    public var register: PersonRecord?
    public var decision: Decision?
    /// The current version of every record about the person.
    public var facts: [Fact]
    /// Every version that arrived, oldest first (the person's timeline).
    public var arrivals: [Fact]
    public var events: [CaseHistoryEntry]

    public init(summary: Case, insz: INSZ, register: PersonRecord?, decision: Decision?, facts: [Fact], arrivals: [Fact],
                events: [CaseHistoryEntry]) {
        self.summary = summary
        self.insz = insz
        self.register = register
        self.decision = decision
        self.facts = facts
        self.arrivals = arrivals
        self.events = events
    }
}

/// The one view of a case that every reader renders — the case page, the API, `vangnet case show`:
/// who the young person is, why the case is open, what arrived, what was done, what is due, and when
/// its data goes. Computed once from the case file, the date and the retention policy; each
/// renderer only chooses words (`Vocabulary`) or codes.
public struct CaseProjection: Sendable {
    public struct Person: Sendable, Equatable {
        public var name: String?
        public var insz: INSZ
        public var birthDate: LocalDate?
        public var age: Int?
        public var address: String?
        public var municipality: String?
        /// The school of the enrolment that ended last (or still runs).
        public var lastSchool: (name: String, number: String)?

        public static func == (a: Person, b: Person) -> Bool {
            a.name == b.name && a.insz == b.insz && a.birthDate == b.birthDate && a.age == b.age && a.address == b.address
                && a.lastSchool?.name == b.lastSchool?.name && a.lastSchool?.number == b.lastSchool?.number
        }
    }

    /// A record version on the person's timeline, newest first; `current` when it is the version in force.
    public struct TimelineEntry: Sendable {
        public var fact: Fact
        public var current: Bool
    }

    public var summary: Case
    public var person: Person
    public var decision: Decision?
    /// The decision's reasons, with the sources of their facts.
    public var reasons: [Reason]
    public var timeline: [TimelineEntry]
    /// The current version of every record.
    public var facts: [Fact]
    /// What happened on the case, newest first.
    public var history: [CaseHistoryEntry]
    public var overdue: Bool
    /// The statuses the case may go to now.
    public var successors: [CaseStatus]
    /// The suggestion's likely closing status, to pre-select.
    public var suggestedStatus: CaseStatus?
    /// When the notes and the link to the person are removed (nil while the case is open).
    public var dataRemovedOn: LocalDate?
    public var retention: RetentionPolicy

    public init(_ file: CaseFile, today: LocalDate, retention: RetentionPolicy) {
        let timeline = PersonTimeline(insz: file.insz, versions: file.arrivals)
        let birth = file.register?.birthDate ?? file.insz.birthDate
        let lastSchool = timeline.lastEnrolment
        summary = file.summary
        person = Person(name: file.register?.fullName, insz: file.insz, birthDate: birth, age: birth?.age(on: today),
                        address: file.register.map(\.addressLine).flatMap { $0.isEmpty ? nil : $0 },
                        municipality: file.register?.municipality,
                        lastSchool: lastSchool.map { ($0.schoolName, $0.schoolNumber) })
        decision = file.decision
        reasons = file.decision?.reasons ?? []
        let current = Set(file.facts.map(\.reference))
        self.timeline = file.arrivals.sorted { $0.reference.sequence > $1.reference.sequence }
            .map { TimelineEntry(fact: $0, current: current.contains($0.reference)) }
        facts = file.facts
        history = file.events.reversed()
        overdue = file.summary.isOverdue(on: today)
        successors = file.summary.status.successors
        suggestedStatus = file.summary.suggestion?.suggestedStatus
        dataRemovedOn = retention.caseDataRemoved(closedOn: file.summary.closedOn)
        self.retention = retention
    }
}
