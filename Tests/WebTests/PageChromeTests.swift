import Domain
import Foundation
import Storage
import TestSupport
import Testing
import Vapor
import VaporTesting
@testable import Web

/// What every page shows around its content: the menu and who is signed in — on error pages too —
/// and no empty boxes.
@Suite struct PageChromeTests {
    @Test func aSignedInUserKeepsTheMenuOnANotFoundPage() async throws {
        try await WebHarness.run { web in
            let session = try await web.login("consultant-antwerpen")
            // A route that failed (the session middleware ran) and a path no route matches (it did not).
            for path in ["/cases/VN-999999", "/nowhere"] {
                try await web.get(path, as: session) { response in
                    #expect(response.status == .notFound, "\(path)")
                    let body = response.body.string
                    #expect(body.contains("Deze pagina bestaat niet, of u hebt er geen toegang toe."), "\(path)")
                    #expect(body.contains("Aangemeld als <strong>Consulent "), "\(path): who is signed in")
                    #expect(body.contains("<nav aria-label=\"Navigatie\">"), "\(path): the menu")
                    #expect(body.contains("<a href=\"/cases\">Mijn dossiers</a>"), "\(path): the menu")
                    #expect(body.contains("name=\"_csrf\" value=\"\(session.csrf)\""), "\(path): a logout button that works")
                }
            }
            try await web.get("/nowhere", as: nil) { response in
                #expect(response.status == .notFound)
                #expect(!response.body.string.contains("Aangemeld als"), "signed out: no menu")
                #expect(!response.body.string.contains("<nav aria-label=\"Navigatie\">"))
            }
        }
    }

    @Test func aNotFoundPathReadsTheSessionWithoutTouchingIt() async throws {
        let time = ManualClock(date("2026-11-29").noonInBelgium)
        try await WebHarness.run(clock: time.clock) { web in
            let session = try await web.login("analyst")
            func lastSeen() async throws -> String? {
                try await web.store.session(tokenHash: SessionCookie.tokenHash(session.cookie))?.0.lastSeenAt
            }
            let before = try await lastSeen()
            time.advance(by: 10 * 60)
            try await web.get("/nowhere", as: session) { #expect($0.body.string.contains("Aangemeld als")) }
            #expect(try await lastSeen() == before, "an unmatched path does not keep the session alive")
            // Past the idle limit the menu goes, as the session has — and the error page does not end it itself.
            time.advance(by: 21 * 60)
            try await web.get("/nowhere", as: session) { response in
                #expect(response.status == .notFound)
                #expect(!response.body.string.contains("Aangemeld als"), "an expired session shows no menu")
            }
            #expect(try await web.store.session(tokenHash: SessionCookie.tokenHash(session.cookie)) != nil,
                    "revoking stays the session middleware's job")
        }
    }

    @Test func theCaseloadHasNoEmptyAlertBox() async throws {
        try await WebHarness.run { web in
            try await web.leaverWithCase(serial: 101, postcode: "2000")
            let session = try await web.login("consultant-antwerpen")
            try await web.get("/cases", as: session) { response in
                #expect(response.status == .ok)
                let body = response.body.string
                #expect(!body.contains("role=\"alert\""), "no alert without something to say")
            }
            try await web.get("/cases?notfound=1", as: session) { response in
                let body = response.body.string
                #expect(body.contains("role=\"alert\"><p>Geen dossier gevonden. Kijk het nummer of de naam na.</p>"), "the search's message, when there is one")
            }
        }
    }
}
