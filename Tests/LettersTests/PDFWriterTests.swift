import Foundation
import Letters
import Testing

@Suite struct PDFWriterTests {
    static let created = Date(timeIntervalSince1970: 1_770_000_000)  // 2026-02-02 02:40:00 UTC
    static let accented = "Beste Chloé, wij zijn blij met je antwoord. Cette lettre est aussi en français : « Êtes-vous à l’école ? » "
        + "Coût : 0 € ; naïve, où, garçon, île, œuvre, ‘enkel’ en “dubbel” – of — ook ë, â, î, ï, û, ü, ÿ."

    /// A letter-like document: a heading, an address, a wrapped paragraph, a rule.
    static func document(pages: Int = 2, title: String = "Brieven 2026-02-02") -> PDFDocument {
        var document = PDFDocument(title: title, created: created)
        for number in 1...pages {
            var page = PDFPage()
            page.text("Vangnet — brief", x: 20, y: 20, font: .bold, size: 14)
            page.line(x1: 20, y1: 23, x2: 190, y2: 23)
            page.rectangle(x: 20, y: 45, width: 85, height: 30, lineWidth: 0.25)
            page.text("Rue de l’Église 12 (bus 3)", x: 25, y: 55)
            page.paragraph(accented, x: 20, y: 95, width: 170)
            page.text("Pagina \(number)", x: 105, y: 285, size: 8, align: .center)
            document.addPage(page)
        }
        return document
    }

    @Test func aDocumentStartsWithThePDFHeaderAndEndsWithEOF() {
        let bytes = Self.document().bytes()
        #expect(String(decoding: bytes.prefix(9), as: UTF8.self) == "%PDF-1.4\n")
        #expect(String(decoding: bytes.suffix(6), as: UTF8.self) == "%%EOF\n")
    }

    @Test func everyCrossReferenceOffsetPointsAtItsObject() throws {
        let bytes = Self.document(pages: 40).bytes()  // more than 32 pages: the page tree gets inner nodes
        let startxref = try #require(bytes.lastRange(of: Array("startxref\n".utf8)))
        let xrefOffset = try #require(Int(String(decoding: bytes[startxref.upperBound...].prefix { $0 != 0x0A }, as: UTF8.self)))
        let header = "xref\n0 "
        #expect(String(decoding: bytes[xrefOffset...].prefix(header.utf8.count), as: UTF8.self) == header)
        let countStart = xrefOffset + header.utf8.count
        let countText = String(decoding: bytes[countStart...].prefix { $0 != 0x0A }, as: UTF8.self)
        let objectCount = try #require(Int(countText))
        let entriesStart = countStart + countText.utf8.count + 1
        #expect(String(decoding: bytes[entriesStart..<entriesStart + 20], as: UTF8.self) == "0000000000 65535 f \n")
        for object in 1..<objectCount {
            let entry = String(decoding: bytes[(entriesStart + 20 * object)..<(entriesStart + 20 * object + 20)], as: UTF8.self)
            #expect(entry.hasSuffix(" 00000 n \n"), "entry \(object): \(entry)")
            let offset = try #require(Int(entry.prefix(10)))
            let expected = "\(object) 0 obj\n"
            #expect(String(decoding: bytes[offset...].prefix(expected.utf8.count), as: UTF8.self) == expected)
        }
        #expect(String(decoding: bytes, as: UTF8.self).contains("/Size \(objectCount) "))
    }

    @Test func theSameLettersGiveTheSameBytes() {
        #expect(Self.document().bytes() == Self.document().bytes())
        #expect(Self.document().bytes() != Self.document(title: "Andere titel").bytes())
    }

    @Test func theCreationDateIsTheOnePassedIn() {
        let text = String(decoding: Self.document().bytes(), as: UTF8.self)
        #expect(text.contains("/CreationDate (D:20260202024000Z)"))
    }

    @Test func wrappedLinesStayWithinTheWidthAndKeepEveryWord() {
        for width in [30.0, 60.0, 85.5, 170.0] {
            for font in PDFFont.allCases {
                let lines = TextLayout.wrap(Self.accented, font: font, size: 10, width: width)
                #expect(lines.count > 1)
                for line in lines {
                    #expect(TextLayout.width(of: line, font: font, size: 10) <= width + 1e-9, "\(width) mm: \(line)")
                }
                #expect(lines.joined(separator: " ").split(separator: " ") == Self.accented.split(separator: " "))
            }
        }
    }

    @Test func aWordLongerThanTheLineIsBroken() {
        let word = "Arbeidsongeschiktheidsverzekeringsmaatschappij"
        let lines = TextLayout.wrap("Een \(word).", font: .regular, size: 10, width: 40)
        #expect(lines.first == "Een")
        #expect(lines.dropFirst().joined() == word + ".")
        #expect(lines.count > 2)
        for line in lines { #expect(TextLayout.width(of: line, font: .regular, size: 10) <= 40 + 1e-9) }
    }

    @Test func lineBreaksInAParagraphStartNewLines() {
        #expect(TextLayout.wrap("Eerste regel\nTweede\r\n\nNa een lege regel", font: .bold, size: 10, width: 170)
            == ["Eerste regel", "Tweede", "", "Na een lege regel"])
        #expect(TextLayout.wrap("", font: .regular, size: 10, width: 170).isEmpty)
    }

    @Test func aParagraphReturnsTheBaselineAfterItsLastLine() {
        var page = PDFPage()
        let lines = TextLayout.wrap(Self.accented, font: .regular, size: 10, width: 60).count
        let after = page.paragraph(Self.accented, x: 20, y: 100, width: 60, size: 10, leading: 5)
        #expect(after == 100 + Double(lines) * 5)
    }

    @Test func helveticaWidthsAreTheAFMWidths() {
        #expect(TextLayout.advance(UInt8(ascii: "a"), font: .regular) == 556)
        #expect(TextLayout.advance(UInt8(ascii: "i"), font: .regular) == 222)
        #expect(TextLayout.advance(UInt8(ascii: "@"), font: .regular) == 1015)
        #expect(TextLayout.advance(UInt8(ascii: "b"), font: .bold) == 611)
        #expect(TextLayout.advance(0x80, font: .regular) == 556)  // €
        #expect(TextLayout.advance(0x97, font: .bold) == 1000)  // —
        // "Hello" in Helvetica: 722 + 556 + 222 + 222 + 556 = 2278 units → 22.78 pt at 10 pt
        #expect(abs(TextLayout.width(of: "Hello", font: .regular, size: 10) - 22.78 * 25.4 / 72) < 1e-9)
    }

    @Test func accentsQuotesAndTheEuroSignEncodeToWinAnsi() {
        #expect(WinAnsi.encode("é") == [0xE9])
        #expect(WinAnsi.encode("ç") == [0xE7])
        #expect(WinAnsi.encode("€") == [0x80])
        #expect(WinAnsi.encode("‘’“”") == [0x91, 0x92, 0x93, 0x94])
        #expect(WinAnsi.encode("–—œ") == [0x96, 0x97, 0x9C])
        #expect(WinAnsi.encode("e\u{301}") == [0xE9])  // decomposed é
        #expect(WinAnsi.encode("a\tb\nc") == Array("a b c".utf8))
        #expect(WinAnsi.encode("Čapek") == Array("Capek".utf8))  // a Latin letter WinAnsi lacks loses its accent
        #expect(WinAnsi.encode("中文") == Array("??".utf8))
        #expect(WinAnsi.decode(WinAnsi.encode(Self.accented)) == Self.accented)
    }

    @Test func literalStringsEscapeBackslashAndParentheses() {
        var page = PDFPage()
        page.text(#"a\(b)c"#, x: 0, y: 0)
        var document = PDFDocument(title: "t", created: Self.created)
        document.addPage(page)
        #expect(String(decoding: document.bytes(), as: UTF8.self).contains(#"(a\\\(b\)c) Tj"#))
    }

    @Test func paddingToEvenPagesStartsEachLetterOnANewSheet() {
        var document = PDFDocument(title: "t", created: Self.created)
        document.addPage(PDFPage())
        document.padToEvenPages()
        #expect(document.pageCount == 2)
        document.padToEvenPages()
        #expect(document.pageCount == 2)
        document.addPage(PDFPage())
        document.addBlankPage()
        #expect(document.pageCount == 4)
    }

    static let toolsInstalled = ["/usr/bin/qpdf", "/usr/bin/pdftotext"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: PDFWriterTests.toolsInstalled, "qpdf or pdftotext is not installed (apt-get install qpdf poppler-utils); skipped"))
    func qpdfAcceptsTheFileAndPdftotextReadsTheAccentsBack() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vangnet-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let twoPages = directory.appendingPathComponent("letters.pdf")
        try Data(Self.document(pages: 2).bytes()).write(to: twoPages)
        let check = try run("/usr/bin/qpdf", ["--check", twoPages.path])
        #expect(check.status == 0, "\(check.output)")

        let extracted = try run("/usr/bin/pdftotext", ["-layout", twoPages.path, "-"])
        #expect(extracted.status == 0)
        let pages = extracted.output.split(separator: "\u{0C}", omittingEmptySubsequences: true)
        #expect(pages.count == 2)
        let text = extracted.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for fragment in ["Vangnet — brief", "Rue de l’Église 12 (bus 3)", "Beste Chloé,", "français : « Êtes-vous à l’école ? »",
                         "Coût : 0 € ;", "naïve, où, garçon, île, œuvre,", "‘enkel’ en “dubbel” – of — ook ë, â, î, ï, û, ü, ÿ.",
                         "Pagina 1", "Pagina 2"] {
            #expect(text.contains(fragment), "\(fragment) not in: \(text)")
        }

        let manyPages = directory.appendingPathComponent("batch.pdf")
        try Data(Self.document(pages: 1100).bytes()).write(to: manyPages)  // a page tree three levels deep
        #expect(try run("/usr/bin/qpdf", ["--check", manyPages.path]).status == 0)
    }

    private func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
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

extension Collection where Element: Equatable {
    fileprivate func lastRange(of pattern: [Element]) -> Range<Index>? {
        var found: Range<Index>?
        var rest = self[...]
        while let range = rest.firstRange(of: pattern) {
            found = range
            rest = self[range.upperBound...]
        }
        return found
    }
}
