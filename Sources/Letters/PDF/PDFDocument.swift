import Foundation

/// The two fonts of a letter: the PDF standard fonts Helvetica and Helvetica-Bold, which every
/// reader and printer has, so nothing is embedded.
public enum PDFFont: Sendable, Hashable, CaseIterable {
    case regular
    case bold

    /// The font's name in the page resources.
    var resourceName: StaticString {
        switch self {
        case .regular: "/F1"
        case .bold: "/F2"
        }
    }
}

/// Where `x` is, for a line of text.
public enum PDFTextAlignment: Sendable, Hashable {
    case left, center, right
}

/// One A4 page being drawn. Positions are millimetres from the top-left corner of the page, text
/// `y` is the baseline; font sizes and line widths are points, as in typography.
public struct PDFPage: Sendable {
    public static let widthMillimetres = 210.0
    public static let heightMillimetres = 297.0
    static let pointsPerMillimetre = 72 / 25.4

    /// The content stream (PDF operators), written as the page is drawn.
    var content: [UInt8] = []
    /// Reused for encoding text, so drawing does not allocate per call.
    private var scratch: [UInt8] = []

    public init() {
        content.reserveCapacity(4096)
        scratch.reserveCapacity(256)
    }

    /// Whether nothing has been drawn.
    public var isBlank: Bool { content.isEmpty }

    /// One line of text; line breaks in `s` become spaces. With `.right` or `.center`, `x` is
    /// where the text ends or its middle.
    public mutating func text(_ s: String, x: Double, y: Double, font: PDFFont = .regular, size: Double = 10, align: PDFTextAlignment = .left) {
        scratch.removeAll(keepingCapacity: true)
        WinAnsi.append(s, to: &scratch, keepingLineBreaks: false)
        var left = x
        if align != .left {
            let width = Double(TextLayout.units(scratch[...], font: font)) * size / 1000 / Self.pointsPerMillimetre
            left -= align == .right ? width : width / 2
        }
        beginText(font: font, size: size, x: left, y: y)
        showText(scratch[...])
        content.appendASCII(" ET\n")
    }

    /// A paragraph wrapped to `width` millimetres, its first baseline at `y`; a line break in `s`
    /// starts a new line. `leading` is the distance between baselines in millimetres (by default
    /// 1.25 × the font size). Returns the baseline for a line after the paragraph, `y` plus one
    /// leading per line.
    @discardableResult
    public mutating func paragraph(_ s: String, x: Double, y: Double, width: Double, font: PDFFont = .regular, size: Double = 10, leading: Double? = nil) -> Double {
        let leading = leading ?? size * 1.25 / Self.pointsPerMillimetre
        let lines = TextLayout.wrap(s, font: font, size: size, width: width, into: &scratch)
        guard !lines.isEmpty else { return y }
        beginText(font: font, size: size, x: x, y: y)
        content.appendASCII(" ")
        content.appendFixed(leading * Self.pointsPerMillimetre)
        content.appendASCII(" TL")
        for (index, line) in lines.enumerated() {
            if index > 0 { content.appendASCII(" T*") }
            if !line.isEmpty { showText(scratch[line]) }
        }
        content.appendASCII(" ET\n")
        return y + Double(lines.count) * leading
    }

    /// A straight line, `lineWidth` points thick (a hairline-like 0.5 pt by default).
    public mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, lineWidth: Double = 0.5) {
        content.appendFixed(lineWidth)
        content.appendASCII(" w ")
        point(x1, y1)
        content.appendASCII(" m ")
        point(x2, y2)
        content.appendASCII(" l S\n")
    }

    /// The outline of a rectangle whose top-left corner is at `x`, `y`.
    public mutating func rectangle(x: Double, y: Double, width: Double, height: Double, lineWidth: Double = 0.5) {
        content.appendFixed(lineWidth)
        content.appendASCII(" w ")
        point(x, y + height)
        content.append(0x20)
        content.appendFixed(width * Self.pointsPerMillimetre)
        content.append(0x20)
        content.appendFixed(height * Self.pointsPerMillimetre)
        content.appendASCII(" re S\n")
    }

    private mutating func beginText(font: PDFFont, size: Double, x: Double, y: Double) {
        content.appendASCII("BT ")
        content.appendASCII(font.resourceName)
        content.append(0x20)
        content.appendFixed(size)
        content.appendASCII(" Tf ")
        point(x, y)
        content.appendASCII(" Td")
    }

    private mutating func showText(_ bytes: ArraySlice<UInt8>) {
        content.appendASCII(" (")
        content.appendEscaped(bytes)
        content.appendASCII(") Tj")
    }

    /// Millimetres from the top-left to points from the bottom-left, as "x y".
    private mutating func point(_ x: Double, _ y: Double) {
        content.appendFixed(x * Self.pointsPerMillimetre)
        content.append(0x20)
        content.appendFixed(A4.heightPoints - y * Self.pointsPerMillimetre)
    }
}

/// A PDF file of A4 pages, built page by page and written at the end with `bytes()`.
///
/// This is a PDF 1.4 writer of our own, for text letters only (STYLE.md §12): no Swift PDF package
/// is available to the project, and a C library from Debian would break the two-command setup. A
/// letter needs little: the standard fonts Helvetica and Helvetica-Bold (not embedded, WinAnsi
/// encoding), text, thin lines, uncompressed content streams (so `pdftotext` and the tests can read
/// them) and a cross-reference table. It is written for speed — one byte buffer, no `String`
/// building or `Foundation` number formatting per character — because a daily batch of 10,000
/// letters has to come out in well under 10 seconds.
///
/// A batch for duplex printing puts every letter on its own sheets: after each letter, call
/// `padToEvenPages()`, which adds a blank back when the letter ended on a front.
public struct PDFDocument: Sendable {
    public let title: String
    /// Written as /CreationDate; passed in, never read from the clock, so output is reproducible.
    public let created: Date

    /// All content streams back to back, and where each page's ends.
    var contents: [UInt8] = []
    var pageEnds: [Int] = []

    public init(title: String, created: Date) {
        self.title = title
        self.created = created
    }

    public var pageCount: Int { pageEnds.count }

    public mutating func addPage(_ page: PDFPage) {
        contents.append(contentsOf: page.content)
        pageEnds.append(contents.count)
    }

    public mutating func addBlankPage() {
        pageEnds.append(contents.count)
    }

    /// Adds a blank page when the page count is odd, so that the next page starts a new sheet.
    public mutating func padToEvenPages() {
        if pageCount % 2 == 1 { addBlankPage() }
    }

    /// Reserves room for about `pages` more pages of `bytesPerPage` content each (a batch knows
    /// its size in advance; this saves regrowing a buffer of tens of megabytes).
    public mutating func reserveCapacity(pages: Int, bytesPerPage: Int = 3000) {
        contents.reserveCapacity(contents.count + pages * bytesPerPage)
        pageEnds.reserveCapacity(pageEnds.count + pages)
    }
}
