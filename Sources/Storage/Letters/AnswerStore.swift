import Domain
import Foundation
import Letters
import SQLKit
import Workflows

/// The answer page's storage (Workflows' `AnswerRepository`): codes by their keyed hash, and the
/// login throttling's table for failed attempts per client and per code.
extension Store: AnswerRepository {
    public func answerCode(_ code: AnswerCode) async throws -> AnswerCodeEntry? {
        let index = keyring.blindIndex(code.characters, purpose: .answerCode)
        guard let row = try await bulk(sql, """
            SELECT a.case_id, a.valid_until, c.person_id FROM answer_codes a JOIN cases c ON c.id = a.case_id WHERE a.code_index = ?
            """, [.text(index)]).first, let caseID = row[0].integer, let personID = row[2].integer,
              let validUntil = row[1].text.flatMap({ LocalDate(iso: $0) }) else { return nil }
        let facts = try await personFacts(personID)
        guard let insz = PersonTimeline.insz(of: facts) else { return nil }
        let timeline = PersonTimeline(insz: insz, versions: facts)
        let last = timeline.lastEnrolment
        return AnswerCodeEntry(caseID: caseID, validUntil: validUntil, birthDate: timeline.birthDate.exact,
                               school: last?.schoolName, leftOn: last?.endDate, subject: keyring.auditSubject(insz))
    }

    /// How the audit log names the person of a case (nil for an anonymised case).
    public func caseSubject(_ caseID: Int64) async throws -> String? {
        guard let person = try await bulk(sql, "SELECT person_id FROM cases WHERE id = ?", [.integer(caseID)]).first?[0].integer,
              person != 0 else { return nil }
        return try await auditSubject(person: person, sql)
    }

    static let answerThrottle = LoginThrottle(accountThreshold: 5, addressThreshold: 20)

    func answerKeys(client: String, code: AnswerCode?) -> [(String, Int)] {
        var keys = [("answer-client:" + keyring.blindIndex(client, purpose: .loginName), Self.answerThrottle.addressThreshold)]
        if let code { keys.append(("answer-code:" + keyring.blindIndex(code.characters, purpose: .answerCode), Self.answerThrottle.accountThreshold)) }
        return keys
    }

    public func answerLocked(client: String, code: AnswerCode?) async throws -> Bool {
        for (key, _) in answerKeys(client: client, code: code) where try await loginLockedUntil(key) != nil { return true }
        return false
    }

    public func answerFailed(client: String, code: AnswerCode?) async throws {
        for (key, threshold) in answerKeys(client: client, code: code) {
            try await recordLoginFailure(key, threshold: threshold, throttle: Self.answerThrottle)
        }
    }
}
