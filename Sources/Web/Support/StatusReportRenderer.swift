import Domain
import Foundation
import Letters
import Storage

/// The status report in plain words (docs/monitoring.md, "The status report"): the five questions
/// answered with the period's figures, as blocks — headings, paragraphs, tables, bar charts — that
/// render as HTML (the page and `--format html`), Markdown and PDF (our own writer, `Letters/PDF`).
/// Every count in it is published as the dashboard publishes it: small counts as "<10".
public struct StatusReportRenderer {
    enum Block {
        case heading(String)
        case paragraph(String)
        case table(header: [String], rows: [[String]])
        case chart(id: String, title: String, bars: [(label: String, value: String, share: Double, small: Bool)])
    }

    let report: StatusReport
    let language: Language

    public init(report: StatusReport, language: Language) {
        self.report = report
        self.language = language
    }

    var t: TextTable { Texts.table(language) }

    func percent(_ value: Double?) -> String {
        value.map { FigureFormat.percent($0, language) } ?? "–"
    }

    func count(_ n: Int) -> String { StatusReport.published(n) }

    /// Replaces `{name}` in a text of `Texts` with the values.
    func say(_ key: String, _ values: [String: String]) -> String {
        var text = t[key] ?? key
        for (name, value) in values { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        return text
    }

    static func bars(_ items: [(String, Int)]) -> [(label: String, value: String, share: Double, small: Bool)] {
        let longest = Double(max(1, items.map(\.1).filter { $0 >= Disclosure.threshold }.max() ?? 1))
        return items.map { label, n in
            let small = (1..<Disclosure.threshold).contains(n)
            return (label, StatusReport.published(n), small ? 0.02 : Double(n) / longest, small)
        }
    }

    var blocks: [Block] {
        let words = language.words
        let r = report
        let d = r.dashboard
        var out: [Block] = [.heading(t["sr_title"]!),
                            .paragraph(say("sr_intro", ["from": words.date(r.from), "to": words.date(r.to), "today": words.date(r.today)]))]

        // (1) The exchange.
        let records = r.sources.map(\.records).reduce(0, +)
        let median = d.timeliness.derived.first { $0.key == "days_left_detected" }?.total
        let toCase = d.timeliness.derived.first { $0.key == "days_detected_case" }?.total
        out.append(.heading(t["sr_q1"]!))
        out.append(.paragraph(say("sr_q1_text", [
            "sources": String(r.sources.filter { $0.deliveries > 0 }.count), "deliveries": count(r.sources.map(\.deliveries).reduce(0, +)),
            "records": count(records),
            "since": r.sources.compactMap(\.since).min().map(words.date) ?? "–",
        ])))
        if let median, let toCase {
            func days(_ value: Double) -> String { "\(Int(value)) " + t[Int(value) == 1 ? "sr_day" : "sr_days"]! }
            out.append(.paragraph(say("sr_q1_latency", ["detected": days(median), "case": days(toCase)])))
        } else {
            out.append(.paragraph(t["sr_q1_no_latency"]!))
        }
        out.append(.table(header: [t["sr_source"]!, t["sr_since"]!, t["sr_last"]!, t["sr_deliveries"]!, t["sr_records"]!, t["sr_accepted"]!, t["sr_quarantined"]!],
                          rows: r.sources.map { s in
                              [words.source(s.source), s.since.map(words.date) ?? "–", s.lastDelivery.map(words.date) ?? "–", String(s.deliveries),
                               String(s.records), String(s.accepted), String(s.quarantined)]
                          }))
        out.append(.chart(id: "sr-sources", title: t["sr_chart_sources"]!, bars: Self.bars(r.sources.map { (words.source($0.source), $0.records) })))

        // (2) Coupled, and what went wrong.
        let quarantined = r.quarantineReasons.map(\.count).reduce(0, +)
        let stale = r.sources.filter(\.stale).map { words.source($0.source) }
        out.append(.heading(t["sr_q2"]!))
        out.append(.paragraph(say("sr_q2_text", [
            "quarantined": String(quarantined), "records": String(records),
            "rate": percent(records >= Disclosure.threshold ? Double(quarantined) / Double(records) : nil),
            "interrupted": String(r.interruptedDeliveries), "stuck_registrations": String(r.stuckRegistrations),
            "stuck_notices": String(r.stuckPartnerNotices),
        ])))
        out.append(.paragraph(stale.isEmpty ? t["sr_q2_no_outage"]! : say("sr_q2_outage", ["sources": stale.joined(separator: ", ")])))
        let reasons = r.quarantineReasons.map { (QuarantineReason(rawValue: $0.reason).map(words.quarantineReason) ?? $0.reason, $0.count) }
        if !reasons.isEmpty {
            out.append(.table(header: [t["sr_reason"]!, t["sr_records"]!], rows: reasons.map { [$0.0, String($0.1)] }))
            out.append(.chart(id: "sr-reasons", title: t["sr_chart_reasons"]!, bars: Self.bars(reasons)))
        }

        // (3) What VDAB did.
        let step = Dictionary(uniqueKeysWithValues: r.outreach.map { ($0.step, $0.count) })
        let within5 = d.timeliness.derived.first { $0.key == "share_within_5" }?.total
        let firstAttempt = d.timeliness.derived.first { $0.key == "days_case_first_attempt" }?.total
        out.append(.heading(t["sr_q3"]!))
        out.append(.paragraph(say("sr_q3_text", [
            "cases": count(step["case"] ?? 0), "letters": count(step["letter"] ?? 0), "answers": count(step["answer"] ?? 0),
            "attempts": count(step["first_attempt"] ?? 0), "reached": count(step["reached"] ?? 0), "registered": count(step["registered"] ?? 0),
        ])))
        if let within5, let firstAttempt {
            out.append(.paragraph(say("sr_q3_speed", ["within5": percent(within5), "days": String(Int(firstAttempt))])))
        } else {
            out.append(.paragraph(t["sr_q3_no_speed"]!))
        }
        let outreachBars = r.outreach.map { (t["sr_step_" + $0.step] ?? t["stat_col_" + $0.step] ?? $0.step, $0.count) }
        out.append(.table(header: [t["sr_step"]!, t["sr_young_people"]!], rows: outreachBars.map { [$0.0, count($0.1)] }))
        out.append(.chart(id: "sr-outreach", title: t["sr_chart_outreach"]!, bars: Self.bars(outreachBars)))

        // (4) Partners.
        out.append(.heading(t["sr_q4"]!))
        if r.partners.isEmpty {
            out.append(.paragraph(t["sr_q4_none"]!))
        } else {
            out.append(.paragraph(say("sr_q4_text", ["organisations": String(Set(r.partners.map(\.organisation)).count)])))
            out.append(.table(header: [t["sr_organisation"]!, t["sr_lot"]!, t["monitoring_sent"]!, t["monitoring_accepted"]!, t["monitoring_declined"]!],
                              rows: r.partners.map { [$0.organisation, $0.lot, $0.sent, $0.accepted + " (" + $0.acceptanceRate + ")", $0.declined] }))
        }

        // (5) Results.
        let offerShare = d.offer.derived.first?.total
        let situation = d.situation
        out.append(.heading(t["sr_q5"]!))
        out.append(.paragraph(offerShare.map { say("sr_q5_offer", ["offer": percent($0)]) } ?? t["sr_q5_no_offer"]!))
        out.append(.paragraph(d.jobSeeking.derived.first?.total.map { say("sr_q5_jobseeking", ["jobseeking": percent($0)]) } ?? t["sr_q5_no_jobseeking"]!))
        out.append(.paragraph(t["sr_q5_table"]!))
        let marks = situation.rowKeys.indices.map { i -> [String] in
            [situation.rowKeys[i] + " " + t["stat_row_months"]!] + situation.published.cells[i].map(\.text)
                + [situation.published.rowTotals?[i].text ?? ""] + [percent(situation.derived.first?.values[i] ?? nil)]
        }
        out.append(.table(header: [""] + situation.columnKeys.map { t["stat_col_" + $0] ?? $0 } + [t["stat_col_total"]!, t["stat_col_share_work"]!], rows: marks))
        out.append(.chart(id: "sr-situation", title: t["dash_chart_situation"]!, bars: situation.rowKeys.indices.map { i in
            let share = situation.derived.first?.values[i] ?? nil
            return (situation.rowKeys[i] + " " + t["stat_row_months"]!, percent(share), share ?? 0.02, share == nil)
        }))
        out.append(.paragraph(t["sr_closing"]!))
        return out
    }

    // MARK: - HTML

    /// The report's body as HTML (inside the page's layout, or in `standaloneHTML`).
    public var html: String {
        var out = ""
        var first = true
        // A table scrolls sideways on a phone: a region a keyboard reaches, named by its heading.
        var heading = ""
        for block in blocks {
            switch block {
            case .heading(let text):
                out += first ? "<h1>\(HTML.escape(text))</h1>\n" : "<h2>\(HTML.escape(text))</h2>\n"
                first = false
                heading = text
            case .paragraph(let text): out += "<p>\(HTML.escape(text))</p>\n"
            case .table(let header, let rows):
                out += "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"\(HTML.escape(heading))\"><table class=\"figures\"><thead><tr>"
                    + header.enumerated().map { "<th scope=\"col\"\($0.offset > 0 ? " class=\"num\"" : "")>\(HTML.escape($0.element))</th>" }.joined()
                    + "</tr></thead><tbody>"
                for row in rows {
                    out += "<tr>" + row.enumerated().map { index, cell in
                        index == 0 ? "<th scope=\"row\">\(HTML.escape(cell))</th>" : "<td class=\"num\">\(HTML.escape(cell))</td>"
                    }.joined() + "</tr>"
                }
                out += "</tbody></table></div>\n"
            case .chart(let id, let title, let bars):
                guard !bars.isEmpty, !bars.allSatisfy(\.small) else { continue }
                out += "<div class=\"dashboard-chart\">" + BarChart.svg(id: id, title: title, bars: bars) + "</div>\n"
            }
        }
        return out
    }

    /// A file of its own (`--format html`): the body with a little style, no scripts.
    public var standaloneHTML: String {
        """
        <!DOCTYPE html>
        <html lang="\(t["lang"]!)"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTML.escape(t["sr_title"]!))</title>
        <style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5}
        table{border-collapse:collapse;margin:1rem 0}th,td{padding:.3rem .6rem;border-bottom:1px solid #ccc;text-align:left}
        .num{text-align:right}.table-scroll{overflow-x:auto}svg{max-width:32rem}</style></head>
        <body>
        \(html)</body></html>

        """
    }

    // MARK: - Markdown

    public var markdown: String {
        var out = ""
        var first = true
        for block in blocks {
            switch block {
            case .heading(let text):
                out += (first ? "# " : "\n## ") + text + "\n\n"
                first = false
            case .paragraph(let text): out += text + "\n\n"
            case .table(let header, let rows):
                func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
                out += "| " + header.map(cell).joined(separator: " | ") + " |\n"
                out += "|" + header.indices.map { $0 == 0 ? " --- |" : " ---: |" }.joined() + "\n"
                for row in rows { out += "| " + row.map(cell).joined(separator: " | ") + " |\n" }
                out += "\n"
            case .chart: continue
            }
        }
        return out
    }

    // MARK: - PDF

    /// The report as A4 pages: headings, wrapped paragraphs, tables in columns, bars as outlined
    /// boxes with their numbers (the letters' PDF writer draws outlines, not fills).
    public func pdf(created: Date) -> [UInt8] {
        var document = PDFDocument(title: t["sr_title"]!, created: created)
        var page = PDFPage()
        var y = 20.0
        let left = 20.0, width = 170.0, bottom = 280.0
        func room(_ height: Double) {
            if y + height > bottom {
                document.addPage(page)
                page = PDFPage()
                y = 20
            }
        }
        var first = true
        for block in blocks {
            switch block {
            case .heading(let text):
                room(14)
                y += first ? 0 : 4
                page.text(text, x: left, y: y + 5, font: .bold, size: first ? 16 : 12.5)
                y += first ? 12 : 9
                first = false
            case .paragraph(let text):
                let lines = TextLayout.wrap(text, font: .regular, size: 10, width: width).count
                room(Double(lines) * 4.5 + 3)
                y = page.paragraph(text, x: left, y: y + 4, width: width, size: 10) + 2
            case .table(let header, let rows):
                let columns = header.count
                let firstWidth = columns > 2 ? 52.0 : 110.0
                let other = columns > 1 ? (width - firstWidth) / Double(columns - 1) : 0
                func draw(_ cells: [String], font: PDFFont) {
                    let size = columns > 6 ? 7.5 : 8.5
                    let height = cells.enumerated().map { index, cell in
                        Double(TextLayout.wrap(cell, font: font, size: size, width: index == 0 ? firstWidth - 2 : other - 2).count)
                    }.max() ?? 1
                    room(height * 3.6 + 2.5)
                    for (index, cell) in cells.enumerated() {
                        if index == 0 {
                            page.paragraph(cell, x: left, y: y + 3.5, width: firstWidth - 2, font: font, size: size)
                        } else {
                            let right = left + firstWidth + other * Double(index)
                            let lines = TextLayout.wrap(cell, font: font, size: size, width: other - 2)
                            for (n, line) in lines.enumerated() {
                                page.text(line, x: right - 1, y: y + 3.5 + Double(n) * 3.6, font: font, size: size, align: .right)
                            }
                        }
                    }
                    y += height * 3.6 + 1.5
                    page.line(x1: left, y1: y, x2: left + width, y2: y, lineWidth: 0.3)
                    y += 1
                }
                draw(header, font: .bold)
                for row in rows { draw(row, font: .regular) }
                y += 3
            case .chart(_, let title, let bars):
                guard !bars.isEmpty, !bars.allSatisfy(\.small) else { continue }
                room(8 + Double(bars.count) * 6)
                page.text(title, x: left, y: y + 4, font: .bold, size: 9)
                y += 7
                for bar in bars {
                    page.text(bar.label, x: left, y: y + 3.5, size: 8)
                    let length = max(1, 80 * min(1, bar.share))
                    page.rectangle(x: left + 60, y: y, width: length, height: 4.2, lineWidth: 0.6)
                    page.text(bar.value, x: left + 62 + length, y: y + 3.5, size: 8)
                    y += 6
                }
                y += 3
            }
        }
        document.addPage(page)
        return document.bytes()
    }
}
