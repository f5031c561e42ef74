import Domain
import Foundation

/// A registration request waiting in the outbox (policy action `auto-register`).
public struct RegistrationRequest: Sendable, Equatable {
    public var id: Int64
    public var caseID: Int64
    /// Sent as `Idempotency-Key` and `webhook-id`: the same on every attempt.
    public var idempotencyKey: String
    /// The JSON body as written with the case (`RegistrationRequestBody`), sent unchanged.
    public var body: [UInt8]
    /// Attempts made before this one.
    public var attempts: Int

    public init(id: Int64, caseID: Int64, idempotencyKey: String, body: [UInt8], attempts: Int) {
        self.id = id
        self.caseID = caseID
        self.idempotencyKey = idempotencyKey
        self.body = body
        self.attempts = attempts
    }
}

/// The outbox of registration requests, in storage. A request is written with its case (the
/// pipeline); these record what became of it, each with its case's event, in one transaction.
public protocol RegistrationOutbox: Sendable {
    /// Up to `limit` requests due at `now`, each held for `lease` seconds: another worker skips
    /// them, and if this one dies before recording the outcome they come back when the lease ends.
    func claimDueRegistrations(now: Date, lease: TimeInterval, limit: Int) async throws -> [RegistrationRequest]
    /// The system registered the young person: the request is done, the case `registered`.
    func registrationConfirmed(_ id: Int64, number: String) async throws
    /// The system took the request and will call back (`confirmRegistration(key:…)`).
    func registrationAccepted(_ id: Int64) async throws
    /// A failed attempt: try again at `next`.
    func registrationRetry(_ id: Int64, attempts: Int, next: Date, error: String) async throws
    /// No more attempts, or refused: the steward sees it as stuck, with `detail`.
    func registrationStuck(_ id: Int64, attempts: Int, problem: RegistrationProblem, detail: String) async throws
}

/// How the receiver of an outbox message answered one attempt (VDAB's job-seeker system, a partner's webhook).
public enum DeliveryReply: Sendable, Equatable {
    /// Registered at once (2xx with a registration number).
    case registered(number: String)
    /// Taken; the system confirms later by calling back (202).
    case accepted
    /// Refused for good (4xx other than 408 and 429), with the system's reason.
    case refused(String)
    /// No answer, a time-out, 408, 429 or a server error: try again later.
    case failed(String)
}

/// The call to VDAB's job-seeker system (Web sends it over HTTP, signed per Standard Webhooks).
public protocol RegistrationGateway: Sendable {
    func send(_ request: RegistrationRequest) async -> DeliveryReply
}
