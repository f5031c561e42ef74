import Domain
import Foundation
import SQLKit
import Workflows

/// The partners' webhook endpoints and the outbox of their notices (Workflows' `WebhookOutbox`).
extension Store: WebhookOutbox {
    /// Sets (or, with a nil url, removes) an organisation's webhook endpoint and its secret (sealed).
    public func setPartnerWebhook(code: String, url: String?, secret: String?) async throws -> Bool {
        let sealed: BulkValue = secret.map { .blob(keyring.seal($0, context: "partner_organisations.webhook_secret")) } ?? .null
        let rows = try await bulk(sql, "UPDATE partner_organisations SET webhook_url = ?, webhook_secret_sealed = ? WHERE code = ? RETURNING id",
                                  [BulkValue(url), sealed, .text(code)])
        return !rows.isEmpty
    }

    /// Writes the notice of a referral just sent to an organisation with a webhook, on the transaction.
    func enqueueReferralNotice(_ referral: Referral, organisationID: Int64, _ sql: any SQLDatabase) async throws {
        guard let row = try await bulk(sql, "SELECT webhook_url FROM partner_organisations WHERE id = ?", [.integer(organisationID)]).first,
              row[0].text?.isEmpty == false else { return }
        struct Notice: Encodable {
            let type = "referral.sent"
            let referral_id: Int64
            let case_number: String
            let sent_on: String?
            let answer_due_on: String?
            let api: String
        }
        let body = try JSONEncoder.sortedKeys.encode(Notice(referral_id: referral.id, case_number: CaseNumber.format(referral.caseID),
                                                            sent_on: referral.sentOn?.iso, answer_due_on: referral.answerDueOn?.iso,
                                                            api: "/api/v1/partner/referrals/\(referral.id)"))
        let now = timestamp()
        _ = try await bulk(sql, """
            INSERT INTO partner_webhook_outbox (organisation_id, referral_id, idempotency_key, body, status, attempts, next_attempt_at, created_at, updated_at)
            VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?)
            """, [.integer(organisationID), .integer(referral.id), .text(UUID().uuidString.lowercased()), .text(String(decoding: body, as: UTF8.self)),
                  .text(now), .text(now), .text(now)])
    }

    public func claimDueWebhooks(now: Date, lease: TimeInterval, limit: Int) async throws -> [WebhookNotice] {
        let nowText = storedTimestamp(now)
        let until = storedTimestamp(now.addingTimeInterval(lease))
        return try await transaction { sql in
            let rows = try await self.bulk(sql, """
                SELECT w.id, o.webhook_url, o.webhook_secret_sealed, w.idempotency_key, w.body, w.attempts FROM partner_webhook_outbox w
                JOIN partner_organisations o ON o.id = w.organisation_id
                WHERE w.status = 'pending' AND w.next_attempt_at <= ? AND o.webhook_url IS NOT NULL ORDER BY w.next_attempt_at, w.id LIMIT \(max(1, limit))
                """ + (self.dialect == .postgres ? " FOR UPDATE OF w SKIP LOCKED" : ""), [.text(nowText)])
            var notices: [WebhookNotice] = []
            for row in rows {
                let secret = try row[2].blob.map { try self.keyring.openText($0, context: "partner_organisations.webhook_secret") } ?? ""
                notices.append(WebhookNotice(id: row[0].integer!, url: row[1].text ?? "", secret: secret, idempotencyKey: row[3].text ?? "",
                                             body: Array((row[4].text ?? "").utf8), attempts: Int(row[5].integer ?? 0)))
            }
            for chunk in notices.map(\.id).chunked(into: 500) {
                _ = try await self.bulk(sql, "UPDATE partner_webhook_outbox SET next_attempt_at = ? WHERE id IN (\(Store.list(chunk.count)))",
                                        [.text(until)] + chunk.map { .integer($0) })
            }
            return notices
        }
    }

    public func webhookDelivered(_ id: Int64) async throws {
        _ = try await bulk(sql, "UPDATE partner_webhook_outbox SET status = 'delivered', attempts = attempts + 1, last_error = NULL, updated_at = ? WHERE id = ?",
                           [.text(timestamp()), .integer(id)])
    }

    public func webhookRetry(_ id: Int64, attempts: Int, next: Date, error: String) async throws {
        _ = try await bulk(sql, "UPDATE partner_webhook_outbox SET attempts = ?, next_attempt_at = ?, last_error = ?, updated_at = ? WHERE id = ? AND status = 'pending'",
                           [.integer(Int64(attempts)), .text(storedTimestamp(next)), .text(String(error.prefix(300))), .text(timestamp()), .integer(id)])
    }

    public func webhookStuck(_ id: Int64, attempts: Int, error: String) async throws {
        _ = try await bulk(sql, "UPDATE partner_webhook_outbox SET status = 'stuck', attempts = ?, last_error = ?, updated_at = ? WHERE id = ?",
                           [.integer(Int64(attempts)), .text(String(error.prefix(300))), .text(timestamp()), .integer(id)])
    }

    /// Notices that need the steward: stuck (the partner's endpoint refused or did not answer), newest first.
    public func stuckWebhooks(limit: Int = 100) async throws -> [StuckWebhook] {
        try await bulk(sql, """
            SELECT w.id, o.name, w.referral_id, r.case_id, w.attempts, w.last_error, w.updated_at FROM partner_webhook_outbox w
            JOIN partner_organisations o ON o.id = w.organisation_id LEFT JOIN referrals r ON r.id = w.referral_id
            WHERE w.status = 'stuck' ORDER BY w.updated_at DESC, w.id DESC LIMIT \(max(1, min(limit, 500)))
            """, []).map { row in
            StuckWebhook(id: row[0].integer!, organisation: row[1].text ?? "", referralID: row[2].integer ?? 0,
                         caseNumber: row[3].integer.map(CaseNumber.format), attempts: Int(row[4].integer ?? 0), detail: row[5].text ?? "",
                         since: row[6].text ?? "")
        }
    }

    /// The steward sends a stuck notice again, under the same idempotency key (a partner that got it
    /// before recognises it); false when it is not stuck.
    public func retryWebhook(_ id: Int64, by actor: Actor) async throws -> Bool {
        try await transaction { sql in
            let now = self.timestamp()
            guard let row = try await self.bulk(sql, """
                UPDATE partner_webhook_outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, updated_at = ? WHERE id = ? AND status = 'stuck'
                RETURNING referral_id
                """, [.text(now), .text(now), .integer(id)]).first else { return false }
            let caseID = try await self.bulk(sql, "SELECT case_id FROM referrals WHERE id = ?", [row[0]]).first?[0].integer ?? 0
            try await self.audit([AuditEntry(actor, .webhookRetried(caseID))], on: sql)
            return true
        }
    }

    /// Notices per status (the steward's page).
    public func webhookCounts() async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try await bulk(sql, "SELECT status, COUNT(*) FROM partner_webhook_outbox GROUP BY status", []) {
            counts[row[0].text ?? ""] = Int(row[1].integer ?? 0)
        }
        return counts
    }
}

/// A notice to a partner that the steward should look at: which organisation, which referral, the
/// last error as the endpoint gave it (a technical detail).
public struct StuckWebhook: Sendable, Equatable {
    public var id: Int64
    public var organisation: String
    public var referralID: Int64
    public var caseNumber: String?
    public var attempts: Int
    public var detail: String
    public var since: String
}
