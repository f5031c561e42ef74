import Foundation

// Serialisation of a PDFDocument (see its doc comment for why the writer is our own): one byte
// buffer, numbers formatted by hand, a classic cross-reference table.

/// The page size every letter uses: A4, 210 × 297 mm.
enum A4 {
    static let heightPoints = 841.89
    static let mediaBox: StaticString = "/MediaBox [0 0 595.276 841.89]"
}

extension PDFDocument {
    /// Objects with fixed numbers; pages, their content streams and the inner nodes of the page
    /// tree follow from `firstPageObject` on.
    private enum Object {
        static let catalog = 1
        static let pages = 2
        static let regularFont = 3
        static let boldFont = 4
        static let resources = 5
        static let info = 6
        static let firstPageObject = 7
    }

    /// At most this many kids per page-tree node; a batch of thousands of pages gets a balanced
    /// tree instead of one /Kids array longer than readers' 8,191-element array limit.
    private static let pageTreeFanOut = 32

    /// The complete file: the same pages, title and date always give the same bytes.
    public func bytes() -> [UInt8] {
        let tree = PageTree(pageCount: pageCount, firstNodeObject: Object.firstPageObject + 2 * pageCount)
        let objectCount = tree.nextObject
        var offsets = [Int](repeating: 0, count: objectCount)
        var out: [UInt8] = []
        out.reserveCapacity(contents.count + pageCount * 180 + tree.nodes.count * 400 + 1024 + objectCount * 20)

        // A comment with bytes above 127 right after the header tells transfer tools the file is binary.
        out.appendASCII("%PDF-1.4\n%")
        out.append(contentsOf: [0xE2, 0xE3, 0xCF, 0xD3, 0x0A])

        func begin(_ object: Int) {
            offsets[object] = out.count
            out.appendInt(object)
            out.appendASCII(" 0 obj\n")
        }
        func reference(_ object: Int) {
            out.appendInt(object)
            out.appendASCII(" 0 R")
        }

        begin(Object.catalog)
        out.appendASCII("<< /Type /Catalog /Pages 2 0 R >>\nendobj\n")
        begin(Object.regularFont)
        out.appendASCII("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>\nendobj\n")
        begin(Object.boldFont)
        out.appendASCII("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>\nendobj\n")
        begin(Object.resources)
        out.appendASCII("<< /Font << /F1 3 0 R /F2 4 0 R >> /ProcSet [/PDF /Text] >>\nendobj\n")
        begin(Object.info)
        out.appendASCII("<< /Title ")
        out.appendTextString(title)
        out.appendASCII(" /Producer (Vangnet) /CreationDate (")
        out.appendASCII(Self.pdfDate(created))
        out.appendASCII(") >>\nendobj\n")

        var contentStart = 0
        for index in 0..<pageCount {
            let page = Object.firstPageObject + 2 * index
            begin(page)
            out.appendASCII("<< /Type /Page /Parent ")
            reference(tree.parentOfPage[index])
            out.appendASCII(" ")
            out.appendASCII(A4.mediaBox)
            out.appendASCII(" /Resources 5 0 R /Contents ")
            reference(page + 1)
            out.appendASCII(" >>\nendobj\n")

            let contentEnd = pageEnds[index]
            begin(page + 1)
            out.appendASCII("<< /Length ")
            out.appendInt(contentEnd - contentStart)
            out.appendASCII(" >>\nstream\n")
            out.append(contentsOf: contents[contentStart..<contentEnd])
            out.appendASCII("\nendstream\nendobj\n")
            contentStart = contentEnd
        }

        func writeKids(_ kids: [Int], count: Int) {
            out.appendASCII(" /Kids [")
            for (position, kid) in kids.enumerated() {
                if position > 0 { out.append(0x20) }
                reference(kid)
            }
            out.appendASCII("] /Count ")
            out.appendInt(count)
            out.appendASCII(" >>\nendobj\n")
        }
        for node in tree.nodes {
            begin(node.object)
            out.appendASCII("<< /Type /Pages /Parent ")
            reference(node.parent)
            writeKids(node.kids, count: node.pageCount)
        }
        begin(Object.pages)
        out.appendASCII("<< /Type /Pages")
        writeKids(tree.rootKids, count: pageCount)

        // Cross-reference table: fixed 20-byte entries, object 0 heads the (empty) free list.
        let xref = out.count
        out.appendASCII("xref\n0 ")
        out.appendInt(objectCount)
        out.appendASCII("\n0000000000 65535 f \n")
        for object in 1..<objectCount {
            out.appendPadded10(offsets[object])
            out.appendASCII(" 00000 n \n")
        }
        out.appendASCII("trailer\n<< /Size ")
        out.appendInt(objectCount)
        out.appendASCII(" /Root 1 0 R /Info 6 0 R >>\nstartxref\n")
        out.appendInt(xref)
        out.appendASCII("\n%%EOF\n")
        return out
    }

    /// `D:YYYYMMDDHHmmSSZ` in UTC (PDF Reference 1.4, §3.8.3).
    static func pdfDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { let v = value ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        let year = parts.year ?? 1970
        let yearText = String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year)
        return "D:" + yearText + two(parts.month) + two(parts.day) + two(parts.hour) + two(parts.minute) + two(parts.second) + "Z"
    }

    /// Object numbers of the page tree: page `i` is object `7 + 2i` (its content stream the next
    /// one); inner nodes, when more than `pageTreeFanOut` pages need them, come after all pages.
    private struct PageTree {
        struct Node {
            let object: Int
            let kids: [Int]
            let pageCount: Int
            var parent: Int
        }

        private(set) var parentOfPage: [Int]
        private(set) var nodes: [Node] = []
        private(set) var rootKids: [Int]
        private(set) var nextObject: Int

        init(pageCount: Int, firstNodeObject: Int) {
            parentOfPage = [Int](repeating: Object.pages, count: pageCount)
            nextObject = firstNodeObject
            var level = (0..<pageCount).map { (object: Object.firstPageObject + 2 * $0, pages: 1) }
            var levelIsPages = true
            while level.count > PDFDocument.pageTreeFanOut {
                var upper: [(object: Int, pages: Int)] = []
                for chunkStart in stride(from: 0, to: level.count, by: PDFDocument.pageTreeFanOut) {
                    let chunk = level[chunkStart..<min(chunkStart + PDFDocument.pageTreeFanOut, level.count)]
                    let object = nextObject
                    nextObject += 1
                    for position in chunk.indices {
                        if levelIsPages {
                            parentOfPage[position] = object
                        } else {
                            nodes[chunk[position].object - firstNodeObject].parent = object
                        }
                    }
                    let pages = chunk.reduce(0) { $0 + $1.pages }
                    nodes.append(Node(object: object, kids: chunk.map(\.object), pageCount: pages, parent: Object.pages))
                    upper.append((object, pages))
                }
                level = upper
                levelIsPages = false
            }
            rootKids = level.map(\.object)
        }
    }
}

// MARK: - Writing bytes

extension [UInt8] {
    mutating func appendASCII(_ text: StaticString) {
        text.withUTF8Buffer { append(contentsOf: $0) }
    }

    mutating func appendASCII(_ text: String) {
        append(contentsOf: text.utf8)
    }

    mutating func appendInt(_ value: Int) {
        if value == 0 { append(0x30); return }
        var rest = value.magnitude
        if value < 0 { append(0x2D) }
        let start = count
        while rest > 0 {
            append(0x30 + UInt8(truncatingIfNeeded: rest % 10))
            rest /= 10
        }
        self[start...].reverse()
    }

    /// A number with at most two decimals and no trailing zeros ("12", "12.5", "-0.25"); 1/100 pt
    /// is far below what a printer resolves. Not finite values become 0.
    mutating func appendFixed(_ value: Double) {
        guard value.isFinite else { append(0x30); return }
        var hundredths = Int((Swift.min(Swift.max(value, -1e12), 1e12) * 100).rounded())
        if hundredths < 0 {
            append(0x2D)
            hundredths = -hundredths
        }
        appendInt(hundredths / 100)
        let fraction = hundredths % 100
        if fraction != 0 {
            append(0x2E)
            append(0x30 + UInt8(fraction / 10))
            if fraction % 10 != 0 { append(0x30 + UInt8(fraction % 10)) }
        }
    }

    /// A byte offset as the cross-reference table wants it: ten digits, zero-padded.
    mutating func appendPadded10(_ value: Int) {
        let start = count
        append(contentsOf: repeatElement(0x30, count: 10))
        var rest = value
        var index = start + 9
        while rest > 0, index >= start {
            self[index] = 0x30 + UInt8(rest % 10)
            rest /= 10
            index -= 1
        }
    }

    /// WinAnsi bytes as the inside of a PDF literal string: `\`, `(` and `)` escaped.
    mutating func appendEscaped(_ bytes: ArraySlice<UInt8>) {
        for byte in bytes {
            if byte == 0x5C || byte == 0x28 || byte == 0x29 { append(0x5C) }
            append(byte)
        }
    }

    /// A PDF text string (for /Info): a literal string when the text is printable ASCII, else
    /// UTF-16BE with a byte-order mark as a hex string, which any reader decodes.
    mutating func appendTextString(_ text: String) {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            append(0x28)
            appendEscaped(Array(text.utf8)[...])
            append(0x29)
            return
        }
        let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
        append(0x3C)
        for unit in [UInt16(0xFEFF)] + [UInt16](text.utf16) {
            let value = Int(unit)
            for shift in [12, 8, 4, 0] { append(hex[(value >> shift) & 0xF]) }
        }
        append(0x3E)
    }
}
