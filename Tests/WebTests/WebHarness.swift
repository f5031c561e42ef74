import Domain
import Foundation
import Storage
import TestSupport
import Testing
import Vapor
import VaporTesting
@testable import Web

/// A running web application on a fresh store, with one account per role and province
/// (password "correct horse battery"), and helpers to log in and to post forms with CSRF tokens.
struct WebHarness {
    let app: Application
    let store: Store
    let context: WebContext
    static let password = "correct horse battery"
    static let today = date("2026-11-29")

    /// `clock` is the one clock of the store and the web application: by default the system's
    /// instants with the date pinned to `today`.
    /// `configure` changes the settings first (a policy, automatic registration…).
    static func run(_ kind: StoreKind = .sqlite, clock: Clock = .pinned(to: today), configure: (inout WebSettings) -> Void = { _ in },
                    _ body: (WebHarness) async throws -> Void) async throws {
        try await withStore(kind, clock: clock) { store in
            var settings = WebSettings(allowsTestData: true, policy: .default, regions: .demo, clock: clock)
            settings.bcryptCost = 4
            configure(&settings)
            let context = WebContext(store: store, settings: settings)
            let hash = try Bcrypt.hash(password, cost: 4)
            for province in Province.allCases {
                try await store.saveUser(username: "consultant-\(province.rawValue)", displayName: "Consulent \(province.name)",
                                         role: .consultant, provinces: [province], passwordHash: hash)
                try await store.saveUser(username: "teamlead-\(province.rawValue)", displayName: "Teamleider \(province.name)",
                                         role: .teamlead, provinces: [province], passwordHash: hash)
            }
            for role in [Role.steward, .analyst, .manager, .auditor, .admin] {
                try await store.saveUser(username: role.rawValue, displayName: role.rawValue, role: role, provinces: [], passwordHash: hash)
            }
            // Partners are prepared (DESIGN §8) but no case is referred to them yet.
            try await store.saveUser(username: "partner", displayName: "Partner", role: .partner, provinces: [], organisation: "Jobpunt vzw",
                                     passwordHash: hash)
            try await withApp(configure: { app in try app.configureVangnet(context) }) { app in
                try await body(WebHarness(app: app, store: store, context: context))
            }
        }
    }

    /// Logs in and returns the session cookie and the CSRF token.
    func login(_ username: String) async throws -> Session {
        var cookie = ""
        try await postLogin(["username": username, "password": Self.password, "next": "/"]) { response in
            #expect(response.status == .seeOther, "login of \(username)")
            cookie = response.headers.setCookie?["__Host-vangnet-session"]?.string ?? ""
        }
        #expect(!cookie.isEmpty)
        let csrf = try await store.session(tokenHash: SessionCookie.tokenHash(cookie))?.0.csrfToken ?? ""
        return Session(cookie: cookie, csrf: csrf)
    }

    /// The login form as a browser gets it: the login cookie and the token in the form's hidden field.
    struct LoginForm {
        let cookie: String
        let token: String
    }

    static let loginCookie = "__Host-vangnet-login"

    /// GET /login, as a browser opens the page.
    func loginForm() async throws -> LoginForm {
        var form = LoginForm(cookie: "", token: "")
        try await app.testing().test(.GET, "login", afterResponse: { response in
            #expect(response.status == .ok)
            form = LoginForm(cookie: response.headers.setCookie?[Self.loginCookie]?.string ?? "",
                             token: Self.hiddenField("_csrf", in: response.body.string) ?? "")
        })
        #expect(!form.cookie.isEmpty, "the login page sets its cookie")
        #expect(!form.token.isEmpty, "the login form carries its token")
        return form
    }

    /// Posts the login form the way a browser does: with the cookie and the token of a login page
    /// (`form`, else one fetched first), `fields` as typed (a `_csrf` among them replaces the token),
    /// and `headers` (say, an `Origin`).
    func postLogin(_ fields: [String: String], headers: HTTPHeaders = [:], form: LoginForm? = nil,
                   _ check: (TestingHTTPResponse) async throws -> Void) async throws {
        let page: LoginForm
        if let form { page = form } else { page = try await loginForm() }
        var all = fields
        if all["_csrf"] == nil { all["_csrf"] = page.token }
        try await app.testing().test(.POST, "login", beforeRequest: { request in
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            request.headers.cookie = [Self.loginCookie: .init(string: page.cookie)]
            try request.content.encode(all, as: .urlEncodedForm)
        }, afterResponse: check)
    }

    /// The value of a hidden field in a page: `name="…" value="…"`.
    static func hiddenField(_ name: String, in html: String) -> String? {
        guard let start = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        let rest = html[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }

    struct Session {
        let cookie: String
        let csrf: String

        func apply(_ request: inout TestingHTTPRequest) {
            request.headers.cookie = ["__Host-vangnet-session": .init(string: cookie)]
        }
    }

    func get(_ path: String, as session: Session?, _ check: (TestingHTTPResponse) async throws -> Void) async throws {
        try await app.testing().test(.GET, path, beforeRequest: { request in session?.apply(&request) }, afterResponse: check)
    }

    func post(_ path: String, as session: Session, form: [String: String], csrf: Bool = true,
              _ check: (TestingHTTPResponse) async throws -> Void) async throws {
        var fields = form
        if csrf { fields["_csrf"] = session.csrf }
        try await app.testing().test(.POST, path, beforeRequest: { request in
            session.apply(&request)
            try request.content.encode(fields, as: .urlEncodedForm)
        }, afterResponse: check)
    }

    /// An eligible leaver in `province` with a case, via the real import and pipeline.
    @discardableResult
    func leaverWithCase(serial: Int, postcode: String) async throws -> String {
        let person = PersonBuilder(born: "2006-03-14", serial: serial)
            .enrolled(from: "2025-09-01", to: "2026-06-30", exit: .endOfSchoolYear, id: "E\(serial)")
            .lives(postcode: postcode, id: "P\(serial)")
        try await deliver([person], to: store)
        try await context.pipeline.runNow()
        let cases = try await store.openCases(scope: .all, limit: 100)
        return cases.first { $0.province == PostcodeArea(postcode: postcode).flatMap { if case .flanders(let p) = $0 { p } else { nil } } }!.number
    }

    /// A consultant tried to call about the case: someone acted on it, so Vangnet no longer
    /// withdraws it when the young person is no longer to be reached.
    func actOn(_ number: String) async throws {
        let id = try #require(CaseNumber.parse(number))
        _ = try await store.work(on: Self.today.iso).logContact(id, channel: .phone, outcome: .noAnswer, note: nil, by: testActor)
    }
}
