import Crypto
import Domain
import Foundation
import Storage
import Vapor

/// Log in and out. Failed logins are throttled per account and per address; a fresh session id is
/// issued at every login (no fixation); logging out ends the session on the server.
struct LoginController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("login", use: form)
        routes.post("login", use: login)
        routes.get("lang", ":code", use: language)
    }

    struct LoginPage: Encodable {
        let t: [String: String]
        let user: UserView?
        let csrf: String
        let next: String
        let error: String?
        let username: String
    }

    func form(request: Request) async throws -> View {
        let t = Texts.table(request.language)
        let expired: Bool = (try? request.query.get(Bool.self, at: "expired")) ?? false
        return try await request.view.render("login", LoginPage(
            t: t, user: nil, csrf: "", next: safeNext(try? request.query.get(String.self, at: "next")),
            error: expired ? (request.language == .nl ? "Uw sessie is verlopen. Meld u opnieuw aan." : "Your session expired. Please log in again.") : nil,
            username: ""))
    }

    struct Credentials: Content {
        var username: String
        var password: String
        var next: String?
    }

    func login(request: Request) async throws -> Response {
        let context = request.context
        let t = Texts.table(request.language)
        let form = try request.content.decode(Credentials.self)
        let username = form.username.trimmingCharacters(in: .whitespaces).lowercased()
        // What was typed, as a keyed blind index: people type their national number or e-mail
        // address here, and an unkeyed hash of an 11-digit number is reversed by trying them all.
        let typed = context.store.keyring.blindIndex(username, purpose: .loginName)
        let accountKey = "user:" + typed
        // Who tried, for the audit log: the account, or for a name that is no account a short
        // prefix of the keyed index (enough to see repeated attempts, useless without the key).
        var attempted = username.isEmpty ? "-" : "unknown:" + typed.prefix(16)
        let addressKey = "ip:" + (request.remoteAddress?.ipAddress ?? "unknown")
        func fail(_ message: String, status: HTTPResponseStatus) async throws -> Response {
            let page = LoginPage(t: t, user: nil, csrf: "", next: safeNext(form.next), error: message, username: username)
            let response = try await request.view.render("login", page).encodeResponse(for: request)
            response.status = status
            return response
        }
        for key in [accountKey, addressKey] where try await context.store.loginLockedUntil(key) != nil {
            if try await context.store.user(username: username) != nil { attempted = username }
            try await context.audit.login(attempted, role: nil, .login, outcome: .locked, requestID: request.requestID)
            return try await fail(t["login_locked"]!, status: .tooManyRequests)
        }
        let user = try await context.store.user(username: username)
        if user != nil { attempted = username }
        let valid: Bool
        if let user, user.active, let hash = user.passwordHash {
            valid = (try? Bcrypt.verify(form.password, created: hash)) ?? false
        } else {
            // Same work for unknown accounts, so timing does not tell which usernames exist.
            _ = try? Bcrypt.verify(form.password, created: Self.decoyHash)
            valid = false
        }
        guard valid, let user else {
            let throttle = context.settings.loginThrottle
            try await context.store.recordLoginFailure(accountKey, threshold: throttle.accountThreshold, throttle: throttle)
            try await context.store.recordLoginFailure(addressKey, threshold: throttle.addressThreshold, throttle: throttle)
            try await context.audit.login(attempted, role: user?.role, .login, outcome: .denied, requestID: request.requestID)
            return try await fail(t["login_failed"]!, status: .unauthorized)
        }
        try await context.store.clearLoginFailures(accountKey)
        // A new session (and id) at every login; the old cookie, if any, is ended.
        let secure = context.settings.secureCookies
        if let old = request.cookies[SessionCookie.name(secure: secure)]?.string {
            try await context.store.revokeSession(tokenHash: SessionCookie.tokenHash(old))
        }
        let token = SessionCookie.newToken()
        try await context.store.createSession(userID: user.id, tokenHash: SessionCookie.tokenHash(token), csrfToken: SessionCookie.newToken(),
                                              language: request.language.rawValue)
        try await context.audit.login(user.username, role: user.role, .login, requestID: request.requestID)
        let response = request.redirect(to: safeNext(form.next), redirectType: .normal)
        response.cookies[SessionCookie.name(secure: secure)] = SessionCookie.cookie(token, secure: secure)
        return response
    }

    /// Switches the language: a cookie in the browser only (a GET changes nothing on the server).
    func language(request: Request) async throws -> Response {
        guard let code = request.parameters.get("code"), let language = Language(rawValue: code) else { throw WebError.notFound }
        let secure = request.context.settings.secureCookies
        let response = request.redirect(to: safeNext(try? request.query.get(String.self, at: "back")))
        response.cookies["vangnet-lang"] = HTTPCookies.Value(string: language.rawValue, maxAge: 365 * 86_400, path: "/",
                                                             isSecure: secure, isHTTPOnly: true, sameSite: .lax)
        return response
    }

    /// A bcrypt hash of a random password, for unknown accounts.
    static let decoyHash = try! Bcrypt.hash(UUID().uuidString, cost: 10)
}

/// Only local paths: `/cases`, never `//evil.example` or `https://…` (no open redirect).
func safeNext(_ next: String?) -> String {
    guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"), !next.contains("://") else { return "/" }
    return next
}

struct LogoutController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("logout", use: logout)
    }

    func logout(request: Request) async throws -> Response {
        let principal = try request.principal
        if let session = principal.session { try await request.context.store.revokeSession(tokenHash: session.tokenHash) }
        try await request.context.audit.login(principal.actor.username, role: principal.actor.role, .logout, requestID: request.requestID)
        let secure = request.context.settings.secureCookies
        let response = request.redirect(to: "/login")
        response.cookies[SessionCookie.name(secure: secure)] = SessionCookie.expired(secure: secure)
        return response
    }
}
