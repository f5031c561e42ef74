import Domain
import Foundation
import Storage
import TestSupport
import Testing
import Vapor
import VaporTesting
@testable import Web

/// The steward compares the persons of two cases, merges them, and undoes it — in Dutch, audited.
@Suite struct MergePagesTests {
    @Test func theStewardComparesMergesAndUndoesInDutch() async throws {
        try await WebHarness.run { web in
            let first = try await web.leaverWithCase(serial: 101, postcode: "2000")
            let second = try await web.leaverWithCase(serial: 103, postcode: "3000")
            let steward = try await web.login("steward")
            var problems: [String] = []
            try await web.get("/steward/merges/compare?first=\(first)&second=\(second)", as: steward) { response in
                #expect(response.status == .ok)
                let body = response.body.string
                problems += DutchPagesTests.problems(in: body, page: "compare")
                #expect(body.contains("Twee personen samenvoegen") && body.contains(first) && body.contains(second))
                #expect(body.contains("Samenvoegen: dit is dezelfde jongere"))
                #expect(body.contains("Test") && body.contains("Persoon"), "both identities are shown")
            }
            let actions = try await web.store.auditEntries(limit: 10).map(\.entry.action)
            #expect(actions.contains("person.compare"), "the comparison is audited")
            try await web.get("/steward/merges/compare?first=\(first)&second=\(first)", as: steward) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers.first(name: .location)?.contains("merge_cases_unknown") == true)
            }
            try await web.post("/steward/merges", as: steward, form: ["first": first, "second": second]) { response in
                #expect(response.headers.first(name: .location) == "/steward?done=persons_merged#merges-title")
            }
            try await web.context.pipeline.runNow()
            let open = try await web.store.openCases(scope: .all, limit: 5)
            #expect(open.map(\.number) == [first], "the case opened first goes on")
            try await web.get("/steward?done=persons_merged", as: steward) { response in
                let body = response.body.string
                problems += DutchPagesTests.problems(in: body, page: "steward")
                #expect(body.contains("De twee personen zijn samengevoegd"))
                #expect(body.contains("Samengevoegd door de gegevensbeheerder: dossier \(first) loopt verder, dossier \(second) is erbij gevoegd"))
            }
            let mergeID = try #require(try await web.store.recentMerges(limit: 1).first?.merge.id)
            try await web.get("/steward/merges/\(mergeID)", as: steward) { response in
                let body = response.body.string
                problems += DutchPagesTests.problems(in: body, page: "merge")
                #expect(body.contains("Samenvoeging van twee registraties") && body.contains("Ongedaan maken"))
                #expect(body.components(separatedBy: "Test").count > 2, "both registrations are shown")
            }
            let lead = try await web.login("teamlead-vlaams-brabant")
            try await web.get("/cases/\(second)", as: lead) { response in
                let body = response.body.string
                problems += DutchPagesTests.problems(in: body, page: "merged case")
                #expect(body.contains("Samengevoegd met een ander dossier"))
                #expect(body.contains("Loopt verder in dossier \(first)"))
            }
            try await web.post("/steward/merges/\(mergeID)/undo", as: steward, form: [:]) { response in
                #expect(response.headers.first(name: .location) == "/steward/merges/\(mergeID)?done=merge_undone")
            }
            try await web.context.pipeline.runNow()
            #expect(Set(try await web.store.openCases(scope: .all, limit: 5).map(\.number)) == [first, second])
            try await web.get("/steward", as: steward) { response in
                #expect(response.body.string.contains("ongedaan gemaakt op"))
            }
            #expect(problems == [])
        }
    }
}
