import Domain
import Foundation
import Workflows

/// The case repository in memory, for fast tests of the use cases (no database): the same
/// contract as the SQL store — scope checked on every case, all or nothing, audit first.
public actor InMemoryCaseRepository: CaseRepository {
    public private(set) var cases: [Int64: Case] = [:]
    public private(set) var history: [Int64: [(event: CaseEvent, note: String?, actor: String)]] = [:]
    public private(set) var consultants: [String: Consultant] = [:]
    let log: InMemoryAuditLog

    public init(_ cases: [Case], consultants: [Consultant] = [], audit: InMemoryAuditLog) {
        for c in cases { self.cases[c.id] = c }
        for consultant in consultants { self.consultants[consultant.username] = consultant }
        log = audit
    }

    public func update(_ ids: [Int64], scope: CaseScope,
                       _ decide: @escaping @Sendable ([CaseState]) throws -> [CaseChange]) async throws -> CaseUpdateResult {
        let ids = Array(Set(ids)).sorted()
        let found = ids.compactMap { id in cases[id].flatMap { scope.contains($0) ? $0 : nil } }
        let outside = ids.filter { id in !found.contains { $0.id == id } }
        guard outside.isEmpty else { return .outOfScope(outside) }
        let states = found.map { current in
            let lastChange = history[current.id]?.last { if case .statusChanged = $0.event { true } else { false } }
            var before: CaseStatus?
            if case .statusChanged(let from, _)? = lastChange?.event { before = from }
            var failed = 0
            for entry in (history[current.id] ?? []).reversed() {
                guard case .contact(_, let outcome) = entry.event else { continue }
                if outcome.isSuccessful { break }
                failed += 1
            }
            return CaseState(current: current, subject: "subject-\(current.personID)",
                             personHasAnotherOpenCase: cases.values.contains { $0.personID == current.personID && $0.id != current.id && $0.isOpen },
                             statusBeforeLastChange: before, failedContactsInARow: failed)
        }
        let changes = try decide(states)
        try await log.append(changes.flatMap(\.audit))
        for change in changes {
            cases[change.updated.id] = change.updated
            if let event = change.event {
                history[change.updated.id, default: []].append((event, change.note, change.audit.first?.actor ?? "-"))
            }
        }
        return .updated(changes.map(\.updated))
    }

    public func activeConsultant(_ username: String) async throws -> Consultant? { consultants[username] }

    public func add(_ c: Case) { cases[c.id] = c }
}

/// The audit log in memory; `failing` makes every append throw (fail-closed tests).
public actor InMemoryAuditLog: AuditSink {
    public private(set) var entries: [AuditEntry] = []
    public private(set) var failing = false

    public init() {}

    public struct Unavailable: Error {}

    public func append(_ entries: [AuditEntry]) async throws {
        if failing { throw Unavailable() }
        self.entries += entries
    }

    public func fail(_ on: Bool) { failing = on }
}

extension CaseScope {
    /// Whether the case is within the scope (the in-memory twin of the SQL condition).
    public func contains(_ c: Case) -> Bool {
        switch self {
        case .all: true
        case .none: false
        case .provinces(let provinces), .consultant(_, let provinces): c.province.map(provinces.contains) ?? false
        }
    }
}

/// A case as the pipeline opens it, for tests.
public func openCase(_ id: Int64, person: Int64? = nil, province: Province = .antwerpen, consultant: String? = "consultant-antwerpen",
                     on day: String = "2026-11-02") -> Case {
    let opening = Case.opening(action: .invite, province: province, consultant: consultant, policyVersion: "test", on: date(day))
    return Case(id: id, personID: person ?? id, status: opening.status, action: opening.action, province: province,
                consultant: consultant, openedOn: opening.openedOn, openedAt: day + "T09:00:00.000Z", dueOn: opening.dueOn,
                nextAction: opening.nextAction, closedOn: nil, suggestion: nil, track: .bso, schoolSource: .agodi)
}

/// Quarantine and record delivery in memory, for the steward's use cases.
public actor InMemoryQuarantine: QuarantineRepository, RecordDelivery {
    public private(set) var entries: [Int64: QuarantinedRecord]
    public private(set) var resolutions: [Int64: QuarantineResolution] = [:]
    public private(set) var delivered: [[IngestItem]] = []
    let log: InMemoryAuditLog

    public init(_ entries: [QuarantinedRecord], audit: InMemoryAuditLog) {
        self.entries = Dictionary(uniqueKeysWithValues: entries.map { ($0.id, $0) })
        log = audit
    }

    public func quarantinedRecord(_ id: Int64) async throws -> QuarantinedRecord? { entries[id] }

    public func resolve(_ id: Int64, as resolution: QuarantineResolution, audit: AuditEntry) async throws {
        try await log.append([audit])
        resolutions[id] = resolution
        entries[id]?.isOpen = false
    }

    public func deliver(_ items: [IngestItem], name: String, format: String) async throws -> Int {
        delivered.append(items)
        return items.count
    }
}
