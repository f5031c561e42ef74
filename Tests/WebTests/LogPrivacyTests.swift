import Domain
import Foundation
import Logging
import NIOConcurrencyHelpers
import SQLKit
import Storage
import TestSupport
import Testing
import Vapor
import VaporTesting
@testable import Web

/// Everything every logger of this test process writes, at every level, from the moment the
/// capture is installed (swift-log allows one bootstrap per process).
final class LogCapture: Sendable {
    static let shared = LogCapture()
    private let lines = NIOLockedValueBox<[String]>([])

    static let installed: Bool = {
        LoggingSystem.bootstrap { label in CapturingHandler(label: label, capture: shared) }
        return true
    }()

    func append(_ line: String) { lines.withLockedValue { $0.append(line) } }
    var all: [String] { lines.withLockedValue { $0 } }

    struct CapturingHandler: LogHandler {
        let label: String
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var metadataProvider: Logger.MetadataProvider?
        var logLevel: Logger.Level = .trace

        func log(event: LogEvent) {
            var all = metadata
            for (key, value) in event.metadata ?? [:] { all[key] = value }
            for (key, value) in metadataProvider?.get() ?? [:] { all[key] = value }
            capture.append("\(label) \(event.level) \(event.message) \(all) \(event.error.map { String(describing: $0) } ?? "")")
        }

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
    }
}

/// No INSZ and no name in logs, metrics or URLs: the server's scenarios run with every log line
/// captured at trace level, and the test fails if any INSZ-shaped number or fixture name shows up.
@Suite struct LogPrivacyTests {
    /// An INSZ as digits (not part of a longer number, a UUID or a hex string) or in its display form.
    static let inszShaped = try! NSRegularExpression(pattern: #"(?<![0-9A-Za-z-])\d{11}(?![0-9A-Za-z-])|\d{2}\.\d{2}\.\d{2}-\d{3}\.\d{2}"#)
    static let fixtureWords = ["Persoon", "Teststraat", "Gebeld met de moeder", "Tweede poging bij de tante"]

    static func problems(in text: String) -> [String] {
        var found: [String] = []
        let range = NSRange(text.startIndex..., in: text)
        for match in inszShaped.matches(in: text, range: range) {
            found.append("INSZ-shaped '\(String(text[Range(match.range, in: text)!]))'")
        }
        for word in fixtureWords where text.contains(word) { found.append("fixture text '\(word)'") }
        return found
    }

    @Test func theCheckItselfFindsWhatItLooksFor() {
        #expect(!Self.problems(in: "case.read 06631410115 by x").isEmpty)
        #expect(!Self.problems(in: "subject 06.63.14-101.15").isEmpty)
        #expect(!Self.problems(in: "name=Test Persoon").isEmpty)
        #expect(Self.problems(in: "request_id=5AF0FC66-7A24-4300-B18C-828920661432 at 2026-11-29T11:59:47.123Z").isEmpty)
    }

    @Test func serverScenariosLeaveNoPersonalDataInLogsMetricsOrURLs() async throws {
        #expect(LogCapture.installed)
        try await WebHarness.run { web in
            let number = try await web.leaverWithCase(serial: 101, postcode: "2000")
            let insz = PersonBuilder(born: "2006-03-14", serial: 101).insz
            let other = PersonBuilder(born: "2007-05-02", serial: 203).insz
            var urls: [String] = []
            func visit(_ path: String) -> String { urls.append(path); return path }

            // Logging in, badly and well.
            _ = visit("/login")
            try await web.postLogin(["username": insz.digits, "password": "Test Persoon"]) { #expect($0.status == .ok || $0.status == .unauthorized) }
            let consultant = try await web.login("consultant-antwerpen")

            // The consultant's day: caseload, search by INSZ, case page, contact, note, status, plan.
            try await web.get(visit("/cases"), as: consultant) { #expect($0.status == .ok) }
            try await web.post(visit("/cases/search"), as: consultant, form: ["q": insz.formatted]) { response in
                urls.append(response.headers.first(name: .location) ?? "")
            }
            try await web.post(visit("/cases/search"), as: consultant, form: ["q": other.digits]) { response in
                urls.append(response.headers.first(name: .location) ?? "")
            }
            try await web.get(visit("/cases/\(number)"), as: consultant) { #expect($0.status == .ok) }
            try await web.post(visit("/cases/\(number)/contacts"), as: consultant,
                               form: ["channel": "phone", "outcome": "reached", "note": "Gebeld met de moeder"]) { _ in }
            try await web.post(visit("/cases/\(number)/notes"), as: consultant, form: ["note": "Tweede poging bij de tante"]) { _ in }
            try await web.post(visit("/cases/\(number)/status"), as: consultant, form: ["status": "contacted"]) { _ in }
            try await web.post(visit("/cases/\(number)/next-action"), as: consultant, form: ["action": "Bellen", "due": "not a date"]) { _ in }
            try await web.get(visit("/cases/VN-999999"), as: consultant) { #expect($0.status == .notFound) }
            try await web.post(visit("/cases/\(number)/notes"), as: consultant, form: ["note": "x"], csrf: false) { #expect($0.status == .badRequest) }

            // Events: a good one, one with an invalid INSZ and a name in it, one unsigned.
            try await web.store.setEventSecret(EventIntakeTests.secret, for: .agodi)
            for (id, record, number) in [("log-1", "EV-1", insz.digits), ("log-2", "EV-2", "12345678901")] {
                var event = EventIntakeTests.enrolment(id: id, record: record)
                var data = event["data"] as! [String: Any]
                data["insz"] = number
                data["school_name"] = "Teststraat school"
                event["data"] = data
                let body = EventIntakeTests.json(event)
                let stamp = Int(Date().timeIntervalSince1970)
                try await web.app.testing().test(.POST, visit("/api/v1/events"), beforeRequest: { request in
                    request.headers.add(name: "webhook-id", value: id)
                    request.headers.add(name: "webhook-timestamp", value: String(stamp))
                    request.headers.add(name: "webhook-signature", value: EventIntake.sign(id: id, timestamp: stamp, body: body, secret: EventIntakeTests.secret))
                    request.headers.contentType = HTTPMediaType(type: "application", subType: "cloudevents+json")
                    request.body = ByteBuffer(data: body)
                }, afterResponse: { _ in })
            }
            try await web.app.testing().test(.POST, "/api/v1/events", beforeRequest: { request in
                request.headers.contentType = .json
                request.body = ByteBuffer(string: "{\"insz\": \"\(insz.digits)\"}")
            }, afterResponse: { #expect($0.status.code >= 400) })
            try await web.context.pipeline.runNow()

            // The API, the steward, the auditor.
            let token = try await APITests.token(web, "crm", role: .consultant, provinces: [.antwerpen])
            for path in ["/api/v1/cases", "/api/v1/cases/\(number)", "/api/v1/cases/\(number)/facts", "/api/v1/cases/\(number)/decision"] {
                try await web.app.testing().test(.GET, visit(path), beforeRequest: { request in
                    request.headers.bearerAuthorization = BearerAuthorization(token: token)
                }, afterResponse: { #expect($0.status == .ok) })
            }
            let steward = try await web.login("steward")
            try await web.get(visit("/steward"), as: steward) { #expect($0.status == .ok) }
            if let entry = try await web.store.quarantine().first {
                try await web.get(visit("/steward/quarantine/\(entry.id)"), as: steward) { _ in }
                try await web.post(visit("/steward/quarantine/\(entry.id)/reprocess"), as: steward,
                                   form: ["corrected": "record_id,insz\nX,\(insz.digits)"]) { _ in }
            }
            let auditor = try await web.login("auditor")
            try await web.post(visit("/audit/person"), as: auditor, form: ["insz": insz.formatted]) { #expect($0.status == .ok) }
            try await web.post(visit("/audit/person/report"), as: auditor, form: ["insz": insz.formatted]) { #expect($0.status == .ok) }
            try await web.post(visit("/audit/person/report"), as: auditor, form: ["insz": other.formatted]) { _ in }

            // Failure: the audit log closed, so reads fail with an error that is logged.
            try await DataProtectionTests.closeAuditLog(web.store)
            try await web.get(visit("/cases/\(number)"), as: consultant) { #expect($0.status == .internalServerError) }

            var metrics = ""
            try await web.get(visit("/metrics"), as: nil) { metrics = $0.body.string }
            #expect(metrics.contains("http_requests_total"))

            for url in urls { #expect(Self.problems(in: url).isEmpty, "a URL with personal data: \(url)") }
            #expect(Self.problems(in: metrics).isEmpty, "metrics: \(Self.problems(in: metrics))")
        }
        let lines = LogCapture.shared.all
        #expect(lines.count > 10, "the scenarios were logged (\(lines.count) lines)")
        #expect(lines.contains { $0.contains("request failed") }, "the failure was logged")
        for line in lines {
            let found = Self.problems(in: line)
            #expect(found.isEmpty, "\(found): \(line.prefix(300))")
        }
    }
}
