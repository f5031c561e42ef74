import Foundation

/// Measuring and wrapping text in the two standard fonts letters use.
///
/// The advance widths are those of Adobe's AFM files for Helvetica and Helvetica-Bold (the metrics
/// every PDF viewer uses for the standard fonts), indexed by WinAnsi code, in 1/1000 em. Codes
/// WinAnsi leaves unused, and control codes, are 0: the encoder never produces them. No kerning.
public enum TextLayout {
    /// Advance width of one WinAnsi code in 1/1000 em.
    public static func advance(_ code: UInt8, font: PDFFont) -> Int {
        Int(widths(font)[Int(code)])
    }

    /// Width of `text` set on one line, in millimetres.
    public static func width(of text: String, font: PDFFont, size: Double) -> Double {
        let units = units(WinAnsi.encode(text)[...], font: font)
        return Double(units) * size / 1000 / PDFPage.pointsPerMillimetre
    }

    /// The lines of `paragraph` set in `font` at `size` points within `width` millimetres: words
    /// are separated by spaces, a line break in the text starts a new line (an empty one stays as an
    /// empty line), and a word longer than a line is broken where it no longer fits.
    public static func wrap(_ paragraph: String, font: PDFFont, size: Double, width: Double) -> [String] {
        var bytes: [UInt8] = []
        let lines = wrap(paragraph, font: font, size: size, width: width, into: &bytes)
        return lines.map { WinAnsi.decode(bytes[$0]) }
    }

    /// Encodes `paragraph` into `bytes` (replacing what it held) and returns each line as a range
    /// of it; the drawing code uses this form to avoid going back to strings.
    static func wrap(_ paragraph: String, font: PDFFont, size: Double, width: Double, into bytes: inout [UInt8]) -> [Range<Int>] {
        bytes.removeAll(keepingCapacity: true)
        WinAnsi.append(paragraph, to: &bytes, keepingLineBreaks: true)
        guard !bytes.isEmpty else { return [] }
        let maxUnits = size > 0 ? width * PDFPage.pointsPerMillimetre * 1000 / size : .infinity
        let table = widths(font)
        var lines: [Range<Int>] = []
        var segmentStart = 0
        while segmentStart < bytes.count {
            let segmentEnd = bytes[segmentStart...].firstIndex(of: 0x0A) ?? bytes.count
            let before = lines.count
            wrapSegment(bytes, segmentStart..<segmentEnd, table: table, maxUnits: maxUnits, into: &lines)
            if lines.count == before { lines.append(segmentStart..<segmentStart) }
            segmentStart = segmentEnd + 1
        }
        return lines
    }

    /// Greedy wrapping of one segment without hard breaks. Spaces at the start and end of a line
    /// are not part of it.
    private static func wrapSegment(_ bytes: [UInt8], _ segment: Range<Int>, table: [UInt16], maxUnits: Double, into lines: inout [Range<Int>]) {
        let space: UInt8 = 0x20
        let spaceWidth = Int(table[Int(space)])
        let end = segment.upperBound
        var position = segment.lowerBound
        while true {
            while position < end, bytes[position] == space { position += 1 }
            if position >= end { return }
            let lineStart = position
            var lineEnd = position  // end of the last word that fits
            var lineUnits = 0
            var cursor = position
            while cursor < end {
                var wordStart = cursor
                var gapUnits = 0
                while wordStart < end, bytes[wordStart] == space { gapUnits += spaceWidth; wordStart += 1 }
                if wordStart >= end { break }
                var wordEnd = wordStart
                var wordUnits = 0
                while wordEnd < end, bytes[wordEnd] != space { wordUnits += Int(table[Int(bytes[wordEnd])]); wordEnd += 1 }
                let candidate = lineEnd == lineStart ? wordUnits : lineUnits + gapUnits + wordUnits
                if Double(candidate) <= maxUnits {
                    lineUnits = candidate
                    lineEnd = wordEnd
                    cursor = wordEnd
                    continue
                }
                if lineEnd == lineStart {
                    // The first word alone is too long: break it where it stops fitting (at least
                    // one character per line, so a very narrow column still terminates).
                    var brokenEnd = wordStart
                    var brokenUnits = 0
                    while brokenEnd < wordEnd {
                        let next = brokenUnits + Int(table[Int(bytes[brokenEnd])])
                        if Double(next) > maxUnits, brokenEnd > wordStart { break }
                        brokenUnits = next
                        brokenEnd += 1
                    }
                    lineEnd = brokenEnd
                }
                break
            }
            lines.append(lineStart..<lineEnd)
            position = lineEnd
        }
    }

    static func units(_ bytes: ArraySlice<UInt8>, font: PDFFont) -> Int {
        let table = widths(font)
        var total = 0
        for byte in bytes { total += Int(table[Int(byte)]) }
        return total
    }

    static func widths(_ font: PDFFont) -> [UInt16] {
        switch font {
        case .regular: helvetica
        case .bold: helveticaBold
        }
    }

    /// Helvetica (AFM "Helvetica", Adobe Core 14), WinAnsi codes 0x00–0xFF.
    static let helvetica: [UInt16] = [
           0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,  // 00
           0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,  // 10
         278,  278,  355,  556,  556,  889,  667,  191,  333,  333,  389,  584,  278,  584,  278,  278,  // 20
         556,  556,  556,  556,  556,  556,  556,  556,  556,  556,  278,  278,  584,  584,  584,  556,  // 30
        1015,  667,  667,  722,  722,  667,  611,  778,  722,  278,  500,  667,  556,  833,  722,  778,  // 40
         667,  778,  722,  667,  611,  722,  667,  944,  667,  667,  611,  278,  278,  278,  469,  556,  // 50
         333,  556,  556,  500,  556,  556,  278,  556,  556,  222,  222,  500,  222,  833,  556,  556,  // 60
         556,  556,  333,  500,  278,  556,  500,  722,  500,  500,  500,  334,  260,  334,  584,    0,  // 70
         556,    0,  222,  556,  333, 1000,  556,  556,  333, 1000,  667,  333, 1000,    0,  611,    0,  // 80
           0,  222,  222,  333,  333,  350,  556, 1000,  333, 1000,  500,  333,  944,    0,  500,  667,  // 90
         278,  333,  556,  556,  556,  556,  260,  556,  333,  737,  370,  556,  584,  333,  737,  333,  // A0
         400,  584,  333,  333,  333,  556,  537,  278,  333,  333,  365,  556,  834,  834,  834,  611,  // B0
         667,  667,  667,  667,  667,  667, 1000,  722,  667,  667,  667,  667,  278,  278,  278,  278,  // C0
         722,  722,  778,  778,  778,  778,  778,  584,  778,  722,  722,  722,  722,  667,  667,  611,  // D0
         556,  556,  556,  556,  556,  556,  889,  500,  556,  556,  556,  556,  278,  278,  278,  278,  // E0
         556,  556,  556,  556,  556,  556,  556,  584,  611,  556,  556,  556,  556,  500,  556,  500,  // F0
    ]

    /// Helvetica-Bold (AFM "Helvetica-Bold", Adobe Core 14), WinAnsi codes 0x00–0xFF.
    static let helveticaBold: [UInt16] = [
           0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,  // 00
           0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,  // 10
         278,  333,  474,  556,  556,  889,  722,  238,  333,  333,  389,  584,  278,  584,  278,  278,  // 20
         556,  556,  556,  556,  556,  556,  556,  556,  556,  556,  333,  333,  584,  584,  584,  611,  // 30
         975,  722,  722,  722,  722,  667,  611,  778,  722,  278,  556,  722,  611,  833,  722,  778,  // 40
         667,  778,  722,  667,  611,  722,  667,  944,  667,  667,  611,  333,  278,  333,  584,  556,  // 50
         333,  556,  611,  556,  611,  556,  333,  611,  611,  278,  278,  556,  278,  889,  611,  611,  // 60
         611,  611,  389,  556,  333,  611,  556,  778,  556,  556,  500,  389,  280,  389,  584,    0,  // 70
         556,    0,  278,  556,  500, 1000,  556,  556,  333, 1000,  667,  333, 1000,    0,  611,    0,  // 80
           0,  278,  278,  500,  500,  350,  556, 1000,  333, 1000,  556,  333,  944,    0,  500,  667,  // 90
         278,  333,  556,  556,  556,  556,  280,  556,  333,  737,  370,  556,  584,  333,  737,  333,  // A0
         400,  584,  333,  333,  333,  611,  556,  278,  333,  333,  365,  556,  834,  834,  834,  611,  // B0
         722,  722,  722,  722,  722,  722, 1000,  722,  667,  667,  667,  667,  278,  278,  278,  278,  // C0
         722,  722,  778,  778,  778,  778,  778,  584,  778,  722,  722,  722,  722,  667,  667,  611,  // D0
         556,  556,  556,  556,  556,  556,  889,  556,  556,  556,  556,  556,  278,  278,  278,  278,  // E0
         611,  611,  611,  611,  611,  611,  611,  584,  611,  611,  611,  611,  611,  556,  611,  556,  // F0
    ]
}
