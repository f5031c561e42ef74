import ArgumentParser
import Foundation
import Storage

/// `vangnet backup --out FILE`: an online, consistent copy of the SQLite database (docs/operations.md).
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Copy the SQLite database to a new file, consistently, while the server runs.",
        discussion: "The copy is encrypted as the original: keep the key file apart from it. For PostgreSQL use pg_dump (docs/operations.md).")

    @Option(help: "The new file.") var out: String

    func run() async throws {
        try await command {
            let context = try await AppContext.open()
            do {
                let started = Date()
                try await context.store.backup(to: out)
                let size = ((try? FileManager.default.attributesOfItem(atPath: out)[.size]) as? Int) ?? 0
                print(String(format: "Backup of %@ written to %@ (%.1f MB, %.1f s)", "\(context.configuration.database)", out,
                             Double(size) / 1e6, Date().timeIntervalSince(started)))
            } catch {
                await context.close()
                throw error
            }
            await context.close()
        }
    }
}
