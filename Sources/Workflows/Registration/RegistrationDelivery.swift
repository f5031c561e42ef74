import Domain
import Foundation

/// Delivers the outbox's registration requests to VDAB's job-seeker system: each due request is
/// sent with its own idempotency key, and its outcome recorded — registered, accepted (a callback
/// will confirm), retried later with exponential backoff and jitter, or stuck after the last
/// attempt or a refusal. A restart loses nothing: a request stays in the outbox until its outcome
/// is recorded, and comes back when its lease ends.
public struct RegistrationDelivery: Sendable {
    public struct Settings: Sendable {
        public var maximumAttempts = RegistrationRules.defaultMaximumAttempts
        /// How long a claimed request is held for this worker.
        public var lease: TimeInterval = 120
        public var batchSize = 50
        public init() {}
    }

    public struct Report: Sendable, Equatable {
        public var sent = 0
        public var registered = 0
        public var accepted = 0
        public var retried = 0
        public var stuck = 0
        public init() {}
    }

    let outbox: any RegistrationOutbox
    let gateway: any RegistrationGateway
    let clock: Clock
    let settings: Settings
    let random: @Sendable () -> Double

    public init(outbox: any RegistrationOutbox, gateway: any RegistrationGateway, clock: Clock, settings: Settings = Settings(),
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.outbox = outbox
        self.gateway = gateway
        self.clock = clock
        self.settings = settings
        self.random = random
    }

    /// Sends every request due now (one batch), in order.
    public func deliverDue() async throws -> Report {
        var report = Report()
        let due = try await outbox.claimDueRegistrations(now: clock.now(), lease: settings.lease, limit: settings.batchSize)
        for request in due {
            report.sent += 1
            let attempts = request.attempts + 1
            switch await gateway.send(request) {
            case .registered(let number):
                try await outbox.registrationConfirmed(request.id, number: number)
                report.registered += 1
            case .accepted:
                try await outbox.registrationAccepted(request.id)
                report.accepted += 1
            case .refused(let reason):
                try await outbox.registrationStuck(request.id, attempts: attempts, problem: .refused, detail: reason)
                report.stuck += 1
            case .failed(let error):
                switch RegistrationRules.afterFailure(attempts: attempts, maximumAttempts: settings.maximumAttempts, random: random()) {
                case .stuck:
                    try await outbox.registrationStuck(request.id, attempts: attempts, problem: .unreachable, detail: error)
                    report.stuck += 1
                case .retry(let wait):
                    try await outbox.registrationRetry(request.id, attempts: attempts, next: clock.now().addingTimeInterval(wait), error: error)
                    report.retried += 1
                }
            }
        }
        return report
    }
}
