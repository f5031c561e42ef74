import Domain
import Foundation
import Storage

/// The dashboards this process made. The statistics store's progress (`Store.statisticsVersion`)
/// moves with every refresh that wrote something; a dashboard made at an older version is served
/// while it is younger than `maximumAge`, and after that once more while a new one is made in the
/// background (stale while revalidating) — so a page never waits for a dashboard being made,
/// except the very first of its selection, and the dashboard is at most its age limit plus one
/// making behind the statistics. The age limit is `maximumAge`, or four times what the last making
/// of that selection cost when that is longer: on a store of many years a making costs most of a
/// second, and under a steady flow of events six selections made again every two seconds kept
/// both cores busy, slowing the pages and the statistics refresh they wait for. Without the cache
/// every page would read and aggregate every school leaver of the selection again (the results
/// issue's benchmark: seconds a page under 20 analysts). Pages asking for the same selection at once wait for one making. Bounded: more than
/// `limit` selections empty it.
actor DashboardCache {
    private struct Made {
        var dashboard: Dashboard
        var version: String
        var at: ContinuousClock.Instant
        /// What making it cost.
        var cost: Duration
    }

    private var made: [String: Made] = [:]
    private var making: [String: Task<Dashboard, any Error>] = [:]
    let limit: Int
    let maximumAge: Duration

    init(limit: Int = 256, maximumAge: Duration = .seconds(2)) {
        self.limit = limit
        self.maximumAge = maximumAge
    }

    /// The dashboard of `key`, as of `version` or at most as old as said above; `make` makes it.
    func dashboard(version: String, key: String, make: @escaping @Sendable () async throws -> Dashboard) async throws -> Dashboard {
        if let held = made[key] {
            if held.version == version || Self.servable(age: ContinuousClock.now - held.at, cost: held.cost, maximumAge: maximumAge) {
                return held.dashboard
            }
            if making[key] == nil { making[key] = start(key, version, make) }
            return held.dashboard
        }
        if let running = making[key] { return try await running.value }
        let task = start(key, version, make)
        making[key] = task
        return try await task.value
    }

    /// Whether a dashboard made `age` ago at a cost of `cost` is still served without making it again.
    static func servable(age: Duration, cost: Duration, maximumAge: Duration) -> Bool {
        age < max(maximumAge, cost * 4)
    }

    /// Counts a dashboard on a thread of its own, one at a time. At ten school years a counting is
    /// tens of milliseconds of pure computation; on Swift's cooperative threads (one per core,
    /// every request runs on them) the six selections falling due together took both for a tenth
    /// of a second, and every page waited that long (the results issue's benchmark under events).
    static func counting(_ count: @escaping @Sendable () -> Dashboard) async -> Dashboard {
        await withCheckedContinuation { done in countingQueue.async { done.resume(returning: count()) } }
    }

    private static let countingQueue = DispatchQueue(label: "vangnet.dashboard.counting", qos: .utility)

    private func start(_ key: String, _ version: String, _ make: @escaping @Sendable () async throws -> Dashboard) -> Task<Dashboard, any Error> {
        Task {
            defer { self.finished(key) }
            let started = ContinuousClock.now
            let dashboard = try await make()
            let now = ContinuousClock.now
            self.store(key, Made(dashboard: dashboard, version: version, at: now, cost: now - started))
            return dashboard
        }
    }

    private func finished(_ key: String) { making[key] = nil }

    private func store(_ key: String, _ entry: Made) {
        if made.count >= limit && made[key] == nil { made = [:] }
        made[key] = entry
    }
}
