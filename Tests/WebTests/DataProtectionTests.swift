import Domain
import Foundation
import SQLKit
import Storage
import TestSupport
import Testing
import Vapor
import VaporTesting
@testable import Web

/// Data protection as an attacker and as the data protection officer would try it: fail-closed
/// audit, the auditor's pages and API, fields a role may not change, limits, purposes.
@Suite struct DataProtectionTests {
    /// Makes the audit log refuse every new entry, as a full disk or a revoked grant would.
    static func closeAuditLog(_ store: Store) async throws {
        switch store.dialect {
        case .sqlite:
            try await store.sql.raw("CREATE TRIGGER audit_closed BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit closed'); END").run()
        case .postgres:
            try await store.sql.raw("ALTER TABLE audit_log ADD CONSTRAINT audit_closed CHECK (false) NOT VALID").run()
        }
    }

    @Test(arguments: StoreKind.allCases)
    func whenTheAuditLogCannotBeWrittenReadsOfPersonalDataFail(kind: StoreKind) async throws {
        try await WebHarness.run(kind) { web in
            let number = try await web.leaverWithCase(serial: 101, postcode: "2000")
            let session = try await web.login("consultant-antwerpen")
            let auditor = try await web.login("auditor")
            let token = try await APITests.token(web, "crm", role: .consultant, provinces: [.antwerpen])
            try await Self.closeAuditLog(web.store)
            let insz = PersonBuilder(born: "2006-03-14", serial: 101).insz
            func revealsNothing(_ response: TestingHTTPResponse, _ what: String) {
                #expect(response.status == .internalServerError, "\(what) answered \(response.status.code)")
                let body = response.body.string
                #expect(!body.contains("Test Persoon") && !body.contains("Teststraat") && !body.contains(insz.formatted)
                        && !body.contains(insz.digits), "\(what) showed personal data")
                #expect(body.contains(response.headers.first(name: "X-Request-ID") ?? "?"), "\(what): the reference to quote")
            }
            try await web.get("/cases/\(number)", as: session) { revealsNothing($0, "the case page") }
            try await web.get("/cases", as: session) { revealsNothing($0, "the caseload") }
            try await web.app.testing().test(.GET, "/api/v1/cases/\(number)", beforeRequest: { request in
                request.headers.bearerAuthorization = BearerAuthorization(token: token)
            }, afterResponse: { revealsNothing($0, "the API") })
            try await web.post("/audit/person/report", as: auditor, form: ["insz": insz.formatted]) { revealsNothing($0, "the person's report") }
            try await web.post("/cases/\(number)/notes", as: session, form: ["note": "Gebeld"]) { response in
                #expect(response.status == .internalServerError)
            }
            let notes = try await web.store.sql.raw("SELECT COUNT(*) AS n FROM case_events WHERE kind = 'note'").first()!
                .decode(column: "n", as: Int.self)
            #expect(notes == 0, "a change whose audit entry cannot be written is not made")
        }
    }

    @Test func theAuditorSeesWhoConsultedAPersonAndWhatAUserConsulted() async throws {
        try await WebHarness.run { web in
            let number = try await web.leaverWithCase(serial: 101, postcode: "2000")
            let consultant = try await web.login("consultant-antwerpen")
            try await web.get("/cases/\(number)", as: consultant) { #expect($0.status == .ok) }
            let auditor = try await web.login("auditor")
            let insz = PersonBuilder(born: "2006-03-14", serial: 101).insz

            try await web.get("/audit", as: auditor) { response in
                #expect(response.status == .ok)
                #expect(response.body.string.contains("Wie raadpleegde wat"))
            }
            try await web.post("/audit/person", as: auditor, form: ["insz": insz.formatted, "from": "2026-01-01"]) { response in
                #expect(response.status == .ok)
                let body = response.body.string
                // In words: the user by name, what they did and why.
                #expect(body.contains("Consulent Antwerpen"))
                #expect(body.contains("Dossier bekeken"))
                #expect(body.contains("Begeleiding van de jongere"))
                #expect(!body.contains("case.read") && !body.contains("case-work"), "no codes on the page")
                // The number looked up appears nowhere on the page (the subjects shown are keyed hashes),
                // and the INSZ field comes back empty rather than filled in with it.
                #expect(!body.contains(insz.formatted) && !body.contains(insz.digits), "the INSZ is not echoed back")
                let field = try #require(body.range(of: "<input id=\"audit-insz\"").map { body[$0.lowerBound...].prefix(while: { $0 != ">" }) },
                                         "the INSZ field is on the page")
                #expect(!field.contains("value=") || field.contains("value=\"\""), "the INSZ field is empty: \(field)")
            }
            try await web.post("/audit/person", as: auditor, form: ["insz": "12345"]) { response in
                #expect(response.body.string.contains("Dat is geen geldig rijksregisternummer."))
            }
            try await web.post("/audit/person", as: auditor, form: ["insz": insz.formatted, "from": "gisteren"]) { response in
                #expect(response.status == .badRequest)
                #expect(response.body.string.contains("Geef een datum in zoals 01/12/2026."))
            }
            try await web.get("/audit?actor=consultant-antwerpen&from=2026-01-01&to=2099-12-31", as: auditor) { response in
                #expect(response.body.string.contains("Dossier in een lijst getoond") || response.body.string.contains("Dossier bekeken"))
            }
            try await web.post("/audit/verify", as: auditor, form: [:]) { response in
                #expect(response.body.string.contains("De auditketen is intact"))
            }
            // The person's own report, as a file without personal data in its name.
            try await web.post("/audit/person/report", as: auditor, form: ["insz": insz.formatted]) { response in
                #expect(response.status == .ok)
                let disposition = response.headers.first(name: .contentDisposition) ?? ""
                #expect(disposition.hasPrefix("attachment; filename=\"vangnet-persoonsrapport-"))
                #expect(!disposition.contains(insz.digits))
                #expect(response.headers.first(name: .cacheControl) == "no-store")
                let body = response.body.string
                #expect(body.contains("Test Persoon"))
                #expect(body.contains("Teststraat 1"))
                #expect(body.contains(number))
            }
            // The auditor's own look-ups are in the log, with the person as a keyed hash.
            let subject = web.store.keyring.auditSubject(insz)
            let lookups = try await web.store.sql.raw("""
                SELECT COUNT(*) AS n FROM audit_log WHERE actor = 'auditor' AND subject = \(bind: subject)
                AND action IN ('audit.read', 'person.export')
                """).first()!.decode(column: "n", as: Int.self)
            #expect(lookups == 2, "the look-up and the report; the refused look-up read nothing")
            let leaked = try await web.store.sql.raw("""
                SELECT COUNT(*) AS n FROM audit_log WHERE subject = \(bind: insz.digits) OR object_id LIKE \(bind: "%" + insz.digits + "%")
                """).first()!.decode(column: "n", as: Int.self)
            #expect(leaked == 0, "never the INSZ itself")
        }
    }

    @Test func theAuditAPIAnswersTheSameQuestions() async throws {
        try await WebHarness.run { web in
            let number = try await web.leaverWithCase(serial: 101, postcode: "2000")
            let crm = try await APITests.token(web, "crm", role: .consultant, provinces: [.antwerpen])
            let dpo = try await APITests.token(web, "dpo", role: .auditor)
            let insz = PersonBuilder(born: "2006-03-14", serial: 101).insz
            func call(_ method: HTTPMethod, _ path: String, _ token: String, json: [String: String]? = nil, purpose: String? = nil,
                      _ check: (TestingHTTPResponse) async throws -> Void) async throws {
                try await web.app.testing().test(method, path, beforeRequest: { request in
                    request.headers.bearerAuthorization = BearerAuthorization(token: token)
                    if let purpose { request.headers.add(name: "X-Purpose", value: purpose) }
                    if let json { try request.content.encode(json, as: .json) }
                }, afterResponse: check)
            }
            try await call(.GET, "/api/v1/cases/\(number)", crm, purpose: "case-review") { #expect($0.status == .ok) }
            try await call(.GET, "/api/v1/cases/\(number)", crm, purpose: "curiosity") { response in
                #expect(response.status == .badRequest)
                #expect(response.body.string.contains("X-Purpose: one of case-work"))
            }
            try await call(.POST, "/api/v1/audit/person", dpo, json: ["insz": insz.digits]) { response in
                #expect(response.status == .ok)
                let body = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                let items = body?["items"] as? [[String: Any]] ?? []
                #expect(items.contains { $0["actor"] as? String == "api:crm" && $0["purpose"] as? String == "case-review"
                                         && $0["action"] as? String == "case.read" })
            }
            try await call(.GET, "/api/v1/audit?actor=api:crm&limit=5000", dpo) { response in
                #expect(response.status == .badRequest)
                #expect(response.body.string.contains("limit: between 1 and 1000"))
            }
            try await call(.GET, "/api/v1/audit?actor=api:crm", dpo) { response in
                #expect(response.status == .ok)
                #expect(response.body.string.contains("\"case.read\""))
            }
            try await call(.POST, "/api/v1/persons/report?format=html", dpo, json: ["insz": insz.digits]) { response in
                #expect(response.status == .ok)
                #expect(response.headers.contentType == .html)
                #expect(response.body.string.contains("Test Persoon"))
            }
            try await call(.POST, "/api/v1/persons/report", dpo, json: ["insz": "not a number"]) { response in
                #expect(response.status == .badRequest)
                #expect(response.body.string.contains("insz:"))
            }
        }
    }

    @Test func fieldsARoleMayNotChangeAreIgnoredOrRefused() async throws {
        try await WebHarness.run { web in
            let number = try await web.leaverWithCase(serial: 101, postcode: "2000")
            let id = try #require(CaseNumber.parse(number))
            let token = try await APITests.token(web, "crm", role: .consultant, provinces: [.antwerpen])
            // Assignment, province and decision in a status change are not the consultant's to set.
            try await web.app.testing().test(.POST, "/api/v1/cases/\(number)/status", beforeRequest: { request in
                request.headers.bearerAuthorization = BearerAuthorization(token: token)
                try request.content.encode(["status": "contacted", "consultant": "consultant-limburg", "province": "limburg",
                                            "outcome": "not_in_target_group"], as: .json)
            }, afterResponse: { response in
                #expect(response.status == .ok)
                let body = try response.content.decode([String: String?].self)
                #expect(body["consultant"] == "consultant-antwerpen")
                #expect(body["province"] == "antwerpen")
            })
            let decision = try await web.store.sql.raw("SELECT outcome FROM decisions").first()!.decode(column: "outcome", as: String.self)
            #expect(decision == "eligible")
            // A team lead cannot give a case to a consultant of another province: refused, nothing moves.
            let lead = try await web.login("teamlead-antwerpen")
            try await web.post("/team/reassign", as: lead, form: ["cases[]": String(id), "consultant": "consultant-limburg"]) { response in
                #expect(response.status == .badRequest)
                #expect(response.body.string.contains("Die consulent werkt niet in de provincie van dit dossier."), "in words, not an English sentence")
            }
            #expect(try await web.store.caseSummary(id, scope: .all)?.consultant == "consultant-antwerpen")
        }
    }

    @Test func thePersonsReportComesInDutchFrenchOrEnglish() async throws {
        try await WebHarness.run { web in
            try await web.leaverWithCase(serial: 101, postcode: "2000")
            let auditor = try await web.login("auditor")
            let insz = PersonBuilder(born: "2006-03-14", serial: 101).insz.formatted
            for (language, title, lang) in [("nl", ReportTexts.nl["title"]!, "nl-BE"), ("fr", ReportTexts.fr["title"]!, "fr-BE"),
                                            ("en", ReportTexts.en["title"]!, "en")] {
                try await web.post("/audit/person/report", as: auditor, form: ["insz": insz, "language": language]) { response in
                    #expect(response.status == .ok)
                    let body = response.body.string
                    #expect(body.contains("<html lang=\"\(lang)\">"), "\(language)")
                    #expect(body.contains(title), "\(language)")
                }
            }
        }
    }

    @Test func thePersonsReportSaysACaseStaysOpenWhenTheLatestDecisionNoLongerNeedsOne() async throws {
        try await WebHarness.run { web in
            let number = try await web.leaverWithCase(serial: 101, postcode: "2000")
            try await web.actOn(number)
            // Later news: the young person registered at VDAB; the case waits for its consultant.
            try await deliver([PersonBuilder(born: "2006-03-14", serial: 101).registeredAtVDAB(on: "2026-11-20")], to: web.store)
            try await web.context.pipeline.runNow()
            let auditor = try await web.login("auditor")
            let insz = PersonBuilder(born: "2006-03-14", serial: 101).insz.formatted
            try await web.post("/audit/person/report", as: auditor, form: ["insz": insz]) { response in
                let body = response.body.string
                #expect(body.contains(ReportTexts.nl["outcome_not_in_target_group"]!), "the latest decision")
                #expect(body.contains(ReportTexts.nl["case_still_open"]!), "and why the case is still open")
                #expect(body.contains(number))
            }
        }
    }

    @Test func theCasePageSaysWhenTheDataWillBeRemoved() async throws {
        try await WebHarness.run { web in
            let number = try await web.leaverWithCase(serial: 101, postcode: "2000")
            let session = try await web.login("consultant-antwerpen")
            try await web.get("/cases/\(number)", as: session) { response in
                #expect(response.body.string.contains("na afsluiting nog 5 jaar"))
            }
            try await web.post("/cases/\(number)/status", as: session, form: ["status": "not_in_target_group", "note": "Woont in Nederland",
                                                                             "confirm": "1"]) { #expect($0.status == .seeOther) }
            try await web.get("/cases/\(number)", as: session) { response in
                #expect(response.body.string.contains("worden verwijderd op"))
            }
        }
    }

    @Test func listsHaveAPageSizeLimitWithAClearAnswer() async throws {
        try await WebHarness.run { web in
            let token = try await APITests.token(web, "crm", role: .consultant, provinces: [.antwerpen])
            for (path, message) in [("/api/v1/cases?limit=10000", "limit: between 1 and 200"), ("/api/v1/cases?limit=0", "limit: between 1 and 200"),
                                    ("/api/v1/cases?after=garbage", "after: not a cursor")] {
                try await web.app.testing().test(.GET, path, beforeRequest: { request in
                    request.headers.bearerAuthorization = BearerAuthorization(token: token)
                }, afterResponse: { response in
                    #expect(response.status == .badRequest, "\(path)")
                    #expect(response.body.string.contains(message), "\(path): \(response.body.string)")
                })
            }
        }
    }
}
