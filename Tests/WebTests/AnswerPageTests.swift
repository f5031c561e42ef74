import Domain
import Foundation
import Letters
import Storage
import TestSupport
import Testing
import Vapor
import VaporTesting
@testable import Web

/// The young person answers their letter, without an account.
@Suite struct AnswerPageTests {
    /// A case with a letter, and the letter's code (as it is printed; the store keeps only its hash).
    static func letter(_ web: WebHarness) async throws -> (number: String, code: AnswerCode) {
        let number = try await web.leaverWithCase(serial: 101, postcode: "2000")
        let record = try #require(try await web.context.letterBatchWork.make().1)
        return (number, try #require(record.items.first).code)
    }

    func get(_ web: WebHarness, _ path: String) async throws -> (body: String, cookie: String, token: String) {
        var result = ("", "", "")
        try await web.app.testing().test(.GET, path) { response in
            let body = response.body.string
            let cookie = response.headers.setCookie?["__Host-vangnet-login"]?.string ?? ""
            let token = body.range(of: #"name="_csrf" value="([^"]+)""#, options: .regularExpression).map {
                String(body[$0].dropFirst(#"name="_csrf" value=""#.count).dropLast())
            } ?? ""
            result = (body, cookie, token)
        }
        return result
    }

    func post(_ web: WebHarness, _ path: String, cookie: String, _ fields: [String: String],
              _ check: (TestingHTTPResponse) async throws -> Void) async throws {
        try await web.app.testing().test(.POST, path, beforeRequest: { request in
            request.headers.cookie = ["__Host-vangnet-login": .init(string: cookie)]
            try request.content.encode(fields, as: .urlEncodedForm)
        }, afterResponse: check)
    }

    @Test func theYoungPersonConsentsToAReferralOnTheAnswerPageOrSaysNo() async throws {
        try await WebHarness.run { web in
            let (number, code) = try await Self.letter(web)
            let caseID = try #require(CaseNumber.parse(number))
            let today = web.context.today
            var referrals: [Int64] = []
            for (code, name) in [("springplank", "Springplank vzw"), ("kompas", "Kompas vzw")] {
                let organisation = try await web.store.savePartnerOrganisation(code: code, name: name, kind: .tenderPartner, contact: "-",
                                                                              provinces: [.antwerpen], activeFrom: today, activeUntil: nil)
                // Proposed by the consultant without consent: the young person is asked on the answer page.
                referrals.append(try #require(try await web.store.proposeReferral(
                    caseID: caseID, scope: .all, organisationID: organisation.id, lotID: nil, offer: .training, reason: "Opleiding",
                    consent: nil, ageOfConsent: 18, by: testActor, today: today)).id)
            }
            let start = try await get(web, "/antwoord")
            var token = ""
            try await post(web, "/antwoord", cookie: start.cookie, ["_csrf": start.token, "code": code.grouped, "birth": "14/03/2006"]) { response in
                let body = response.body.string
                #expect(body.contains("Je jongerenconsulent stelt voor dat Springplank vzw je helpt: een opleiding."))
                #expect(body.contains("Mag VDAB je naam, je contactgegevens, je leeftijd en de reden van dit voorstel aan Kompas vzw geven?"))
                token = body.range(of: #"name="token" value="([^"]+)""#, options: .regularExpression).map {
                    String(body[$0].dropFirst(#"name="token" value=""#.count).dropLast())
                } ?? ""
            }
            try await post(web, "/antwoord/toestemming", cookie: start.cookie, ["_csrf": start.token, "token": token, "referral": String(referrals[0]),
                                                                                 "agree": "yes"]) { response in
                #expect(response.status == .ok)
                let body = response.body.string
                #expect(body.contains("Springplank vzw krijgt je gegevens en neemt contact met je op"))
                #expect(!body.contains("stelt voor dat Springplank vzw"), "answered: not asked again")
                #expect(body.contains("Kompas vzw"), "the other proposal is still asked")
            }
            try await post(web, "/antwoord/toestemming", cookie: start.cookie, ["_csrf": start.token, "token": token, "referral": String(referrals[1]),
                                                                                 "agree": "no"]) { response in
                #expect(response.body.string.contains("we geven niets door"))
            }
            try await post(web, "/antwoord/toestemming", cookie: start.cookie, ["_csrf": start.token, "token": token, "referral": String(referrals[0]),
                                                                                 "agree": "no"]) { response in
                #expect(response.body.string.contains("Op deze vraag heb je al geantwoord."))
            }
            let stored = try await web.store.referrals(ofCase: caseID)
            let sent = try #require(stored.first { $0.id == referrals[0] })
            #expect(sent.status == .pending && sent.consent == Consent(givenOn: today, channel: .answerPage, givenBy: .youngPerson, extras: []))
            #expect(stored.first { $0.id == referrals[1] }?.status == .revoked)
            let entries = try await web.store.auditEntries(limit: 20).map(\.entry)
            #expect(entries.filter { $0.action == "referral.change" && $0.role == "young-person" }.count == 2, "audited as the young person's own access")
            // The consultant reads it on the case, in words.
            let consultant = try await web.login("consultant-antwerpen")
            try await web.get("/cases/\(number)", as: consultant) { response in
                let body = response.body.string
                #expect(body.contains("De jongere wil niet doorverwezen worden"))
                #expect(body.contains("de jongere (antwoordpagina)") && !body.contains("young-person"))
            }
        }
    }

    @Test func theCodeAndBirthDateOpenThePageAndTheAnswerLandsOnTheCase() async throws {
        try await WebHarness.run { web in
            let (number, code) = try await Self.letter(web)
            let start = try await get(web, "/antwoord")
            #expect(start.body.contains("<html lang=\"nl-BE\">") && start.body.contains("Persoonlijke code"))
            var token = ""
            try await post(web, "/antwoord", cookie: start.cookie, ["_csrf": start.token, "code": code.grouped.lowercased(), "birth": "14/03/2006"]) { response in
                #expect(response.status == .ok)
                let body = response.body.string
                #expect(body.contains("Waarom je deze brief kreeg"))
                #expect(!body.contains("Persoon") && !body.contains("06.63.14"), "no name, no national number on the page")
                token = body.range(of: #"name="token" value="([^"]+)""#, options: .regularExpression).map {
                    String(body[$0].dropFirst(#"name="token" value=""#.count).dropLast())
                } ?? ""
            }
            #expect(!token.isEmpty)
            try await post(web, "/antwoord/keuze", cookie: start.cookie, ["_csrf": start.token, "token": token, "choice": "already_works",
                                                                           "phone": "0470 12 34 56"]) { response in
                #expect(response.status == .unprocessableEntity, "a phone number needs consent")
                #expect(response.body.string.contains("value=\"0470 12 34 56\""), "what was typed is kept")
            }
            try await post(web, "/antwoord/keuze", cookie: start.cookie, ["_csrf": start.token, "token": token, "choice": "already_works",
                                                                           "text": "Ik werk bij de bakker", "phone": "0470 12 34 56", "consent": "1"]) { response in
                #expect(response.status == .ok)
                #expect(response.body.string.contains("Bedankt!"))
            }
            let id = try #require(CaseNumber.parse(number))
            let summary = try #require(try await web.store.caseSummary(id, scope: .all))
            #expect(summary.suggestion == .startedWork, "a suggestion, never a status")
            #expect(summary.nextAction == NextAction.answerFollowUp)
            let events = try await web.store.caseEvents(id)
            let answer = try #require(events.last)
            #expect(answer.event == .answered(.alreadyWorks))
            #expect(answer.note?.contains("Ik werk bij de bakker") == true && answer.note?.contains("0470 12 34 56") == true)
            let audited = try await web.store.sql.raw("SELECT action, actor FROM audit_log WHERE actor = 'young-person'").all()
                .map { try $0.decode(column: "action", as: String.self) }
            #expect(audited == ["answer.view", "answer.give"])
        }
    }

    /// "Something is wrong in this letter" is a task for the consultant and for the data steward.
    @Test func somethingWrongBecomesATaskForTheStewardWithTheText() async throws {
        try await WebHarness.run { web in
            let (number, code) = try await Self.letter(web)
            let start = try await get(web, "/antwoord")
            var token = ""
            try await post(web, "/antwoord", cookie: start.cookie, ["_csrf": start.token, "code": code.grouped, "birth": "14/03/2006"]) { response in
                let body = response.body.string
                token = body.range(of: #"name="token" value="([^"]+)""#, options: .regularExpression).map {
                    String(body[$0].dropFirst(#"name="token" value=""#.count).dropLast())
                } ?? ""
            }
            try await post(web, "/antwoord/keuze", cookie: start.cookie, ["_csrf": start.token, "token": token, "choice": "something_wrong",
                                                                           "text": "Ik heb wel een diploma van 2025"]) { #expect($0.status == .ok) }
            let reports = try await web.store.openAnswerReports()
            #expect(reports.map { CaseNumber.format($0.caseID) } == [number])
            let steward = try await web.login("steward")
            try await web.get("/steward", as: steward) { response in
                let body = response.body.string
                #expect(body.contains("Melding bij dossier \(number)"))
                #expect(!body.contains("diploma van 2025"), "the text only on its own page, read audited")
            }
            try await web.get("/steward/reports/\(reports[0].id)", as: steward) { response in
                #expect(response.status == .ok)
                #expect(response.body.string.contains("Ik heb wel een diploma van 2025"))
            }
            let reads = try await web.store.sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'answer-report.read' AND subject IS NOT NULL").first()!
            #expect(try reads.decode(column: "n", as: Int.self) == 1)
            try await web.post("/steward/reports/\(reports[0].id)/handled", as: steward, form: ["note": "AHOVOKS gevraagd het diploma te melden"]) {
                #expect($0.status == .seeOther)
            }
            #expect(try await web.store.openAnswerReports().isEmpty)
            let events = try await web.store.caseEvents(CaseNumber.parse(number)!)
            #expect(events.last?.kind == "report_handled" && events.last?.note == "AHOVOKS gevraagd het diploma te melden")
            // A consultant cannot read the steward's list.
            let consultant = try await web.login("consultant-antwerpen")
            try await web.get("/steward/reports/\(reports[0].id)", as: consultant) { #expect($0.status == .notFound) }
        }
    }

    @Test func aWrongCodeAndAWrongBirthDateGetTheSameAnswerAndGuessingIsThrottled() async throws {
        try await WebHarness.run { web in
            let (_, code) = try await Self.letter(web)
            let start = try await get(web, "/antwoord?taal=fr")
            #expect(start.body.contains("<html lang=\"fr-BE\">"))
            var answers: [String] = []
            for (typed, birth) in [(code.grouped, "15/03/2006"), ("K7QF2-M9XDA", "14/03/2006")] {
                try await post(web, "/antwoord", cookie: start.cookie, ["_csrf": start.token, "code": typed, "birth": birth, "taal": "fr"]) { response in
                    #expect(response.status == .unprocessableEntity)
                    answers.append(response.body.string.contains("Nous ne trouvons pas ce code avec cette date de naissance") ? "same" : "other")
                }
            }
            #expect(answers == ["same", "same"], "the page never tells whether a code exists")
            for _ in 0..<4 {
                try await post(web, "/antwoord", cookie: start.cookie, ["_csrf": start.token, "code": code.grouped, "birth": "01/01/2000"]) { _ in }
            }
            try await post(web, "/antwoord", cookie: start.cookie, ["_csrf": start.token, "code": code.grouped, "birth": "14/03/2006"]) { response in
                #expect(response.status == .tooManyRequests, "locked after five failures on this code, even with the right birth date")
            }
            try await post(web, "/antwoord", cookie: start.cookie, ["code": code.grouped, "birth": "14/03/2006"]) { response in
                #expect(response.status == .badRequest, "a form without its token")
            }
            try await post(web, "/antwoord/keuze", cookie: start.cookie, ["_csrf": start.token, "token": "1.9999999999.forged", "choice": "wants_help"]) { response in
                #expect(response.status == .badRequest, "a forged token")
            }
        }
    }
}
