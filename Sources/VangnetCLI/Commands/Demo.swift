import ArgumentParser
import Domain
import Foundation
import Simulator
import Storage

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate a small Flanders, import it, run the pipeline and show the funnel — nothing to install.")

    @Option(help: "Where the demo keeps its database, keys and simulated files.") var dataDir: String = FileManager.default.currentDirectoryPath
    @Option(help: "Seed of the simulation.") var seed: UInt64 = 7

    func run() async throws {
        try await command {
            var environment = ProcessInfo.processInfo.environment
            environment["VANGNET_ENVIRONMENT"] = environment["VANGNET_ENVIRONMENT"] ?? "demo"
            guard environment["VANGNET_ENVIRONMENT"] != "production" else {
                throw ImportProblem("the demo writes synthetic data; it does not run with VANGNET_ENVIRONMENT=production")
            }
            try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
            let context = try await AppContext.open(dataDirectory: dataDir, environment: environment)
            do {
                let today = context.configuration.currentDate
                let simulated = dataDir + "/vangnet-sim"
                let simulation = Simulation(seed: seed, scale: .small, schoolYear: Simulation.defaultSchoolYear(today: today))
                let output = try simulation.write(to: simulated)
                print("Simulated \(grouped(output.pupils)) pupils of school year \(simulation.schoolYear) in \(simulated)")
                let files = output.files.keys.sorted().map { simulated + "/" + $0 }
                let result = try await Importer(context: context).run(files, progress: Progress.forTerminal(label: "Importing", json: false))
                print("Imported \(grouped(result.total.records)) records: \(grouped(result.total.accepted)) accepted, "
                      + "\(grouped(result.total.duplicates)) duplicates, \(grouped(result.total.quarantined)) quarantined")
                if let p = result.pipeline {
                    print("Decided \(grouped(p.decided)) persons; \(grouped(p.casesOpened)) cases opened")
                }
                print("")
                print(FunnelTable.render(try await context.store.funnel()))
                print("")
                print("Database: \(context.configuration.database). Try: VANGNET_ENVIRONMENT=demo vangnet case list")
            } catch {
                await context.close()
                throw error
            }
            await context.close()
        }
    }
}
