import Crypto
import Domain
import Foundation
import Ingest
import Prometheus
import Storage
import Vapor

/// `POST /api/v1/events`: CloudEvents 1.0 — structured (`application/cloudevents+json`), batch
/// (`application/cloudevents-batch+json`) or binary (`ce-*` headers, the data as the body) —
/// carrying exchange-format records. Requests are signed per Standard Webhooks (`webhook-id`,
/// `webhook-timestamp`, `webhook-signature`: HMAC-SHA256 over `id.timestamp.body` with the source's
/// secret, 5 minutes' tolerance); the secret that verifies names the source. A `202` comes only
/// after the events and their records are stored; an event id seen before has no effect; a bad
/// event gets a 4xx naming what is wrong, and is kept in quarantine. Reading and validating the
/// events is Ingest's `CloudEventReader`; this route keeps HTTP, the signature and storing.
public struct EventIntake: RouteCollection, Sendable {
    static let tolerance: TimeInterval = 5 * 60

    public func boot(routes: any RoutesBuilder) throws {
        routes.on(.POST, "events", body: .collect(maxSize: "5mb"), use: receive)
    }

    struct Outcome: Content {
        let accepted: [String]
        let duplicates: [String]
        let unchanged: [String]
        let quarantined: [Problem]
    }

    struct Problem: Content {
        let id: String
        let reason: String
        let field: String?
        let message: String
    }

    struct Failure: Content {
        let error: String
        let message: String
        let requestID: String
        let accepted: [String]?
        let quarantined: [Problem]?
    }

    func fail(_ request: Request, _ status: HTTPResponseStatus, _ code: String, _ message: String,
              accepted: [String]? = nil, quarantined: [Problem]? = nil) throws -> Response {
        let response = Response(status: status)
        try response.content.encode(Failure(error: code, message: message, requestID: request.requestID, accepted: accepted,
                                            quarantined: quarantined))
        return response
    }

    func receive(request: Request) async throws -> Response {
        let context = request.context
        let received = ContinuousClock.now
        let body = request.body.data.map { Array($0.readableBytesView) } ?? []
        let counter = { (outcome: String, n: Int) in VangnetMetrics.events(outcome: outcome, count: n, factory: context.metricsFactory) }

        // 1. Who sent it: the source whose secret verifies the signature.
        guard let id = request.headers.first(name: "webhook-id"), let timestamp = request.headers.first(name: "webhook-timestamp"),
              let signatures = request.headers.first(name: "webhook-signature") else {
            return try fail(request, .unauthorized, "signature_missing", "webhook-id, webhook-timestamp and webhook-signature are required")
        }
        guard let seconds = TimeInterval(timestamp), abs(request.context.settings.clock.now().timeIntervalSince1970 - seconds) <= Self.tolerance else {
            return try fail(request, .unauthorized, "timestamp_out_of_tolerance", "webhook-timestamp must be within 5 minutes of the server's time")
        }
        let secrets = try await context.store.eventSecrets()
        guard let source = Self.verify(id: id, timestamp: timestamp, body: body, signatures: signatures, secrets: secrets) else {
            return try fail(request, .unauthorized, "signature_invalid", "the signature does not verify with any source's secret")
        }

        // 2. The events (Ingest reads and validates them).
        let contentType = request.headers.contentType.map { "\($0.type)/\($0.subType)" } ?? ""
        var headers: [String: String] = [:]
        for (name, value) in request.headers { headers[name.lowercased()] = value }
        let reader = CloudEventReader(allowTestNumbers: context.settings.allowsTestData, today: context.today,
                                      personKey: context.ingestOptions.personKey)
        let delivered: [CloudEvent]
        do throws(CloudEventProblem) {
            delivered = try reader.read(body: body, contentType: contentType, headers: headers, from: source)
        } catch {
            switch error.code {
            case .malformedJSON: return try await quarantineWhole(request, source: source, id: id, body: body, error.message)
            case .batchSize: return try fail(request, .badRequest, error.code.rawValue, error.message)
            case .contentType: return try fail(request, .unsupportedMediaType, error.code.rawValue, error.message)
            }
        }
        let events = delivered.map { (id: $0.id, items: $0.items) }

        // 3. Store, atomically with the event ids.
        let outcome = try await context.events.submit(events, source: source, format: contentType.isEmpty ? "cloudevents-binary" : contentType)
        VangnetMetrics.eventIntake(duration: ContinuousClock.now - received, factory: context.metricsFactory)
        counter("accepted", outcome.accepted.count)
        counter("duplicate", outcome.duplicates.count)
        counter("unchanged", outcome.unchanged.count)
        counter("quarantined", outcome.quarantined.count)
        if !outcome.accepted.isEmpty { context.pipeline.poke() }
        let problems = events.flatMap { event -> [Problem] in
            guard outcome.quarantined.contains(event.id) else { return [] }
            return event.items.compactMap { item in
                guard case .rejected(let r) = item else { return nil }
                return Problem(id: event.id, reason: r.reason.rawValue, field: r.field, message: r.message)
            }
        }
        if !problems.isEmpty {
            return try fail(request, .badRequest, "invalid_events", "\(problems.count) event(s) rejected and kept in quarantine",
                            accepted: outcome.accepted, quarantined: problems)
        }
        let response = Response(status: .accepted)
        try response.content.encode(Outcome(accepted: outcome.accepted, duplicates: outcome.duplicates, unchanged: outcome.unchanged,
                                            quarantined: []))
        return response
    }

    /// A body that is not events at all: kept in quarantine under the request's webhook id.
    func quarantineWhole(_ request: Request, source: Source, id: String, body: [UInt8], _ message: String) async throws -> Response {
        let rejection = Rejection(.malformedJSON, message: message, location: "request \(id)", source: source, original: body)
        _ = try await RecordWriter.storeEvents([(id: "request:" + id, items: [.rejected(rejection)])], source: source, store: request.context.store,
                                               name: "events from \(source.rawValue)", format: nil)
        return try fail(request, .badRequest, "malformed_json", message, quarantined: [Problem(id: id, reason: "malformed_json", field: nil, message: message)])
    }

    /// The source whose secret gives one of the signatures (Standard Webhooks, `v1,<base64>`).
    static func verify(id: String, timestamp: String, body: [UInt8], signatures: String, secrets: [Source: String]) -> Source? {
        var signed = Data("\(id).\(timestamp).".utf8)
        signed.append(contentsOf: body)
        let given = signatures.split(separator: " ").compactMap { part -> Data? in
            let pieces = part.split(separator: ",", maxSplits: 1)
            guard pieces.count == 2, pieces[0] == "v1" else { return nil }
            return Data(base64Encoded: String(pieces[1]))
        }
        for (source, secret) in secrets.sorted(by: { $0.key < $1.key }) {
            guard let key = secretKey(secret) else { continue }
            let expected = Data(HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: key)))
            if given.contains(where: { constantTimeEqual($0.base64EncodedString(), expected.base64EncodedString()) }) { return source }
        }
        return nil
    }

    static func secretKey(_ secret: String) -> Data? {
        Data(base64Encoded: secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret)
    }

    /// Signs a body as a source would (the demo's live feed, and tests).
    public static func sign(id: String, timestamp: Int, body: Data, secret: String) -> String {
        var signed = Data("\(id).\(timestamp).".utf8)
        signed.append(body)
        let key = secretKey(secret) ?? Data()
        return "v1," + Data(HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: key))).base64EncodedString()
    }

    /// A new secret in Standard Webhooks form.
    public static func newSecret() -> String {
        "whsec_" + SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }
}
