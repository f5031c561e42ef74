import ArgumentParser
import Domain
import Storage

struct PipelineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Decide everyone who is due (new records, or a timer that has come): decisions and cases.",
        discussion: "Runs by itself after every import; run it daily so that pending decisions are decided when their date comes.")

    @Option(help: "Decide as of this date (YYYY-MM-DD) instead of today; test and demo environments only.")
    var asOf: String?
    @Flag(help: "Print the report as JSON.") var json = false

    func run() async throws {
        try await command {
            let context = try await AppContext.open()
            var today: LocalDate?
            if let asOf {
                guard context.configuration.environment.allowsTestData else {
                    await context.close()
                    throw CommandFailure("--as-of is only allowed in a test or demo environment")
                }
                guard let date = LocalDate(iso: asOf) else {
                    await context.close()
                    throw CommandFailure("--as-of must be YYYY-MM-DD")
                }
                today = date
            }
            do {
                let report = try await context.pipeline(today: today).run()
                if json { print(try jsonText(report)) } else {
                    print("Decided \(grouped(report.decided)) persons (\(grouped(report.changed)) changed); "
                          + "cases opened \(report.casesOpened), reopened \(report.casesReopened), withdrawn \(report.casesWithdrawn), "
                          + "suggestions \(report.suggestions), new facts on open cases \(report.factsAttached)")
                }
            } catch {
                await context.close()
                throw error
            }
            await context.close()
        }
    }
}
