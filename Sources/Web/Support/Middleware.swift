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

/// Counts requests and times them per route (`vangnet_http_requests_total`, `vangnet_http_request_seconds`),
/// on the web context's registry, so they show at `/metrics` whether or not the facade is bootstrapped.
struct MetricsMiddleware: AsyncMiddleware {
    let metrics: PrometheusMetricsFactory

    init(registry: PrometheusCollectorRegistry) {
        metrics = WebContext.makeMetricsFactory(registry: registry)
    }

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
        VangnetMetrics.httpRequest(method: request.method.rawValue, route: "/" + route, status: status,
                                   duration: ContinuousClock.now - start, factory: metrics)
    }
}

/// Errors of the web layer itself. Like every Vangnet error it says its kind (and so its HTTP
/// status), its log level and a stable code; `ErrorMiddleware` maps them all in one place.
enum WebError: VangnetError, AbortError {
    case notFound
    /// The actor's role has no access to this kind of thing: answered exactly like a 404, and
    /// audited as a denied access (ErrorMiddleware).
    case denied(Permission)
    case forbidden
    case badRequest(String)
    case csrf
    case tooManyRequests
    case conflict(String)

    var kind: ErrorKind {
        switch self {
        case .notFound, .denied: .notFound
        case .forbidden: .forbidden
        case .badRequest, .csrf: .invalidInput
        case .tooManyRequests: .tooManyRequests
        case .conflict: .conflict
        }
    }

    var level: ErrorLevel {
        switch self {
        case .denied, .csrf: .notice
        default: kind.defaultLevel
        }
    }

    var status: HTTPResponseStatus { HTTPResponseStatus(statusCode: kind.httpStatus) }

    var reason: String { description }

    var description: String {
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

/// How an error is answered: status, stable code, a message that is safe to show, and how loudly
/// it is logged. Every error reaches the client through this one mapping.
struct ErrorAnswer {
    var status: HTTPResponseStatus
    var code: String
    /// Shown to the user or client: never an internal message, never for a 5xx.
    var detail: String?
    var level: Logger.Level

    init(_ error: any Error) {
        switch error {
        case let known as any VangnetError:
            status = HTTPResponseStatus(statusCode: known.kind.httpStatus)
            code = known.code
            // A "not found" says nothing more: outside the scope and absent answer alike.
            detail = known.kind == .notFound || status.code >= 500 ? nil : known.description
            level = Logger.Level(rawValue: known.level.rawValue) ?? .error
        case let abort as any AbortError:
            status = abort.status
            code = switch status {
            case .payloadTooLarge: "payload_too_large"
            case .notFound: "not_found"
            default: "http_\(status.code)"
            }
            detail = status.code < 500 && status != .notFound ? abort.reason : nil
            level = status.code >= 500 ? .error : .info
        case is DecodingError:
            status = .badRequest
            code = "bad_request"
            detail = "the body or the form does not have the expected fields"
            level = .info
        default:
            status = .internalServerError
            code = "internal"
            detail = nil
            level = .error
        }
        if status.code >= 500 { code = status == .serviceUnavailable ? code : "internal"; detail = nil }
    }
}

/// Turns every error into a helpful page (Dutch by default) or the one JSON error body of the API
/// — with the request id as reference, never a stack trace or an internal message. A signed-in
/// user's error page keeps the menu and "Aangemeld als", like every other page.
struct ErrorPageMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            if case WebError.denied(let permission) = error { await auditDenied(permission, request) }
            let answer = ErrorAnswer(error)
            var metadata: Logger.Metadata = ["component": "web", "error": "\(type(of: error))", "code": "\(answer.code)",
                                             "status": "\(answer.status.code)"]
            // What the store found inconsistent: its own fixed sentences, which name no person and no case.
            if case StoreError.corrupted(let what) = error { metadata["reason"] = "\(what)" }
            request.logger.log(level: answer.level, "request failed", metadata: metadata)
            let status = answer.status
            if request.url.path.hasPrefix("/api/") || request.url.path.hasPrefix("/health") {
                let body = APIErrorBody(error: answer.code, message: answer.detail ?? status.reasonPhrase, requestID: request.requestID)
                let response = Response(status: status)
                try response.content.encode(body)
                return response
            }
            let language = request.language
            let t = Texts.table(language)
            let key = [400, 403, 404, 409, 410, 413, 429].contains(Int(status.code)) ? "error_\(status.code)" : "error_500"
            let reader = await signedIn(request)
            let page = ErrorPage(t: t, user: reader?.view, csrf: reader?.session?.csrfToken ?? "",
                                 title: t["error_title_\(status.code)"] ?? t["error_title"]!,
                                 message: t[key] ?? t["error_500"]!,
                                 // A refusal in the page's words when there are words for its code; the
                                 // pages' own refusals (`WebError.badRequest`) are written in the reader's
                                 // language already; any other detail is English, for an English page only.
                                 detail: t["error_code_" + answer.code]
                                     ?? (language == .en || answer.code == "bad_request" ? answer.detail : nil),
                                 reference: request.requestID,
                                 status: Int(status.code))
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
    /// Who the page is for: the principal of a page route (set by `SessionAuthMiddleware` before the
    /// route failed), or — for a path no route matched, which never passes that middleware — the
    /// live session its cookie names, looked up read-only: never touched, never ended (that stays
    /// `SessionAuthMiddleware`'s job), and not at all if it has expired. An API token has no menu.
    func signedIn(_ request: Request) async -> Principal? {
        if let principal = request.storage[PrincipalKey.self] { return principal.session == nil ? nil : principal }
        let context = request.context
        let settings = context.settings
        guard let token = request.cookies[SessionCookie.name(secure: settings.secureCookies)]?.string, !token.isEmpty,
              let (session, user) = try? await context.store.session(tokenHash: SessionCookie.tokenHash(token)) else { return nil }
        guard session.isLive(at: settings.clock.now(), idleLimit: settings.sessionIdleSeconds,
                             absoluteLimit: settings.sessionAbsoluteSeconds) else { return nil }
        return Principal(actor: user.actor(purpose: Purpose.implied(by: user.role), requestID: request.requestID), user: user,
                         session: session)
    }

    /// A denied attempt is evidence for the auditor: who tried which route, for what. If the
    /// entry cannot be written the answer stays a 404 (nothing was shown), and the failure is logged.
    func auditDenied(_ permission: Permission, _ request: Request) async {
        guard let principal = try? request.principal else { return }
        do {
            try await request.context.audit.denied(principal.actor, [.route(permission, method: request.method.rawValue, path: request.url.path)])
        } catch {
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
    let t: TextTable
    let user: UserView?
    let csrf: String
    let title: String
    let message: String
    let detail: String?
    let reference: String
    let status: Int
}

extension Request {
    /// The reader's language: the `vangnet-lang` cookie (set by the language switch),
    /// else Dutch. Read once per request: a page asks for it several times, and every read of
    /// `cookies` parses the header again.
    var language: Language {
        if let language = storage[LanguageKey.self] { return language }
        var language = Language.nl
        if let cookie = cookies["vangnet-lang"]?.string, let chosen = Language(rawValue: cookie), Language.interface.contains(chosen) {
            language = chosen
        }
        storage[LanguageKey.self] = language
        return language
    }
}

struct LanguageKey: StorageKey { typealias Value = Language }
