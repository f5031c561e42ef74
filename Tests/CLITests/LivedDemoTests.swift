import Domain
import Foundation
import Privacy
import SQLKit
import Storage
import TestSupport
import Testing

/// `vangnet demo` on a fresh folder lives through its history before the server starts (issue 11
/// §7): a short one here (three months, small school years), checked in the database it leaves.
@Suite struct LivedDemoTests {
    @Test func aFreshDemoHasLivedLettersAnswersContactsReferralsAndClosedCasesSpreadOverItsMonths() async throws {
        let folder = TemporaryFolder()
        let result = try VangnetBinary.run(["demo", "--data-dir", "demo", "--no-server", "--history", "3", "--pupils", "3000"], in: folder.path,
                                           environment: ["VANGNET_TODAY": "2026-11-29"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Lived 120 days"), "1 August through 28 November: \(result.stdout.prefix(600))")
        #expect(result.stdout.contains("Open cases"))

        let keyring = try Keyring(path: folder.path + "/demo/vangnet-keys.json")
        let store = try await Store.open(.sqlite(path: folder.path + "/demo/vangnet.sqlite"), keyring: keyring, clock: .system)
        func count(_ query: String) async throws -> Int {
            try await store.sql.raw(SQLQueryString(query)).first()!.decode(column: "n", as: Int.self)
        }
        do {
            #expect(try await count("SELECT COUNT(*) AS n FROM letter_batches WHERE status = 'handed_over'") > 0, "batches handed to the mail house")
            #expect(try await count("SELECT COUNT(*) AS n FROM case_events WHERE kind = 'contact'") > 10, "consultants called")
            #expect(try await count("SELECT COUNT(DISTINCT substr(at, 1, 7)) AS n FROM case_events WHERE kind = 'contact'") >= 3,
                    "their work is spread over the months, not on one day")
            #expect(try await count("SELECT COUNT(*) AS n FROM case_events WHERE actor = 'young-person'") > 0, "young people answered letters")
            #expect(try await count("SELECT COUNT(*) AS n FROM referrals WHERE status <> 'proposed'") > 0, "referrals were sent")
            #expect(try await count("SELECT COUNT(*) AS n FROM cases WHERE closed_on IS NOT NULL") > 0, "cases were closed")
            #expect(try await count("SELECT COUNT(*) AS n FROM cases WHERE closed_on IS NULL") > 0, "and some are still open")
            #expect(try await count("SELECT COUNT(*) AS n FROM cases WHERE opened_on > '2026-11-28' OR closed_on > '2026-11-28'") == 0,
                    "nothing happened after yesterday")
            let verify = try await store.verifyAudit()
            #expect(verify.intact, "the audit chain is whole after the history: \(verify.problem ?? "")")
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }
}
