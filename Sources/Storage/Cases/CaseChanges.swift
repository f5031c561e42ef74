import Domain
import Foundation
import SQLKit

extension Store {
    /// Changes a case's status along the state machine, as `actor` (audited). Closing sets the
    /// closing date; reopening clears it. Returns the updated case, or nil when it is not in scope.
    @discardableResult
    public func changeStatus(_ caseID: Int64, to next: CaseStatus, scope: CaseScope, actor: Actor, today: LocalDate,
                             note: String? = nil) async throws -> CaseSummary? {
        let sealedNote = note.flatMap { $0.isEmpty ? nil : keyring.seal($0, context: "case_events.note") }
        return try await transaction { sql in
            guard let row = try await sql.raw("SELECT * FROM cases WHERE id = \(bind: caseID) AND \(scope.condition)").first() else {
                try await self.audit([AuditEntry(actor: actor.username, role: actor.role.rawValue, purpose: actor.purpose,
                                                 action: "case.update", outcome: "denied", objectType: "case",
                                                 objectID: String(caseID), requestID: actor.requestID)], on: sql)
                return nil
            }
            let current = try CaseSummary(row: row)
            let status = try current.status.transition(to: next)
            if status == .reopened || status.isOpen, current.closedOn != nil {
                let open = try await sql.raw("SELECT id FROM cases WHERE person_id = \(bind: current.personID) AND closed_on IS NULL").first()
                if open != nil { throw StoreError.conflict("the person already has an open case") }
            }
            let now = self.timestamp()
            let closedOn: String? = status.isOpen ? nil : (current.closedOn?.iso ?? today.iso)
            try await sql.raw("""
                UPDATE cases SET status = \(bind: status.rawValue), closed_on = \(bind: closedOn),
                suggestion = \(bind: status.isOpen ? current.suggestion?.rawValue : nil), updated_at = \(bind: now)
                WHERE id = \(bind: caseID)
                """).run()
            let subject = try await self.auditSubject(person: current.personID, sql)
            try await self.audit([AuditEntry(actor: actor.username, role: actor.role.rawValue, purpose: actor.purpose,
                                             action: "case.update", subject: subject, objectType: "case", objectID: String(caseID),
                                             requestID: actor.requestID)], on: sql)
            try await CaseEventRow.insert([CaseEventRow(caseID: caseID, at: now, kind: "status", actor: actor.username,
                                                        data: ["from": current.status.rawValue, "to": status.rawValue],
                                                        noteSealed: sealedNote)], sql, self)
            return try await sql.raw("SELECT * FROM cases WHERE id = \(bind: caseID)").first().map(CaseSummary.init(row:))
        }
    }
}
