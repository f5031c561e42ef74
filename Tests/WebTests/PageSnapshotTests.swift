import Domain
import Foundation
import SnapshotTesting
import Storage
import TestSupport
import Testing
import Vapor
import VaporTesting
@testable import Web

/// The main pages as HTML snapshots (swift-snapshot-testing): a change to a page shows up as a
/// diff to review. The clock is fixed; what still differs per run (CSRF tokens, keyed hashes) is
/// masked. Record again with `SNAPSHOT_TESTING_RECORD=all swift test --filter PageSnapshotTests`.
@Suite(.serialized) struct PageSnapshotTests {
    static let instant = date("2026-11-29").noonInBelgium

    static func masked(_ html: String) -> String {
        var text = html
        for (pattern, replacement) in [(#"name="_csrf" value="[^"]*""#, #"name="_csrf" value="…""#),
                                       (#"<code>[0-9a-f]{12}</code>"#, "<code>…</code>")] {
            text = text.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
        }
        return text
    }

    @Test func theMainPagesLookAsReviewed() async throws {
        let clock = ManualClock(Self.instant)
        try await WebHarness.run(clock: clock.clock) { web in
            let number = try await web.leaverWithCase(serial: 101, postcode: "2000")
            let bad = Rejection(.invalidDate, field: "start_date", message: "start_date: not an existing date in the form YYYY-MM-DD",
                                location: "line 2", kind: .jobseeker, source: .vdab, recordID: "V9", original: Array("V9,x,2026-02-30".utf8))
            try await deliver([.rejected(bad)], to: web.store, name: "vdab.csv")
            let consultant = try await web.login("consultant-antwerpen")
            try await web.post("/cases/\(number)/contacts", as: consultant, form: ["channel": "phone", "outcome": "reached", "note": "Gebeld"]) { _ in }
            var pages: [(String, String)] = []
            func snap(_ name: String, _ path: String, as session: WebHarness.Session?) async throws {
                try await web.get(path, as: session) { pages.append((name, Self.masked($0.body.string))) }
            }
            try await snap("login", "/login", as: nil)
            try await snap("caseload", "/cases", as: consultant)
            try await snap("case", "/cases/\(number)", as: consultant)
            try await snap("team", "/team", as: try await web.login("teamlead-antwerpen"))
            let steward = try await web.login("steward")
            try await snap("steward", "/steward", as: steward)
            try await snap("reports", "/reports", as: steward)
            try await snap("audit", "/audit", as: try await web.login("auditor"))
            for (name, html) in pages {
                assertSnapshot(of: html, as: .lines, named: name)
            }
        }
    }
}
