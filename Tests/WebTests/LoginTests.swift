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
            try await web.app.testing().test(.POST, "login", beforeRequest: { request in
                try request.content.encode(["username": "consultant-limburg", "password": WebHarness.password], as: .urlEncodedForm)
            }, afterResponse: { response in
                let cookie = try #require(response.headers.setCookie?["__Host-vangnet-session"])
                #expect(cookie.isSecure)
                #expect(cookie.isHTTPOnly)
                #expect(cookie.sameSite == .lax)
                #expect(cookie.path == "/")
                #expect(cookie.domain == nil)
                first = cookie.string
                #expect(response.headers.first(name: .location) == "/")
            })
            let second = try await web.login("consultant-limburg")
            #expect(second.cookie != first, "a new session id at every login")
        }
    }

    @Test func aWrongPasswordFailsAndFiveFailuresLockTheAccount() async throws {
        try await WebHarness.run { web in
            for attempt in 1...5 {
                try await web.app.testing().test(.POST, "login", beforeRequest: { request in
                    try request.content.encode(["username": "steward", "password": "wrong"], as: .urlEncodedForm)
                }, afterResponse: { response in
                    #expect(response.status == .unauthorized, "attempt \(attempt)")
                    #expect(response.body.string.contains("De gebruikersnaam of het wachtwoord klopt niet."))
                    #expect(response.headers.setCookie?["__Host-vangnet-session"] == nil)
                })
            }
            try await web.app.testing().test(.POST, "login", beforeRequest: { request in
                try request.content.encode(["username": "steward", "password": WebHarness.password], as: .urlEncodedForm)
            }, afterResponse: { response in
                #expect(response.status == .tooManyRequests, "locked even with the right password")
                #expect(response.body.string.contains("Te veel mislukte pogingen"))
            })
            let audit = try await web.store.sql.raw("SELECT outcome FROM audit_log WHERE action = 'login'").all()
                .map { try $0.decode(column: "outcome", as: String.self) }
            #expect(audit == ["denied", "denied", "denied", "denied", "denied", "locked"])
        }
    }

    @Test func loggingOutEndsTheSessionOnTheServer() async throws {
        try await WebHarness.run { web in
            let session = try await web.login("analyst")
            try await web.get("/reports", as: session) { #expect($0.status == .ok) }
            try await web.post("/logout", as: session, form: [:]) { #expect($0.status == .seeOther) }
            try await web.get("/reports", as: session) { response in
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
            try await web.get("/reports", as: session) { #expect($0.status == .ok, "the session survived the forged attempts") }
        }
    }

    @Test func aNationalNumberTypedAsLoginNameIsAuditedOnlyAsAKeyedIndex() async throws {
        try await WebHarness.run { web in
            let typed = "85073003328"
            try await web.app.testing().test(.POST, "login", beforeRequest: { request in
                try request.content.encode(["username": typed, "password": "x"], as: .urlEncodedForm)
            }, afterResponse: { #expect($0.status == .unauthorized) })
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
                try await web.app.testing().test(.POST, "login", beforeRequest: { request in
                    try request.content.encode(["username": "steward", "password": "wrong"], as: .urlEncodedForm)
                }, afterResponse: { #expect($0.status == .unauthorized) })
            }
            func logIn() async throws -> HTTPStatus {
                var status = HTTPStatus.ok
                try await web.app.testing().test(.POST, "login", beforeRequest: { request in
                    try request.content.encode(["username": "steward", "password": WebHarness.password], as: .urlEncodedForm)
                }, afterResponse: { status = $0.status })
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
            try await web.get("/reports", as: idle) { #expect($0.status == .ok, "29 minutes idle: still on") }
            time.advance(by: 31 * 60)
            try await web.get("/reports", as: idle) { response in
                #expect(response.status == .seeOther, "31 minutes idle: ended")
                #expect(response.headers.first(name: .location) == "/login?expired=1")
            }
            let busy = try await web.login("analyst")
            for _ in 0..<24 {
                time.advance(by: 29 * 60)
                try await web.get("/reports", as: busy) { #expect($0.status == .ok) }
            }
            time.advance(by: 29 * 60)
            try await web.get("/reports", as: busy) { response in
                #expect(response.status == .seeOther, "12 hours after login the session ends, however busy")
            }
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
