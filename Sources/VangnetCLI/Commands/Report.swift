import ArgumentParser
import Domain
import Foundation
import Storage
import Web

struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Reports without personal data.", subcommands: [FunnelReport.self, StatusReportCommand.self])
}

struct FunnelReport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "funnel",
        abstract: "Leavers, unqualified, pending, not in target group (by reason), eligible and open cases, per province.")

    @Flag(help: "Print the funnel as JSON.") var json = false

    func run() async throws {
        try await command {
            let context = try await AppContext.open()
            do {
                let funnel = try await context.store.funnel()
                print(json ? try jsonText(funnel) : FunnelTable.render(funnel))
            } catch {
                await context.close()
                throw error
            }
            await context.close()
        }
    }
}

/// The funnel as a text table.
enum FunnelTable {
    static let columns: [(String, String)] = Province.allCases.map { ($0.rawValue, $0.name) }
        + [(Funnel.unknownProvince, "Unknown")]

    static func render(_ funnel: Funnel) -> String {
        let present = columns.filter { funnel.provinces[$0.0] != nil }
        var lines: [[String]] = [["", "Total"] + present.map(\.1)]
        func row(_ label: String, _ value: (Funnel.Row) -> Int) {
            lines.append([label, grouped(value(funnel.total))] + present.map { grouped(value(funnel.provinces[$0.0] ?? Funnel.Row())) })
        }
        row("Left school", \.leavers)
        row("  without a qualification", \.unqualified)
        row("  pending (grace period, compulsory education)", \.pending)
        row("  not in the target group", \.notInTargetGroupTotal)
        for exclusion in Decision.Exclusion.allCases where funnel.total.notInTargetGroup[exclusion.rawValue] != nil {
            row("    " + English().exclusion(exclusion), { $0.notInTargetGroup[exclusion.rawValue] ?? 0 })
        }
        row("  eligible", \.eligible)
        row("    with an open case", \.openCasesEligible)
        row("    case already closed", \.eligibleWithoutOpenCase)
        row("Open cases", \.openCases)
        row("  of young people still to be reached", \.openCasesEligible)
        row("  of young people no longer to be reached (to be closed)", \.openCasesNoLongerEligible)
        let widths = (0..<lines[0].count).map { column in lines.map { $0[column].count }.max() ?? 0 }
        let body = lines.map { cells in
            cells.enumerated().map { index, cell in
                index == 0 ? cell.padding(toLength: widths[0], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[index] - cell.count) + cell
            }.joined(separator: "  ")
        }
        return "Funnel, decisions as of \(funnel.asOf.iso)\n\n" + body.joined(separator: "\n")
    }
}

/// `vangnet report status --from D --to D [--format html|pdf|md] [--out FILE]`: the status report
/// (docs/monitoring.md), from the statistics store and the deliveries, small counts protected.
struct StatusReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "The status report: the five questions about the exchange between education and VDAB, answered for a period.")

    @Option(help: "The first day of the period (YYYY-MM-DD).") var from: String
    @Option(help: "The last day of the period (YYYY-MM-DD).") var to: String
    @Option(help: "md (default), html or pdf.") var format: String = "md"
    @Option(help: "The language: nl (default) or en.") var language: String = "nl"
    @Option(help: "Write to this file instead of standard output (a PDF needs it).") var out: String?

    func run() async throws {
        try await command {
            guard let start = LocalDate(iso: from), let end = LocalDate(iso: to) else { throw CommandFailure("--from and --to must be dates as YYYY-MM-DD") }
            guard start <= end else { throw CommandFailure("--from must not be after --to") }
            guard ["md", "html", "pdf"].contains(format) else { throw CommandFailure("--format must be md, html or pdf") }
            guard let language = Language(rawValue: language), Language.interface.contains(language) else { throw CommandFailure("--language must be nl or en") }
            guard format != "pdf" || out != nil else { throw CommandFailure("a PDF needs --out FILE") }
            let context = try await AppContext.open()
            do {
                // The report reads the statistics as they are now: bring them up to date first.
                try await context.store.refreshStatistics()
                let report = try await context.store.statusReport(from: start, to: end, today: context.configuration.currentDate)
                let renderer = StatusReportRenderer(report: report, language: language)
                let bytes: [UInt8]
                switch format {
                case "pdf": bytes = renderer.pdf(created: context.configuration.clock.now())
                case "html": bytes = Array(renderer.standaloneHTML.utf8)
                default: bytes = Array(renderer.markdown.utf8)
                }
                if let out {
                    guard FileManager.default.createFile(atPath: out, contents: Data(bytes)) else { throw CommandFailure("cannot write \(out)") }
                    print("Status report written to \(out) (\(bytes.count) bytes).")
                } else {
                    FileHandle.standardOutput.write(Data(bytes))
                }
            } catch {
                await context.close()
                throw error
            }
            await context.close()
        }
    }
}
