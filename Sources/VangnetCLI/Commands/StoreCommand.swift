import ArgumentParser
import Foundation
import Storage

/// `vangnet store copy`: move a pilot on the embedded SQLite to PostgreSQL (docs/operations.md).
struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "store", abstract: "The database: copy SQLite to PostgreSQL.",
                                                    subcommands: [StoreCopyCommand.self])
}

struct StoreCopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy everything — audit chain included — from an SQLite database into a new, empty PostgreSQL database.",
        discussion: "The target is migrated first; a target with data is refused. Stop the server during the copy. The same keys open both.")

    @Option(help: "The source (sqlite://…; default VANGNET_DATABASE_URL or the data folder's database).") var from: String?
    @Option(help: "The target (postgres://…).") var to: String

    func run() async throws {
        try await command {
            var environment = ProcessInfo.processInfo.environment
            if let from { environment["VANGNET_DATABASE_URL"] = from }
            let context = try await AppContext.open(environment: environment)
            do {
                let target: Store
                do {
                    target = try await Store.open(try DatabaseLocation(url: to), keyring: context.store.keyring, clock: context.configuration.clock)
                } catch let problem as StoreError {
                    throw CommandFailure("--to: \(problem)")
                }
                do {
                    try await target.migrate()
                    let started = Date()
                    let counts = try await context.store.copyEverything(to: target)
                    await target.close()
                    print(String(format: "Copied %@ rows of %d tables in %.1f s; the counts match and the audit chain verifies",
                                 grouped(counts.values.reduce(0, +)), counts.count, Date().timeIntervalSince(started)))
                } catch {
                    await target.close()
                    throw error
                }
            } catch {
                await context.close()
                throw error
            }
            await context.close()
        }
    }
}
