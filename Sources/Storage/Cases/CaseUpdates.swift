import Domain
import Foundation
import SQLKit
import Workflows

/// The case use cases' storage (Workflows' `CaseRepository`): one transaction re-reads the cases
/// (on PostgreSQL locked `FOR UPDATE`; SQLite's `BEGIN IMMEDIATE` holds the write lock), lets the
/// use case decide, and writes the audit entries, the new states and the events — or nothing.
extension Store: CaseRepository {
    public func update(_ ids: [Int64], scope: CaseScope,
                       _ decide: @escaping @Sendable ([CaseState]) throws -> [CaseChange]) async throws -> CaseUpdateResult {
        let ids = Array(Set(ids)).sorted()
        guard !ids.isEmpty else { return .updated([]) }
        let lock = dialect == .postgres ? " FOR UPDATE" : ""
        return try await transaction { sql in
            let rows = try await sql.raw("""
                SELECT * FROM cases WHERE id IN (\(binds: ids)) AND \(scope.condition) ORDER BY id\(unsafeRaw: lock)
                """).all()
            let found = try rows.map(Case.init(row:))
            let outside = Set(ids).subtracting(found.map(\.id)).sorted()
            guard outside.isEmpty else { return .outOfScope(outside) }
            // What the rules need besides the case, for all the cases at once: other open cases of
            // their persons, the status before the last change, contacts since the last that reached them.
            let persons = Array(Set(found.map(\.personID)))
            var openByPerson: [Int64: [Int64]] = [:]
            for row in try await sql.raw("SELECT id, person_id FROM cases WHERE person_id IN (\(binds: persons)) AND closed_on IS NULL").all() {
                openByPerson[try row.decode(column: "person_id", as: Int64.self), default: []].append(try row.decode(column: "id", as: Int64.self))
            }
            var statusBefore: [Int64: CaseStatus] = [:]
            var failedInARow: [Int64: Int] = [:]
            for row in try await sql.raw("""
                SELECT case_id, kind, data FROM case_events WHERE case_id IN (\(binds: ids)) AND kind IN ('status', 'contact') ORDER BY id
                """).all() {
                let caseID = try row.decode(column: "case_id", as: Int64.self)
                switch CaseEvent(kind: try row.decode(column: "kind", as: String.self), fields: storedFields(try row.decode(column: "data", as: String.self))) {
                case .statusChanged(let from, _)?: statusBefore[caseID] = from
                case .contact(_, let outcome)?: failedInARow[caseID] = outcome.isSuccessful ? 0 : (failedInARow[caseID] ?? 0) + 1
                default: break
                }
            }
            var states: [CaseState] = []
            for current in found {
                states.append(CaseState(current: current, subject: try await self.auditSubject(person: current.personID, sql),
                                        personHasAnotherOpenCase: (openByPerson[current.personID] ?? []).contains { $0 != current.id },
                                        statusBeforeLastChange: statusBefore[current.id], failedContactsInARow: failedInARow[current.id] ?? 0))
            }
            let changes = try decide(states)
            // Audit first: a change that cannot be audited is not made.
            try await self.audit(changes.flatMap(\.audit), on: sql)
            let now = self.timestamp()
            var events: [CaseEventRow] = []
            for change in changes {
                let c = change.updated
                try await sql.raw("""
                    UPDATE cases SET status = \(bind: c.status.rawValue), consultant = \(bind: c.consultant),
                    due_on = \(bind: c.dueOn?.iso), next_action = \(bind: c.nextAction), closed_on = \(bind: c.closedOn?.iso),
                    suggestion = \(bind: c.suggestion?.rawValue), updated_at = \(bind: now)
                    WHERE id = \(bind: c.id)
                    """).run()
                if let event = change.event {
                    let actor = change.audit.first?.actor ?? "-"
                    events.append(CaseEventRow(caseID: c.id, at: now, actor: actor, event: event,
                                               noteSealed: change.note.map { self.keyring.seal($0, context: "case_events.note") }))
                }
            }
            try await CaseEventRow.insert(events, sql, self)
            return .updated(changes.map(\.updated))
        }
    }

    public func activeConsultant(_ username: String) async throws -> Consultant? {
        guard let user = try await user(username: username), user.active, user.role == .consultant else { return nil }
        return Consultant(username: user.username, displayName: user.displayName, provinces: user.provinces)
    }
}

extension Store: AuditSink {
    /// The use cases' audit entries (a page's reads above all), group-committed with those of
    /// concurrent requests (`AuditGroupCommit`).
    public func append(_ entries: [AuditEntry]) async throws {
        try await audit(entries)
    }
}
