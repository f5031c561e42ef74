import Domain
import Foundation
import Storage
import TestSupport
import Testing
import Vapor
import VaporTesting
@testable import Web

/// Logging in and out, sessions, throttling.
@Suite struct LoginTests {
    @Test func theLoginPageIsDutchAndAccessible() async throws {
        try await WebHarness.run { web in
            try await web.get("/login", as: nil) { response in
                #expect(response.status == .ok)
                let body = response.body.string
                #expect(body.contains("<html lang=\"nl-BE\">"))
                #expect(body.contains("<label for=\"username\">Gebruikersnaam</label>"))
                #expect(body.contains("<label for=\"password\">Wachtwoord</label>"))
                #expect(body.contains("href=\"#content\""), "a skip link")
            }
            try await web.get("/lang/en?back=/login", as: nil) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers.setCookie?["vangnet-lang"]?.string == "en")
            }
        }
    }

    @Test func pagesNeedALogin() async throws {
        try await WebHarness.run { web in
            try await web.get("/cases", as: nil) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers.first(name: .location) == "/login?next=%2Fcases")
            }
        }
    }

    @Test func aSessionCookieIsHostPrefixedSecureHttpOnlyAndNewAtEveryLogin() async throws {
        try await WebHarness.run { web in
            var first = ""
            try await web.postLogin(["username": "consultant-limburg", "password": WebHarness.password]) { response in
                let cookie = try #require(response.headers.setCookie?["__Host-vangnet-session"])
                #expect(cookie.isSecure)
                #expect(cookie.isHTTPOnly)
                #expect(cookie.sameSite == .lax)
                #expect(cookie.path == "/")
                #expect(cookie.domain == nil)
                first = cookie.string
                #expect(response.headers.first(name: .location) == "/")
            }
            let second = try await web.login("consultant-limburg")
            #expect(second.cookie != first, "a new session id at every login")
        }
    }

    @Test func aWrongPasswordFailsAndFiveFailuresLockTheAccount() async throws {
        try await WebHarness.run { web in
            for attempt in 1...5 {
                try await web.postLogin(["username": "steward", "password": "wrong"]) { response in
                    #expect(response.status == .unauthorized, "attempt \(attempt)")
                    #expect(response.body.string.contains("De gebruikersnaam of het wachtwoord klopt niet."))
                    #expect(response.headers.setCookie?["__Host-vangnet-session"] == nil)
                    #expect(WebHarness.hiddenField("_csrf", in: response.body.string)?.isEmpty == false, "the form shown again works")
                }
            }
            try await web.postLogin(["username": "steward", "password": WebHarness.password]) { response in
                #expect(response.status == .tooManyRequests, "locked even with the right password")
                #expect(response.body.string.contains("Te veel mislukte pogingen"))
            }
            let audit = try await web.store.sql.raw("SELECT outcome FROM audit_log WHERE action = 'login'").all()
                .map { try $0.decode(column: "outcome", as: String.self) }
            #expect(audit == ["denied", "denied", "denied", "denied", "denied", "locked"])
        }
    }

    @Test func loggingOutEndsTheSessionOnTheServer() async throws {
        try await WebHarness.run { web in
            let session = try await web.login("analyst")
            try await web.get("/dashboard", as: session) { #expect($0.status == .ok) }
            try await web.post("/logout", as: session, form: [:]) { #expect($0.status == .seeOther) }
            try await web.get("/dashboard", as: session) { response in
                #expect(response.status == .seeOther, "the old cookie no longer works")
            }
        }
    }

    @Test func disablingAnAccountEndsItsSessionsAtOnce() async throws {
        try await WebHarness.run { web in
            let session = try await web.login("consultant-limburg")
            try await web.get("/cases", as: session) { #expect($0.status == .ok) }
            try await web.store.saveUser(username: "consultant-limburg", displayName: "x", role: .consultant, provinces: [.limburg],
                                         passwordHash: nil, active: false)
            try await web.get("/cases", as: session) { #expect($0.status == .seeOther) }
        }
    }

    @Test func movingAConsultantToAnotherProvinceEndsTheirSessions() async throws {
        try await WebHarness.run { web in
            let session = try await web.login("consultant-limburg")
            try await web.store.saveUser(username: "consultant-limburg", displayName: "x", role: .consultant, provinces: [.antwerpen],
                                         passwordHash: nil)
            try await web.get("/cases", as: session) { #expect($0.status == .seeOther) }
        }
    }

    @Test func everyFormNeedsItsCSRFToken() async throws {
        try await WebHarness.run { web in
            let session = try await web.login("analyst")
            try await web.post("/logout", as: session, form: [:], csrf: false) { response in
                #expect(response.status == .badRequest)
                #expect(response.body.string.contains("Referentie voor de helpdesk"))
            }
            try await web.post("/logout", as: session, form: ["_csrf": "forged"], csrf: false) { #expect($0.status == .badRequest) }
            try await web.get("/dashboard", as: session) { #expect($0.status == .ok, "the session survived the forged attempts") }
        }
    }

    @Test func aNationalNumberTypedAsLoginNameIsAuditedOnlyAsAKeyedIndex() async throws {
        try await WebHarness.run { web in
            let typed = "85073003328"
            try await web.postLogin(["username": typed, "password": "x"]) { #expect($0.status == .unauthorized) }
            let actors = try await web.store.sql.raw("SELECT actor FROM audit_log WHERE action = 'login'").all()
                .map { try $0.decode(column: "actor", as: String.self) }
            let actor = try #require(actors.first)
            let unkeyed = SessionCookie.tokenHash(typed)
            #expect(!actor.contains(typed))
            #expect(!unkeyed.hasPrefix(String(actor.dropFirst("unknown:".count))), "not an unkeyed SHA-256 that trying all numbers reverses")
            #expect(actor == "unknown:" + web.store.keyring.blindIndex(typed, purpose: .loginName).prefix(16))
            let keys = try await web.store.sql.raw("SELECT key FROM login_failures").all().map { try $0.decode(column: "key", as: String.self) }
            #expect(!keys.contains { $0.contains(unkeyed) || $0.contains(typed) }, "the throttling key is keyed too")
        }
    }

    @Test func aLockOutEndsAfterItsTimeOnTheClock() async throws {
        let time = ManualClock(date("2026-11-29").noonInBelgium)
        try await WebHarness.run(clock: time.clock) { web in
            for _ in 1...5 {
                try await web.postLogin(["username": "steward", "password": "wrong"]) { #expect($0.status == .unauthorized) }
            }
            func logIn() async throws -> HTTPStatus {
                var status = HTTPStatus.ok
                try await web.postLogin(["username": "steward", "password": WebHarness.password]) { status = $0.status }
                return status
            }
            #expect(try await logIn() == .tooManyRequests)
            time.advance(by: 59)
            #expect(try await logIn() == .tooManyRequests, "locked for a minute after the fifth failure")
            time.advance(by: 2)
            #expect(try await logIn() == .seeOther, "the lock has expired")
        }
    }

    @Test func aSessionEndsAfterThirtyIdleMinutesAndTwelveHoursAfterLogin() async throws {
        let time = ManualClock(date("2026-11-29").noonInBelgium)
        try await WebHarness.run(clock: time.clock) { web in
            let idle = try await web.login("analyst")
            time.advance(by: 29 * 60)
            try await web.get("/dashboard", as: idle) { #expect($0.status == .ok, "29 minutes idle: still on") }
            time.advance(by: 31 * 60)
            try await web.get("/dashboard", as: idle) { response in
                #expect(response.status == .seeOther, "31 minutes idle: ended")
                #expect(response.headers.first(name: .location) == "/login?expired=1&next=%2Fdashboard")
            }
            let busy = try await web.login("analyst")
            for _ in 0..<24 {
                time.advance(by: 29 * 60)
                try await web.get("/dashboard", as: busy) { #expect($0.status == .ok) }
            }
            time.advance(by: 29 * 60)
            try await web.get("/dashboard", as: busy) { response in
                #expect(response.status == .seeOther, "12 hours after login the session ends, however busy")
            }
        }
    }

    @Test func theLoginFormCarriesATokenOfItsOwnTiedToTheBrowser() async throws {
        try await WebHarness.run { web in
            var token = ""
            try await web.app.testing().test(.GET, "login", afterResponse: { response in
                let cookie = try #require(response.headers.setCookie?[WebHarness.loginCookie])
                #expect(cookie.isSecure)
                #expect(cookie.isHTTPOnly)
                #expect(cookie.sameSite == .lax)
                #expect(cookie.path == "/")
                #expect(cookie.domain == nil)
                token = WebHarness.hiddenField("_csrf", in: response.body.string) ?? ""
                #expect(token == cookie.string, "the form's hidden field holds the browser's token")
                #expect(token.count >= 40, "random, not guessable")
            })
            // The same browser opening the page again (another tab) keeps its token, so both forms work.
            try await web.app.testing().test(.GET, "login", beforeRequest: { request in
                request.headers.cookie = [WebHarness.loginCookie: .init(string: token)]
            }, afterResponse: { response in
                #expect(WebHarness.hiddenField("_csrf", in: response.body.string) == token)
            })
            let other = try await web.loginForm()
            #expect(other.token != token, "another browser, another token")
        }
    }

    @Test func aLoginWithoutTheFormsTokenIsRefusedWithAFormThatWorks() async throws {
        try await WebHarness.run { web in
            let credentials = ["username": "steward", "password": WebHarness.password]
            func expectRefused(_ response: TestingHTTPResponse, _ what: String) {
                #expect(response.status == .badRequest, "\(what)")
                let body = response.body.string
                #expect(body.contains("Uw formulier is verlopen. Probeer het opnieuw."), "\(what): said in Dutch")
                #expect(body.contains("<form method=\"post\" action=\"/login\""), "\(what): the login page again")
                #expect(response.headers.setCookie?["__Host-vangnet-session"] == nil, "\(what): no session")
                let fresh = WebHarness.hiddenField("_csrf", in: body) ?? ""
                #expect(!fresh.isEmpty, "\(what): the page has a token")
                #expect(response.headers.setCookie?[WebHarness.loginCookie]?.string == fresh, "\(what): and the browser its cookie")
            }
            // Neither cookie nor field: a form that was never this server's.
            try await web.app.testing().test(.POST, "login", beforeRequest: { request in
                try request.content.encode(credentials, as: .urlEncodedForm)
            }, afterResponse: { expectRefused($0, "no token") })
            let form = try await web.loginForm()
            // The field without its cookie: a token copied from another browser's form.
            try await web.app.testing().test(.POST, "login", beforeRequest: { request in
                try request.content.encode(credentials.merging(["_csrf": form.token]) { $1 }, as: .urlEncodedForm)
            }, afterResponse: { expectRefused($0, "token without its cookie") })
            // The cookie with a wrong field, or an empty one.
            try await web.postLogin(credentials.merging(["_csrf": "forged"]) { $1 }, form: form) { expectRefused($0, "forged token") }
            try await web.postLogin(credentials.merging(["_csrf": ""]) { $1 }, form: form) { expectRefused($0, "empty token") }
            // A refused form tries no password: nothing counted towards a lock-out, nothing audited.
            let failures = try await web.store.sql.raw("SELECT COUNT(*) AS n FROM login_failures").first()!
                .decode(column: "n", as: Int.self)
            #expect(failures == 0)
            let audited = try await web.store.sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'login'").first()!
                .decode(column: "n", as: Int.self)
            #expect(audited == 0)
            try await web.postLogin(credentials, form: form) { #expect($0.status == .seeOther, "the browser's own form works") }
        }
    }

    @Test func aLoginPostedFromAnotherSiteIsRefused() async throws {
        try await WebHarness.run { web in
            let credentials = ["username": "analyst", "password": WebHarness.password]
            func answer(_ headers: HTTPHeaders) async throws -> HTTPStatus {
                var status = HTTPStatus.ok
                try await web.postLogin(credentials, headers: headers) { response in
                    status = response.status
                    if response.status == .badRequest {
                        #expect(response.body.string.contains("Uw formulier is verlopen. Probeer het opnieuw."))
                        #expect(response.headers.setCookie?["__Host-vangnet-session"] == nil)
                    }
                }
                return status
            }
            // With the right cookie and token, but sent from another site's page.
            let answer1 = try await answer(["Host": "vangnet.test", "Origin": "https://evil.example"])
            #expect(answer1 == .badRequest)
            let answer2 = try await answer(["Host": "vangnet.test", "Origin": "https://vangnet.test.evil.example"])
            #expect(answer2 == .badRequest)
            let answer3 = try await answer(["Host": "vangnet.test", "Referer": "https://evil.example/page"])
            #expect(answer3 == .badRequest,
                    "without an Origin, the Referer says where it comes from")
            let answer4 = try await answer(["Origin": "https://evil.example"])
            #expect(answer4 == .badRequest, "an Origin and no host to compare it with")
            // This server's own pages, directly or behind a proxy.
            let answer5 = try await answer(["Host": "vangnet.test", "Origin": "https://vangnet.test"])
            #expect(answer5 == .seeOther)
            let answer6 = try await answer(["Host": "127.0.0.1:8080", "Origin": "http://127.0.0.1:8080"])
            #expect(answer6 == .seeOther, "the demo")
            let answer10 = try await answer(["Host": "vangnet.test", "Referer": "https://vangnet.test/login?next=%2Fcases"])
            #expect(answer10 == .seeOther)
            let answer7 = try await answer(["Host": "10.0.0.5:8080", "X-Forwarded-Host": "vangnet.vlaanderen.be",
                                      "Origin": "https://vangnet.vlaanderen.be"])
            #expect(answer7 == .seeOther, "behind a reverse proxy")
            // A browser posting from a page with Referrer-Policy: no-referrer (every Vangnet page) says
            // `Origin: null`; a client that says nothing: the token decides.
            let answer8 = try await answer(["Host": "vangnet.test", "Origin": "null"])
            #expect(answer8 == .seeOther)
            let answer9 = try await answer([:])
            #expect(answer9 == .seeOther)
        }
    }

    @Test func theOriginCheckComparesHostsNotText() {
        func elsewhere(_ fields: [(String, String)]) -> Bool { LoginCSRF.comesFromElsewhere(HTTPHeaders(fields)) }
        #expect(!elsewhere([("Host", "VANGNET.test:443"), ("Origin", "https://vangnet.test")]), "case and the default port")
        #expect(elsewhere([("Host", "vangnet.test:8443"), ("Origin", "https://vangnet.test")]), "another port is another origin")
        #expect(!elsewhere([("Host", "[::1]:8080"), ("Origin", "http://[::1]:8080")]))
        #expect(elsewhere([("Host", "vangnet.test"), ("Origin", "https://vangnet.test@evil.example")]))
        #expect(elsewhere([("Host", "vangnet.test"), ("Referer", "https://evil.example/?back=https://vangnet.test")]))
        #expect(elsewhere([("Host", "vangnet.test"), ("Origin", "file://")]), "not a web origin")
        #expect(!elsewhere([("Host", "vangnet.test"), ("Forwarded", "host=vangnet.example;proto=https"), ("Origin", "https://vangnet.example")]))
        #expect(!elsewhere([("Host", "vangnet.test")]))
    }

    @Test func aFormPostedAfterTheSessionExpiredComesBackToItsPageWithWhatWasTyped() async throws {
        let time = ManualClock(date("2026-11-29").noonInBelgium)
        try await WebHarness.run(clock: time.clock) { web in
            let number = try await web.leaverWithCase(serial: 101, postcode: "2000")
            let session = try await web.login("consultant-antwerpen")
            time.advance(by: 31 * 60)
            let note = "Moeder gebeld over de afspraak van dinsdag; zij belt terug. " + String(repeating: "Lang verslag. ", count: 200)
            var next = ""
            try await web.post("/cases/\(number)/notes", as: session, form: ["note": note]) { response in
                let location = response.headers.first(name: .location) ?? ""
                #expect(location.hasPrefix("/login?expired=1&next=%2Fcases%2F\(number)%3Fdraft%3D"), "back to the case page, not to the form's action")
                next = location.components(separatedBy: "next=").last?.removingPercentEncoding ?? ""
            }
            #expect(!next.contains("Moeder"), "the text itself is not in the address")
            try await web.get("/login?expired=1&next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""), as: nil) { response in
                #expect(response.body.string.contains("wat u typte, krijgt u daarna terug"))
            }
            next = String(next.prefix { $0 != "#" })
            // Someone else logging in does not get it.
            let other = try await web.login("teamlead-antwerpen")
            try await web.get(next, as: other) { response in #expect(!response.body.string.contains("Moeder gebeld")) }
            try await web.postLogin(["username": "consultant-antwerpen", "password": WebHarness.password, "next": next]) { response in
                #expect(response.headers.first(name: .location) == next)
            }
            let again = try await web.login("consultant-antwerpen")
            try await web.get(next, as: again) { response in
                let body = response.body.string
                #expect(body.contains("Wat u typte staat terug in het formulier"))
                #expect(body.contains("Moeder gebeld over de afspraak van dinsdag"), "the note is back in its field")
            }
            // Once: the draft is gone after it came back, and nothing was saved on its own.
            try await web.get(next, as: again) { response in #expect(!response.body.string.contains("Moeder gebeld")) }
            let events = try await web.store.caseEvents(CaseNumber.parse(number)!)
            #expect(!events.contains { $0.event == .note })
        }
    }

    @Test func theNextParameterNeverRedirectsOffSite() {
        #expect(safeNext("/cases/VN-000001") == "/cases/VN-000001")
        #expect(safeNext("//evil.example/") == "/")
        #expect(safeNext("https://evil.example/") == "/")
        #expect(safeNext("/\\evil") == "/")
        #expect(safeNext(nil) == "/")
    }
}
