import Domain
import Foundation
import SQLKit

/// Everything Vangnet holds about one person — what a data subject access request needs: every
/// record with its source, the decisions and their reasons, the cases with what was done, and who
/// consulted the data (dates, roles and purposes).
public struct PersonReport: Sendable {
    public var insz: INSZ
    public var generatedAt: String
    /// Every version of every record, oldest first.
    public var records: [Fact]
    public var decision: Decision?
    public var decisionHistory: [(decidedOn: String, outcome: String, exclusion: String?, policyVersion: String)]
    public var cases: [(summary: Case, events: [CaseHistoryEntry])]
    /// Reads and changes of this person's data, newest first (the actors' roles and purposes).
    public var consultations: [AuditRecord]
}

extension Store {
    /// The person's report, or nil when Vangnet holds nothing about them. Audited as `person.export`.
    public func personReport(_ insz: INSZ, actor: Actor) async throws -> PersonReport? {
        let subject = keyring.auditSubject(insz)
        guard let personID = try await bulk(sql, "SELECT COALESCE(merged_into, id) FROM persons WHERE insz_index = ?", [.blob(keyring.inszIndex(insz))]).first?[0].integer else {
            try await audit(AuditEntry(actor, .personExported, outcome: .notFound, subject: subject))
            return nil
        }
        try await audit(AuditEntry(actor, .personExported, subject: subject))
        let records = try await personFacts(personID)
        let decision = try await sql.raw("SELECT * FROM decisions WHERE person_id = \(bind: personID)").first()
            .map { try StoredDecision(row: $0).decision }
        let history = try await bulk(sql, """
            SELECT decided_on, outcome, exclusion, policy_version FROM decision_history WHERE person_id = ? ORDER BY id
            """, [.integer(personID)]).map { (decidedOn: $0[0].text!, outcome: $0[1].text!, exclusion: $0[2].text, policyVersion: $0[3].text!) }
        var cases: [(summary: Case, events: [CaseHistoryEntry])] = []
        for summary in try await sql.raw("SELECT * FROM cases WHERE person_id = \(bind: personID) ORDER BY id").all().map(Case.init(row:)) {
            cases.append((summary, try await caseEvents(summary.id)))
        }
        return PersonReport(insz: insz, generatedAt: self.timestamp(), records: records, decision: decision, decisionHistory: history,
                            cases: cases, consultations: try await auditEntries(subject: subject, limit: 5000))
    }
}
