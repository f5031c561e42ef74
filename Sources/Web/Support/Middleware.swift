import Domain
import Foundation
import Storage
import Logging
import Prometheus
import Vapor

/// Every request gets an id (from `X-Request-ID` if it is sane, else new), echoed in the response,
/// in the logs and in the audit log.
struct RequestIDMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let given = request.headers.first(name: "X-Request-ID")
        let id = given.flatMap { $0.count <= 64 && $0.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) ? $0 : nil }
            ?? UUID().uuidString.lowercased()
        request.storage[RequestIDKey.self] = id
        request.logger[metadataKey: "request_id"] = .string(id)
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: "X-Request-ID", value: id)
        return response
    }
}

struct RequestIDKey: StorageKey { typealias Value = String }

extension Request {
    var requestID: String { storage[RequestIDKey.self] ?? "-" }
}

/// Security headers on every response (OWASP ASVS 5, V3).
struct SecurityHeadersMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        let headers: [(String, String)] = [
            ("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; "
                + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"),
            ("Strict-Transport-Security", "max-age=31536000; includeSubDomains"),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "no-referrer"),
            ("X-Frame-Options", "DENY"),
            ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"),
            ("Cross-Origin-Opener-Policy", "same-origin"),
        ]
        for (name, value) in headers { response.headers.replaceOrAdd(name: name, value: value) }
        if request.url.path != "/style.css" {
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        }
        return response
    }
}

/// Counts requests and times them per route (`vangnet_http_requests_total`, `vangnet_http_request_seconds`).
struct MetricsMiddleware: AsyncMiddleware {
    let registry: PrometheusCollectorRegistry

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let start = ContinuousClock.now
        let response: Response
        do {
            response = try await next.respond(to: request)
        } catch {
            record(request, status: (error as? any AbortError)?.status.code ?? 500, start: start)
            throw error
        }
        record(request, status: response.status.code, start: start)
        return response
    }

    func record(_ request: Request, status: UInt, start: ContinuousClock.Instant) {
        // The route pattern, never the path: paths may carry ids.
        let route = request.route?.path.map { $0.description }.joined(separator: "/") ?? "unmatched"
        let labels = [("method", request.method.rawValue), ("route", "/" + route), ("status", String(status))]
        registry.makeCounter(name: "vangnet_http_requests_total", labels: labels).increment()
        registry.makeDurationHistogram(name: "vangnet_http_request_seconds", labels: [("route", "/" + route)],
                                       buckets: [.milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                                                 .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1)])
            .record(ContinuousClock.now - start)
    }
}

/// Errors a handler can throw, each with its HTTP status and what the user reads.
enum WebError: Error, AbortError {
    case notFound
    /// The actor's role has no access to this kind of thing: answered exactly like a 404, and
    /// audited as a denied access (ErrorPageMiddleware).
    case denied(Permission)
    case forbidden
    case badRequest(String)
    case csrf
    case tooManyRequests
    case conflict(String)

    var status: HTTPResponseStatus {
        switch self {
        case .notFound, .denied: .notFound
        case .forbidden: .forbidden
        case .badRequest, .csrf: .badRequest
        case .tooManyRequests: .tooManyRequests
        case .conflict: .conflict
        }
    }

    var reason: String {
        switch self {
        case .notFound, .denied: "not found"
        case .forbidden: "forbidden"
        case .badRequest(let text), .conflict(let text): text
        case .csrf: "the form's CSRF token is missing or wrong"
        case .tooManyRequests: "too many requests"
        }
    }

    var code: String {
        switch self {
        case .notFound, .denied: "not_found"
        case .forbidden: "forbidden"
        case .badRequest: "bad_request"
        case .csrf: "csrf"
        case .tooManyRequests: "too_many_requests"
        case .conflict: "conflict"
        }
    }
}

/// Turns every error into a helpful page (Dutch by default) or a JSON body for the API — with the
/// request id as reference, never a stack trace or an internal message.
struct ErrorPageMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let status: HTTPResponseStatus
            var code: String
            var detail: String?
            switch error {
            case let web as WebError:
                if case .denied(let permission) = web { await auditDenied(permission, request) }
                status = web.status
                code = web.code
                if case .badRequest(let text) = web { detail = text }
                if case .conflict(let text) = web { detail = text }
            case let abort as any AbortError:
                status = abort.status
                code = status == .payloadTooLarge ? "payload_too_large" : status == .notFound ? "not_found" : "http_\(status.code)"
                if status.code < 500 && status != .notFound { detail = abort.reason }
            default:
                status = .internalServerError
                code = "internal"
                request.logger.error("request failed", metadata: ["component": "web", "error": "\(type(of: error))"])
            }
            if status.code >= 500 { code = "internal"; detail = nil }
            if request.url.path.hasPrefix("/api/") || request.url.path.hasPrefix("/health") {
                let body = APIErrorBody(error: code, message: detail ?? status.reasonPhrase, requestID: request.requestID)
                let response = Response(status: status)
                try response.content.encode(body)
                return response
            }
            let language = request.language
            let t = Texts.table(language)
            let key = [400, 403, 404, 413, 429].contains(Int(status.code)) ? "error_\(status.code)" : "error_500"
            let page = ErrorPage(t: t, user: nil, csrf: "", title: t["error_title"]!, message: t[key]!, detail: detail,
                                 reference: request.requestID, status: Int(status.code))
            let response: Response
            if let view = try? await request.view.render("error", page) {
                response = try await view.encodeResponse(for: request)
            } else {
                // The error page itself failed: plain text, still without internals.
                response = Response(body: .init(string: "\(page.title). \(page.message) \(t["error_reference"]!): \(page.reference)"))
                response.headers.contentType = .plainText
            }
            response.status = status
            return response
        }
    }
}

extension ErrorPageMiddleware {
    /// A denied attempt is evidence for the auditor: who tried which route, for what. If the
    /// entry cannot be written the answer stays a 404 (nothing was shown), and the failure is logged.
    func auditDenied(_ permission: Permission, _ request: Request) async {
        guard let principal = try? request.principal else { return }
        let entry = AuditEntry(actor: principal.actor.username, role: principal.actor.role.rawValue, purpose: principal.actor.purpose,
                               action: permission.rawValue, outcome: "denied", objectType: "route",
                               objectID: "\(request.method.rawValue) \(request.url.path)", requestID: request.requestID)
        do { try await request.context.store.audit(entry) } catch {
            request.logger.error("could not audit a denied access", metadata: ["component": "audit", "error": "\(type(of: error))"])
        }
    }
}

struct APIErrorBody: Content {
    let error: String
    let message: String
    let requestID: String

    enum CodingKeys: String, CodingKey {
        case error, message
        case requestID = "request_id"
    }
}

struct ErrorPage: Encodable {
    let t: [String: String]
    let user: UserView?
    let csrf: String
    let title: String
    let message: String
    let detail: String?
    let reference: String
    let status: Int
}

extension Request {
    /// The reader's language: the session's, else the `lang` cookie, else Dutch.
    var language: Language {
        if let language = storage[LanguageKey.self] { return language }
        if let cookie = cookies["vangnet-lang"]?.string, let language = Language(rawValue: cookie) { return language }
        return .nl
    }
}

struct LanguageKey: StorageKey { typealias Value = Language }
