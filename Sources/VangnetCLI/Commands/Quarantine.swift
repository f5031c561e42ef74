import ArgumentParser
import Foundation
import Storage
import Workflows

struct QuarantineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarantine", abstract: "Rejected records, with their reasons (for the data steward).",
        subcommands: [QuarantineList.self, QuarantineLink.self])
}

struct QuarantineList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Open quarantine entries, newest first.")

    @Option(help: "Only this reason code (e.g. invalid_insz).") var reason: String?
    @Option(help: "At most this many.") var limit = 20
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        try await command {
            let context = try await AppContext.open()
            do {
                let entries = try await context.store.quarantine(reason: reason, limit: limit)
                if json { print(try jsonText(entries)) } else {
                    for e in entries {
                        print("#\(e.id) \(e.receivedAt.prefix(19)) \(e.delivery) \(e.location): \(e.reason)"
                              + (e.field.map { " [\($0)]" } ?? "") + " — \(e.message)")
                    }
                    if entries.isEmpty { print("Quarantine is empty.") }
                }
            } catch {
                await context.close()
                throw error
            }
            await context.close()
        }
    }
}

/// `vangnet quarantine link`: records quarantined for a missing or invalid INSZ matched, by name,
/// birth date and address, against the persons Vangnet knows (docs/linkage.md). Imports do this
/// by themselves; the command is for the entries that arrived otherwise (events) or after a
/// change of thresholds.
struct QuarantineLink: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link", abstract: "Link quarantined records with a failed INSZ to known persons, or queue them for the steward.")

    @Flag(help: "Print the report as JSON.") var json = false

    func run() async throws {
        try await command {
            let context = try await AppContext.open()
            do {
                let report = try await context.identityWork.resolve()
                if report.linked > 0 || report.merged > 0 { _ = try await context.pipeline().run() }
                if json { print(try jsonText(report)) } else {
                    let thresholds = context.configuration.identityThresholds
                    print("Quarantined records with a missing or invalid INSZ: \(report.candidates)"
                          + " (\(report.withoutIdentity) without a name and birth date to link by).")
                    print("Linked to a known person (probability ≥ \(thresholds.link)): \(report.linked)"
                          + (report.stillRejected > 0 ? "; \(report.stillRejected) linked but still refused for another reason" : "") + ".")
                    print("Waiting for the steward (\(thresholds.review) ≤ probability < \(thresholds.link)): \(report.queued).")
                    print("Left in quarantine (no likely candidate): \(report.unresolved).")
                    if report.merged > 0 { print("Persons merged because the register replaced their number: \(report.merged).") }
                }
            } catch {
                await context.close()
                throw error
            }
            await context.close()
        }
    }
}
