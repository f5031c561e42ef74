import ArgumentParser
import Domain
import Foundation
import Storage

struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Reports without personal data.", subcommands: [FunnelReport.self])
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
