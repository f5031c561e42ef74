import Domain
import Foundation
import Privacy
import Vapor
import Workflows

/// Where and how registration requests go (policy action `auto-register`; docs/outreach.md).
public struct RegistrationSettings: Sendable {
    /// VDAB's job-seeker system's endpoint for registration requests.
    public var endpoint: String
    /// The shared secret, `whsec_` + base64 (Standard Webhooks): signs the requests and the callbacks.
    public var secret: String
    public var delivery = RegistrationDelivery.Settings()
    /// How long one attempt may take.
    public var timeout: Duration = .seconds(Int64(RegistrationRules.attemptTimeout))
    /// How often the worker looks for due requests.
    public var tick: Duration = .seconds(2)

    public init(endpoint: String, secret: String) {
        self.endpoint = endpoint
        self.secret = secret
    }
}

/// Sends a registration request over HTTP: a JSON POST, signed per Standard Webhooks
/// (`webhook-id` = the idempotency key, `webhook-timestamp`, `webhook-signature`) and carrying
/// `Idempotency-Key`. 200/201 with a registration number: registered; 202: accepted, a callback
/// follows; 408, 429, 5xx, a time-out or no connection: try again; any other 4xx: refused.
public struct HTTPRegistrationGateway: RegistrationGateway {
    let client: any Client
    let settings: RegistrationSettings
    let signature: WebhookSignature
    let clock: Clock

    public init?(client: any Client, settings: RegistrationSettings, clock: Clock) {
        guard let signature = WebhookSignature(secret: settings.secret) else { return nil }
        self.client = client
        self.settings = settings
        self.signature = signature
        self.clock = clock
    }

    struct Answer: Decodable {
        let registrationNumber: String?
        let reason: String?
        enum CodingKeys: String, CodingKey { case registrationNumber = "registration_number", reason }
    }

    public func send(_ request: RegistrationRequest) async -> DeliveryReply {
        let timestamp = Int(clock.now().timeIntervalSince1970)
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.add(name: "Idempotency-Key", value: request.idempotencyKey)
        headers.add(name: "webhook-id", value: request.idempotencyKey)
        headers.add(name: "webhook-timestamp", value: String(timestamp))
        headers.add(name: "webhook-signature", value: signature.sign(id: request.idempotencyKey, timestamp: timestamp, body: request.body))
        var outgoing = ClientRequest(method: .POST, url: URI(string: settings.endpoint), headers: headers, body: ByteBuffer(bytes: request.body))
        outgoing.timeout = .nanoseconds(Int64(settings.timeout.components.seconds) * 1_000_000_000
                                        + settings.timeout.components.attoseconds / 1_000_000_000)
        let response: ClientResponse
        do {
            response = try await client.send(outgoing)
        } catch {
            return .failed("no answer: \(type(of: error))")
        }
        let answer = response.body.flatMap { try? JSONDecoder().decode(Answer.self, from: Data(buffer: $0)) }
        switch response.status.code {
        case 200, 201:
            guard let number = answer?.registrationNumber, !number.isEmpty else { return .failed("HTTP \(response.status.code) without a registration_number") }
            return .registered(number: number)
        case 202:
            return .accepted
        case 408, 429, 500...599:
            return .failed("HTTP \(response.status.code)")
        default:
            return .refused("HTTP \(response.status.code)" + (answer?.reason.map { ": " + String($0.prefix(200)) } ?? ""))
        }
    }
}
