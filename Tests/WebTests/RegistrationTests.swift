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

/// Automatic registration end to end: the outbox written with the case, delivered to the stand-in
/// of VDAB's job-seeker system over HTTP, retried, confirmed at once or by a callback.
@Suite struct RegistrationTests {
    static let secret = "whsec_" + Data(repeating: 7, count: 32).base64EncodedString()

    /// Runs `body` with Limburg on automatic registration, a stand-in on loopback and a manual clock.
    func withRegistration(_ kind: StoreKind = .sqlite, behaviour: JobSeekerSystemStandIn.Behaviour = .init(), maximumAttempts: Int = 8,
                          _ body: (WebHarness, JobSeekerSystemStandIn, ManualClock, RegistrationDelivery) async throws -> Void) async throws {
        let manual = ManualClock(WebHarness.today.noonInBelgium)
        let standIn = try await JobSeekerSystemStandIn(secret: Self.secret, behaviour: behaviour, clock: manual.clock)
        do {
            try await WebHarness.run(kind, clock: manual.clock, configure: { settings in
                settings.policy.autoRegisterProvinces = [.limburg]
                var registration = RegistrationSettings(endpoint: standIn.endpoint, secret: Self.secret)
                registration.delivery.maximumAttempts = maximumAttempts
                // Generous: on two busy cores a stand-in answer can take seconds, and a timeout would be told as "unreachable" instead of its HTTP status.
                registration.timeout = .seconds(15)
                settings.registration = registration
            }) { web in
                let delivery = try #require(web.context.registrationDelivery(client: web.app.client))
                try await body(web, standIn, manual, delivery)
            }
        } catch {
            await standIn.stop()
            throw error
        }
        await standIn.stop()
    }

    func outbox(_ web: WebHarness) async throws -> [(status: String, attempts: Int, key: String)] {
        try await web.store.sql.raw("SELECT status, attempts, idempotency_key FROM registration_outbox ORDER BY id").all().map {
            (try $0.decode(column: "status", as: String.self), try $0.decode(column: "attempts", as: Int.self),
             try $0.decode(column: "idempotency_key", as: String.self))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aCaseUnderAutoRegisterIsRegisteredOnlyWhenTheSystemConfirmsAfterRetries(kind: StoreKind) async throws {
        var behaviour = JobSeekerSystemStandIn.Behaviour()
        behaviour.failFirstAttempts = 2
        try await withRegistration(kind, behaviour: behaviour) { web, standIn, clock, delivery in
            let number = try await web.leaverWithCase(serial: 101, postcode: "3500")
            _ = try await web.leaverWithCase(serial: 103, postcode: "2000")
            let id = try #require(CaseNumber.parse(number))
            // Written with the case, in the same transaction; not yet registered.
            #expect(try await outbox(web).map(\.status) == ["pending"], "only the Limburg case asks for a registration")
            #expect(try await web.store.caseSummary(id, scope: .all)?.status == .new)
            #expect(try await web.store.caseSummary(id, scope: .all)?.action == .autoRegister)

            // Two failures: retried with backoff, the same key every time.
            #expect(try await delivery.deliverDue().retried == 1)
            #expect(try await delivery.deliverDue().sent == 0, "not due before its backoff")
            clock.advance(by: 3_600)
            #expect(try await delivery.deliverDue().retried == 1)
            clock.advance(by: 3_600)
            let third = try await delivery.deliverDue()
            #expect(third.registered == 1)
            #expect(standIn.requestCount == 3)
            let key = try #require(try await outbox(web).first?.key)
            #expect(standIn.registrations.keys.sorted() == [key], "one registration, under one key")
            let sent = try JSONSerialization.jsonObject(with: Data(try #require(standIn.body(of: key)))) as! [String: Any]
            #expect(sent["case_number"] as? String == number)
            #expect(sent["insz"] as? String == PersonBuilder(born: "2006-03-14", serial: 101).insz.digits)
            #expect((sent["address"] as? [String: Any])?["postcode"] as? String == "3500")

            let registered = try #require(try await web.store.caseSummary(id, scope: .all))
            #expect(registered.status == .registered)
            let events = try await web.store.caseEvents(id).map(\.kind)
            #expect(events.suffix(2) == ["registration_confirmed", "status"])
            #expect(try await outbox(web).first?.status == "confirmed")
            // Now the notice letter goes.
            let (summary, _) = try await web.context.letterBatchWork.make()
            #expect(summary.byKind["registration_notice"] == 1)
            // A registration by Vangnet that comes back from the crossroads bank is no reason to close.
            try await deliver([PersonBuilder(born: "2006-03-14", serial: 101).registeredAtVDAB(on: "2026-11-29")], to: web.store)
            try await web.context.pipeline.runNow()
            let after = try #require(try await web.store.caseSummary(id, scope: .all))
            #expect(after.isOpen && after.suggestion == nil)

            let session = try await web.login("consultant-limburg")
            try await web.get("/cases/\(number)", as: session) { response in
                let body = response.body.string
                #expect(body.contains("Ingeschreven als werkzoekende"))
                #expect(body.contains("VDAB-nummer WZ-0000001"))
            }
        }
    }

    @Test func afterTheLastAttemptTheRequestIsStuckForTheStewardWhoCanSendItAgain() async throws {
        var behaviour = JobSeekerSystemStandIn.Behaviour()
        behaviour.failEvery = 1
        try await withRegistration(behaviour: behaviour, maximumAttempts: 2) { web, standIn, clock, delivery in
            let number = try await web.leaverWithCase(serial: 101, postcode: "3500")
            _ = try await delivery.deliverDue()
            clock.advance(by: 3_600)
            #expect(try await delivery.deliverDue().stuck == 1)
            let stuck = try await web.store.stuckRegistrations()
            #expect(stuck.map(\.caseNumber) == [number])
            #expect(stuck.first?.problem == .unreachable && stuck.first?.detail == "HTTP 503")
            let steward = try await web.login("steward")
            try await web.get("/steward", as: steward) { response in
                let body = response.body.string
                #expect(body.contains("Het inschrijvingssysteem van VDAB antwoordt niet"))
                #expect(body.contains(number))
            }
            // The system is back; the steward sends it again.
            standIn.change { $0.failEvery = 0 }
            try await web.post("/steward/registrations/\(stuck[0].id)/retry", as: steward, form: [:]) { response in
                #expect(response.status == .seeOther)
            }
            #expect(try await delivery.deliverDue().registered == 1)
            #expect(try await web.store.caseSummary(CaseNumber.parse(number)!, scope: .all)?.status == .registered)
        }
    }

    @Test func aWorkerThatDiesMidSendLosesNothingAndSendsNothingTwiceUnderAnotherKey() async throws {
        try await withRegistration { web, standIn, clock, delivery in
            _ = try await web.leaverWithCase(serial: 101, postcode: "3500")
            // A worker claims the request and dies before recording what happened.
            let claimed = try await web.store.claimDueRegistrations(now: clock.clock.now(), lease: 120, limit: 10)
            #expect(claimed.count == 1)
            #expect(try await delivery.deliverDue().sent == 0, "held by the dead worker's lease")
            clock.advance(by: 121)
            #expect(try await delivery.deliverDue().registered == 1)
            let again = try await web.store.claimDueRegistrations(now: clock.clock.now(), lease: 120, limit: 10)
            #expect(again.isEmpty)
            #expect(claimed[0].idempotencyKey == (try await outbox(web)).first?.key)
            #expect(standIn.registrations.count == 1)
        }
    }

    @Test func theSystemMayConfirmLaterByASignedCallback() async throws {
        var behaviour = JobSeekerSystemStandIn.Behaviour()
        behaviour.confirmByCallback = true
        try await withRegistration(behaviour: behaviour) { web, standIn, clock, delivery in
            let number = try await web.leaverWithCase(serial: 101, postcode: "3500")
            #expect(try await delivery.deliverDue().accepted == 1)
            let id = CaseNumber.parse(number)!
            #expect(try await web.store.caseSummary(id, scope: .all)?.status == .new, "accepted is not registered")
            #expect(try await web.store.caseEvents(id).last?.kind == "registration_requested")
            let key = try #require(try await outbox(web).first?.key)
            let signature = WebhookSignature(secret: Self.secret)!
            func callback(_ json: String, id messageID: String = "cb-1", signedWith: WebhookSignature? = nil, stamp: Int? = nil,
                          _ check: (TestingHTTPResponse) throws -> Void) async throws {
                let now = stamp ?? Int(clock.clock.now().timeIntervalSince1970)
                try await web.app.testing().test(.POST, "/api/v1/registrations/callback", beforeRequest: { request in
                    request.headers.contentType = .json
                    request.headers.add(name: "webhook-id", value: messageID)
                    request.headers.add(name: "webhook-timestamp", value: String(now))
                    request.headers.add(name: "webhook-signature", value: (signedWith ?? signature).sign(id: messageID, timestamp: now, body: Array(json.utf8)))
                    request.body = ByteBuffer(string: json)
                }, afterResponse: { try check($0) })
            }
            let forger = WebhookSignature(secret: WebhookSignature.generateSecret())!
            try await callback(#"{"request_id":"\#(key)","status":"registered","registration_number":"WZ-9"}"#, signedWith: forger) {
                #expect($0.status == .unauthorized)
            }
            try await callback(#"{"request_id":"\#(key)","status":"registered","registration_number":"WZ-9"}"#,
                               stamp: Int(clock.clock.now().timeIntervalSince1970) - 3_600) { #expect($0.status == .unauthorized, "replayed") }
            try await callback(#"{"request_id":"nobody","status":"registered","registration_number":"WZ-9"}"#) { #expect($0.status == .notFound) }
            try await callback(#"{"request_id":"\#(key)","status":"maybe"}"#) { #expect($0.status == .badRequest) }
            try await callback("not json") { #expect($0.status == .badRequest) }
            #expect(try await web.store.caseSummary(id, scope: .all)?.status == .new, "nothing stored from a bad callback")
            try await callback(#"{"request_id":"\#(key)","status":"registered","registration_number":"WZ-9"}"#) { #expect($0.status == .noContent) }
            try await callback(#"{"request_id":"\#(key)","status":"registered","registration_number":"WZ-9"}"#) { #expect($0.status == .noContent, "again: harmless") }
            #expect(try await web.store.caseSummary(id, scope: .all)?.status == .registered)
            #expect(try await web.store.caseEvents(id).filter { $0.kind == "registration_confirmed" }.count == 1)
        }
    }

    @Test func aCaseWithdrawnBeforeItsRequestLeftCancelsTheRequest() async throws {
        try await withRegistration { web, standIn, _, delivery in
            let number = try await web.leaverWithCase(serial: 101, postcode: "3500")
            try await deliver([PersonBuilder(born: "2006-03-14", serial: 101).employed(from: "2026-11-20", id: "D1")], to: web.store)
            try await web.context.pipeline.runNow()
            #expect(try await web.store.caseSummary(CaseNumber.parse(number)!, scope: .all)?.status == .withdrawn)
            #expect(try await outbox(web).map(\.status) == ["cancelled"])
            #expect(try await delivery.deliverDue().sent == 0)
            #expect(standIn.requestCount == 0)
        }
    }
}
