import ArgumentParser
import AsyncHTTPClient
import Domain
import Foundation
import Storage
import VangnetCLI
import Web

/// The results issue's speed targets, on the workspace benchmark's database (`--years 10`, the
/// default; a smaller `--years` fills fewer school years into the same database, and a later run
/// with more resumes the fill):
/// - rebuilding the statistics store from scratch under 60 s,
/// - dashboard pages p99 under 100 ms with 20 analysts with think time (a child `vangnet serve`),
/// - a new event visible in the statistics within 2 s (p99),
/// - the status report under 5 s,
/// - a policy simulation over one school year's persons under 30 s (every person in the database
///   is simulated: with more than one school year that is stricter than the target).
struct StatisticsBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statistics",
        abstract: "Statistics rebuild, dashboard under 20 analysts, event-to-statistics latency, status report, policy simulation.")

    @Option(help: "School years of Flanders in the database (the workspace benchmark's; filled once, then reused).") var years = 10
    @Option(help: "Simulated analysts.") var analysts = 20
    @Option(help: "Seconds of dashboard load.") var duration = 30
    @Option(help: "Seconds each analyst thinks between two pages (uniform from half to one and a half times this).") var thinkTime = 1.0
    @Option(help: "Events per second posted while the event-to-statistics latency is sampled.") var eventRate = 50.0
    @Option(help: "Seconds of events.") var eventSeconds = 20
    @Flag(help: "Skip the policy simulation (minutes at ten school years; its target is over one school year).") var skipSimulation = false

    func run() async throws {
        let folder = benchFolder + "/workspace-sqlite"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let database = "sqlite://" + folder + "/vangnet.sqlite"
        let context = try await demoContext(folder, database: database)
        do {
            try await WorkspaceBenchmark.parse(["--years", String(years)]).populate(context)
            let store = context.store
            // Steady state first: the server's pipeline would otherwise decide, in its first
            // minutes, whatever came due since the fill, while the analysts and events are
            // measured (the statistics rebuild below then starts from that state). Not timed.
            let settled = try await context.pipeline(today: WorkspaceBenchmark.today).run()
            if settled.decided > 0 { print("Settled before measuring: \(settled.decided) persons decided") }
            let persons = try await store.sql.raw("SELECT COUNT(*) AS n FROM persons").first()!.decode(column: "n", as: Int.self)
            let records = try await store.sql.raw("SELECT COUNT(*) AS n FROM source_records").first()!.decode(column: "n", as: Int.self)
            print("Statistics benchmark (SQLite): \(years) school years, \(grouped(persons)) persons, \(grouped(records)) source records")

            var rebuilt = 0
            let rebuild = try await seconds { rebuilt = try await store.rebuildStatistics() }
            print(String(format: "  statistics rebuild from scratch: %.1f s for %@ persons (target < 60 s: %.2f× the budget)",
                         rebuild, grouped(rebuilt), rebuild / 60))

            let today = WorkspaceBenchmark.today
            // One dashboard made from nothing (a server's first page): the rows it reads one by one
            // into memory (`StatisticsMirror`), then the qualified leavers' counts and the tables.
            let mirror = StatisticsMirror(store: store)
            var rows: [PersonStatistics] = []
            let load = try await seconds { rows = try await mirror.rows() }
            var counting = 0.0
            let make = try await seconds {
                for split in StatisticsSplit.allCases {
                    var qualified: [String: Int] = [:]
                    counting += try await seconds { qualified = try await store.qualifiedLeavers(StatisticsFilter(), split: split) }
                    _ = Dashboard(rows: rows, qualifiedCounts: qualified, filter: StatisticsFilter(), split: split, today: today, disclosure: true)
                }
            }
            print(String(format: "  one dashboard from nothing: %.0f ms to read %@ rows into memory; then per split %.1f ms to count the qualified, %.0f ms to make the tables (average of the 4 splits)",
                         load * 1000, grouped(rows.count), counting * 1000 / 4, (make - counting) * 1000 / 4))
            var pdfBytes = 0
            let report = try await seconds {
                let status = try await store.statusReport(from: LocalDate(year: 2025, month: 9, day: 1)!, to: LocalDate(year: 2026, month: 8, day: 31)!, today: today)
                pdfBytes = StatusReportRenderer(report: status, language: .nl).pdf(created: Date()).count
            }
            print(String(format: "  status report 2025-2026 (figures and PDF, %@ bytes): %.2f s (target < 5 s: %.2f× the budget)",
                         grouped(pdfBytes), report, report / 5))

            var alternative = context.configuration.policy
            alternative.maximumAge = 30
            alternative.name = "bench-30"
            var simulated = 0
            if !skipSimulation {
            let simulation = try await seconds {
                simulated = try await store.simulatePolicy(current: context.configuration.policy, alternative: alternative,
                                                           regions: context.configuration.regions, on: today,
                                                           by: Actor(username: "bench", role: .analyst, purpose: .policyAnalysis)).persons
            }
            print(String(format: "  policy simulation (age limit 30) over %@ persons: %.1f s (target < 30 s over one school year: %.2f× the budget)",
                         grouped(simulated), simulation, simulation / 30))
            }

            // The server: pages under 20 analysts, then events until they are in the statistics.
            let user = try await store.saveUser(username: "analyst", displayName: "Bench Analist", role: .analyst, provinces: [], passwordHash: nil)
            let token = UUID().uuidString + UUID().uuidString
            try await store.createSession(userID: user.id, tokenHash: APIAuth.tokenHash(token), csrfToken: UUID().uuidString, language: "nl")
            let secret = EventIntake.newSecret()
            try await store.setEventSecret(secret, for: .agodi)
            let server = try ServerProcess.start(folder: folder, database: database)
            defer { server.stop() }
            try await server.waitUntilReady()
            let paths = ["/dashboard", "/dashboard?split=province", "/dashboard?split=track&province=antwerpen",
                         "/dashboard?from=01/09/2025&to=31/08/2026", "/dashboard?split=source", "/dashboard/steps.csv?split=province"]
            // Warm-up, not measured: each selection once (its first making is timed above, "from nothing").
            _ = try await PageLoad(url: server.url, cookie: token, users: 1, seconds: 0, thinkTime: 0, paths: paths, each: true).run()
            let pages = try await PageLoad(url: server.url, cookie: token, users: analysts, seconds: duration, thinkTime: thinkTime, paths: paths).run()
            print(pages.line(target: 100))
            // The same while events arrive (the statistics change every second), and how soon an event is in the statistics.
            var events = EventLoad(store: store, url: server.url + "/api/v1/events", secret: secret, rate: eventRate, seconds: eventSeconds)
            events.untilStatistics = true
            async let underEvents = PageLoad(url: server.url, cookie: token, users: analysts, seconds: eventSeconds, thinkTime: thinkTime, paths: paths).run()
            let eventResult = try await events.run()
            print(try await underEvents.line(target: 100, while: String(format: "while %.0f events/s arrive", eventRate)))
            print(eventResult.line(target: 2000, what: "statistics"))
        } catch {
            await context.close()
            throw error
        }
        await context.close()
    }
}

/// Analysts on the dashboard: each opens one of `paths` at random, thinks, and opens the next.
struct PageLoad {
    let url: String
    let cookie: String
    let users: Int
    let seconds: Int
    let thinkTime: Double
    let paths: [String]
    /// Each path once, one after the other (a warm-up).
    var each = false

    final class Collected: @unchecked Sendable {
        let lock = NSLock()
        var times: [Double] = []
        var errors = 0
    }

    struct Result {
        let times: [Double]
        let errors: Int
        let users: Int
        let seconds: Int
        let thinkTime: Double

        func line(target: Double, while condition: String = "") -> String {
            let sorted = times.sorted()
            func p(_ q: Double) -> Double { sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int((Double(sorted.count) * q).rounded(.up)) - 1)] }
            return String(format: "  dashboard%@, %d analysts, %.1f s think time (%.1f pages/s): p50 %.0f ms, p99 %.0f ms, max %.0f ms "
                          + "(target p99 < %.0f ms: %.2f× the budget); %d errors",
                          condition.isEmpty ? "" : " " + condition, users, thinkTime, Double(times.count) / Double(max(1, seconds)), p(0.5), p(0.99), sorted.last ?? .nan, target, p(0.99) / target, errors)
        }
    }

    func run() async throws -> Result {
        let client = HTTPClient(eventLoopGroupProvider: .singleton,
                                configuration: .init(connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: users)))
        let collected = Collected()
        if each {
            for path in paths {
                var request = HTTPClientRequest(url: url + path)
                request.headers.add(name: "Cookie", value: "__Host-vangnet-session=\(cookie)")
                _ = try? await client.execute(request, timeout: .seconds(60)).body.collect(upTo: 16 << 20)
            }
            try await client.shutdown()
            return Result(times: [], errors: 0, users: users, seconds: seconds, thinkTime: thinkTime)
        }
        let deadline = EventLoad.now() + Double(seconds) * 1000
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<users {
                group.addTask {
                    var generator = SystemRandomNumberGenerator()
                    try? await Task.sleep(for: .milliseconds(Double.random(in: 0...(thinkTime * 1000), using: &generator)))
                    while EventLoad.now() < deadline {
                        var request = HTTPClientRequest(url: url + paths[Int.random(in: 0..<paths.count, using: &generator)])
                        request.headers.add(name: "Cookie", value: "__Host-vangnet-session=\(cookie)")
                        let start = EventLoad.now()
                        var ok = false
                        if let response = try? await client.execute(request, timeout: .seconds(30)) {
                            let body = try? await response.body.collect(upTo: 16 << 20)
                            ok = response.status == .ok && body != nil
                        }
                        let elapsed = EventLoad.now() - start
                        collected.lock.withLock { if ok { collected.times.append(elapsed) } else { collected.errors += 1 } }
                        try? await Task.sleep(for: .milliseconds(Double.random(in: (thinkTime * 500)...(thinkTime * 1500), using: &generator)))
                    }
                }
            }
        }
        try await client.shutdown()
        return collected.lock.withLock { Result(times: collected.times, errors: collected.errors, users: users, seconds: seconds, thinkTime: thinkTime) }
    }
}
