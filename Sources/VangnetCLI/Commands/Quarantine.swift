import ArgumentParser
import Foundation
import Storage

struct QuarantineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarantine", abstract: "Rejected records, with their reasons (for the data steward).",
        subcommands: [QuarantineList.self])
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
