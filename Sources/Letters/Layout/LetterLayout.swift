import Domain
import Foundation

/// Where a letter's parts go on an A4 sheet folded for a window envelope (DL or C5/6 with the
/// window on the left, as bpost and ISO 269 describe: a window of 90 × 45 mm, 20 mm from the left
/// edge and 45 mm from the top). The address block sits inside the window with a 5 mm margin; the
/// window shows the name and address only — nothing that says what the letter is about. Date and
/// reference stand to the right of the window (inside the envelope).
public enum LetterLayout {
    public static let windowLeft = 20.0, windowTop = 45.0, windowWidth = 90.0, windowHeight = 45.0
    static let left = 25.0, textWidth = 160.0, bottom = 272.0
    static let size = 11.0, leading = 5.6

    /// Lays the letter out on one or more pages and adds them to `document`; returns how many.
    @discardableResult
    public static func render(_ letter: Letter, into document: inout PDFDocument) -> Int {
        var pages: [PDFPage] = []
        var page = PDFPage()
        // Sender, top right (inside the envelope).
        page.text("VDAB", x: 150, y: 22, font: .bold, size: 16)
        page.text(letter.signature.count > 1 ? String(letter.signature[1].split(separator: ",").last ?? "").trimmingCharacters(in: .whitespaces) : "",
                  x: 150, y: 28, size: 8)
        // The address in the window.
        var y = windowTop + 9
        for line in letter.addressLines {
            // The window is 90 mm wide: a long name or street is set smaller rather than cut off.
            let room = windowWidth - 10
            let width = TextLayout.width(of: line, font: .regular, size: 11)
            page.text(line, x: windowLeft + 5, y: y, size: width > room ? max(7, 11 * room / width) : 11)
            y += 5.2
        }
        // Date and reference, right of the window.
        page.text("\(letter.labels.date): \(formatted(letter.date, letter.language))", x: 125, y: windowTop + 9, size: 9)
        page.text("\(letter.labels.reference): \(letter.reference)", x: 125, y: windowTop + 14, size: 9)
        // The letter.
        y = 105
        page.text(letter.salutation, x: left, y: y, size: size)
        y += leading * 1.8
        func ensureRoom(_ height: Double) {
            if y + height > bottom {
                pages.append(page)
                page = PDFPage()
                page.text(letter.reference, x: 150, y: 15, size: 8)
                y = 30
            }
        }
        for paragraph in letter.paragraphs {
            let lines = TextLayout.wrap(paragraph, font: .regular, size: size, width: textWidth)
            ensureRoom(Double(lines.count) * leading)
            y = page.paragraph(paragraph, x: left, y: y, width: textWidth, font: .regular, size: size, leading: leading) + leading * 0.6
        }
        // The code, in a box that is easy to find again, and the signature: kept together.
        ensureRoom(30 + Double(letter.signature.count) * 5)
        y += 2
        page.rectangle(x: left, y: y, width: textWidth, height: 18)
        page.text("\(letter.labels.code): \(letter.code.grouped)", x: left + 4, y: y + 7, font: .bold, size: 13)
        page.text("\(letter.labels.answerHere): \(letter.answerAddress)", x: left + 4, y: y + 14, size: 10)
        y += 28
        ensureRoom(Double(letter.signature.count) * 5 + 5)
        for (index, line) in letter.signature.enumerated() {
            page.text(line, x: left, y: y, font: index == 0 ? .bold : .regular, size: index == 0 ? 11 : 9.5)
            y += index == 0 ? 5.5 : 4.6
        }
        pages.append(page)
        for page in pages { document.addPage(page) }
        return pages.count
    }

    static func formatted(_ date: LocalDate, _ language: LetterLanguage) -> String {
        let (y, m, d) = date.components
        let months: [String] = switch language {
        case .nl: ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"]
        case .fr: ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]
        case .en: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        }
        return "\(d) \(months[m - 1]) \(y)"
    }
}

/// A batch of letters as one print-ready PDF for duplex printing — every letter starts on a new
/// sheet — and the mail house's manifest.
public struct LetterBatch: Sendable {
    public struct Entry: Sendable, Equatable {
        public var sequence: Int
        public var reference: String
        public var firstPage: Int
        public var pages: Int
        /// name, street, number, box, postcode, municipality, country.
        public var address: [String: String]
    }

    public var id: Int64
    public var madeOn: LocalDate
    public var pdf: [UInt8]
    public var entries: [Entry]
    /// Pages in the PDF, blank backs included (every letter starts on a new sheet).
    public var pages: Int
    public var sha256: String

    /// Renders the letters in order; `addresses` are the structured addresses, one per letter.
    public static func make(id: Int64, madeOn: LocalDate, letters: [Letter], addresses: [[String: String]], created: Date,
                            sha256: ([UInt8]) -> String) -> LetterBatch {
        var document = PDFDocument(title: "Vangnet – batch \(id)", created: created)
        var entries: [Entry] = []
        entries.reserveCapacity(letters.count)
        for (index, letter) in letters.enumerated() {
            let first = document.pageCount + 1
            let pages = LetterLayout.render(letter, into: &document)
            document.padToEvenPages()
            entries.append(Entry(sequence: index + 1, reference: letter.reference, firstPage: first, pages: pages, address: addresses[index]))
        }
        let bytes = document.bytes()
        return LetterBatch(id: id, madeOn: madeOn, pdf: bytes, entries: entries, pages: document.pageCount, sha256: sha256(bytes))
    }

    static let addressFields = ["name", "street", "number", "box", "postcode", "municipality", "country"]

    /// The manifest as CSV: one line per letter, with the batch and the PDF's checksum on every line.
    public var manifestCSV: String {
        var out = "batch_id,sequence,reference,first_page,pages," + Self.addressFields.joined(separator: ",") + ",pdf_sha256\n"
        for e in entries {
            let fields = [String(id), String(e.sequence), e.reference, String(e.firstPage), String(e.pages)]
                + Self.addressFields.map { e.address[$0] ?? "" } + [sha256]
            out += fields.map(Self.csvField).joined(separator: ",") + "\n"
        }
        return out
    }

    /// The manifest as JSON.
    public var manifestJSON: String {
        struct Document: Encodable {
            struct Line: Encodable {
                let sequence: Int, reference: String, first_page: Int, pages: Int, address: [String: String]
            }
            let batch_id: Int64, made_on: String, letters: Int, pages: Int, pdf_sha256: String, items: [Line]
        }
        let document = Document(batch_id: id, made_on: madeOn.iso, letters: entries.count, pages: pages,
                                pdf_sha256: sha256, items: entries.map { .init(sequence: $0.sequence, reference: $0.reference,
                                                                                first_page: $0.firstPage, pages: $0.pages, address: $0.address) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(document)) ?? Data(), as: UTF8.self)
    }

    static func csvField(_ text: String) -> String {
        text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}
