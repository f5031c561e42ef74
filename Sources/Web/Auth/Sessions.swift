import Privacy
import Domain
import Foundation
import Storage
import Vapor

/// The signed-in user as pages see them.
struct UserView: Encodable {
    let username: String
    let displayName: String
    let role: String
    let canTeam: Bool
    let canSteward: Bool
    let canCases: Bool
    let canReports: Bool
    let canDashboard: Bool
    let canStatusReport: Bool
    let canSimulate: Bool
    let canAudit: Bool
    let canPartner: Bool
    let canMonitor: Bool
    let canAdmin: Bool
}

/// Who is making the request, once authenticated (a session or an API token).
struct Principal: Sendable {
    let actor: Actor
    let user: StaffUser?
    let session: SessionRecord?

    func scope(_ permission: Permission) -> CaseScope {
        switch Permissions.scope(permission, for: actor.role) {
        case .none, .ownOrganisation: .none
        case .all: .all
        case .ownProvinces: .provinces(actor.provinces)
        }
    }

    func require(_ permission: Permission) throws {
        guard Permissions.allows(permission, for: actor.role) else { throw WebError.denied(permission) }
    }

    var view: UserView {
        UserView(username: actor.username, displayName: user?.displayName ?? actor.username, role: actor.role.rawValue,
                 canTeam: Permissions.allows(.reassignCases, for: actor.role),
                 canSteward: Permissions.allows(.readQuarantine, for: actor.role),
                 canCases: Permissions.scope(.listCases, for: actor.role) == .ownProvinces,
                 canReports: Permissions.allows(.readReports, for: actor.role),
                 canDashboard: Permissions.allows(.readStatistics, for: actor.role),
                 canStatusReport: Permissions.allows(.readStatusReport, for: actor.role),
                 canSimulate: Permissions.allows(.simulatePolicy, for: actor.role),
                 canAudit: Permissions.allows(.readAudit, for: actor.role),
                 canPartner: Permissions.allows(.handleReferrals, for: actor.role),
                 canMonitor: Permissions.allows(.monitorPartners, for: actor.role),
                 canAdmin: Permissions.allows(.administer, for: actor.role))
    }
}

struct PrincipalKey: StorageKey { typealias Value = Principal }

extension Request {
    var principal: Principal {
        get throws {
            guard let principal = storage[PrincipalKey.self] else { throw Abort(.unauthorized) }
            return principal
        }
    }
}

/// The session cookie: `__Host-` prefixed, Secure, HttpOnly, SameSite=Lax, path `/`. It holds a
/// random token; the server keeps only its SHA-256.
enum SessionCookie {
    static func name(secure: Bool) -> String { secure ? "__Host-vangnet-session" : "vangnet-session" }

    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func tokenHash(_ token: String) -> String {
        Checksum.sha256Hex(Data(token.utf8))
    }

    static func cookie(_ token: String, secure: Bool) -> HTTPCookies.Value {
        HTTPCookies.Value(string: token, expires: nil, maxAge: nil, domain: nil, path: "/", isSecure: secure, isHTTPOnly: true,
                          sameSite: .lax)
    }

    static func expired(secure: Bool) -> HTTPCookies.Value {
        HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, domain: nil, path: "/", isSecure: secure,
                          isHTTPOnly: true, sameSite: .lax)
    }
}

/// Pages: a live session or a redirect to the login page. A session dies after 30 minutes without
/// a request and 12 hours after login, and at once when the account is disabled or changed.
struct SessionAuthMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let context = request.context
        let secure = context.settings.secureCookies
        guard let token = request.cookies[SessionCookie.name(secure: secure)]?.string, !token.isEmpty,
              let (session, user) = try await context.store.session(tokenHash: SessionCookie.tokenHash(token)) else {
            return request.redirect(to: "/login?next=" + Self.returnPath(request))
        }
        let now = context.settings.clock.now()
        if !session.isLive(at: now, idleLimit: context.settings.sessionIdleSeconds, absoluteLimit: context.settings.sessionAbsoluteSeconds) {
            try await context.store.revokeSession(tokenHash: session.tokenHash)
            // A form posted now (a note typed during the lunch break) is kept for this user, and
            // put back in the form after they log in again.
            let draft = try await Self.keepDraft(request, username: user.username)
            let response = request.redirect(to: "/login?expired=1&next=" + Self.returnPath(request, draft: draft))
            response.cookies[SessionCookie.name(secure: secure)] = SessionCookie.expired(secure: secure)
            return response
        }
        if session.secondsIdle(at: now) > 30 { try await context.store.touchSession(tokenHash: session.tokenHash) }
        request.storage[PrincipalKey.self] = Principal(actor: user.actor(purpose: Purpose.implied(by: user.role), requestID: request.requestID),
                                                       user: user, session: session)
        // CSRF: every state change is a POST and carries the session's token.
        if request.method != .GET && request.method != .HEAD {
            // The whole body first: a form that arrives in several pieces (a long note) has its
            // token in whichever piece, and the route reads the same collected body afterwards.
            _ = try await request.body.collect(max: request.application.routes.defaultMaxBodySize.value).get()
            let given = try? request.content.get(String.self, at: "_csrf")
            guard let given, constantTimeEqual(given, session.csrfToken) else { throw WebError.csrf }
        }
        return try await next.respond(to: request)
    }
}

extension SessionAuthMiddleware {
    /// Where to come back after logging in: the page itself, or for a form posted to a page's
    /// action (`/cases/VN-000042/notes`) the page the form is on (`/cases/VN-000042`) — a POST
    /// path is no page to come back to. Percent-encoded for the `next` parameter.
    static func returnPath(_ request: Request, draft: String? = nil) -> String {
        var path = request.url.path
        if request.method != .GET && request.method != .HEAD {
            var parts = path.split(separator: "/")
            if !parts.isEmpty { parts.removeLast() }
            path = "/" + parts.joined(separator: "/")
        }
        if let draft { path += "?draft=" + draft + "#actions" }
        var unreserved = CharacterSet.alphanumerics
        unreserved.insert(charactersIn: "-._~")
        return path.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "/"
    }

    /// Keeps the fields of a form posted with an expired session (not its CSRF token) as the
    /// user's draft; returns the draft's token for the return address, nil for no form.
    static func keepDraft(_ request: Request, username: String) async throws -> String? {
        guard request.method == .POST, request.url.path.hasPrefix("/cases/") else { return nil }
        _ = try await request.body.collect(max: request.application.routes.defaultMaxBodySize.value).get()
        guard var fields = try? request.content.decode([String: String].self, as: .urlEncodedForm) else { return nil }
        fields["_csrf"] = nil
        guard fields.values.contains(where: { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) else { return nil }
        let token = SessionCookie.newToken()
        try await request.context.store.saveFormDraft(tokenHash: SessionCookie.tokenHash(token), username: username,
                                                      path: request.url.path, fields: fields)
        return token
    }
}

func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
}

/// The API: `Authorization: Bearer <token>`; tokens are stored hashed and carry a role and scope.
/// The purpose is the one the role implies, or a code from the `X-Purpose` header that the role
/// may name (`Permissions.purposes`, docs/security.md): another code of the list is refused with a
/// 403 and audited as `purpose.refused` before anything is read; anything else is a 400.
struct APITokenMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let bearer = request.headers.bearerAuthorization,
              let token = try await request.context.store.apiToken(hash: SessionCookie.tokenHash(bearer.token)) else {
            throw Abort(.unauthorized, reason: "a valid bearer token is required")
        }
        var purpose = Purpose.implied(by: token.role)
        if let header = request.headers.first(name: "X-Purpose") {
            guard let chosen = Purpose(rawValue: header), APIAuth.purposeCodes.contains(chosen) else {
                throw WebError.badRequest("X-Purpose: one of \(APIAuth.purposeCodes.map(\.rawValue).joined(separator: ", "))")
            }
            purpose = chosen
        }
        let actor = Actor(username: "api:" + token.name, role: token.role, provinces: token.provinces, organisation: token.organisation,
                          purpose: purpose, requestID: request.requestID)
        guard Permissions.allows(purpose, for: token.role) else {
            // Evidence for the auditor, like a denied route; if it cannot be written the request fails.
            try await request.context.audit.denied(actor, [.purposeRefused(purpose, method: request.method.rawValue, path: request.url.path)])
            throw APIError.purposeNotAllowed(purpose, token.role)
        }
        request.storage[PrincipalKey.self] = Principal(actor: actor, user: nil, session: nil)
        return try await next.respond(to: request)
    }
}

/// How API tokens are stored: their SHA-256.
public enum APIAuth {
    public static func tokenHash(_ token: String) -> String { SessionCookie.tokenHash(token) }

    /// The codes `X-Purpose` accepts at all, as the OpenAPI document lists them (its `Purpose` parameter).
    public static var purposeCodes: [Purpose] { Permissions.nameablePurposes }
}
