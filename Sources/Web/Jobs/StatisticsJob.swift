import Foundation
import Logging
import ServiceLifecycle

/// Keeps the statistics store up to date while the server (or a worker) runs: every `tick` it
/// refreshes the persons with a new record, decision or case event since the last time
/// (`Store.refreshStatistics`), so the dashboard is at most a tick and a refresh behind an event.
/// The first run after an upgrade reads everything (the store starts from nothing). Several
/// processes may run it at once: a refresh writes the same rows whoever makes them.
public struct StatisticsJob: Service {
    let refresh: @Sendable () async throws -> Int
    let tick: Duration
    let logger = Logger(label: "vangnet.statistics")

    public init(tick: Duration = .seconds(1), refresh: @escaping @Sendable () async throws -> Int) {
        self.refresh = refresh
        self.tick = tick
    }

    public func run() async {
        var failing = false
        repeat {
            do {
                let persons = try await refresh()
                if persons > 0 { logger.debug("statistics refreshed", metadata: ["component": "statistics", "persons": "\(persons)"]) }
                if failing { logger.notice("statistics refresh works again", metadata: ["component": "statistics"]) }
                failing = false
            } catch {
                // Logged once per outage, not every tick; the next tick tries again from where it stopped.
                if !failing { logger.error("statistics refresh failed", metadata: ["component": "statistics", "error": "\(type(of: error))"]) }
                failing = true
            }
        } while await sleepUnlessStopping(for: tick)
    }
}
