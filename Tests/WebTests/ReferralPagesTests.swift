import Domain
import Foundation
import Privacy
import Storage
import TestSupport
import Testing
import Vapor
import VaporTesting
@testable import Web
import Workflows

/// A referral end to end: the consultant refers with consent, the partner answers and follows up
/// in their own workspace, the case follows; out of reach afterwards; the tender monitoring.
@Suite struct ReferralPagesTests {
    func organisations(_ web: WebHarness) async throws -> (PartnerOrganisation, PartnerOrganisation) {
        let today = web.context.today
        let mine = try await web.store.savePartnerOrganisation(code: "springplank", name: "Springplank vzw", kind: .tenderPartner, contact: "03 000 00 00",
                                                              provinces: [.antwerpen], activeFrom: date("2026-01-01"), activeUntil: nil)
        try await web.store.addPartnerLot(organisationID: mine.id, programme: "Werkinleving voor Jongeren", provinces: [.antwerpen], capacityPerQuarter: 40,
                                          contractFrom: date("2026-01-01"), contractUntil: date("2027-12-31"), responseWorkingDays: 3, intakeWorkingDays: 10)
        let other = try await web.store.savePartnerOrganisation(code: "anders", name: "Anders vzw", kind: .localActor, contact: "-",
                                                               provinces: [.antwerpen], activeFrom: today, activeUntil: nil)
        let hash = try Bcrypt.hash(WebHarness.password, cost: 4)
        try await web.store.saveUser(username: "partner-springplank", displayName: "Springplank", role: .partner, provinces: [], organisation: "springplank",
                                     passwordHash: hash)
        try await web.store.saveUser(username: "partner-anders", displayName: "Anders", role: .partner, provinces: [], organisation: "anders",
                                     passwordHash: hash)
        return (mine, other)
    }

    @Test func theConsultantRefersWithConsentThePartnerFollowsUpAndTheCaseFollows() async throws {
        try await WebHarness.run { web in
            let number = try await web.leaverWithCase(serial: 101, postcode: "2000")
            let id = try #require(CaseNumber.parse(number))
            let (mine, _) = try await organisations(web)
            let consultant = try await web.login("consultant-antwerpen")
            // Without consent ticked but with its details missing: refused, what was typed kept.
            try await web.post("/cases/\(number)/referrals", as: consultant, form: ["organisation": String(mine.id), "offer": "work_experience",
                                                                                   "reason": "Wil werkervaring opdoen", "consent": "1"]) { response in
                #expect(response.status == .unprocessableEntity)
                let body = response.body.string
                #expect(body.contains("Vink de toestemming aan en kies hoe en door wie ze gegeven werd."))
                #expect(body.contains("Wil werkervaring opdoen"), "the reason typed is kept")
            }
            try await web.post("/cases/\(number)/referrals", as: consultant, form: [
                "organisation": String(mine.id), "offer": "work_experience", "reason": "Wil werkervaring opdoen", "consent": "1",
                "consent_date": "29/11/2026", "channel": "spoken", "given_by": "young_person",
            ]) { #expect($0.status == .seeOther) }
            #expect(try await web.store.caseSummary(id, scope: .all)?.status == .referred)
            let referral = try #require(try await web.store.referrals(ofCase: id).first)
            #expect(referral.status == .pending && referral.answerDueOn == date("2026-12-02"), "the lot's three working days")
            try await web.get("/cases/\(number)", as: consultant) { response in
                let body = response.body.string
                #expect(body.contains("Springplank vzw") && body.contains("verstuurd, wacht op antwoord"))
            }

            // The partner: their list, the referral with minimal fields, audited with the organisation.
            let partner = try await web.login("partner-springplank")
            try await web.get("/partner", as: partner) { response in
                #expect(response.status == .ok)
                #expect(response.body.string.contains(number))
            }
            try await web.get("/partner/referrals/\(referral.id)", as: partner) { response in
                #expect(response.status == .ok)
                let body = response.body.string
                #expect(body.contains("Wil werkervaring opdoen"))
                #expect(!body.contains("Waarom in Vangnet") && !body.contains("AGODI"), "no school history or decision without consent for it")
            }
            let read = try await web.store.sql.raw("SELECT role FROM audit_log WHERE action = 'referral.read'").first()
            #expect(try read?.decode(column: "role", as: String.self) == "partner:springplank")
            // Another organisation's partner: not found, audited as denied.
            let stranger = try await web.login("partner-anders")
            try await web.get("/partner/referrals/\(referral.id)", as: stranger) { #expect($0.status == .notFound) }
            try await web.post("/partner/referrals/\(referral.id)/accept", as: stranger, form: ["version": String(referral.version)]) {
                #expect($0.status == .notFound)
            }
            // A stale form: refused with a clear message.
            try await web.post("/partner/referrals/\(referral.id)/accept", as: partner, form: ["version": "99"]) { response in
                #expect(response.status == .conflict)
                #expect(response.body.string.contains("De doorverwijzing is gewijzigd sinds u de pagina opende."))
            }
            try await web.post("/partner/referrals/\(referral.id)/accept", as: partner, form: ["version": String(referral.version)]) {
                #expect($0.status == .seeOther)
            }
            try await web.post("/partner/referrals/\(referral.id)/intake", as: partner, form: ["version": String(referral.version + 1), "date": "29/11/2026",
                                                                                         "note": "Intakegesprek gehad, start maandag"]) {
                #expect($0.status == .seeOther)
            }
            try await web.post("/partner/referrals/\(referral.id)/done", as: partner, form: [
                "version": String(referral.version + 2), "date": "29/11/2026", "outcome": "in_work", "note": "Werkt als magazijnier",
            ]) { #expect($0.status == .seeOther) }
            let after = try #require(try await web.store.caseSummary(id, scope: .all))
            #expect(after.status == .inGuidance && after.suggestion == .startedWork)
            try await web.get("/partner/referrals/\(referral.id)", as: partner) { #expect($0.status == .notFound, "done: out of reach") }
            let events = try await web.store.caseEvents(id)
            #expect(events.contains { $0.kind == "referral_progress" && $0.note == "Intakegesprek gehad, start maandag" })
            #expect(events.contains { $0.kind == "referral" && $0.data["status"] == "done" && $0.note == "Werkt als magazijnier" })
            let denied = try await web.store.sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action LIKE 'referral.%' AND outcome = 'denied'").first()!
            #expect(try denied.decode(column: "n", as: Int.self) >= 3)

            // Monitoring: small counts suppressed.
            let lead = try await web.login("teamlead-antwerpen")
            try await web.get("/partners/monitoring", as: lead) { response in
                #expect(response.status == .ok)
                let body = response.body.string
                #expect(body.contains("Springplank vzw") && body.contains("&lt;10"))
                #expect(body.contains("<svg class=\"chart\" role=\"img\"") && body.contains("Verstuurd &lt;10"), "a chart with its text alternative")
            }
            try await web.get("/partners/monitoring?from=30/11/2026", as: lead) { response in
                #expect(response.body.string.contains("Nog geen doorverwijzingen."), "a period without referrals")
                #expect(response.body.string.contains("sinds 30 november 2026"))
            }
            try await web.get("/partners/monitoring?from=morgen", as: lead) { response in
                #expect(response.body.string.contains("Schrijf de datums als 01/12/2026."))
            }
            try await web.get("/partners/monitoring.csv", as: lead) { response in
                #expect(response.body.string.hasPrefix("organisation,kind,lot"))
                #expect(!response.body.string.contains("Test") && !response.body.string.contains("06.03.14"), "no names, no national numbers")
            }
            try await web.get("/partners/monitoring", as: consultant) { #expect($0.status == .notFound) }
            // A team lead of another province sees their own province's referrals: none here.
            let limburg = try await web.login("teamlead-limburg")
            try await web.get("/partners/monitoring", as: limburg) { response in
                #expect(response.body.string.contains("Nog geen doorverwijzingen."))
                #expect(response.body.string.contains("U ziet enkel uw eigen provincie(s): Limburg"))
            }
            let manager = try await web.login("manager")
            try await web.get("/partners/monitoring", as: manager) { #expect($0.body.string.contains("Springplank vzw")) }
        }
    }

    @Test func withdrawnConsentEndsThePartnersAccessAtOnceAndUnder18AParentConsents() async throws {
        try await WebHarness.run { web in
            let number = try await web.leaverWithCase(serial: 101, postcode: "2000")
            let id = try #require(CaseNumber.parse(number))
            let (mine, other) = try await organisations(web)
            let consultant = try await web.login("consultant-antwerpen")
            try await web.post("/cases/\(number)/referrals", as: consultant, form: [
                "organisation": String(mine.id), "offer": "guidance", "reason": "Begeleiding naar werk", "consent": "1", "channel": "written",
                "given_by": "young_person",
            ]) { #expect($0.status == .seeOther) }
            let referral = try #require(try await web.store.referrals(ofCase: id).first)
            // A second open referral to the same organisation: refused.
            try await web.post("/cases/\(number)/referrals", as: consultant, form: [
                "organisation": String(mine.id), "offer": "training", "reason": "Nog een", "consent": "1", "channel": "written", "given_by": "young_person",
            ]) { response in
                #expect(response.status == .conflict)
                #expect(response.body.string.contains("al een open doorverwijzing"))
            }
            // Without consent: kept as a proposal, nothing reaches the partner.
            try await web.post("/cases/\(number)/referrals", as: consultant, form: ["organisation": String(other.id), "offer": "welfare_support",
                                                                                   "reason": "Steun bij huisvesting"]) { #expect($0.status == .seeOther) }
            #expect(try await web.store.referrals(ofCase: id).first?.status == .proposed)
            #expect(try await web.store.partnerReferrals(organisation: "anders").isEmpty)

            try await web.post("/cases/\(number)/referrals/\(referral.id)/consent-withdrawn", as: consultant, form: ["version": String(referral.version)]) {
                #expect($0.status == .seeOther)
            }
            let partner = try await web.login("partner-springplank")
            try await web.get("/partner/referrals/\(referral.id)", as: partner) { #expect($0.status == .notFound) }
            let back = try #require(try await web.store.caseSummary(id, scope: .all))
            #expect(back.status == .contacted && back.nextAction == NextAction.referralFollowUp)
        }
    }

    @Test func aPartnersOwnSystemPullsReferralsAndPushesProgressThroughTheAPI() async throws {
        try await WebHarness.run { web in
            let number = try await web.leaverWithCase(serial: 101, postcode: "2000")
            let id = try #require(CaseNumber.parse(number))
            let (mine, _) = try await organisations(web)
            let today = web.context.today
            let referral = try #require(try await web.store.proposeReferral(
                caseID: id, scope: .all, organisationID: mine.id, lotID: nil, offer: .training, reason: "Opleiding heftruck",
                consent: Consent(givenOn: today, channel: .written, givenBy: .youngPerson, extras: [.schoolHistory]), ageOfConsent: 18,
                by: testActor, today: today))
            let token = try await APITests.token(web, "springplank-crm", role: .partner, organisation: "springplank")
            let stranger = try await APITests.token(web, "anders-crm", role: .partner, organisation: "anders")
            try await APITests().request(web, .GET, "/api/v1/partner/referrals", token: token) { response in
                #expect(response.status == .ok)
                let body = response.body.string
                #expect(body.contains(number) && body.contains("Opleiding heftruck"))
                #expect(body.contains("\"school_history\":\"Testschool"), "the consent covers the school history")
            }
            try await APITests().request(web, .GET, "/api/v1/partner/referrals/\(referral.id)", token: stranger) { #expect($0.status == .notFound) }
            try await APITests().request(web, .POST, "/api/v1/partner/referrals/\(referral.id)/accept", token: token,
                                         json: ["version": String(referral.version), "organisation": "anders"]) { response in
                #expect(response.status == .badRequest, "a forged organisation is refused")
            }
            try await APITests().request(web, .POST, "/api/v1/partner/referrals/\(referral.id)/accept", token: token,
                                         json: ["version": String(referral.version)]) { response in
                #expect(response.status == .ok)
                #expect(response.body.string.contains("\"accepted\""))
            }
            try await APITests().request(web, .POST, "/api/v1/partner/referrals/\(referral.id)/accept", token: token,
                                         json: ["version": String(referral.version + 1)]) { response in
                #expect(response.status == .conflict)
                #expect(response.body.string.contains("referral_conflict"))
            }
            try await APITests().request(web, .POST, "/api/v1/partner/referrals/\(referral.id)/done", token: token,
                                         json: ["version": String(referral.version + 1), "outcome": "in_education", "date": "2026-11-29"]) {
                #expect($0.status == .ok)
            }
            try await APITests().request(web, .GET, "/api/v1/partner/referrals/\(referral.id)", token: token) { #expect($0.status == .notFound) }
            #expect(try await web.store.caseSummary(id, scope: .all)?.suggestion == .reEnrolled)
        }
    }
}

/// The partner hears of a new referral by a signed webhook, through an outbox: no personal data in it.
@Suite struct PartnerWebhookTests {
    final class Received: @unchecked Sendable {
        let lock = NSLock()
        var bodies: [String] = []
        var ids: [String] = []
        var verified: [Bool] = []
        var failFirst = 1
    }

    @Test func aNewReferralIsNoticedByASignedWebhookRetriedUntilDelivered() async throws {
        let secret = WebhookSignature.generateSecret()
        let received = Received()
        let manual = ManualClock(Date())
        let receiver = try await Application.make(.testing)
        receiver.http.server.configuration.hostname = "127.0.0.1"
        receiver.http.server.configuration.port = 0
        let signature = try #require(WebhookSignature(secret: secret))
        receiver.post("hook") { request -> HTTPStatus in
            let body = request.body.data.map { Array($0.readableBytesView) } ?? []
            let id = request.headers.first(name: "webhook-id") ?? ""
            let ok = signature.verify(id: id, timestamp: Int(request.headers.first(name: "webhook-timestamp") ?? "") ?? 0, body: body,
                                      header: request.headers.first(name: "webhook-signature") ?? "", now: Int(manual.clock.now().timeIntervalSince1970))
            return received.lock.withLock {
                received.ids.append(id)
                received.bodies.append(String(decoding: body, as: UTF8.self))
                received.verified.append(ok)
                if received.failFirst > 0 { received.failFirst -= 1; return .serviceUnavailable }
                return .noContent
            }
        }
        try await receiver.server.start()
        let port = try #require(receiver.http.server.shared.localAddress?.port)
        defer { Task { await receiver.server.shutdown(); try? await receiver.asyncShutdown() } }

        try await WebHarness.run(clock: .pinned(to: WebHarness.today, instants: manual.clock)) { web in
            let number = try await web.leaverWithCase(serial: 101, postcode: "2000")
            let today = web.context.today
            let organisation = try await web.store.savePartnerOrganisation(code: "hooked", name: "Hooked vzw", kind: .tenderPartner, contact: "-",
                                                                          provinces: [.antwerpen], activeFrom: today, activeUntil: nil)
            #expect(try await web.store.setPartnerWebhook(code: "hooked", url: "http://127.0.0.1:\(port)/hook", secret: secret))
            let referral = try #require(try await web.store.proposeReferral(
                caseID: CaseNumber.parse(number)!, scope: .all, organisationID: organisation.id, lotID: nil, offer: .guidance, reason: "Begeleiding",
                consent: Consent(givenOn: today, channel: .spoken, givenBy: .youngPerson, extras: []), ageOfConsent: 18, by: testActor, today: today))
            let delivery = WebhookDelivery(outbox: web.store, gateway: HTTPWebhookGateway(client: web.app.client, clock: manual.clock), clock: manual.clock)
            #expect(try await delivery.deliverDue().retried == 1)
            manual.advance(by: 3_600)
            #expect(try await delivery.deliverDue().delivered == 1)
            #expect(try await delivery.deliverDue().sent == 0, "once delivered, never again")
            let (ids, bodies, verified) = received.lock.withLock { (received.ids, received.bodies, received.verified) }
            #expect(ids.count == 2 && Set(ids).count == 1, "the same webhook-id on every attempt")
            #expect(verified == [true, true])
            #expect(bodies[0].contains("\"referral_id\":\(referral.id)") && bodies[0].contains("referral.sent"))
            #expect(!bodies[0].contains("Test") && !bodies[0].contains("2006"), "no name, no birth date: the partner reads those through the API")
            let steward = try await web.login("steward")
            try await web.get("/steward", as: steward) { response in
                #expect(response.body.string.contains("Berichten aan partners") && response.body.string.contains("1 afgeleverd"))
            }
            // A notice the partner's system kept refusing is stuck: listed with its answer, sent again.
            try await web.store.sql.raw("UPDATE partner_webhook_outbox SET status = 'stuck', attempts = 8, last_error = 'HTTP 503'").run()
            try await web.get("/steward", as: steward) { response in
                let body = response.body.string
                #expect(body.contains("Hooked vzw") && body.contains(number) && body.contains("HTTP 503") && body.contains("Opnieuw versturen"))
            }
            let stuck = try #require(try await web.store.stuckWebhooks().first)
            try await web.post("/steward/webhooks/\(stuck.id)/retry", as: steward, form: [:]) { response in
                #expect(response.headers.first(name: .location) == "/steward?done=webhook_retried#webhooks-title")
            }
            #expect(try await web.store.stuckWebhooks().isEmpty)
            #expect(try await delivery.deliverDue().delivered == 1, "sent again")
            let again = received.lock.withLock { received.ids }
            #expect(Set(again).count == 1, "under the same key: the partner recognises it")
            try await web.post("/steward/webhooks/\(stuck.id)/retry", as: steward, form: [:]) { #expect($0.status == .notFound) }
        }
    }
}

/// The admin manages the partner organisations and lots on a page.
@Suite struct PartnerAdminPagesTests {
    @Test func theAdminAddsAnOrganisationAndALotAndABadFormKeepsWhatWasTyped() async throws {
        try await WebHarness.run { web in
            let admin = try await web.login("admin")
            try await web.post("/admin/partners", as: admin, form: ["code": "Niet Goed", "name": "Groep Vooruit vzw", "kind": "tender_partner",
                                                                   "provinces[]": "limburg"]) { response in
                #expect(response.status == .unprocessableEntity)
                let body = response.body.string
                #expect(body.contains("De code bestaat uit 2 tot 40 kleine letters"))
                #expect(body.contains("Groep Vooruit vzw"), "what was typed is kept")
                #expect(body.contains("href=\"#org-code\""), "the error links to the field")
            }
            try await web.post("/admin/partners", as: admin, form: ["code": "groep-vooruit", "name": "Groep Vooruit vzw", "kind": "tender_partner",
                                                                   "contact": "011 00 00 00", "provinces[]": "limburg"]) { #expect($0.status == .seeOther) }
            try await web.post("/admin/partners/lots", as: admin, form: ["lot_code": "groep-vooruit", "programme": "Werkinleving voor Jongeren",
                                                                        "capacity": "25", "from": "01/01/2026", "until": "31/12/2027"]) {
                #expect($0.status == .seeOther)
            }
            let lots = try await web.store.partnerLots()
            #expect(lots.count == 1 && lots[0].provinces == [.limburg] && lots[0].capacityPerQuarter == 25)
            try await web.get("/admin/partners", as: admin) { response in
                let body = response.body.string
                #expect(body.contains("Groep Vooruit vzw") && body.contains("Werkinleving voor Jongeren: 25 per kwartaal"))
            }
            let consultant = try await web.login("consultant-limburg")
            try await web.get("/admin/partners", as: consultant) { #expect($0.status == .notFound) }
        }
    }
}
