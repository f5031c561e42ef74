import Domain
import Foundation
import Ingest
import SQLKit
import Storage
import TestSupport
import Testing
import Vapor
import VaporTesting
@testable import Web

/// Live event intake: CloudEvents in every mode, Standard Webhooks signatures, idempotence, quarantine.
@Suite struct EventIntakeTests {
    static let secret = EventIntake.newSecret()
    static let insz = PersonBuilder(born: "2006-03-14", serial: 101).insz.digits

    static func enrolment(id: String, record: String = "EV-1", end: String = "2026-06-30") -> [String: Any] {
        ["specversion": "1.0", "id": id, "source": "/sources/agodi", "type": "be.vlaanderen.vangnet.enrolment.v1",
         "data": ["record_id": record, "insz": insz, "school_number": "40618", "school_name": "GO! atheneum Ekeren",
                  "school_postcode": "2180", "programme": "fulltime", "start_date": "2025-09-01", "end_date": end, "exit_reason": "X"]]
    }

    func post(_ web: WebHarness, body: Data, contentType: String, headers extra: [String: String] = [:], secret: String = EventIntakeTests.secret,
              timestamp: Int = Int(Date().timeIntervalSince1970), sign: Bool = true, _ check: (TestingHTTPResponse) async throws -> Void) async throws {
        let id = UUID().uuidString
        try await web.app.testing().test(.POST, "/api/v1/events", beforeRequest: { request in
            request.headers.replaceOrAdd(name: .contentType, value: contentType)
            request.headers.add(name: "webhook-id", value: id)
            request.headers.add(name: "webhook-timestamp", value: String(timestamp))
            if sign { request.headers.add(name: "webhook-signature", value: EventIntake.sign(id: id, timestamp: timestamp, body: body, secret: secret)) }
            for (name, value) in extra { request.headers.add(name: name, value: value) }
            request.body = ByteBuffer(data: body)
        }, afterResponse: check)
    }

    static func json(_ value: Any) -> Data { try! JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]) }

    func ready(_ web: WebHarness) async throws {
        try await web.store.setEventSecret(Self.secret, for: .agodi)
        try await web.store.setEventSecret(EventIntake.newSecret(), for: .dimona)
    }

    /// Faults a crash probe found (production issue): a rejected event's id is not used up, the same
    /// record under two ids is accepted once, and a record over 1 MiB is refused as by the file import.
    @Test func aRejectedEventCanBeResentCorrectedUnderItsIdAndOneRecordIsAcceptedOnce() async throws {
        try await WebHarness.run { web in
            try await ready(web)
            var broken = Self.enrolment(id: "evt-fix", record: "EV-FIX")
            var data = broken["data"] as! [String: Any]
            data["start_date"] = "2025-02-30"
            broken["data"] = data
            try await post(web, body: Self.json(broken), contentType: "application/cloudevents+json") { #expect($0.status == .badRequest) }
            try await post(web, body: Self.json(Self.enrolment(id: "evt-fix", record: "EV-FIX")), contentType: "application/cloudevents+json") { response in
                #expect(response.status == .accepted)
                let outcome = try response.content.decode(EventIntake.Outcome.self)
                #expect(outcome.accepted == ["evt-fix"], "the corrected event is stored, not a duplicate")
            }
            let twice = [Self.enrolment(id: "evt-a", record: "EV-SAME"), Self.enrolment(id: "evt-b", record: "EV-SAME")]
            try await post(web, body: Self.json(twice), contentType: "application/cloudevents-batch+json") { response in
                let outcome = try response.content.decode(EventIntake.Outcome.self)
                #expect(outcome.accepted == ["evt-a"] && outcome.unchanged == ["evt-b"], "stored once, accepted once")
            }
            var huge = Self.enrolment(id: "evt-huge", record: "EV-HUGE")
            var big = huge["data"] as! [String: Any]
            big["school_name"] = String(repeating: "x", count: (1 << 20) + 10)
            huge["data"] = big
            try await post(web, body: Self.json(huge), contentType: "application/cloudevents+json") { response in
                #expect(response.status == .badRequest)
                #expect(response.body.string.contains("record_too_long"))
            }
        }
    }

    /// The crossroads bank's job-seeker status notification on the event intake (binary mode with
    /// the XML as the body, and structured mode with the XML as `data`): each jobSeeker a record.
    @Test func aJobSeekerStatusNotificationArrivesAsOneEventOfSeveralRecords() async throws {
        try await WebHarness.run { web in
            let secret = EventIntake.newSecret()
            try await web.store.setEventSecret(secret, for: .vdab)
            let other = PersonBuilder(born: "2007-11-02", serial: 233).insz.digits
            func jobSeeker(_ ssin: String, _ type: String, _ day: String, extra: String = "") -> String {
                "<jobSeeker source=\"VDAB\"><event><id>EV\(day.filter(\.isNumber))</id><type>\(type)</type><date>\(day)</date></event>\(extra)<ssin>\(ssin)</ssin></jobSeeker>"
            }
            let xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <ns2:notifyJobSeekerStatus xmlns:ns2="http://kszbcss.fgov.be/intf/jobseekerstatus/notify/v1">
                <sender><organizationIdentification><sector>25</sector><institution>0</institution></organizationIdentification></sender>
                <receiver><organizationIdentification><cbeNumber>0123456749</cbeNumber></organizationIdentification></receiver>
                <legalContext>VANGNET</legalContext><sequenceNumber>1</sequenceNumber>
                <jobSeekers>\(jobSeeker(Self.insz, "REGISTRATION", "2026-11-20"))\(jobSeeker(other, "REGISTRATION", "2026-11-21"))</jobSeekers>
                </ns2:notifyJobSeekerStatus>
                """
            try await post(web, body: Data(xml.utf8), contentType: "application/xml", headers: [
                "ce-specversion": "1.0", "ce-id": "ksz-1", "ce-source": "/sources/vdab", "ce-type": CloudEventReader.jobSeekerStatusType,
            ], secret: secret) { response in
                #expect(response.status == .accepted, "\(response.body.string)")
                let outcome = try response.content.decode(EventIntake.Outcome.self)
                #expect(outcome.accepted == ["ksz-1"])
            }
            let stored = try await web.store.sql.raw("SELECT COUNT(*) AS n FROM source_records WHERE source = 'vdab'").first()!
            #expect(try stored.decode(column: "n", as: Int.self) == 2)
            // Structured: the XML as data; a deregistration without its details is rejected and named.
            let bad = xml.replacingOccurrences(of: "REGISTRATION</type><date>2026-11-21", with: "DEREGISTRATION</type><date>2026-11-25")
            let event: [String: Any] = ["specversion": "1.0", "id": "ksz-2", "source": "/sources/vdab", "type": CloudEventReader.jobSeekerStatusType,
                                        "datacontenttype": "application/xml", "data": bad]
            try await post(web, body: Self.json(event), contentType: "application/cloudevents+json", secret: secret) { response in
                #expect(response.status == .badRequest)
                let body = response.body.string
                #expect(body.contains("ksz-2") && body.contains("missing_field"))
                #expect(!body.contains(other), "no national number in the answer")
            }
            #expect(try await web.store.quarantine().count == 1)
            // The same event again: no second effect.
            try await post(web, body: Data(xml.utf8), contentType: "application/xml", headers: [
                "ce-specversion": "1.0", "ce-id": "ksz-1", "ce-source": "/sources/vdab", "ce-type": CloudEventReader.jobSeekerStatusType,
            ], secret: secret) { response in
                let outcome = try response.content.decode(EventIntake.Outcome.self)
                #expect(outcome.duplicates == ["ksz-1"])
            }
        }
    }

    @Test func aStructuredEventIsStoredDecidedAndTheSameIdHasNoSecondEffect() async throws {
        try await WebHarness.run { web in
            try await ready(web)
            let body = Self.json(Self.enrolment(id: "evt-1"))
            try await post(web, body: body, contentType: "application/cloudevents+json") { response in
                #expect(response.status == .accepted)
                let outcome = try response.content.decode(EventIntake.Outcome.self)
                #expect(outcome.accepted == ["evt-1"])
            }
            try await web.context.pipeline.runNow()
            #expect(try await web.store.openCases(scope: .all, limit: 5).count == 1, "visible as a case")
            try await post(web, body: body, contentType: "application/cloudevents+json") { response in
                #expect(response.status == .accepted)
                let decoded = try response.content.decode(EventIntake.Outcome.self).duplicates
                #expect(decoded == ["evt-1"])
            }
            let changed = Self.json(Self.enrolment(id: "evt-1", end: "2026-03-31"))
            try await post(web, body: changed, contentType: "application/cloudevents+json") { response in
                let decoded = try response.content.decode(EventIntake.Outcome.self).duplicates
                #expect(decoded == ["evt-1"], "the event id decides, not the content")
            }
            #expect(try await web.store.sql.raw("SELECT COUNT(*) AS n FROM source_records").first()!.decode(column: "n", as: Int.self) == 1)
        }
    }

    @Test func aBatchAndABinaryEventAreAccepted() async throws {
        try await WebHarness.run { web in
            try await ready(web)
            let batch = Self.json([Self.enrolment(id: "b-1", record: "EV-1"), Self.enrolment(id: "b-2", record: "EV-2")])
            try await post(web, body: batch, contentType: "application/cloudevents-batch+json") { response in
                #expect(response.status == .accepted)
                let decoded = try response.content.decode(EventIntake.Outcome.self).accepted.sorted()
                #expect(decoded == ["b-1", "b-2"])
            }
            let data = Self.json(Self.enrolment(id: "x")["data"]!)
            try await post(web, body: data, contentType: "application/json", headers: [
                "ce-specversion": "1.0", "ce-id": "bin-1", "ce-source": "/sources/agodi", "ce-type": "be.vlaanderen.vangnet.enrolment.v1",
            ]) { response in
                #expect(response.status == .accepted)
                let decoded = try response.content.decode(EventIntake.Outcome.self).unchanged
                #expect(decoded == ["bin-1"], "same record as EV-1: no change")
            }
        }
    }

    @Test func unsignedOrWronglySignedOrStaleRequestsAreRefused() async throws {
        try await WebHarness.run { web in
            try await ready(web)
            let body = Self.json(Self.enrolment(id: "evt-1"))
            try await post(web, body: body, contentType: "application/cloudevents+json", sign: false) { response in
                #expect(response.status == .unauthorized)
                let decoded = try response.content.decode([String: String].self)["error"]
                #expect(decoded == "signature_missing")
            }
            try await post(web, body: body, contentType: "application/cloudevents+json", secret: EventIntake.newSecret()) { response in
                #expect(response.status == .unauthorized)
                let decoded = try response.content.decode([String: String].self)["error"]
                #expect(decoded == "signature_invalid")
            }
            try await post(web, body: body, contentType: "application/cloudevents+json", timestamp: Int(Date().timeIntervalSince1970) - 600) { response in
                #expect(response.status == .unauthorized)
                let decoded = try response.content.decode([String: String].self)["error"]
                #expect(decoded == "timestamp_out_of_tolerance")
            }
            #expect(try await web.store.sql.raw("SELECT COUNT(*) AS n FROM events").first()!.decode(column: "n", as: Int.self) == 0)
        }
    }

    @Test func badEventsGetA400NamingTheProblemAndAreKeptInQuarantine() async throws {
        try await WebHarness.run { web in
            try await ready(web)
            var wrongType = Self.enrolment(id: "e-2")
            wrongType["type"] = "be.vlaanderen.vangnet.horoscope.v1"
            var badDate = Self.enrolment(id: "e-3")
            var data = badDate["data"] as! [String: Any]
            data["end_date"] = "2026-02-30"
            badDate["data"] = data
            var otherSource = Self.enrolment(id: "e-4")
            otherSource["source"] = "/sources/dimona"
            let batch = Self.json([Self.enrolment(id: "e-1"), wrongType, badDate, otherSource])
            try await post(web, body: batch, contentType: "application/cloudevents-batch+json") { response in
                #expect(response.status == .badRequest)
                let body = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as! [String: Any]
                #expect(body["error"] as? String == "invalid_events")
                #expect(body["accepted"] as? [String] == ["e-1"])
                let problems = body["quarantined"] as! [[String: Any]]
                #expect(problems.map { $0["id"] as! String } == ["e-2", "e-3", "e-4"])
                #expect(problems.map { $0["reason"] as! String } == ["invalid_event", "invalid_date", "invalid_event"])
                #expect(problems[1]["field"] as? String == "end_date")
            }
            #expect(try await web.store.quarantine().count == 3)
            try await post(web, body: Data("not json".utf8), contentType: "application/cloudevents+json") { response in
                #expect(response.status == .badRequest)
            }
            #expect(try await web.store.quarantine().count == 4, "an unreadable body is kept too")
            try await post(web, body: Data("{}".utf8), contentType: "text/plain") { #expect($0.status == .unsupportedMediaType) }
        }
    }
}
