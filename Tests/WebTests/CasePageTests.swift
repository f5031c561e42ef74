import Domain
import Foundation
import SQLKit
import Storage
import TestSupport
import Testing
import Vapor
import VaporTesting
import Workflows
@testable import Web

/// The consultant's workspace, as a consultant, a team lead and a steward use it.
@Suite struct CasePageTests {
    /// A record that came without a usable INSZ and was linked to the person says so on the case.
    @Test func aLinkedRecordSaysOnTheCaseHowTheIdentityWasFound() async throws {
        try await WebHarness.run { web in
            let number = try await web.leaverWithCase(serial: 101, postcode: "2000")
            let insz = PersonBuilder(born: "2006-03-14", serial: 101).insz
            let bad = Rejection(.invalidINSZ, field: "insz", message: "insz: check digits do not match", location: "line 2", kind: .enrolment,
                                source: .agodi, recordID: "E-typo", original: Array("E-typo,00000000000".utf8))
            try await deliver([.rejected(bad)], to: web.store, name: "agodi.csv")
            let entry = try #require(try await web.store.quarantine().first)
            let link = ProposedLink(quarantineID: entry.id, candidate: insz, probability: 0.998, explanation: [
                LinkTerm(field: "givenName", level: "exact", weight: 7.6, household: false),
                LinkTerm(field: "birthDate", level: "exact", weight: 10.9, household: false),
                LinkTerm(field: "nationalNumber", level: "oneEdit", weight: 7.2, household: false),
                LinkTerm(field: "sex", level: "exact", weight: 0.9, household: false),
            ])
            try await web.store.recordLink(link, by: "system:linkage",
                                           audit: AuditEntry(IdentityWork.system, .identityLinked(entry.id)))
            let session = try await web.login("consultant-antwerpen")
            try await web.get("/cases/\(number)", as: session) { response in
                #expect(response.body.string.contains(
                    "gekoppeld op geboortedatum, voornaam en rijksregisternummer (waarschijnlijkheid 99,8 %, automatisch)"))
            }
        }
    }

    @Test func aConsultantSeesTheirCaseloadWithNamesAndNothingOfAnotherProvince() async throws {
        try await WebHarness.run { web in
            let antwerp = try await web.leaverWithCase(serial: 101, postcode: "2000")
            let limburg = try await web.leaverWithCase(serial: 103, postcode: "3500")
            let session = try await web.login("consultant-antwerpen")
            try await web.get("/cases", as: session) { response in
                #expect(response.status == .ok)
                let body = response.body.string
                #expect(body.contains(antwerp))
                #expect(!body.contains(limburg))
                #expect(body.contains("Test Persoon"))
                #expect(body.contains("Mijn dossiers"))
            }
            let audit = try await web.store.sql.raw("SELECT action, subject FROM audit_log WHERE action = 'caseload.read'").all()
            #expect(audit.count == 1, "one audit entry per young person shown")
        }
    }

    /// A closed case past its retention period keeps no person: its page says so in words (410; it
    /// answered a 500, "a case points at a person without records"), and so does the API.
    @Test func anAnonymisedCaseSaysWhyItShowsNobody() async throws {
        try await WebHarness.run { web in
            let number = try await web.leaverWithCase(serial: 107, postcode: "2000")
            let id = try #require(CaseNumber.parse(number))
            let closing = try #require(CaseStatus.new.successors.first { !$0.isOpen })
            try await web.store.work(on: WebHarness.today.iso).changeStatus(id, to: closing, note: "Werkt bij de bakker", by: testActor)
            try await web.store.sql.raw("UPDATE cases SET closed_on = '2020-01-15' WHERE id = \(bind: id)").run()
            let retention = Actor(username: "test:operator", role: .admin, purpose: .retention)
            let report = try await web.store.applyRetention(RetentionPolicy(), today: WebHarness.today, dryRun: false, actor: retention)
            try #require(report.casesAnonymised == 1)

            let session = try await web.login("consultant-antwerpen")
            try await web.get("/cases/\(number)", as: session) { response in
                #expect(response.status == .gone)
                #expect(response.body.string.contains("Niet meer beschikbaar"))
                #expect(response.body.string.contains("na de bewaartermijn geanonimiseerd"))
                #expect(!response.body.string.contains("Er ging iets mis aan onze kant"))
            }
            let token = try await APITests.token(web, "anonymised", role: .consultant, provinces: [.antwerpen])
            try await web.app.testing().test(.GET, "/api/v1/cases/\(number)", beforeRequest: { request in
                request.headers.bearerAuthorization = BearerAuthorization(token: token)
            }) { response in
                #expect(response.status == .gone)
                #expect(response.body.string.contains("\"case_anonymised\""))
            }
            let refusal = await #expect(throws: StoreError.self) { try await web.store.caseDetails(id, scope: .all, actor: testActor) }
            #expect(refusal?.code == "case_anonymised")
        }
    }

    @Test func aCaseOfAnotherProvinceIsNotFoundAndTheAttemptIsAudited() async throws {
        try await WebHarness.run { web in
            let limburg = try await web.leaverWithCase(serial: 103, postcode: "3500")
            let session = try await web.login("consultant-antwerpen")
            try await web.get("/cases/\(limburg)", as: session) { response in
                #expect(response.status == .notFound)
                #expect(response.body.string.contains("Deze pagina bestaat niet, of u hebt er geen toegang toe."))
                #expect(!response.body.string.contains("Test Persoon"))
            }
            try await web.get("/cases/VN-999999", as: session) { #expect($0.status == .notFound, "the same answer whatever the id") }
            try await web.post("/cases/\(limburg)/notes", as: session, form: ["note": "x"]) { #expect($0.status == .notFound) }
            let denied = try await web.store.sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE outcome = 'denied'").first()!
                .decode(column: "n", as: Int.self)
            #expect(denied == 3)
            let notes = try await web.store.sql.raw("SELECT COUNT(*) AS n FROM case_events WHERE kind = 'note'").first()!
                .decode(column: "n", as: Int.self)
            #expect(notes == 0, "an out-of-scope attempt writes nothing")
        }
    }

    @Test func theCasePageExplainsWhyAndShowsEverythingThatArrived() async throws {
        try await WebHarness.run { web in
            let number = try await web.leaverWithCase(serial: 101, postcode: "2000")
            let session = try await web.login("consultant-antwerpen")
            try await web.get("/cases/\(number)", as: session) { response in
                #expect(response.status == .ok)
                let body = response.body.string
                #expect(body.contains("Test Persoon"))
                #expect(body.contains("06.63.14-101"), "the national number, formatted")
                #expect(body.contains("Teststraat 1, 2000 Gemeente"))
                #expect(body.contains("Laatste inschrijving eindigde op 30 juni 2026."))
                #expect(body.contains("Heeft geen geldige kwalificatie."))
                #expect(body.contains("AGODI · E101"), "each reason with its source fact")
                #expect(body.contains("Eerste contact"))
                #expect(body.contains("4 december 2026"), "first contact due in 5 working days")
            }
            let read = try await web.store.sql.raw("SELECT action, outcome FROM audit_log WHERE action = 'case.read'").all()
            #expect(read.count == 1)
        }
    }

    @Test func aConsultantLogsAContactAndChangesTheStatus() async throws {
        try await WebHarness.run { web in
            let number = try await web.leaverWithCase(serial: 101, postcode: "2000")
            let session = try await web.login("consultant-antwerpen")
            try await web.post("/cases/\(number)/contacts", as: session, form: ["channel": "phone", "outcome": "reached", "note": "Belt terug maandag"]) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers.first(name: .location) == "/cases/\(number)?done=contact_logged#actions")
            }
            try await web.post("/cases/\(number)/status", as: session, form: ["status": "contacted"]) { #expect($0.status == .seeOther) }
            try await web.post("/cases/\(number)/next-action", as: session, form: ["action": "Gesprek op kantoor", "due": "2026-12-10"]) {
                #expect($0.status == .seeOther)
            }
            try await web.post("/cases/\(number)/status", as: session, form: ["status": "new", "note": "Mijn uitleg"]) { response in
                #expect(response.status == .unprocessableEntity, "not along the machine")
                let body = response.body.string
                #expect(body.contains("Deze statuswijziging is niet toegestaan."))
                #expect(body.contains("href=\"#new-status\""), "the error summary links to the field")
                #expect(body.contains(">Mijn uitleg</textarea>"), "what was typed is kept")
            }
            try await web.post("/cases/\(number)/next-action", as: session, form: ["action": "Huisbezoek", "due": "31/02/2027"]) { response in
                #expect(response.status == .unprocessableEntity)
                #expect(response.body.string.contains("31 februari 2027 bestaat niet."))
                #expect(response.body.string.contains("value=\"Huisbezoek\""))
            }
            try await web.post("/cases/\(number)/next-action", as: session, form: ["action": "Gesprek op kantoor", "due": "10/12/2026"]) {
                #expect($0.status == .seeOther, "a date as people type it")
            }
            try await web.get("/cases/\(number)?done=contact_logged", as: session) { response in
                let body = response.body.string
                #expect(body.contains("Het contact is geregistreerd."))
                #expect(body.contains("Contact gehad"))
                #expect(body.contains("Telefoon: Bereikt"))
                #expect(body.contains("Belt terug maandag"))
                #expect(body.contains("Gesprek op kantoor"))
                #expect(body.contains("10 december 2026"))
            }
            let note = try await web.store.sql.raw("SELECT note_sealed FROM case_events WHERE kind = 'contact'").first()!
                .decode(column: "note_sealed", as: Data.self)
            #expect(note.range(of: Data("maandag".utf8)) == nil, "notes are encrypted at rest")
        }
    }

    @Test func aNewFactOnAnOpenCaseShowsAsASuggestion() async throws {
        try await WebHarness.run { web in
            let number = try await web.leaverWithCase(serial: 101, postcode: "2000")
            try await web.actOn(number)
            let insz = PersonBuilder(born: "2006-03-14", serial: 101).insz
            try await deliver([PersonBuilder(insz: insz).employed(from: "2026-11-20", id: "D1")], to: web.store)
            try await web.context.pipeline.runNow()
            let session = try await web.login("consultant-antwerpen")
            try await web.get("/cases/\(number)", as: session) { response in
                let body = response.body.string
                #expect(body.contains("Nieuwe gegevens"))
                #expect(body.contains("Is beginnen werken"))
                #expect(body.contains("Aan het werk sinds 20 november 2026"))
            }
        }
    }

    @Test func aCaseNobodyActedOnIsWithdrawnWithItsReasonShown() async throws {
        try await WebHarness.run { web in
            let number = try await web.leaverWithCase(serial: 101, postcode: "2000")
            let insz = PersonBuilder(born: "2006-03-14", serial: 101).insz
            try await deliver([PersonBuilder(insz: insz).employed(from: "2026-11-20", id: "D1")], to: web.store)
            try await web.context.pipeline.runNow()
            let session = try await web.login("teamlead-antwerpen")
            try await web.get("/cases/\(number)", as: session) { response in
                let body = response.body.string
                #expect(body.contains("Ingetrokken door Vangnet"))
                #expect(body.contains("Is beginnen werken, nog voor iemand de jongere benaderde"))
                #expect(!body.contains("withdrawn") && !body.contains("started_work"), "words, not codes")
            }
        }
    }

    @Test func closingAsksForAReasonAndAConfirmationAndATeamLeadCanUndoIt() async throws {
        try await WebHarness.run { web in
            let number = try await web.leaverWithCase(serial: 101, postcode: "2000")
            let session = try await web.login("consultant-antwerpen")
            try await web.post("/cases/\(number)/status", as: session, form: ["status": "deceased"]) { response in
                #expect(response.status == .unprocessableEntity)
                #expect(response.body.string.contains("Schrijf in de notitie waarom u het dossier afsluit."))
            }
            try await web.post("/cases/\(number)/status", as: session, form: ["status": "deceased", "note": "Bericht van de school"]) { response in
                #expect(response.status == .unprocessableEntity)
                #expect(response.body.string.contains("Bevestig dat u het dossier wilt afsluiten"))
                #expect(response.body.string.contains(">Bericht van de school</textarea>"), "the reason is kept")
            }
            try await web.post("/cases/\(number)/status", as: session, form: ["status": "deceased", "note": "Bericht van de school",
                                                                             "confirm": "1"]) { #expect($0.status == .seeOther) }
            try await web.get("/cases/\(number)", as: session) { response in
                let body = response.body.string
                #expect(body.contains("Dit dossier is afgesloten."))
                #expect(!body.contains("action=\"/cases/\(number)/contacts\""), "no work forms on a closed case")
                #expect(!body.contains("undo-close"), "a consultant cannot undo")
            }
            let lead = try await web.login("teamlead-antwerpen")
            try await web.get("/cases/\(number)", as: lead) { #expect($0.body.string.contains("Afsluiting ongedaan maken")) }
            try await web.post("/cases/\(number)/undo-close", as: lead, form: ["reason": "Verkeerde jongere"]) { #expect($0.status == .seeOther) }
            try await web.get("/cases/\(number)?done=closing_undone", as: lead) { response in
                let body = response.body.string
                #expect(body.contains("De afsluiting is ongedaan gemaakt."))
                #expect(body.contains("Afsluiting ongedaan gemaakt"), "in the history")
                #expect(body.contains("action=\"/cases/\(number)/contacts\""), "open again: the work forms are back")
            }
        }
    }

    @Test func theTeamLeadReassignsUnassignedCases() async throws {
        try await WebHarness.run { web in
            // Nobody covers West-Vlaanderen in these regions: its cases stay unassigned.
            var settings = web.context.settings
            settings.regions = Regions(brusselsProvince: .vlaamsBrabant, consultants: [])
            let runner = PipelineRunner(store: web.store, policy: .default, regions: settings.regions, today: WebHarness.today)
            try await deliver([PersonBuilder(born: "2006-03-14", serial: 105).enrolled(from: "2025-09-01", to: "2026-06-30", id: "E105")
                .lives(postcode: "8000", id: "P105")], to: web.store)
            try await runner.run()
            let id = try #require(try await web.store.openCases(scope: .all, limit: 1).first)
            #expect(id.consultant == nil)
            let lead = try await web.login("teamlead-west-vlaanderen")
            try await web.get("/team", as: lead) { response in
                #expect(response.status == .ok)
                #expect(response.body.string.contains(id.number))
                #expect(response.body.string.contains("Niet toegewezen dossiers (1)"))
            }
            try await web.post("/team/reassign", as: lead, form: ["consultant": "consultant-west-vlaanderen", "cases[]": String(id.id)]) { response in
                #expect(response.headers.first(name: .location) == "/team?moved=1")
            }
            #expect(try await web.store.caseSummary(id.id, scope: .all)?.consultant == "consultant-west-vlaanderen")
            let other = try await web.login("teamlead-limburg")
            try await web.post("/team/reassign", as: other, form: ["consultant": "consultant-limburg", "cases[]": String(id.id)]) { response in
                #expect(response.status == .notFound, "another province's case is not found for this lead")
            }
            #expect(try await web.store.caseSummary(id.id, scope: .all)?.consultant == "consultant-west-vlaanderen", "and nothing moved")
            let consultant = try await web.login("consultant-west-vlaanderen")
            try await web.get("/team", as: consultant) { #expect($0.status == .notFound) }
        }
    }

    @Test func theStewardSeesSourcesAndQuarantineButNoCases() async throws {
        try await WebHarness.run { web in
            let number = try await web.leaverWithCase(serial: 101, postcode: "2000")
            let bad = Rejection(.invalidDate, field: "start_date", message: "start_date: not an existing date in the form YYYY-MM-DD",
                                location: "line 2", kind: .jobseeker, source: .vdab, recordID: "V9",
                                original: Array("V9,\(PersonBuilder(born: "2006-03-14", serial: 101).insz.digits),2026-02-30".utf8))
            try await deliver([.rejected(bad)], to: web.store, name: "vdab.csv")
            let steward = try await web.login("steward")
            try await web.get("/steward", as: steward) { response in
                #expect(response.status == .ok)
                let body = response.body.string
                #expect(body.contains("AGODI"))
                #expect(body.contains("invalid_date"))
                #expect(body.contains("vdab.csv"))
            }
            try await web.get("/steward?reason=invalid_insz", as: steward) { #expect($0.body.string.contains("Geen records in quarantaine.")) }
            let entry = try #require(try await web.store.quarantine().first)
            try await web.get("/steward/quarantine/\(entry.id)", as: steward) { response in
                #expect(response.body.string.contains("2026-02-30"), "the original text")
                #expect(response.body.string.contains("record_id,insz,registration_date"), "a correction form with the header")
            }
            // The corrected record goes through the same validation, then into the store.
            let insz = PersonBuilder(born: "2006-03-14", serial: 101).insz.digits
            try await web.post("/steward/quarantine/\(entry.id)/reprocess", as: steward,
                               form: ["corrected": "record_id,insz,registration_date\nV9,\(insz),2026-02-03"]) { response in
                #expect(response.status == .seeOther)
            }
            #expect(try await web.store.quarantine(status: "reprocessed").count == 1)
            #expect(try await web.store.sql.raw("SELECT COUNT(*) AS n FROM source_records WHERE record_id = 'V9'").first()!
                .decode(column: "n", as: Int.self) == 1)
            try await web.get("/cases/\(number)", as: steward) { #expect($0.status == .notFound, "a steward sees no case contents") }
            try await web.get("/cases", as: steward) { #expect($0.status == .notFound) }
            let consultant = try await web.login("consultant-antwerpen")
            try await web.get("/steward", as: consultant) { #expect($0.status == .notFound) }
            try await web.get("/steward/quarantine/\(entry.id)", as: consultant) { #expect($0.status == .notFound) }
        }
    }

    @Test func aStillInvalidCorrectionIsShownWithItsProblem() async throws {
        try await WebHarness.run { web in
            let bad = Rejection(.invalidDate, field: "registration_date", message: "registration_date: not a date", location: "line 2",
                                kind: .jobseeker, source: .vdab, recordID: "V9", original: Array("V9,1,2026-02-30".utf8))
            try await deliver([.rejected(bad)], to: web.store)
            let steward = try await web.login("steward")
            let entry = try #require(try await web.store.quarantine().first)
            try await web.post("/steward/quarantine/\(entry.id)/reprocess", as: steward,
                               form: ["corrected": "record_id,insz,registration_date\nV9,12345,2026-02-03"]) { response in
                #expect(response.status == .unprocessableEntity)
                #expect(response.body.string.contains("De gecorrigeerde record wordt nog geweigerd"))
                #expect(response.body.string.contains("insz"))
            }
            #expect(try await web.store.quarantine().count == 1, "still open")
        }
    }

    @Test func theFiguresPageShowsCountsOnly() async throws {
        try await WebHarness.run { web in
            try await web.leaverWithCase(serial: 101, postcode: "2000")
            let auditor = try await web.login("auditor")
            try await web.get("/reports", as: auditor) { response in
                #expect(response.status == .ok)
                #expect(response.body.string.contains("Van schoolverlaters tot open dossiers"))
                #expect(!response.body.string.contains("Test Persoon"))
            }
            try await web.get("/cases", as: auditor) { #expect($0.status == .notFound) }
        }
    }

    @Test func everyResponseCarriesTheSecurityHeaders() async throws {
        try await WebHarness.run { web in
            for path in ["/login", "/cases", "/nowhere", "/health/live", "/api/v1/openapi.json"] {
                try await web.get(path, as: nil) { response in
                    let csp = response.headers.first(name: "Content-Security-Policy") ?? ""
                    #expect(csp.contains("object-src 'none'"), "\(path)")
                    #expect(csp.contains("base-uri 'none'"))
                    #expect(csp.contains("frame-ancestors 'none'"))
                    #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff")
                    #expect(response.headers.first(name: "Referrer-Policy") == "no-referrer")
                    #expect(response.headers.first(name: "Strict-Transport-Security")?.hasPrefix("max-age=") == true)
                    let requestID = try #require(response.headers.first(name: "X-Request-ID"), "\(path)")
                    #expect(UUID(uuidString: requestID) != nil, "\(path): a fresh request id, not \(requestID)")
                }
            }
        }
    }

    @Test func errorPagesAreHelpfulAndShowNoInternals() async throws {
        try await WebHarness.run { web in
            let session = try await web.login("consultant-antwerpen")
            try await web.get("/cases/not-a-number", as: session) { response in
                #expect(response.status == .notFound)
                let body = response.body.string
                #expect(body.contains("Terug naar het begin"))
                #expect(body.contains(response.headers.first(name: "X-Request-ID") ?? "none"), "the request id as reference")
                #expect(!body.contains("Swift") && !body.contains(".swift"))
            }
        }
    }
}
