import ArgumentParser
import Domain
import Foundation
import Simulator
import SQLKit
import Storage
import VangnetCLI

/// Issue 13's "pipeline cost proportional to what changed": the same simulated school years the
/// workspace benchmark fills (seed 7, a new simulation per year, each year imported and then decided
/// as of 1 December after it), on a fresh database, with the pipeline of each year timed on its own
/// and the persons it found due split into those with new records (arrivals) and those whose timer
/// came due. The figure is the last year's pipeline time over the first's (target ≤ 1.5×).
///
/// `--pupils` scales each year down (the default, 45,000, is a tenth of Flanders) so ten years fit
/// in minutes; the ratio is what is measured, and it does not depend on the scale.
struct PipelineYearsBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline-years",
        abstract: "The yearly pipeline over ten simulated school years: the tenth year's time over the first's.")

    @Option(help: "School years, ending with 2025–2026.") var years = 10
    @Option(help: "Pupils per school year (Flanders: about 450,000).") var pupils = 45_000
    @Option(help: "Seed of the simulation.") var seed: UInt64 = 7
    @Option(help: "A postgres:// URL to run on PostgreSQL instead of SQLite (the database must be empty).")
    var postgres: String?

    func run() async throws {
        let folder = try freshFolder("pipeline-years")
        let context = try await demoContext(folder, database: postgres)
        let store = context.store
        print("Pipeline over \(years) school years (\(postgres == nil ? "SQLite" : "PostgreSQL"), \(grouped(pupils)) pupils a year)")
        var times: [Double] = []
        do {
            let last = 2025
            for startYear in (last - years + 1)...last {
                let files = benchFolder + "/years-\(pupils)/\(startYear)-seed\(seed)"
                if !FileManager.default.fileExists(atPath: files + "/employment.csv") {
                    _ = try Simulation(seed: seed &+ UInt64(startYear), scale: .flanders, schoolYear: SchoolYear(startYear: startYear),
                                       pupils: pupils).write(to: files)
                }
                let asOf = min(LocalDate(year: startYear + 1, month: 12, day: 1)!, WorkspaceBenchmark.today)
                let timersDue = try await due(store.sql, on: asOf)
                let result = try await Importer(context: context).run(WorkspaceBenchmark.yearFiles.map { files + "/\($0).csv" }, runPipeline: false)
                let allDue = try await due(store.sql, on: asOf)
                let records = try await count(store.sql, """
                    SELECT COUNT(*) AS n FROM source_records WHERE person_id IN (SELECT person_id FROM schedule WHERE due_on <= '\(asOf.iso)')
                    """)
                var report: PipelineReport?
                let deciding = try await seconds { report = try await context.pipeline(today: asOf).run() }
                times.append(deciding)
                let persons = try await count(store.sql, "SELECT COUNT(*) AS n FROM persons")
                print(String(format: "  %d–%d: %@ records imported; %@ persons in all; pipeline as of %@: %@ due (%@ by their timer, %@ with new records), "
                             + "%@ records read, %@ decisions changed, %@ cases opened, %.1f s (%.0f µs a person due)",
                             startYear, startYear + 1, grouped(result.total.records), grouped(persons), asOf.iso, grouped(allDue),
                             grouped(timersDue), grouped(allDue - timersDue), grouped(records), grouped(report?.changed ?? 0),
                             grouped(report?.casesOpened ?? 0), deciding, deciding / Double(max(allDue, 1)) * 1e6))
            }
        } catch {
            await context.close()
            throw error
        }
        await context.close()
        if let first = times.first, let last = times.last, times.count > 1 {
            print(String(format: "  year %d over year 1: %.1f s / %.1f s = %.2f× (target ≤ 1.5×)", times.count, last, first, last / first))
        }
    }

    func due(_ sql: any SQLDatabase, on date: LocalDate) async throws -> Int {
        try await count(sql, "SELECT COUNT(*) AS n FROM schedule WHERE due_on <= '\(date.iso)'")
    }

    func count(_ sql: any SQLDatabase, _ query: String) async throws -> Int {
        try await sql.raw(SQLQueryString(query)).first()!.decode(column: "n", as: Int.self)
    }
}
