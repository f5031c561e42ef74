import Domain
import Foundation
import NIOConcurrencyHelpers
import Privacy
import Vapor

/// A stand-in for VDAB's job-seeker system, for the demo and the tests: an HTTP receiver on
/// loopback that takes registration requests as the real system's contract says (docs/outreach.md)
/// — it checks the Standard Webhooks signature, answers the same idempotency key with the same
/// registration number, and can be told to fail some requests or answer slowly, so that the
/// outbox's retries are exercised. Not for production: `vangnet serve` never starts it.
public final class JobSeekerSystemStandIn: Sendable {
    public struct Behaviour: Sendable {
        /// Every n-th request answers 503 (0: never).
        public var failEvery = 0
        /// The first attempts of each request answer 503 (0: none).
        public var failFirstAttempts = 0
        /// Wait this long before answering.
        public var delay: Duration = .zero
        /// Answer 202 and confirm later by calling `callbackURL` back, instead of 201 at once.
        public var confirmByCallback = false
        public var callbackURL: String?
        public init() {}
    }

    struct State {
        var behaviour: Behaviour
        var requests = 0
        var attempts: [String: Int] = [:]
        var numbers: [String: String] = [:]
        var bodies: [String: [UInt8]] = [:]
    }

    let secret: String
    let state: NIOLockedValueBox<State>
    let app: Application
    public let port: Int

    /// Starts listening on 127.0.0.1 (port 0: any free one; `port` says which).
    /// `clock` is what the signatures' timestamps are checked against (the sender's clock in a test).
    public init(secret: String, behaviour: Behaviour = Behaviour(), port: Int = 0, clock: Clock = .system) async throws {
        self.secret = secret
        self.state = NIOLockedValueBox(State(behaviour: behaviour))
        app = try await Application.make(.testing)
        app.logger.logLevel = .error
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = port
        let signature = WebhookSignature(secret: secret)!
        let state = self.state
        let client = app.client
        app.on(.POST, "registrations", body: .collect(maxSize: "64kb")) { request async throws -> Response in
            let body = request.body.data.map { Array($0.readableBytesView) } ?? []
            guard let id = request.headers.first(name: "webhook-id"), let stamp = request.headers.first(name: "webhook-timestamp").flatMap(Int.init),
                  let header = request.headers.first(name: "webhook-signature"),
                  signature.verify(id: id, timestamp: stamp, body: body, header: header, now: Int(clock.now().timeIntervalSince1970)),
                  request.headers.first(name: "Idempotency-Key") == id
            else { return Response(status: .unauthorized, body: .init(string: #"{"reason":"bad signature"}"#)) }
            let (behaviour, fail, number) = state.withLockedValue { s -> (Behaviour, Bool, String) in
                s.requests += 1
                s.attempts[id, default: 0] += 1
                let fail = (s.behaviour.failEvery > 0 && s.requests % s.behaviour.failEvery == 0)
                    || s.attempts[id]! <= s.behaviour.failFirstAttempts
                if !fail, s.numbers[id] == nil {
                    s.numbers[id] = String(format: "WZ-%07d", s.numbers.count + 1)
                    s.bodies[id] = body
                }
                return (s.behaviour, fail, s.numbers[id] ?? "")
            }
            if behaviour.delay > .zero { try await Task.sleep(for: behaviour.delay) }
            if fail { return Response(status: .serviceUnavailable) }
            if behaviour.confirmByCallback {
                guard let url = behaviour.callbackURL else { return Response(status: .accepted) }
                let callback = try JSONSerialization.data(withJSONObject: ["request_id": id, "status": "registered", "registration_number": number])
                Task {
                    try? await Task.sleep(for: .milliseconds(200))
                    let now = Int(clock.now().timeIntervalSince1970)
                    let messageID = "callback-" + id
                    var headers = HTTPHeaders()
                    headers.contentType = .json
                    headers.add(name: "webhook-id", value: messageID)
                    headers.add(name: "webhook-timestamp", value: String(now))
                    headers.add(name: "webhook-signature", value: signature.sign(id: messageID, timestamp: now, body: callback))
                    _ = try? await client.post(URI(string: url), headers: headers) { $0.body = ByteBuffer(data: callback) }
                }
                return Response(status: .accepted)
            }
            let response = Response(status: .created)
            try response.content.encode(["registration_number": number], as: .json)
            return response
        }
        try await app.server.start()
        self.port = app.http.server.shared.localAddress?.port ?? port
    }

    /// The endpoint Vangnet sends to.
    public var endpoint: String { "http://127.0.0.1:\(port)/registrations" }

    public func change(_ update: @Sendable (inout Behaviour) -> Void) { state.withLockedValue { update(&$0.behaviour) } }
    /// Requests received (attempts included), and distinct registrations made.
    public var requestCount: Int { state.withLockedValue { $0.requests } }
    public var registrations: [String: String] { state.withLockedValue { $0.numbers } }
    public func body(of key: String) -> [UInt8]? { state.withLockedValue { $0.bodies[key] } }

    public func stop() async {
        await app.server.shutdown()
        try? await app.asyncShutdown()
    }
}
