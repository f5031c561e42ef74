import Domain
import Foundation
import Ingest
import TestSupport
import Testing

/// CloudEvents 1.0 read without a server: every mode gives the same records; a bad event is a
/// rejection with its reason while the rest of the batch goes on; a body that is not events at all
/// is refused as a whole with a stable code.
@Suite struct CloudEventTests {
    static let insz = PersonBuilder(born: "2006-03-14", serial: 101).insz.digits
    static let enrolmentType = "be.vlaanderen.vangnet.enrolment.v1"
    let reader = CloudEventReader(allowTestNumbers: true, today: testToday)

    static func data(record: String = "EV-1", end: String = "2026-06-30") -> [String: Any] {
        ["record_id": record, "insz": insz, "school_number": "40618", "school_name": "GO! atheneum Ekeren",
         "school_postcode": "2180", "programme": "fulltime", "start_date": "2025-09-01", "end_date": end, "exit_reason": "X"]
    }

    static func enrolment(id: String, record: String = "EV-1", end: String = "2026-06-30") -> [String: Any] {
        ["specversion": "1.0", "id": id, "source": "/sources/agodi", "type": enrolmentType, "data": data(record: record, end: end)]
    }

    static func json(_ value: Any) -> [UInt8] { Array(try! JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) }

    func structured(_ event: [String: Any], from source: Source = .agodi) throws -> CloudEvent {
        let events = try reader.read(body: Self.json(event), contentType: "application/cloudevents+json", from: source)
        #expect(events.count == 1)
        return try #require(events.first)
    }

    func problem(_ body: [UInt8], contentType: String?, headers: [String: String] = [:],
                 reader: CloudEventReader? = nil) -> CloudEventProblem? {
        do throws(CloudEventProblem) {
            _ = try (reader ?? self.reader).read(body: body, contentType: contentType, headers: headers, from: .agodi)
            return nil
        } catch {
            return error
        }
    }

    @Test func aStructuredEventBecomesItsRecordFromTheSourceThatSentIt() throws {
        let event = try structured(Self.enrolment(id: "evt-1"))
        #expect(event.id == "evt-1")
        #expect(event.source == .agodi)
        #expect(event.kind == .enrolment)
        let record = try #require(event.item.record, "rejected: \(String(describing: event.item.rejection))")
        #expect(record.recordID == "EV-1")
        #expect(record.source == .agodi, "data without a source is the sender's")
        #expect(record.insz.digits == Self.insz)
        guard case .enrolment(let enrolment) = record.body else { Issue.record("read as a \(record.kind.rawValue)"); return }
        #expect(enrolment.endDate == LocalDate(iso: "2026-06-30"))
    }

    @Test func aMediaTypeWithParametersOrCapitalsIsStillStructuredMode() throws {
        let events = try reader.read(body: Self.json(Self.enrolment(id: "evt-1")),
                                     contentType: "Application/CloudEvents+JSON; charset=utf-8", from: .agodi)
        #expect(events.map(\.id) == ["evt-1"])
        #expect(events.first?.item.record != nil)
    }

    @Test func aBatchGivesItsEventsInOrder() throws {
        let body = Self.json([Self.enrolment(id: "b-1", record: "EV-1"), Self.enrolment(id: "b-2", record: "EV-2")])
        let events = try reader.read(body: body, contentType: "application/cloudevents-batch+json", from: .agodi)
        #expect(events.map(\.id) == ["b-1", "b-2"])
        #expect(events.map { $0.item.record?.recordID } == ["EV-1", "EV-2"])
    }

    @Test func aBinaryEventTakesItsAttributesFromTheCeHeaders() throws {
        let headers = ["Ce-Specversion": "1.0", "ce-id": "bin-1", "CE-SOURCE": "/sources/agodi", "ce-type": Self.enrolmentType,
                       "webhook-id": "msg-1"]
        let events = try reader.read(body: Self.json(Self.data()), contentType: "application/json", headers: headers, from: .agodi)
        #expect(events.count == 1)
        let event = try #require(events.first)
        #expect(event.id == "bin-1")
        #expect(event.kind == .enrolment)
        #expect(event.item.record?.recordID == "EV-1")
    }

    @Test func aBinaryEventWhoseBodyIsNotAJSONObjectIsRejectedForItsData() throws {
        let headers = ["ce-specversion": "1.0", "ce-id": "bin-2", "ce-source": "/sources/agodi", "ce-type": Self.enrolmentType]
        let events = try reader.read(body: Array("not json".utf8), contentType: "application/json", headers: headers, from: .agodi)
        let rejection = try #require(events.first?.item.rejection)
        #expect(events.first?.id == "bin-2")
        #expect(rejection.reason == .invalidEvent)
        #expect(rejection.field == "data")
    }

    @Test func aWrongSpecversionIsAnInvalidEventKeptWithItsBytes() throws {
        var event = Self.enrolment(id: "evt-1")
        event["specversion"] = "0.3"
        let read = try structured(event)
        #expect(read.id == "evt-1", "the id still names the rejected event")
        let rejection = try #require(read.item.rejection)
        #expect(rejection.reason == .invalidEvent)
        #expect(rejection.field == "specversion")
        #expect(rejection.message == "specversion: must be \"1.0\"")
        #expect(rejection.location == "event 1")
        #expect(rejection.source == .agodi)
        #expect(!rejection.original.isEmpty, "the event as it arrived, for the data steward")
    }

    @Test func anEventWithoutAnIdStillGetsOneSoItsRejectionIsKept() throws {
        var event = Self.enrolment(id: "")
        event["id"] = nil
        let read = try structured(event)
        #expect(read.id.hasPrefix("invalid:1:"))
        #expect(read.item.rejection?.field == "id")
    }

    @Test func anUnknownTypeIsAnInvalidEvent() throws {
        var event = Self.enrolment(id: "evt-1")
        event["type"] = "be.vlaanderen.vangnet.horoscope.v1"
        let read = try structured(event)
        #expect(read.kind == nil)
        let rejection = try #require(read.item.rejection)
        #expect(rejection.reason == .invalidEvent)
        #expect(rejection.field == "type")
    }

    @Test func anEventNamingAnotherSourceThanTheSenderIsAnInvalidEvent() throws {
        var event = Self.enrolment(id: "evt-1")
        event["source"] = "/sources/dimona"
        let rejection = try #require(try structured(event).item.rejection)
        #expect(rejection.reason == .invalidEvent)
        #expect(rejection.field == "source")
    }

    @Test func aTypeTheSenderDoesNotDeliverIsAnInvalidEvent() throws {
        var event = Self.enrolment(id: "evt-1")
        event["source"] = "urn:vangnet:dimona"
        let read = try structured(event, from: .dimona)
        let rejection = try #require(read.item.rejection)
        #expect(rejection.reason == .invalidEvent)
        #expect(rejection.field == "type")
        #expect(rejection.message == "type: dimona does not deliver enrolment records")
    }

    @Test func dataNamingAnotherSourceThanTheSenderIsAnInvalidEvent() throws {
        var event = Self.enrolment(id: "evt-1")
        var data = Self.data()
        data["source"] = "syntra"
        event["data"] = data
        let rejection = try #require(try structured(event).item.rejection)
        #expect(rejection.reason == .invalidEvent)
        #expect(rejection.field == "data.source")
    }

    @Test func aBadRecordInsideABatchIsRejectedWithItsReasonAndTheRestIsRead() throws {
        let body = Self.json([Self.enrolment(id: "e-1"), Self.enrolment(id: "e-2", record: "EV-2", end: "2026-02-30"),
                              Self.enrolment(id: "e-3", record: "EV-3")])
        let events = try reader.read(body: body, contentType: "application/cloudevents-batch+json", from: .agodi)
        #expect(events.map(\.id) == ["e-1", "e-2", "e-3"])
        #expect(events[0].item.record?.recordID == "EV-1")
        #expect(events[2].item.record?.recordID == "EV-3")
        let rejection = try #require(events[1].item.rejection)
        #expect(rejection.reason == .invalidDate)
        #expect(rejection.field == "end_date")
        #expect(rejection.location == "event 2")
        #expect(rejection.recordID == "EV-2")
    }

    @Test func aTestNumberOutsideATestEnvironmentIsAnInvalidINSZ() throws {
        let production = CloudEventReader(allowTestNumbers: false, today: testToday)
        let events = try production.read(body: Self.json(Self.enrolment(id: "evt-1")), contentType: "application/cloudevents+json",
                                         from: .agodi)
        #expect(events.first?.item.rejection?.reason == .invalidINSZ)
        #expect(events.first?.item.rejection?.field == "insz")
    }

    @Test func aBatchOverTheLimitOrEmptyIsRefusedAsAWhole() {
        let over = Self.json(Array(repeating: Self.enrolment(id: "x"), count: 1001))
        let tooMany = problem(over, contentType: "application/cloudevents-batch+json")
        #expect(tooMany?.code == .batchSize)
        #expect(tooMany?.message == "a batch holds 1 to 1000 events")
        #expect(problem(Array("[]".utf8), contentType: "application/cloudevents-batch+json")?.code == .batchSize)
        let small = CloudEventReader(allowTestNumbers: true, today: testToday, maximumBatchSize: 2)
        let three = Self.json([Self.enrolment(id: "a"), Self.enrolment(id: "b"), Self.enrolment(id: "c")])
        #expect(problem(three, contentType: "application/cloudevents-batch+json", reader: small)?.code == .batchSize)
    }

    @Test func aBodyThatIsNotEventsIsMalformedJSON() {
        let notJSON = problem(Array("not json".utf8), contentType: "application/cloudevents+json")
        #expect(notJSON?.code == .malformedJSON)
        #expect(notJSON?.message == "not a JSON object")
        let notArray = problem(Self.json(Self.enrolment(id: "evt-1")), contentType: "application/cloudevents-batch+json")
        #expect(notArray?.code == .malformedJSON)
        #expect(notArray?.message == "a batch must be a JSON array of events")
    }

    @Test func neitherACloudEventsMediaTypeNorCeHeadersIsTheWrongContentType() {
        #expect(problem(Array("{}".utf8), contentType: "text/plain", headers: ["webhook-id": "msg-1"])?.code == .contentType)
        #expect(problem(Array("{}".utf8), contentType: nil)?.code == .contentType)
    }
}
