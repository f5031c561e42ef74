import Foundation
import Storage

/// A horizontal bar chart as inline SVG, drawn on the server (no scripts: the pages' CSP allows
/// none), readable without colour — every bar carries its number as text — and with a text
/// alternative (`<title>`, `aria-labelledby`). The figures are the published ones: a count below
/// 10 is a short hatched stub labelled "<10", never its real length.
enum BarChart {
    static func svg(id: String, title: String, bars: [(label: String, value: String, share: Double, small: Bool)]) -> String {
        // Room for the longest label (about 8 units a character at this size).
        let labelWidth = max(150, min(320, (bars.map(\.label.count).max() ?? 0) * 8 + 12))
        let rowHeight = 28, barWidth = 260, width = labelWidth + barWidth + 60
        let height = rowHeight * bars.count + 8
        var out = "<svg class=\"chart\" role=\"img\" aria-labelledby=\"\(id)-title\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\" "
            + "preserveAspectRatio=\"xMinYMin meet\" xmlns=\"http://www.w3.org/2000/svg\">"
        out += "<title id=\"\(id)-title\">\(HTML.escape(title)): " + bars.map { "\(HTML.escape($0.label)) \(HTML.escape($0.value))" }.joined(separator: ", ") + "</title>"
        out += "<defs><pattern id=\"\(id)-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
            + "<rect width=\"3\" height=\"6\" fill=\"#00487a\"/></pattern></defs>"
        for (index, bar) in bars.enumerated() {
            let y = 4 + index * rowHeight
            let length = max(4, Int(Double(barWidth) * min(1, bar.share)))
            out += "<text x=\"0\" y=\"\(y + 18)\" font-size=\"14\" fill=\"#1a1a1a\">\(HTML.escape(bar.label))</text>"
            out += "<rect x=\"\(labelWidth)\" y=\"\(y + 4)\" width=\"\(length)\" height=\"18\" fill=\"\(bar.small ? "url(#\(id)-hatch)" : "#00487a")\" stroke=\"#00487a\"/>"
            out += "<text x=\"\(labelWidth + length + 6)\" y=\"\(y + 18)\" font-size=\"14\" fill=\"#1a1a1a\">\(HTML.escape(bar.value))</text>"
        }
        return out + "</svg>"
    }
}
