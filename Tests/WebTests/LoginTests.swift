import Domain
import Foundation
import Storage
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

    @Test func theNextParameterNeverRedirectsOffSite() {
        #expect(safeNext("/cases/VN-000001") == "/cases/VN-000001")
        #expect(safeNext("//evil.example/") == "/")
        #expect(safeNext("https://evil.example/") == "/")
        #expect(safeNext("/\\evil") == "/")
        #expect(safeNext(nil) == "/")
    }
}
