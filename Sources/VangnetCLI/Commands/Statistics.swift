import ArgumentParser
import Foundation
import Storage

/// `vangnet statistics rebuild|refresh`: the pseudonymised statistics store (docs/monitoring.md).
/// `vangnet serve` and `vangnet worker` keep it up to date by themselves; these are for an
/// operator (after a restore, a key rotation, or to check a figure from scratch).
struct Statistics: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The pseudonymised statistics store behind the dashboard and the status report.",
        subcommands: [StatisticsRebuild.self, StatisticsRefresh.self])
}

struct StatisticsRebuild: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rebuild", abstract: "Empty the statistics store and make it again from every person's records, decisions and cases.")

    func run() async throws {
        try await command {
            let context = try await AppContext.open()
            do {
                let started = ContinuousClock.now
                let persons = try await context.store.rebuildStatistics()
                let elapsed = ContinuousClock.now - started
                print("Statistics rebuilt: \(persons) persons in \(elapsed.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1)))).")
            } catch {
                await context.close()
                throw error
            }
            await context.close()
        }
    }
}

struct StatisticsRefresh: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "refresh", abstract: "Bring the statistics store up to date with what happened since it was last refreshed.")

    func run() async throws {
        try await command {
            let context = try await AppContext.open()
            do {
                print("Statistics refreshed: \(try await context.store.refreshStatistics()) persons.")
            } catch {
                await context.close()
                throw error
            }
            await context.close()
        }
    }
}
