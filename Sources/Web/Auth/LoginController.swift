import Crypto
import Domain
import Foundation
import Storage
import Vapor

/// Log in and out. Failed logins are throttled per account and per address; a fresh session id is
/// issued at every login (no fixation); logging out ends the session on the server. The login form
/// is protected against login CSRF (`LoginCSRF`): a foreign page cannot log a browser in to an
/// account of the attacker's choosing.
struct LoginController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("login", use: form)
        routes.post("login", use: login)
        routes.get("lang", ":code", use: language)
    }

    struct LoginPage: Encodable {
        let t: TextTable
        let user: UserView?
        let csrf: String
        let next: String
        let error: String?
        let username: String
    }

    /// The form, with the browser's login token in a hidden field: the one its cookie already holds
    /// (another tab's form stays valid), else a new one in a new cookie.
    func form(request: Request) async throws -> Response {
        let t = Texts.table(request.language)
        let secure = request.context.settings.secureCookies
        let expired: Bool = (try? request.query.get(Bool.self, at: "expired")) ?? false
        let token = LoginCSRF.token(of: request, secure: secure) ?? SessionCookie.newToken()
        let response = try await request.view.render("login", LoginPage(
            t: t, user: nil, csrf: token, next: safeNext(try? request.query.get(String.self, at: "next")),
            error: expired ? ((try? request.query.get(String.self, at: "next"))?.contains("draft=") == true
                              ? t["session_expired_draft"]! : t["session_expired"]!) : nil,
            username: "")).encodeResponse(for: request)
        response.cookies[LoginCSRF.cookieName(secure: secure)] = LoginCSRF.cookie(token, secure: secure)
        return response
    }

    struct Credentials: Content {
        var username: String
        var password: String
        var next: String?
        /// The form's login token (`LoginCSRF`).
        var csrf: String?

        enum CodingKeys: String, CodingKey {
            case username, password, next
            case csrf = "_csrf"
        }
    }

    func login(request: Request) async throws -> Response {
        let context = request.context
        let t = Texts.table(request.language)
        let secure = context.settings.secureCookies
        let form = try request.content.decode(Credentials.self)
        let username = form.username.trimmingCharacters(in: .whitespaces).lowercased()
        // The browser's login token; the page shown again after a failure carries it (or a new one).
        let browserToken = LoginCSRF.token(of: request, secure: secure)
        let pageToken = browserToken ?? SessionCookie.newToken()
        func fail(_ message: String, status: HTTPResponseStatus) async throws -> Response {
            let page = LoginPage(t: t, user: nil, csrf: pageToken, next: safeNext(form.next), error: message, username: username)
            let response = try await request.view.render("login", page).encodeResponse(for: request)
            response.status = status
            response.cookies[LoginCSRF.cookieName(secure: secure)] = LoginCSRF.cookie(pageToken, secure: secure)
            return response
        }
        // Before anything else: a refused form tries no password, counts no failure, writes no audit
        // entry (no one chose to log in), and says so in the log without the name typed.
        if let refusal = LoginCSRF.refusal(request.headers, given: form.csrf, expected: browserToken) {
            request.logger.notice("login form refused", metadata: ["component": "auth", "reason": "\(refusal.rawValue)"])
            return try await fail(t["csrf_failed"]!, status: .badRequest)
        }
        // What was typed, as a keyed blind index: people type their national number or e-mail
        // address here, and an unkeyed hash of an 11-digit number is reversed by trying them all.
        let typed = context.store.keyring.blindIndex(username, purpose: .loginName)
        let accountKey = "user:" + typed
        // Who tried, for the audit log: the account, or for a name that is no account a short
        // prefix of the keyed index (enough to see repeated attempts, useless without the key).
        var attempted = username.isEmpty ? "-" : "unknown:" + typed.prefix(16)
        let addressKey = "ip:" + (request.remoteAddress?.ipAddress ?? "unknown")
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
        guard let code = request.parameters.get("code"), let language = Language(rawValue: code),
              Language.interface.contains(language) else { throw WebError.notFound }
        let secure = request.context.settings.secureCookies
        let response = request.redirect(to: safeNext(try? request.query.get(String.self, at: "back")))
        response.cookies["vangnet-lang"] = HTTPCookies.Value(string: language.rawValue, maxAge: 365 * 86_400, path: "/",
                                                             isSecure: secure, isHTTPOnly: true, sameSite: .lax)
        return response
    }

    /// A bcrypt hash of a random password, for unknown accounts.
    static let decoyHash = try! Bcrypt.hash(UUID().uuidString, cost: 10)
}

/// The login form's defence against login CSRF. There is no session yet to hold a token, so the
/// browser gets one of its own before it logs in: random, in a `__Host-` cookie (HttpOnly,
/// SameSite=Lax) and in the form's hidden `_csrf` field, compared in constant time (OWASP's
/// "double submit cookie"; the `__Host-` prefix keeps another subdomain from planting the cookie).
/// And the request must not say it comes from elsewhere: its `Origin`, or without one its
/// `Referer`, names this server or is absent (OWASP CSRF cheat sheet, "verifying origin").
enum LoginCSRF {
    /// Why a login form was refused.
    enum Refusal: String {
        case foreignOrigin = "foreign_origin"
        case token
    }

    static func cookieName(secure: Bool) -> String { secure ? "__Host-vangnet-login" : "vangnet-login" }

    /// Two hours: a login page left open longer says its form has expired, and gives a new one.
    static func cookie(_ token: String, secure: Bool) -> HTTPCookies.Value {
        HTTPCookies.Value(string: token, expires: nil, maxAge: 2 * 3600, domain: nil, path: "/", isSecure: secure, isHTTPOnly: true,
                          sameSite: .lax)
    }

    /// The browser's token: its cookie's value, if it has the shape of one this server makes
    /// (`SessionCookie.newToken`: 43 characters of base64url).
    static func token(of request: Request, secure: Bool) -> String? {
        guard let value = request.cookies[cookieName(secure: secure)]?.string, value.count == 43,
              value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        return value
    }

    /// Nil when the form may be used: not from another site, and the field's token is the cookie's.
    static func refusal(_ headers: HTTPHeaders, given: String?, expected: String?) -> Refusal? {
        if comesFromElsewhere(headers) { return .foreignOrigin }
        guard let given, let expected, constantTimeEqual(given, expected) else { return .token }
        return nil
    }

    /// Whether the request says it was sent from another site: its `Origin` — or, without one, its
    /// `Referer` — names another host than the one it was sent to (`Host`, or a proxy's
    /// `X-Forwarded-Host` / `Forwarded: host=`). Neither header: nothing said, the token decides.
    /// `Origin: null` says nothing either: browsers send it for a form posted from a page with
    /// `Referrer-Policy: no-referrer`, which every Vangnet page has (and a sandboxed frame sends it
    /// too, which cannot read the form's token).
    static func comesFromElsewhere(_ headers: HTTPHeaders) -> Bool {
        let origin = headers.first(name: .origin).map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0 == "null" ? nil : $0 }
        guard let claimed = origin ?? headers.first(name: .referer), !claimed.isEmpty else { return false }
        guard let (scheme, authority) = schemeAndAuthority(of: claimed) else { return true }
        let targets = ([headers.first(name: .host)] + headers.forwarded.map { $0.host }).compactMap { $0 }
        return !targets.contains { normalised($0.trimmingCharacters(in: .whitespaces).lowercased(), scheme: scheme) == authority }
    }

    /// `https://vangnet.example:8443/login?x` → ("https", "vangnet.example:8443"), the default port
    /// dropped; nil for anything that is not an http(s) URL.
    static func schemeAndAuthority(of url: String) -> (String, String)? {
        guard let separator = url.range(of: "://") else { return nil }
        let scheme = url[..<separator.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        var authority = url[separator.upperBound...]
        if let end = authority.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { authority = authority[..<end] }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        guard !authority.isEmpty else { return nil }
        return (scheme, normalised(authority.lowercased(), scheme: scheme))
    }

    /// `host:443` is `host` for https, `host:80` for http.
    static func normalised(_ authority: String, scheme: String) -> String {
        let defaultPort = scheme == "https" ? ":443" : ":80"
        return authority.hasSuffix(defaultPort) ? String(authority.dropLast(defaultPort.count)) : authority
    }
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
