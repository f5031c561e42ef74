import Domain
import Foundation
import Storage
import TestSupport
import Testing
import Workflows
import Vapor
import VaporTesting
@testable import Web

/// Every page in Dutch, as each role sees it: no English sentence from the code, no rule id, enum
/// code or field name, no machine timestamp — except inside what is marked for specialists
/// (`<span class="code">`, `<details class="specialist">`).
@Suite struct DutchPagesTests {
    /// What a reader sees: the text of the page without its markup, scripts and specialist details.
    static func visibleText(_ html: String) -> String {
        var text = html
        for pattern in [#"<details class="specialist">[\s\S]*?</details>"#, #"<span class="code">[^<]*</span>"#,
                        #"<script[\s\S]*?</script>"#, #"<style[\s\S]*?</style>"#, #"<textarea[^>]*>[\s\S]*?</textarea>"#,
                        #"<pre[^>]*>[\s\S]*?</pre>"#, #"<[^>]+>"#] {
            text = text.replacingOccurrences(of: pattern, with: " ", options: .regularExpression)
        }
        return text.replacingOccurrences(of: "&amp;", with: "&")
    }

    /// English sentences of the interface that have a different Dutch text.
    static let englishSentences: [String] = Texts.en.compactMap { key, value in
        value.count >= 12 && Texts.nl[key] != value && !value.hasPrefix("Vangnet") ? value : nil
    }

    static let codes: [String] = Rule.allCases.map(\.rawValue) + QuarantineReason.allCases.map(\.rawValue)
        + CaseStatus.allCases.map(\.rawValue).filter { $0.contains("_") } + Purpose.allCases.map(\.rawValue).filter { $0.contains("-") }
        + ["caseload.read", "case.read", "case.update", "person.export", "door pipeline", "denied", "allowed"]

    static func problems(in html: String, page: String) -> [String] {
        let text = visibleText(html)
        var found: [String] = []
        for sentence in englishSentences where text.contains(sentence) { found.append("\(page): English \"\(sentence)\"") }
        for code in codes where text.range(of: "(^|[^a-z_.-])" + NSRegularExpression.escapedPattern(for: code) + "($|[^a-z_-])",
                                          options: .regularExpression) != nil {
            found.append("\(page): code \"\(code)\"")
        }
        if text.range(of: #"\d{4}-\d{2}-\d{2}T\d{2}"#, options: .regularExpression) != nil { found.append("\(page): a machine timestamp") }
        if text.range(of: #"\b20\d\d-\d\d-\d\d\b"#, options: .regularExpression) != nil { found.append("\(page): an ISO date") }
        return found
    }

    @Test func everyPageReadsInDutchForEveryRole() async throws {
        try await WebHarness.run { web in
            let number = try await web.leaverWithCase(serial: 101, postcode: "2000")
            let bad = Rejection(.invalidDate, field: "start_date", message: "start_date: not an existing date in the form YYYY-MM-DD",
                                location: "line 2", kind: .jobseeker, source: .vdab, recordID: "V9",
                                original: Array("V9,x,2026-02-30".utf8))
            try await deliver([.rejected(bad)], to: web.store, name: "vdab.csv")
            let quarantined = try #require(try await web.store.quarantine(limit: 1).first?.id)
            let consultant = try await web.login("consultant-antwerpen")
            try await web.post("/cases/\(number)/contacts", as: consultant, form: ["channel": "phone", "outcome": "reached", "note": "Gebeld"]) { _ in }
            try await web.post("/cases/\(number)/next-action", as: consultant, form: ["action": "Huisbezoek", "due": "15/12/2026"]) { _ in }
            var problems: [String] = []
            func visit(_ path: String, as session: WebHarness.Session, method: HTTPMethod = .GET, form: [String: String]? = nil) async throws {
                if let form {
                    try await web.post(path, as: session, form: form) { problems += Self.problems(in: $0.body.string, page: path) }
                } else {
                    try await web.get(path, as: session) { problems += Self.problems(in: $0.body.string, page: path) }
                }
            }
            try await visit("/cases", as: consultant)
            try await visit("/cases?all=1", as: consultant)
            try await visit("/cases/\(number)", as: consultant)
            try await visit("/cases/VN-999999", as: consultant)
            try await visit("/reports", as: consultant)
            let lead = try await web.login("teamlead-antwerpen")
            try await visit("/team", as: lead)
            try await visit("/cases/\(number)", as: lead)
            let steward = try await web.login("steward")
            try await visit("/steward", as: steward)
            try await visit("/steward/quarantine/\(quarantined)", as: steward)
            // A proposed identity, as the review queue shows it.
            let candidate = PersonBuilder(born: "2006-03-14", serial: 101).insz
            try await web.store.queueReview(ProposedLink(quarantineID: quarantined, candidate: candidate, probability: 0.81, explanation: [
                LinkTerm(field: "nationalNumber", level: "oneEdit", weight: 7.3, household: false),
                LinkTerm(field: "birthDate", level: "dayMonthSwapped", weight: 5.8, household: false),
                LinkTerm(field: "address", level: "samePlaceStreetUnknown", weight: 7.4, household: false),
            ]))
            let review = try #require(try await web.store.openReviews(limit: 1).first)
            try await visit("/steward", as: steward)
            try await visit("/steward/identities/\(review.id)", as: steward)
            try await web.get("/steward/identities/\(review.id)", as: steward) { response in
                let body = response.body.string
                #expect(body.contains("Is dit dezelfde persoon?"))
                #expect(body.contains("dag en maand omgewisseld (+5,8)"))
                #expect(body.contains("zelfde postcode (straat niet gekend) (+7,4)"))
                #expect(body.contains("81,0 %"))
                #expect(!body.contains("dayMonthSwapped") && !body.contains("birthDate"))
            }
            try await web.post("/steward/identities/\(review.id)/decide", as: steward, form: ["same": "no"]) { #expect($0.status == .seeOther) }
            try await visit("/steward/identities/\(review.id)?done=identity_rejected", as: steward)
            #expect(try await web.store.openReviews(limit: 1).isEmpty)
            let auditor = try await web.login("auditor")
            try await visit("/audit", as: auditor)
            try await visit("/audit/person", as: auditor, form: ["insz": PersonBuilder(born: "2006-03-14", serial: 101).insz.formatted])
            try await web.post("/audit/person/report", as: auditor, form: ["insz": PersonBuilder(born: "2006-03-14", serial: 101).insz.formatted]) {
                problems += Self.problems(in: $0.body.string, page: "the person's report")
            }
            #expect(problems == [])
        }
    }

    @Test func theCheckFindsEnglishAndCodes() {
        #expect(!Self.problems(in: "<p>Something went wrong on our side. Try again later.</p>", page: "x").isEmpty)
        #expect(!Self.problems(in: "<li>leaver.left-school</li>", page: "x").isEmpty)
        #expect(!Self.problems(in: "<td>2026-12-01T07:58:05.088Z</td>", page: "x").isEmpty)
        #expect(Self.problems(in: "<p>Laatste inschrijving eindigde op 30 juni 2026. <span class=\"code\">leaver.left-school</span></p>", page: "x").isEmpty)
    }
}
