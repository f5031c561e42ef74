import Domain
import Foundation
import Letters
import SnapshotTesting
import Testing

/// A deterministic generator for tests (SplitMix64).
struct FixedRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct AnswerCodeTests {
    @Test func aCodeHasTenCharactersWithoutLookAlikesAndReadsBackHoweverItIsTyped() {
        var random = FixedRandom(state: 1)
        for _ in 0..<500 {
            let code = AnswerCode.generate(using: &random)
            #expect(code.characters.count == 10)
            #expect(!code.characters.contains { "01ILOUV".contains($0) })
            #expect(AnswerCode(typed: code.grouped) == code)
            #expect(AnswerCode(typed: code.grouped.lowercased().replacingOccurrences(of: "-", with: " ")) == code)
        }
        #expect(AnswerCode.generate().description == "AnswerCode(redacted)", "never in a log")
    }

    @Test func theCheckCharacterCatchesEveryTypoInOneCharacterAndEverySwapOfNeighbours() {
        var random = FixedRandom(state: 7)
        var swapsCaught = 0, swaps = 0
        for _ in 0..<200 {
            let code = Array(AnswerCode.generate(using: &random).characters)
            for position in 0..<10 {
                for other in AnswerCode.alphabet where other != code[position] {
                    var typo = code
                    typo[position] = other
                    #expect(AnswerCode(typed: String(typo)) == nil, "\(String(typo))")
                }
            }
            for position in 0..<9 where code[position] != code[position + 1] {
                var swapped = code
                swapped.swapAt(position, position + 1)
                swaps += 1
                if AnswerCode(typed: String(swapped)) == nil { swapsCaught += 1 }
            }
        }
        #expect(swapsCaught == swaps, "\(swapsCaught) of \(swaps) swaps caught")
        #expect(AnswerCode(typed: "ABC") == nil)
    }
}

@Suite struct LetterTextTests {
    static let office = Office(name: "VDAB Antwerpen – jongerenwerking", street: "Demostraat 1", postcode: "2000", municipality: "Antwerpen",
                               phone: "0800 30 700", email: "jongeren.antwerpen@vangnet.test")
    static let recipient = LetterRecipient(firstName: "Chloé", lastName: "Janssens",
                                           addressLines: ["Chloé Janssens", "Kerkstraat 12 bus 3", "2000 Antwerpen"])

    static func letter(_ kind: LetterKind, _ language: LetterLanguage) -> Letter {
        var random = FixedRandom(state: 42)
        let code = AnswerCode.generate(using: &random)
        return LetterTemplates.letter(.init(kind: kind, language: language, firstName: "Chloé", consultant: "An Peeters", office: office,
                                            code: code, answerAddress: "vangnet.vdab.be/antwoord"),
                                      recipient: recipient, reference: "VN-000042-1", date: LocalDate(year: 2026, month: 12, day: 1)!)
    }

    /// The text of every template version, reviewed as a snapshot.
    @Test(arguments: LetterKind.allCases)
    func theTextOfEveryTemplateAsReviewed(kind: LetterKind) {
        for language in LetterLanguage.allCases {
            let letter = Self.letter(kind, language)
            #expect(letter.template == "\(kind.rawValue).\(language.rawValue).1")
            let text = ([letter.salutation] + letter.paragraphs + letter.signature).joined(separator: "\n")
            #expect(text.contains(letter.code.grouped) && text.contains("vangnet.vdab.be/antwoord") && text.contains("An Peeters"))
            assertSnapshot(of: text, as: .lines, named: "\(kind.rawValue).\(language.rawValue)")
        }
    }

    @Test func aBrusselsAddressGetsTheRegionsLanguageFlandersDutch() {
        #expect(LetterLanguage.forAddress(postcode: "1000", regions: .demo) == .fr)
        #expect(LetterLanguage.forAddress(postcode: "2000", regions: .demo) == .nl)
        var regions = Regions.demo
        regions.brusselsLetterLanguage = .nl
        #expect(LetterLanguage.forAddress(postcode: "1050", regions: regions) == .nl)
    }

    @Test func noLetterWithoutAnAddressInBelgium() {
        #expect(LetterRecipient(PersonRecord(firstName: "A", lastName: "B", street: "Rue X", houseNumber: "1", postcode: "75001",
                                             municipality: "Paris", country: "FR")) == nil)
        #expect(LetterRecipient(PersonRecord(firstName: "A", lastName: "B")) == nil)
        let belgian = LetterRecipient(PersonRecord(firstName: "Chloé", lastName: "Janssens", street: "Kerkstraat", houseNumber: "12", box: "3",
                                                   postcode: "2000", municipality: "Antwerpen"))
        #expect(belgian?.addressLines == ["Chloé Janssens", "Kerkstraat 12 bus 3", "2000 Antwerpen"])
    }

    static let toolsInstalled = ["/usr/bin/qpdf", "/usr/bin/pdftotext"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: LetterTextTests.toolsInstalled, "qpdf or pdftotext is not installed (apt-get install qpdf poppler-utils); skipped"))
    func aBatchIsAValidPDFWithEveryLetterOnItsOwnSheetAndItsTextExtractable() throws {
        let letters = [Self.letter(.invitation, .nl), Self.letter(.reminder, .fr), Self.letter(.registrationNotice, .en)]
        let batch = LetterBatch.make(id: 7, madeOn: LocalDate(year: 2026, month: 12, day: 1)!, letters: letters,
                                     addresses: letters.map { _ in ["name": "Chloé Janssens", "postcode": "2000"] },
                                     created: Date(timeIntervalSince1970: 1_796_000_000), sha256: { _ in "abc" })
        #expect(batch.entries.map(\.firstPage) == [1, 3, 5], "each letter starts on a new sheet (duplex)")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("vangnet-batch-\(UUID().uuidString).pdf")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(batch.pdf).write(to: file)
        #expect(try run("/usr/bin/qpdf", ["--check", file.path]).status == 0)
        let text = try run("/usr/bin/pdftotext", ["-layout", file.path, "-"]).output
        for fragment in ["Chloé Janssens", "Kerkstraat 12 bus 3", "2000 Antwerpen", letters[0].code.grouped, "Dag Chloé,", "Bonjour Chloé,",
                         "VN-000042-1", "1 december 2026", "1 décembre 2026"] {
            #expect(text.contains(fragment), "\(fragment)")
        }
        #expect(batch.manifestCSV.split(separator: "\n").count == 4, "a header and a line per letter")
        #expect(batch.manifestCSV.hasPrefix("batch_id,sequence,reference,first_page,pages,name,street,number,box,postcode,municipality,country,pdf_sha256"))
    }

    func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
