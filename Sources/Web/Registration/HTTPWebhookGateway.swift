import Domain
import Foundation
import Privacy
import ServiceLifecycle
import Vapor
import Workflows

/// Sends a webhook notice over HTTP: a JSON POST signed per Standard Webhooks with the receiver's
/// secret, `webhook-id` the notice's key. Any 2xx: delivered; 408, 429, 5xx, a time-out or no
/// connection: try again; any other answer: refused.
public struct HTTPWebhookGateway: WebhookGateway {
    let client: any Client
    let clock: Clock

    public init(client: any Client, clock: Clock) {
        self.client = client
        self.clock = clock
    }

    public func deliver(_ notice: WebhookNotice) async -> DeliveryReply {
        guard let signature = WebhookSignature(secret: notice.secret) else { return .refused("the organisation's webhook secret is not usable") }
        let timestamp = Int(clock.now().timeIntervalSince1970)
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.add(name: "webhook-id", value: notice.idempotencyKey)
        headers.add(name: "webhook-timestamp", value: String(timestamp))
        headers.add(name: "webhook-signature", value: signature.sign(id: notice.idempotencyKey, timestamp: timestamp, body: notice.body))
        var request = ClientRequest(method: .POST, url: URI(string: notice.url), headers: headers, body: ByteBuffer(bytes: notice.body))
        request.timeout = .seconds(Int64(RegistrationRules.attemptTimeout))
        guard let response = try? await client.send(request) else { return .failed("no answer") }
        switch response.status.code {
        case 200...299: return .accepted
        case 408, 429, 500...599: return .failed("HTTP \(response.status.code)")
        default: return .refused("HTTP \(response.status.code)")
        }
    }
}

/// Delivers the partners' webhook notices while the server runs, every `tick`.
public struct WebhookWorker: Service {
    let delivery: WebhookDelivery
    let tick: Duration

    public init(delivery: WebhookDelivery, tick: Duration = .seconds(5)) {
        self.delivery = delivery
        self.tick = tick
    }

    public func run() async {
        repeat {
            while !Task.isShuttingDownGracefully, let report = try? await delivery.deliverDue(), report.sent > 0 {}
        } while await sleepUnlessStopping(for: tick)
    }
}
