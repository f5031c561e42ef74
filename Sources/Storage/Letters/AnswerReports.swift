import Domain
import Foundation
import SQLKit

/// "Something is wrong in this letter": the young person's answer is a task for the consultant
/// (the case's next action) and, here, for the data steward, who reads the text and checks the
/// sources. A report is open until the steward marks it dealt with (a `report_handled` event on
/// the case, with the steward's note).
extension Store {
    /// The open reports, oldest first: the answer event, its case and when (no text: reading one
    /// is audited, `answerReport`).
    public func openAnswerReports(limit: Int = 100) async throws -> [AnswerReport] {
        try await bulk(sql, """
            SELECT e.id, e.case_id, e.at FROM case_events e
            WHERE e.kind = 'answer' AND e.data LIKE '%"something_wrong"%'
              AND NOT EXISTS (SELECT 1 FROM case_events h WHERE h.case_id = e.case_id AND h.kind = 'report_handled' AND h.id > e.id)
            ORDER BY e.id LIMIT \(max(1, min(limit, 500)))
            """, []).map { AnswerReport(id: $0[0].integer!, caseID: $0[1].integer!, at: $0[2].text ?? "") }
    }

    /// One report with the young person's text — after the audit entry (as the steward, naming the person).
    public func answerReport(_ eventID: Int64, actor: Actor) async throws -> (AnswerReport, text: String, open: Bool)? {
        guard let row = try await bulk(sql, "SELECT e.case_id, e.at, e.note_sealed, c.person_id FROM case_events e JOIN cases c ON c.id = e.case_id "
                                       + "WHERE e.id = ? AND e.kind = 'answer' AND e.data LIKE '%\"something_wrong\"%'", [.integer(eventID)]).first,
              let caseID = row[0].integer else { return nil }
        let subject = try await auditSubject(person: row[3].integer ?? 0, sql)
        try await audit(AuditEntry(actor, .answerReportRead(caseID), subject: subject))
        let text = try row[2].blob.map { try keyring.openText($0, context: "case_events.note") } ?? ""
        let open = try await openAnswerReports(limit: 500).contains { $0.id == eventID }
        return (AnswerReport(id: eventID, caseID: caseID, at: row[1].text ?? ""), text, open)
    }

    /// The steward dealt with the report: an event on the case with their note, audited.
    public func handleAnswerReport(_ eventID: Int64, note: String?, by actor: Actor) async throws -> Bool {
        guard let report = try await openAnswerReports(limit: 500).first(where: { $0.id == eventID }) else { return false }
        try await transaction { sql in
            let subject = try await self.bulk(sql, "SELECT person_id FROM cases WHERE id = ?", [.integer(report.caseID)]).first?[0].integer
            try await self.audit([AuditEntry(actor, .answerReportHandled(report.caseID),
                                             subject: try await self.auditSubject(person: subject ?? 0, sql))], on: sql)
            var row = CaseEventRow(caseID: report.caseID, at: self.timestamp(), actor: actor.username, event: .reportHandled)
            row.noteSealed = note.map { self.keyring.seal($0, context: "case_events.note") }
            try await CaseEventRow.insert([row], sql, self)
        }
        return true
    }
}

public struct AnswerReport: Sendable, Equatable {
    /// The answer event's id.
    public var id: Int64
    public var caseID: Int64
    public var at: String
}
