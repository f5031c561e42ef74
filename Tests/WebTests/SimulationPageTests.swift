import Domain
import Foundation
import Storage
import TestSupport
import Testing
import Vapor
import VaporTesting
@testable import Web

/// The analyst tries another policy on a page: words, not codes; one audit entry; nothing changed.
@Suite struct SimulationPageTests {
    @Test func theAnalystRunsASimulationAndSeesTheDifferenceInWords() async throws {
        try await WebHarness.run { web in
            try await web.leaverWithCase(serial: 101, postcode: "2000")
            let casesBefore = try await web.store.openCases(scope: .all, limit: 100).count
            let analyst = try await web.login("analyst")
            try await web.get("/policy/simulation", as: analyst) { response in
                #expect(response.status == .ok)
                #expect(response.body.string.contains("value=\"25\""), "the policy in force is the starting point")
            }
            try await web.post("/policy/simulation", as: analyst, form: [
                "asOf": "29/11/2026", "gracePeriodDays": "30", "maximumAge": "18", "knownToVDAB": "any", "action": "auto-register",
            ]) { response in
                #expect(response.status == .ok)
                let page = response.body.string
                #expect(page.contains("Resultaat"))
                #expect(page.contains("Met dit beleid"))
                #expect(page.contains("leeftijdsgrens") || page.contains("in de doelgroep (automatische inschrijving)"))
                #expect(!page.contains("target.age-limit") && !page.contains("not_in_target_group"), "words, not codes")
            }
            #expect(try await web.store.openCases(scope: .all, limit: 100).count == casesBefore, "nothing changed")
            let entries = try await web.store.auditEntries(actor: "analyst")
            #expect(entries.contains { $0.action == "policy.simulate" })
        }
    }

    @Test func aWrongValueIsRefusedInWordsAndWhatWasTypedStays() async throws {
        try await WebHarness.run { web in
            let analyst = try await web.login("analyst")
            try await web.post("/policy/simulation", as: analyst, form: [
                "asOf": "31/02/2026", "gracePeriodDays": "30", "maximumAge": "40", "knownToVDAB": "any", "action": "invite",
            ]) { response in
                #expect(response.status == .unprocessableEntity)
                let page = response.body.string
                #expect(page.contains("De leeftijdsgrens ligt tussen 18 en 30 jaar."))
                #expect(page.contains("Geef de datum als dd/mm/jjjj."))
                #expect(page.contains("value=\"40\"") && page.contains("value=\"31/02/2026\""))
            }
            let consultant = try await web.login("consultant-antwerpen")
            try await web.get("/policy/simulation", as: consultant) { #expect($0.status == .notFound) }
        }
    }
}
