import Domain
import Foundation
import Testing
@testable import Web

/// Every text of the interface exists in every language: a missing translation fails here, not
/// in front of a user.
@Suite struct TranslationTests {
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    static func files(under folder: String, ending suffix: String) throws -> [URL] {
        let base = root.appendingPathComponent(folder)
        let names = try FileManager.default.subpathsOfDirectory(atPath: base.path)
        return names.filter { $0.hasSuffix(suffix) }.map { base.appendingPathComponent($0) }
    }

    static func matches(_ pattern: String, in text: String) -> Set<String> {
        let regex = try! NSRegularExpression(pattern: pattern)
        let range = NSRange(text.startIndex..., in: text)
        return Set(regex.matches(in: text, range: range).compactMap { Range($0.range(at: 1), in: text).map { String(text[$0]) } })
    }

    @Test func bothLanguagesHaveTheSameTexts() {
        let nl = Set(Texts.nl.keys), en = Set(Texts.en.keys)
        #expect(nl.subtracting(en).sorted() == [], "in Dutch only")
        #expect(en.subtracting(nl).sorted() == [], "in English only")
        #expect(Set(ReportTexts.nl.keys) == Set(ReportTexts.en.keys), "the person's report")
        #expect(Set(ReportTexts.nl.keys) == Set(ReportTexts.fr.keys), "the person's report in French")
    }

    /// A page's texts reach the template as they are in the table (built once per language).
    @Test func theTemplatesGetEveryTextOfTheReadersLanguage() {
        for (language, texts) in [(Language.nl, Texts.nl), (.en, Texts.en)] {
            let table = Texts.table(language)
            #expect(table.leafData == .dictionary(texts.mapValues { .string($0) }), "\(language.rawValue)")
            #expect(table["nav_cases"] == texts["nav_cases"])
        }
    }

    @Test func everyTextATemplateOrAHandlerAsksForExists() throws {
        var used: Set<String> = []
        var answer: Set<String> = []
        for file in try Self.files(under: "Sources/Web/Resources/Views", ending: ".leaf") {
            let found = Self.matches(#"#\(t\.([a-z0-9_]+)\)"#, in: try String(contentsOf: file, encoding: .utf8))
            if file.lastPathComponent == "answer.leaf" { answer.formUnion(found) } else { used.formUnion(found) }
        }
        var report: Set<String> = []
        for file in try Self.files(under: "Sources/Web", ending: ".swift") {
            let found = Self.matches(#"\bt\["([a-z0-9_]+)"\]"#, in: try String(contentsOf: file, encoding: .utf8))
            if file.lastPathComponent == "PersonReportRenderer.swift" { report.formUnion(found) }
            else if file.lastPathComponent == "AnswerPages.swift" { answer.formUnion(found) } else { used.formUnion(found) }
        }
        for table in [AnswerTexts.nl, AnswerTexts.fr, AnswerTexts.en] {
            #expect(answer.subtracting(table.keys).sorted() == [], "the answer page")
            #expect(Set(table.keys) == Set(AnswerTexts.nl.keys), "the answer page in every language")
        }
        #expect(report.subtracting(ReportTexts.nl.keys).sorted() == [], "the person's report")
        #expect(used.count > 100, "the scan found the texts")
        for language in Language.interface {
            let missing = used.subtracting(Texts.table(language).keys).sorted()
            #expect(missing == [], "missing in \(language.rawValue)")
        }
    }

    @Test func everyDomainWordExistsInEveryLanguageAndDiffers() {
        // The vocabulary is a protocol: a missing word does not compile. Here: no language falls
        // back to another's words for the things users see most.
        let nl = Language.nl.words, en = Language.en.words
        for status in CaseStatus.allCases where status != .new {
            #expect(nl.status(status) != en.status(status), "\(status)")
        }
        for reason in QuarantineReason.allCases { #expect(nl.quarantineReason(reason) != en.quarantineReason(reason), "\(reason)") }
        for role in Role.allCases where role != .auditor { #expect(nl.role(role) != en.role(role), "\(role)") }
        for purpose in Purpose.allCases { #expect(nl.purpose(purpose) != en.purpose(purpose), "\(purpose)") }
    }
}
