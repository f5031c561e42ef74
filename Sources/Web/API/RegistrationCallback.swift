import Domain
import Foundation
import Privacy
import Storage
import Vapor

/// `POST /api/v1/registrations/callback`: VDAB's job-seeker system confirms (or refuses) a
/// registration it accepted earlier with a 202. Signed per Standard Webhooks with the shared
/// registration secret; `request_id` is the request's idempotency key. Answered 204 once stored;
/// the same callback again is harmless.
struct RegistrationCallback: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.on(.POST, "registrations", "callback", body: .collect(maxSize: "64kb"), use: receive)
    }

    struct Body: Decodable {
        let requestID: String
        let status: String
        let registrationNumber: String?
        let reason: String?
        enum CodingKeys: String, CodingKey {
            case requestID = "request_id", status, registrationNumber = "registration_number", reason
        }
    }

    func fail(_ request: Request, _ status: HTTPResponseStatus, _ code: String, _ message: String) throws -> Response {
        let response = Response(status: status)
        try response.content.encode(APIErrorBody(error: code, message: message, requestID: request.requestID))
        return response
    }

    func receive(request: Request) async throws -> Response {
        let context = request.context
        guard let mediaType = request.headers.contentType, mediaType.type.lowercased() == "application", mediaType.subType.lowercased() == "json" else {
            return try fail(request, .unsupportedMediaType, "unsupported_media_type", "the body must be application/json")
        }
        guard let settings = context.settings.registration, let signature = WebhookSignature(secret: settings.secret) else {
            return try fail(request, .notFound, "not_found", "automatic registration is not configured")
        }
        let body = request.body.data.map { Array($0.readableBytesView) } ?? []
        guard let id = request.headers.first(name: "webhook-id"), let stamp = request.headers.first(name: "webhook-timestamp").flatMap(Int.init),
              let header = request.headers.first(name: "webhook-signature"),
              signature.verify(id: id, timestamp: stamp, body: body, header: header, now: Int(context.settings.clock.now().timeIntervalSince1970))
        else {
            return try fail(request, .unauthorized, "bad_signature", "the request is not signed with the registration secret (Standard Webhooks), or is too old")
        }
        guard let callback = try? JSONDecoder().decode(Body.self, from: Data(body)), !callback.requestID.isEmpty, callback.requestID.count <= 100 else {
            return try fail(request, .badRequest, "malformed_json", "expected {\"request_id\", \"status\": \"registered\"|\"refused\", \"registration_number\"|\"reason\"}")
        }
        let found: Bool
        switch callback.status {
        case "registered":
            guard let number = callback.registrationNumber?.trimmingCharacters(in: .whitespaces), !number.isEmpty, number.count <= 64 else {
                return try fail(request, .badRequest, "invalid_field", "registration_number: required for status registered, at most 64 characters")
            }
            found = try await context.store.registrationCallback(key: callback.requestID, number: number, refusal: nil)
        case "refused":
            found = try await context.store.registrationCallback(key: callback.requestID, number: nil,
                                                                 refusal: String((callback.reason ?? "refused").prefix(300)))
        default:
            return try fail(request, .badRequest, "invalid_field", "status: registered or refused")
        }
        guard found else { return try fail(request, .notFound, "unknown_request", "no registration request with this request_id") }
        return Response(status: .noContent)
    }
}
