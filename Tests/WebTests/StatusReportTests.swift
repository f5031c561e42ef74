import Domain
import Foundation
import Storage
import TestSupport
import Testing
import Vapor
import VaporTesting
@testable import Web

/// The status report answers the five questions in plain Dutch, with small counts protected, as a
/// page and as PDF, Markdown and HTML.
@Suite struct StatusReportTests {
    static let toolsInstalled = ["/usr/bin/qpdf", "/usr/bin/pdftotext"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }

    @Test func theAnalystReadsTheFiveAnswersOnThePageAndAsMarkdown() async throws {
        try await WebHarness.run { web in
            try await web.leaverWithCase(serial: 101, postcode: "2000")
            try await web.store.refreshStatistics()
            let analyst = try await web.login("analyst")
            try await web.get("/reports/status?from=2026-01-01&to=2026-11-29", as: analyst) { response in
                #expect(response.status == .ok)
                let page = response.body.string
                for question in ["1. Hoe staat de uitwisseling", "2. Zijn de databanken echt gekoppeld", "3. Wat deed VDAB", "4. Welke partners",
                                 "5. Wat zijn de resultaten?"] {
                    #expect(page.contains(question), "\(question)")
                }
                #expect(page.contains("van 1 januari 2026 tot en met 29 november 2026"))
                #expect(page.contains("&lt;10"), "one case: a small count")
                #expect(!page.contains("{"), "every placeholder filled")
            }
            try await web.get("/reports/status/md?from=2026-01-01&to=2026-11-29", as: analyst) { response in
                #expect(response.status == .ok)
                #expect(response.body.string.hasPrefix("# Statusrapport Vangnet"))
                #expect(response.body.string.contains("| Bron | Sinds |"))
            }
            try await web.get("/reports/status?from=2026-12-01&to=2026-01-01", as: analyst) { response in
                #expect(response.status == .ok)
                #expect(response.body.string.contains("Geef een begin- en einddatum, het begin voor het einde."))
            }
            let lead = try await web.login("teamlead-antwerpen")
            try await web.get("/reports/status", as: lead) { #expect($0.status == .notFound) }
        }
    }

    @Test(.enabled(if: StatusReportTests.toolsInstalled, "qpdf or pdftotext is not installed (apt-get install qpdf poppler-utils); skipped"))
    func thePDFIsValidAndItsTextReadable() async throws {
        try await WebHarness.run { web in
            try await web.leaverWithCase(serial: 101, postcode: "2000")
            try await web.store.refreshStatistics()
            let manager = try await web.login("manager")
            try await web.get("/reports/status/pdf?from=2026-01-01&to=2026-11-29", as: manager) { response in
                #expect(response.status == .ok)
                #expect(response.headers.contentType?.subType == "pdf")
                let file = FileManager.default.temporaryDirectory.appendingPathComponent("vangnet-status-\(UUID().uuidString).pdf")
                defer { try? FileManager.default.removeItem(at: file) }
                try Data(buffer: response.body).write(to: file)
                #expect(try runTool("/usr/bin/qpdf", ["--check", file.path]).status == 0)
                let text = try runTool("/usr/bin/pdftotext", ["-layout", file.path, "-"]).output
                #expect(text.contains("Statusrapport Vangnet"))
                #expect(text.contains("5. Wat zijn de resultaten?"))
                #expect(text.contains("<10"))
            }
        }
    }

}
