import Domain
import Foundation
import Storage
import TestSupport
import Testing
import Vapor
import VaporTesting
@testable import Web

/// The dashboard reads the statistics store, speaks Dutch, protects small counts and keeps a team
/// lead to their own province.
@Suite struct DashboardTests {
    @Test func theAnalystSeesTheFunnelWithSmallCountsProtectedAndTheManagerSeesExactCounts() async throws {
        try await WebHarness.run { web in
            try await web.leaverWithCase(serial: 101, postcode: "2000")
            try await web.leaverWithCase(serial: 103, postcode: "3500")
            try await web.store.refreshStatistics()
            let analyst = try await web.login("analyst")
            try await web.get("/", as: analyst) { #expect($0.headers.first(name: .location) == "/dashboard") }
            try await web.get("/dashboard", as: analyst) { response in
                #expect(response.status == .ok)
                let page = response.body.string
                #expect(page.contains("Wat werd er van de schoolverlaters?"))
                #expect(page.contains("Europese Jongerengarantie"))
                #expect(page.contains("&lt;10"), "one leaver per province: shown as <10")
                #expect(page.contains("<svg class=\"chart\""))
                #expect(!page.contains("target_group") && !page.contains("first_attempt"), "words, not codes")
                #expect(!page.contains("Test Persoon"))
            }
            let manager = try await web.login("manager")
            try await web.get("/dashboard?split=province", as: manager) { response in
                #expect(response.status == .ok)
                #expect(response.body.string.contains("U ziet de exacte aantallen"))
                #expect(response.body.string.contains("<td class=\"num\">1</td>"))
            }
            // The CSV is protected whoever downloads it.
            try await web.get("/dashboard/steps.csv?split=province", as: manager) { response in
                #expect(response.status == .ok)
                #expect(response.headers.contentType?.subType == "csv")
                let csv = response.body.string
                #expect(csv.hasPrefix(",Doelgroep,Dossier,Brief,"))
                #expect(csv.contains("Antwerpen,<10"))
                #expect(!csv.contains(",1,"))
            }
            try await web.get("/dashboard/nothing.csv", as: manager) { #expect($0.status == .notFound) }
        }
    }

    @Test func aTeamLeadSeesOnlyTheirOwnProvince() async throws {
        try await WebHarness.run { web in
            try await web.leaverWithCase(serial: 101, postcode: "2000")
            try await web.leaverWithCase(serial: 103, postcode: "3500")
            try await web.store.refreshStatistics()
            let lead = try await web.login("teamlead-antwerpen")
            try await web.get("/dashboard?province=limburg&split=province", as: lead) { response in
                #expect(response.status == .ok)
                let page = response.body.string
                #expect(page.contains("U ziet enkel uw eigen provincie(s): Antwerpen."))
                #expect(!page.contains("<th scope=\"row\">Limburg</th>"))
                #expect(page.contains("<th scope=\"row\">Antwerpen</th>"))
            }
        }
    }

    @Test func aWrongDateIsRefusedInWordsAndTheFiguresStay() async throws {
        try await WebHarness.run { web in
            let analyst = try await web.login("analyst")
            try await web.get("/dashboard?from=31/02/2026", as: analyst) { response in
                #expect(response.status == .ok)
                #expect(response.body.string.contains("error-summary"))
                #expect(response.body.string.contains("value=\"31/02/2026\""), "what was typed stays")
            }
        }
    }

    @Test func theSchoolsPageShowsCountsPerSchoolWithoutAnyPupil() async throws {
        try await WebHarness.run { web in
            try await web.leaverWithCase(serial: 101, postcode: "2000")
            try await web.store.refreshStatistics()
            let analyst = try await web.login("analyst")
            try await web.get("/schools", as: analyst) { response in
                #expect(response.status == .ok)
                let page = response.body.string
                #expect(page.contains("Scholen: wie verlaat de school zonder kwalificatie?"))
                #expect(page.contains("&lt;10 van &lt;10"), "one leaver: small counts, no rate")
                #expect(!page.contains("Test Persoon"))
                // The course over the years, with its text alternative in words.
                #expect(page.contains("<svg class=\"sparkline\" role=\"img\""))
                #expect(page.contains("niet getoond (kleine aantallen)") && page.contains("geen schoolverlaters"))
            }
            let lead = try await web.login("teamlead-limburg")
            try await web.get("/schools", as: lead) { response in
                #expect(response.status == .ok)
                #expect(response.body.string.contains("Nog geen gegevens"), "the Antwerp school is not in Limburg's list")
            }
        }
    }

    /// A dashboard is made again at most every two seconds, or every four makings on a store where
    /// making one costs more than half a second (so six selections do not keep both cores busy).
    @Test func aCostlyDashboardIsMadeAgainLessOften() {
        let limit = Duration.seconds(2)
        #expect(DashboardCache.servable(age: .milliseconds(1_900), cost: .milliseconds(100), maximumAge: limit))
        #expect(!DashboardCache.servable(age: .milliseconds(2_100), cost: .milliseconds(100), maximumAge: limit))
        #expect(DashboardCache.servable(age: .milliseconds(3_000), cost: .milliseconds(800), maximumAge: limit))
        #expect(!DashboardCache.servable(age: .milliseconds(3_300), cost: .milliseconds(800), maximumAge: limit))
    }
}
