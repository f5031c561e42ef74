import Domain

/// What the case use cases need from storage: the cases in a scope, and one atomic update.
/// Storage implements it on SQL; TestSupport has an in-memory one.
public protocol CaseRepository: Sendable {
    /// Re-reads the cases `ids` inside one transaction. If any is not within `scope`, nothing is
    /// written and the answer names them. Otherwise `decide` sees their current state and returns
    /// what to write — new states, events, audit entries — and all of it is written, audit entries
    /// first, or none of it (when `decide` or a write throws).
    func update(_ ids: [Int64], scope: CaseScope,
                _ decide: @escaping @Sendable ([CaseState]) throws -> [CaseChange]) async throws -> CaseUpdateResult

    /// An active consultant and the provinces they work in; nil when there is none by that name.
    func activeConsultant(_ username: String) async throws -> Consultant?
}

/// A case as a use case sees it inside the update.
public struct CaseState: Sendable, Equatable {
    public var current: Case
    /// The person, as the audit log names them (a keyed hash).
    public var subject: String?
    /// Whether the person has another open case (one open case per person).
    public var personHasAnotherOpenCase: Bool
    /// The status the case had before its last status change (for undoing a closing).
    public var statusBeforeLastChange: CaseStatus?
    /// Contact attempts since the last one that reached the young person.
    public var failedContactsInARow: Int

    public init(current: Case, subject: String?, personHasAnotherOpenCase: Bool, statusBeforeLastChange: CaseStatus? = nil,
                failedContactsInARow: Int = 0) {
        self.current = current
        self.subject = subject
        self.personHasAnotherOpenCase = personHasAnotherOpenCase
        self.statusBeforeLastChange = statusBeforeLastChange
        self.failedContactsInARow = failedContactsInARow
    }
}

/// What to write for one case: its new state, the event that records the change (with its note,
/// sealed by the store) and the audit entries.
public struct CaseChange: Sendable, Equatable {
    public var updated: Case
    public var event: CaseEvent?
    public var note: String?
    public var audit: [AuditEntry]

    public init(updated: Case, event: CaseEvent?, note: String? = nil, audit: [AuditEntry]) {
        self.updated = updated
        self.event = event
        self.note = note
        self.audit = audit
    }
}

public enum CaseUpdateResult: Sendable, Equatable {
    /// Written: the cases' new states.
    case updated([Case])
    /// Nothing written: these cases are not within the scope (or do not exist).
    case outOfScope([Int64])
}
