import ArgumentParser
import Domain
import Foundation
import Storage

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import source files (exchange format CSV or JSON Lines, MAGDA XML) and run the pipeline.",
        discussion: """
            Every record is stored with its source reference; the same record twice has one effect; bad records go to \
            quarantine with a reason. The summary always adds up: records = accepted + duplicates + quarantined. \
            Exits 2 when a file was quarantined as a whole (empty, no header, not a MAGDA response).
            """)

    @Flag(help: "Print the summary as JSON.") var json = false
    @Option(help: "Force the record type instead of detecting it (enrolment, qualification, person, jobseeker, employment).")
    var kind: RecordKind?
    @Flag(help: "Store the records but do not run the pipeline.") var noPipeline = false
    @Argument(help: "The files to import.") var files: [String]

    func run() async throws {
        var wholeFileRejections: [String] = []
        try await command {
            try Importer.checkReadable(files)
            let context = try await AppContext.open()
            do {
                let result = try await Importer(context: context).run(
                    files, kind: kind, runPipeline: !noPipeline, progress: ProgressBar.forTerminal(label: "Importing", json: json))
                if json {
                    print(try jsonText(result))
                } else {
                    printSummary(result)
                }
                wholeFileRejections = result.files.compactMap { file in file.rejected.map { "\(file.file): \($0)" } }
            } catch {
                await context.close()
                throw error
            }
            await context.close()
        }
        if let first = wholeFileRejections.first {
            FileHandle.standardError.write(Data("vangnet: quarantined as a whole: \(first)\(wholeFileRejections.count > 1 ? " (and \(wholeFileRejections.count - 1) more)" : "")\n".utf8))
            throw ExitCode(2)
        }
    }

    func printSummary(_ result: Importer.Result) {
        print("Imported \(result.files.count) file(s) in \(String(format: "%.1f", result.seconds)) s")
        let width = min(40, result.files.map { ($0.file as NSString).lastPathComponent.count }.max() ?? 10)
        for file in result.files {
            let name = (file.file as NSString).lastPathComponent.padding(toLength: width, withPad: " ", startingAt: 0)
            let c = file.counts
            var line = "  \(name)  \((file.kind ?? "-").padding(toLength: 13, withPad: " ", startingAt: 0)) records \(grouped(c.records)), "
                + "accepted \(grouped(c.accepted))"
            if c.corrections > 0 { line += " (\(grouped(c.corrections)) corrections)" }
            line += ", duplicates \(grouped(c.duplicates)), quarantined \(grouped(c.quarantined))"
            if let rejected = file.rejected { line += "  — file rejected: \(rejected)" }
            print(line)
        }
        let t = result.total
        print("Total: records \(grouped(t.records)) = accepted \(grouped(t.accepted)) + duplicates \(grouped(t.duplicates)) "
              + "+ quarantined \(grouped(t.quarantined))")
        if !t.quarantinedByReason.isEmpty {
            print("Quarantined by reason: " + t.quarantinedByReason.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
                .map { "\($0.key) \(grouped($0.value))" }.joined(separator: ", "))
        }
        if let i = result.identities {
            print("Identity: \(grouped(i.linked)) quarantined records linked to a known person, \(grouped(i.queued)) waiting for the steward"
                  + (i.merged > 0 ? ", \(grouped(i.merged)) persons merged (the register replaced their number)" : ""))
        }
        if let p = result.pipeline {
            print("Pipeline: \(grouped(p.decided)) persons decided (\(grouped(p.changed)) changed), \(grouped(p.casesOpened)) cases opened"
                  + (p.casesReopened > 0 ? ", \(grouped(p.casesReopened)) reopened" : "")
                  + (p.casesWithdrawn > 0 ? ", \(grouped(p.casesWithdrawn)) withdrawn" : "")
                  + (p.unassigned > 0 ? ", \(grouped(p.unassigned)) without a consultant" : "")
                  + (p.suggestions > 0 ? ", \(grouped(p.suggestions)) suggestions" : "")
                  + (p.factsAttached > 0 ? ", \(grouped(p.factsAttached)) new facts on open cases" : ""))
        }
    }
}

extension RecordKind: ExpressibleByArgument {}

/// Pretty, sorted JSON for command output.
func jsonText(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}
