import Domain
import Foundation

/// Delivers the webhook outbox's notices: each due one sent under its own key, then delivered,
/// retried later with exponential backoff and jitter (`RegistrationRules.delay`), or stuck after
/// the last attempt or a refusal. A restart loses nothing (a claimed notice comes back when its
/// lease ends), and a receiver sees the same `webhook-id` on every attempt.
public struct WebhookDelivery: Sendable {
    public struct Report: Sendable, Equatable {
        public var sent = 0
        public var delivered = 0
        public var retried = 0
        public var stuck = 0
        public init() {}
    }

    let outbox: any WebhookOutbox
    let gateway: any WebhookGateway
    let clock: Clock
    let maximumAttempts: Int
    /// How long claimed notices are held for this worker: a killed worker's come back after it.
    let lease: TimeInterval
    let random: @Sendable () -> Double

    public init(outbox: any WebhookOutbox, gateway: any WebhookGateway, clock: Clock, maximumAttempts: Int = RegistrationRules.defaultMaximumAttempts,
                lease: TimeInterval = 120, random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.outbox = outbox
        self.lease = lease
        self.gateway = gateway
        self.clock = clock
        self.maximumAttempts = maximumAttempts
        self.random = random
    }

    public func deliverDue(limit: Int? = nil) async throws -> Report {
        var report = Report()
        let batch = limit ?? RegistrationRules.batchSize(lease: lease)
        for notice in try await outbox.claimDueWebhooks(now: clock.now(), lease: lease, limit: batch) {
            report.sent += 1
            let attempts = notice.attempts + 1
            switch await gateway.deliver(notice) {
            case .registered, .accepted:
                try await outbox.webhookDelivered(notice.id)
                report.delivered += 1
            case .refused(let reason):
                try await outbox.webhookStuck(notice.id, attempts: attempts, error: reason)
                report.stuck += 1
            case .failed(let error):
                switch RegistrationRules.afterFailure(attempts: attempts, maximumAttempts: maximumAttempts, random: random()) {
                case .stuck:
                    try await outbox.webhookStuck(notice.id, attempts: attempts, error: error)
                    report.stuck += 1
                case .retry(let wait):
                    try await outbox.webhookRetry(notice.id, attempts: attempts, next: clock.now().addingTimeInterval(wait), error: error)
                    report.retried += 1
                }
            }
        }
        return report
    }
}
