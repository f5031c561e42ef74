import Domain
import Foundation
import Storage
import TestSupport
import Testing
import Vapor
import VaporTesting
@testable import Web
import Workflows

/// The steward's letter pages as the steward uses them: the mail house's files uploaded in the browser.
@Suite struct LetterPagesTests {
    struct Upload: Content {
        var _csrf: String
        var kind: String
        var file: File
    }

    func upload(_ web: WebHarness, as session: WebHarness.Session, kind: String, name: String, _ text: String,
                _ check: (TestingHTTPResponse) async throws -> Void) async throws {
        let form = Upload(_csrf: session.csrf, kind: kind, file: File(data: ByteBuffer(string: text), filename: name))
        try await web.app.testing().test(.POST, "/steward/letters/files", beforeRequest: { request in
            session.apply(&request)
            try request.content.encode(form, as: .formData)
        }, afterResponse: check)
    }

    @Test func theStewardUploadsTheMailHousesAcknowledgementAndSeesEveryLine() async throws {
        try await WebHarness.run { web in
            _ = try await web.leaverWithCase(serial: 101, postcode: "2000")
            _ = try await web.leaverWithCase(serial: 103, postcode: "3500")
            let batch = try #require(try await web.context.letterBatchWork.make().1)
            let steward = try await web.login("steward")
            let file = "batch_id,reference\n\(batch.id),\(batch.items[0].reference)\n\(batch.id),VN-999999-1\nkapot\n"
            var location = ""
            try await upload(web, as: steward, kind: "acknowledgement", name: "bevestiging.csv", file) { response in
                #expect(response.status == .seeOther)
                location = response.headers.first(name: .location) ?? ""
            }
            #expect(location.hasPrefix("/steward/letters/files/"))
            try await web.get(location, as: steward) { response in
                #expect(response.status == .ok)
                let body = response.body.string
                #expect(body.contains("name=\"_csrf\" value=\"\(steward.csrf)\""), "a logout button that works")
                #expect(body.contains("bevestiging.csv"))
                #expect(body.contains("Ontvangstbevestiging"))
                #expect(body.contains("Geen brief met deze referentie"))
                #expect(body.contains("Regel onleesbaar"))
                #expect(body.contains(batch.items[1].reference), "the letter the mail house did not list")
                #expect(!body.contains("unknown_reference") && !body.contains("broken_line"), "words, not codes")
            }
            try await web.get("/steward/letters", as: steward) { response in
                let body = response.body.string
                #expect(body.contains("Afgegeven aan de postdienst"))
                #expect(body.contains("bevestiging.csv"))
            }
        }
    }

    @Test func aFileThatIsNotTheMailHousesIsRefusedWithAClearMessageAndNothingStored() async throws {
        try await WebHarness.run { web in
            let steward = try await web.login("steward")
            try await upload(web, as: steward, kind: "returns", name: "foto.csv", "naam,leeftijd\nAn,19\n") { response in
                #expect(response.status == .unprocessableEntity)
                #expect(response.body.string.contains("Dit bestand kan Vangnet niet lezen als bestand van de postdienst"))
            }
            #expect(try await web.store.mailHouseFiles(limit: 5).isEmpty)
            try await web.post("/steward/letters/files", as: steward, form: ["kind": "returns"]) { response in
                #expect(response.status == .badRequest)
                #expect(response.body.string.contains("Kies een bestand."))
            }
            // A forged upload (no token) is refused before anything is read.
            let forged = Upload(_csrf: "forged", kind: "returns", file: File(data: ByteBuffer(string: "reference,returned_on,reason\n"), filename: "x.csv"))
            try await web.app.testing().test(.POST, "/steward/letters/files", beforeRequest: { request in
                steward.apply(&request)
                try request.content.encode(forged, as: .formData)
            }, afterResponse: { response in #expect(response.status == .forbidden || response.status == .badRequest) })
            #expect(try await web.store.mailHouseFiles(limit: 5).isEmpty)
        }
    }
}

/// The server's daily letter batch.
@Suite struct LetterBatchJobTests {
    @Test func theDaysRunIsDueFromItsHourOncePerDay() {
        let day = date("2026-12-01")
        #expect(!LetterBatchJob.isDue(today: day, now: 5, from: 6, lastRun: nil))
        #expect(LetterBatchJob.isDue(today: day, now: 6, from: 6, lastRun: nil))
        #expect(!LetterBatchJob.isDue(today: day, now: 14, from: 6, lastRun: day))
        #expect(LetterBatchJob.isDue(today: day.adding(days: 1), now: 7, from: 6, lastRun: day))
    }

    @Test func theJobMakesTheDaysBatchWhileTheServerRuns() async throws {
        try await WebHarness.run { web in
            _ = try await web.leaverWithCase(serial: 101, postcode: "2000")
            let job = LetterBatchJob(work: web.context.letterBatchWork, clock: web.context.settings.clock, hour: 0, check: .milliseconds(20))
            let task = Task { await job.run() }
            var batches: [LetterBatchSummary] = []
            for _ in 0..<200 where batches.isEmpty {
                try await Task.sleep(for: .milliseconds(20))
                batches = try await web.store.letterBatches()
            }
            task.cancel()
            await task.value
            #expect(batches.count == 1)
            #expect(batches.first?.letters == 1)
        }
    }
}

/// The letters on the case page: listed with their state in words, shown again as sent, sent again.
@Suite struct CaseLettersTests {
    @Test func theConsultantSeesTheLetterAsSentAndCanHaveItSentAgain() async throws {
        try await WebHarness.run { web in
            let number = try await web.leaverWithCase(serial: 101, postcode: "2000")
            let batch = try #require(try await web.context.letterBatchWork.make().1)
            let reference = batch.items[0].reference
            let consultant = try await web.login("consultant-antwerpen")
            try await web.get("/cases/\(number)", as: consultant) { response in
                let body = response.body.string
                #expect(body.contains("Brieven"))
                #expect(body.contains(reference))
                #expect(body.contains("Klaar voor de postdienst"))
                #expect(!body.contains("in_batch"))
            }
            try await web.get("/cases/\(number)/letters/\(reference)", as: consultant) { response in
                #expect(response.status == .ok)
                let body = response.body.string
                #expect(body.contains("Je bent gestopt met school"), "the letter's text")
                #expect(body.contains("•••••-•••••"), "the code is not shown")
                #expect(body.contains("name=\"_csrf\" value=\"\(consultant.csrf)\""), "a logout button that works")
                #expect(!body.contains(batch.items[0].code.grouped))
            }
            let reads = try await web.store.sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'letter.read' AND subject IS NOT NULL").first()!
            #expect(try reads.decode(column: "n", as: Int.self) == 1, "audited with the person")
            // Another province's consultant: not found, audited as denied.
            let other = try await web.login("consultant-limburg")
            try await web.get("/cases/\(number)/letters/\(reference)", as: other) { #expect($0.status == .notFound) }

            try await web.post("/cases/\(number)/letters/again", as: consultant, form: ["kind": "invitation"]) { response in
                #expect(response.status == .seeOther)
            }
            try await web.get("/cases/\(number)", as: consultant) { response in
                #expect(response.body.string.contains("Brief opnieuw versturen"))
            }
            let (summary, again) = try await web.context.letterBatchWork.make()
            #expect(summary.byKind == ["invitation": 1])
            #expect(again?.items.first?.reference.hasSuffix("-2") == true, "a new reference")
            #expect(try await web.context.letterBatchWork.make().0.letters == 0, "once")
        }
    }
}
