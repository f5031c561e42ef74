import ArgumentParser
import Domain
import Foundation
import Ingest
import Simulator

struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write synthetic source files for a Flanders-shaped population (same seed, same bytes).")

    @Option(help: "Seed of the random generator.") var seed: UInt64 = 7
    @Option(help: "small (a few thousand pupils) or flanders (one school year, ~450,000 pupils).") var scale: Simulation.Scale = .small
    @Option(help: "How many pupils, instead of the scale's number (1–1,000,000).") var pupils: Int?
    @Option(help: "The folder to write to.") var out: String = "sim"
    @Option(help: "The school year whose leavers are simulated, e.g. 2025-2026 (default: the last one that ended).")
    var schoolYear: String?
    @Option(help: "csv or jsonl.") var format: SourceFileReader.Format = .csv
    @Flag(help: "Print the summary as JSON.") var json = false

    func run() async throws {
        try await command {
            let year: SchoolYear
            if let schoolYear {
                guard let parsed = SchoolYear(schoolYear) else { throw CommandFailure("--school-year must be like 2025-2026") }
                year = parsed
            } else {
                year = Simulation.defaultSchoolYear(today: Clock.system.today())
            }
            guard format != .magdaXML else { throw CommandFailure("--format must be csv or jsonl") }
            if let pupils, !(1...1_000_000).contains(pupils) { throw CommandFailure("--pupils must be a number from 1 to 1,000,000") }
            let simulation = Simulation(seed: seed, scale: scale, schoolYear: year, format: format, pupils: pupils)
            let output = try simulation.write(to: out)
            if json { print(try jsonText(output)) } else {
                print("Simulated \(grouped(output.pupils)) pupils of school year \(year): \(grouped(output.leavers)) left school, "
                      + "\(grouped(output.unqualifiedLeavers)) without a qualification.")
                for (file, lines) in output.files.sorted(by: { $0.key < $1.key }) {
                    print("  \(out)/\(file): \(grouped(lines)) records")
                }
                print("Import with: VANGNET_ENVIRONMENT=demo vangnet import \(out)/*.\(format == .csv ? "csv" : "jsonl")")
            }
        }
    }
}

extension Simulation.Scale: ExpressibleByArgument {}
extension SourceFileReader.Format: ExpressibleByArgument {}
