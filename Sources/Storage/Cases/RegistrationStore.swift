import Domain
import Foundation
import SQLKit
import Workflows

/// The outbox of registration requests (Workflows' `RegistrationOutbox`): what became of each
/// request, with its case's event, in one transaction.
extension Store: RegistrationOutbox {
    static let outboxActor = "vangnet"

    /// Writes the request of a case that just opened (or reopened) under `auto-register`, on the
    /// pipeline's transaction. The idempotency key is random and never reused.
    func enqueueRegistration(caseID: Int64, body: RegistrationRequestBody, _ sql: any SQLDatabase) async throws {
        let now = timestamp()
        let json = try JSONEncoder.sortedKeys.encode(body)
        try await sql.raw("""
            INSERT INTO registration_outbox (case_id, idempotency_key, body_sealed, status, attempts, next_attempt_at, created_at, updated_at)
            VALUES (\(bind: caseID), \(bind: body.requestID), \(bind: keyring.seal(Array(json), context: "registration_outbox.body")), 'pending', 0,
            \(bind: now), \(bind: now), \(bind: now))
            """).run()
    }

    public func claimDueRegistrations(now: Date, lease: TimeInterval, limit: Int) async throws -> [RegistrationRequest] {
        let nowText = storedTimestamp(now)
        let until = storedTimestamp(now.addingTimeInterval(lease))
        return try await transaction { sql in
            let rows = try await self.bulk(sql, """
                SELECT id, case_id, idempotency_key, body_sealed, attempts FROM registration_outbox
                WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT \(max(1, limit))
                """ + self.skipLocked, [.text(nowText)])
            let requests = try rows.map { row in
                RegistrationRequest(id: row[0].integer!, caseID: row[1].integer!, idempotencyKey: row[2].text ?? "",
                                    body: Array(try self.keyring.open(row[3].blob ?? Data(), context: "registration_outbox.body")),
                                    attempts: Int(row[4].integer ?? 0))
            }
            for chunk in requests.map(\.id).chunked(into: 500) {
                _ = try await self.bulk(sql, "UPDATE registration_outbox SET next_attempt_at = ? WHERE id IN (\(Store.list(chunk.count)))",
                                        [.text(until)] + chunk.map { .integer($0) })
            }
            return requests
        }
    }

    /// The case of a request, and applies `change` to it: the case's new state and event, stored.
    func onRequestCase(_ id: Int64, _ sql: any SQLDatabase, _ change: (Case) -> (Case, CaseEvent)) async throws {
        guard let row = try await sql.raw("SELECT c.* FROM cases c JOIN registration_outbox o ON o.case_id = c.id WHERE o.id = \(bind: id)").first()
        else { return }
        let state = try Case(row: row)
        let (next, event) = change(state)
        let now = timestamp()
        if next != state {
            try await sql.raw("""
                UPDATE cases SET status = \(bind: next.status.rawValue), next_action = \(bind: next.nextAction), updated_at = \(bind: now)
                WHERE id = \(bind: state.id)
                """).run()
        }
        var events = [CaseEventRow(caseID: state.id, at: now, actor: Self.outboxActor, event: event)]
        if next.status != state.status {
            events.append(CaseEventRow(caseID: state.id, at: now, actor: Self.outboxActor, event: .statusChanged(from: state.status, to: next.status)))
        }
        try await CaseEventRow.insert(events, sql, self)
    }

    public func registrationConfirmed(_ id: Int64, number: String) async throws {
        try await transaction { sql in
            let updated = try await sql.raw("""
                UPDATE registration_outbox SET status = 'confirmed', registration_number = \(bind: String(number.prefix(64))),
                last_error = NULL, problem = NULL, updated_at = \(bind: self.timestamp())
                WHERE id = \(bind: id) AND status IN ('pending', 'accepted', 'stuck') RETURNING id
                """).all()
            guard !updated.isEmpty else { return }
            try await self.onRequestCase(id, sql) { $0.registrationConfirmed(number: String(number.prefix(64))) }
        }
    }

    public func registrationAccepted(_ id: Int64) async throws {
        try await transaction { sql in
            let updated = try await sql.raw("""
                UPDATE registration_outbox SET status = 'accepted', attempts = attempts + 1, last_error = NULL, updated_at = \(bind: self.timestamp())
                WHERE id = \(bind: id) AND status = 'pending' RETURNING id
                """).all()
            guard !updated.isEmpty else { return }
            try await self.onRequestCase(id, sql) { ($0, .registrationRequested) }
        }
    }

    public func registrationRetry(_ id: Int64, attempts: Int, next: Date, error: String) async throws {
        try await sql.raw("""
            UPDATE registration_outbox SET attempts = \(bind: attempts), next_attempt_at = \(bind: storedTimestamp(next)),
            last_error = \(bind: String(error.prefix(300))), updated_at = \(bind: timestamp()) WHERE id = \(bind: id) AND status = 'pending'
            """).run()
    }

    public func registrationStuck(_ id: Int64, attempts: Int, problem: RegistrationProblem, detail: String) async throws {
        try await transaction { sql in
            let updated = try await sql.raw("""
                UPDATE registration_outbox SET status = 'stuck', attempts = \(bind: attempts), problem = \(bind: problem.rawValue),
                last_error = \(bind: String(detail.prefix(300))), updated_at = \(bind: self.timestamp())
                WHERE id = \(bind: id) AND status IN ('pending', 'accepted') RETURNING id
                """).all()
            guard !updated.isEmpty else { return }
            try await self.onRequestCase(id, sql) { ($0, .registrationFailed(problem)) }
        }
    }

    // MARK: - The callback, the steward

    /// The system's callback for an accepted request: registered (with a number) or refused.
    /// False when no request has that key (the caller answers 404).
    public func registrationCallback(key: String, number: String?, refusal: String?) async throws -> Bool {
        guard let row = try await bulk(sql, "SELECT id FROM registration_outbox WHERE idempotency_key = ?", [.text(key)]).first,
              let id = row[0].integer else { return false }
        if let number { try await registrationConfirmed(id, number: number) } else {
            try await registrationStuck(id, attempts: 0, problem: .refused, detail: refusal ?? "refused")
        }
        return true
    }

    /// Requests that need the steward: stuck, newest first.
    public func stuckRegistrations(limit: Int = 100) async throws -> [StuckRegistration] {
        try await bulk(sql, """
            SELECT o.id, o.case_id, o.attempts, o.problem, o.last_error, o.updated_at, o.created_at FROM registration_outbox o
            WHERE o.status = 'stuck' ORDER BY o.updated_at DESC LIMIT \(max(1, min(limit, 500)))
            """, []).map { row in
            StuckRegistration(id: row[0].integer!, caseNumber: CaseNumber.format(row[1].integer!), attempts: Int(row[2].integer ?? 0),
                              problem: RegistrationProblem(rawValue: row[3].text ?? "") ?? .unreachable, detail: row[4].text ?? "",
                              since: row[5].text ?? "", requestedAt: row[6].text ?? "")
        }
    }

    /// Counts per status (the steward's page, the metrics).
    public func registrationCounts() async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try await bulk(sql, "SELECT status, COUNT(*) FROM registration_outbox GROUP BY status", []) {
            counts[row[0].text ?? ""] = Int(row[1].integer ?? 0)
        }
        return counts
    }

    /// The steward sends a stuck request again (same key: the system answers the same if it got it).
    public func retryRegistration(_ id: Int64, by actor: Actor) async throws -> Bool {
        try await transaction { sql in
            let updated = try await sql.raw("""
                UPDATE registration_outbox SET status = 'pending', attempts = 0, problem = NULL, next_attempt_at = \(bind: self.timestamp()),
                updated_at = \(bind: self.timestamp()) WHERE id = \(bind: id) AND status = 'stuck' RETURNING case_id
                """).all()
            guard let caseID = try updated.first?.decode(column: "case_id", as: Int64.self) else { return false }
            try await self.audit([AuditEntry(actor, .registrationRetried(caseID))], on: sql)
            return true
        }
    }
}

/// A registration request the steward should look at.
public struct StuckRegistration: Sendable, Equatable, Codable {
    public var id: Int64
    public var caseNumber: String
    public var attempts: Int
    public var problem: RegistrationProblem
    /// The last error or the system's reason, as it said it (a technical detail, for the specialist).
    public var detail: String
    public var since: String
    public var requestedAt: String
}

extension JSONEncoder {
    static var sortedKeys: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
