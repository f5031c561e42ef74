import Foundation

/// The course of a rate over the school years as a small inline SVG, drawn on the server (the
/// pages' CSP allows no scripts): a dot for every year with a published rate, joined where the
/// years follow each other, and a reference rate as a dashed line. Readable without colour (the
/// dots and the line differ in shape) and with a text alternative: every year with its rate, or
/// that it is not shown.
enum Sparkline {
    static let width = 140.0, height = 36.0, margin = 4.0

    /// `missing` says, for a year without a rate, why (no leavers that year, or not shown).
    static func svg(id: String, title: String, years: [String], rates: [Double?], reference: Double?,
                    format: (Double) -> String, missing: (Int) -> String, referenceLabel: String) -> String {
        let top = max(0.1, ((rates.compactMap { $0 } + [reference ?? 0]).max() ?? 0) * 1.15)
        func x(_ index: Int) -> Double { margin + (width - 2 * margin) * (years.count > 1 ? Double(index) / Double(years.count - 1) : 0.5) }
        func y(_ rate: Double) -> Double { height - margin - (height - 2 * margin) * min(1, rate / top) }
        func number(_ value: Double) -> String { String(format: "%.1f", value) }
        let described = years.indices.map { i in "\(years[i]) \(rates[i].map(format) ?? missing(i))" }
            + (reference.map { ["\(referenceLabel) \(format($0))"] } ?? [])
        var out = "<svg class=\"sparkline\" role=\"img\" aria-labelledby=\"\(id)-title\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" "
            + "width=\"\(Int(width))\" height=\"\(Int(height))\" xmlns=\"http://www.w3.org/2000/svg\">"
        out += "<title id=\"\(id)-title\">\(HTML.escape(title)): \(HTML.escape(described.joined(separator: ", ")))</title>"
        if let reference {
            out += "<line x1=\"\(number(margin))\" x2=\"\(number(width - margin))\" y1=\"\(number(y(reference)))\" y2=\"\(number(y(reference)))\" "
                + "stroke=\"#6b6b6b\" stroke-width=\"1\" stroke-dasharray=\"3 3\"/>"
        }
        // Runs of consecutive years with a rate, each a line.
        var run: [String] = []
        func flush() {
            if run.count > 1 { out += "<polyline points=\"\(run.joined(separator: " "))\" fill=\"none\" stroke=\"#00487a\" stroke-width=\"1.5\"/>" }
            run = []
        }
        for (index, rate) in rates.enumerated() {
            guard let rate else { flush(); continue }
            run.append("\(number(x(index))),\(number(y(rate)))")
        }
        flush()
        for (index, rate) in rates.enumerated() {
            guard let rate else { continue }
            out += "<circle cx=\"\(number(x(index)))\" cy=\"\(number(y(rate)))\" r=\"2.5\" fill=\"#00487a\"/>"
        }
        return out + "</svg>"
    }
}
