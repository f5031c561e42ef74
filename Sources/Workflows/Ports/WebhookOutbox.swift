import Domain
import Foundation

/// A notice waiting in a webhook outbox (a partner's "a referral was sent to you").
public struct WebhookNotice: Sendable, Equatable {
    public var id: Int64
    /// Where it goes and the secret that signs it (Standard Webhooks).
    public var url: String
    public var secret: String
    /// `webhook-id`: the same on every attempt.
    public var idempotencyKey: String
    public var body: [UInt8]
    public var attempts: Int

    public init(id: Int64, url: String, secret: String, idempotencyKey: String, body: [UInt8], attempts: Int) {
        self.id = id
        self.url = url
        self.secret = secret
        self.idempotencyKey = idempotencyKey
        self.body = body
        self.attempts = attempts
    }
}

/// The outbox of webhook notices, in storage.
public protocol WebhookOutbox: Sendable {
    /// Up to `limit` notices due at `now`, each held for `lease` seconds (see `RegistrationOutbox`).
    func claimDueWebhooks(now: Date, lease: TimeInterval, limit: Int) async throws -> [WebhookNotice]
    func webhookDelivered(_ id: Int64) async throws
    func webhookRetry(_ id: Int64, attempts: Int, next: Date, error: String) async throws
    func webhookStuck(_ id: Int64, attempts: Int, error: String) async throws
}

/// Sends one notice: `.accepted` is delivered (any 2xx); `.refused` and `.failed` as for registrations.
public protocol WebhookGateway: Sendable {
    func deliver(_ notice: WebhookNotice) async -> DeliveryReply
}
