import ArgumentParser
import AsyncHTTPClient
import Domain
import Foundation
import Ingest
import NIOCore
import NIOFoundationCompat
import SQLKit
import Simulator
import Storage
import VangnetCLI
import Web

/// Issue 3's speed targets, measured against a running server (a child process, so that its memory
/// is its own) on a database holding ten simulated school years of Flanders:
/// - the caseload and the case page at p99 under 50 ms with 100 concurrent users (wrk),
/// - server resident memory under 300 MB,
/// - an event posted to /api/v1/events visible as a decision in under 100 ms at p99 while 500
///   events/s arrive.
struct WorkspaceBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workspace",
        abstract: "Caseload and case page under 100 concurrent users, server memory, event-to-decision latency at 500 events/s.")

    @Option(help: "School years of Flanders in the database (simulated and imported once, then reused).") var years = 10
    @Option(help: "Seed of the simulation.") var seed: UInt64 = 7
    @Option(help: "A postgres:// URL to run on PostgreSQL instead of SQLite (an empty database, or one this benchmark filled).")
    var postgres: String?
    @Option(help: "Seconds of load per page.") var duration = 30
    @Option(help: "Concurrent connections (users).") var connections = 100
    @Option(help: "Events per second posted to /api/v1/events.") var eventRate = 500.0
    @Option(help: "Seconds of events.") var eventSeconds = 20
    @Flag(help: "Only the event load (skip the page loads).") var eventsOnly = false
    @Flag(help: "Only fill the database (the ten school years), measure nothing.") var populateOnly = false
    @Option(help: "Seconds each simulated user thinks between two pages (uniform from half to one and a half times this).")
    var thinkTime = 1.0

    static let today = LocalDate(year: 2026, month: 11, day: 29)!

    func run() async throws {
        guard let wrk = ["/usr/bin/wrk", "/usr/local/bin/wrk"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw ValidationError("the load generator is wrk (Debian: apt-get install -y wrk)")
        }
        let kind = postgres == nil ? "SQLite" : "PostgreSQL"
        let folder = benchFolder + "/workspace-" + (postgres == nil ? "sqlite" : "postgres")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let database = postgres ?? "sqlite://" + folder + "/vangnet.sqlite"
        let context = try await demoContext(folder, database: database)
        do {
            try await populate(context)
            if populateOnly {
                await context.close()
                return
            }
            let setup = try await prepare(context)
            let server = try ServerProcess.start(folder: folder, database: database)
            defer { server.stop() }
            try await server.waitUntilReady()
            print("Workspace benchmark (\(kind)): \(grouped(setup.cases)) cases (\(grouped(setup.openCases)) open), "
                  + "\(grouped(setup.records)) records; consultant-antwerpen has \(grouped(setup.mine)) open cases")

            if !eventsOnly {
                let cookie = "Cookie: __Host-vangnet-session=\(setup.sessionToken)"
                let caseload = try Wrk.run(wrk, url: server.url + "/cases", header: cookie, connections: connections, seconds: duration)
                print(caseload.line("caseload page  GET /cases", target: 50))
                let script = folder + "/cases.lua"
                let list = setup.caseNumbers.map { "\"\($0)\"" }.joined(separator: ",")
                try "local ids = {\(list)}\nrequest = function() return wrk.format(\"GET\", \"/cases/\" .. ids[math.random(#ids)]) end\n"
                    .write(toFile: script, atomically: true, encoding: .utf8)
                let casePage = try Wrk.run(wrk, url: server.url + "/cases/VN-000001", header: cookie, connections: connections,
                                           seconds: duration, script: script)
                print(casePage.line("case page      GET /cases/{n}", target: 50))
                let users = try await UserLoad(url: server.url, cookie: setup.sessionToken, users: connections, seconds: duration,
                                               thinkTime: thinkTime, caseNumbers: setup.caseNumbers).run()
                print(users.line(thinkTime: thinkTime))
            }
            let before = try await server.pipelineRuns()
            let events = try await EventLoad(store: context.store, url: server.url + "/api/v1/events", secret: setup.secret,
                                             rate: eventRate, seconds: eventSeconds).run()
            print(events.line(target: 100))
            let after = try await server.pipelineRuns()
            let runs = after.count - before.count
            print(String(format: "    (the server's pipeline ran %d times meanwhile, %.1f ms per run on average)",
                         Int(runs), runs > 0 ? (after.seconds - before.seconds) / runs * 1000 : 0))
            let memory = server.memory()
            print(String(format: "  server memory: resident %.0f MB now, peak %.0f MB (target < 300 MB: %.2f× the budget)",
                         memory.current, memory.peak, memory.peak / 300))
        } catch {
            await context.close()
            throw error
        }
        await context.close()
    }

    // MARK: - Ten school years

    /// Imports `years` school years, each followed by the pipeline as of 1 December after it (as
    /// if Vangnet had run all those years), unless the database already holds them. An interrupted
    /// fill resumes after the last school year whose deliveries are complete.
    /// A school year's source files, one delivery each.
    static let yearFiles = ["enrolments", "qualifications", "persons", "jobseekers", "employment"]

    func populate(_ context: AppContext) async throws {
        let perYear = Self.yearFiles.count
        let sql = context.store.sql
        let deliveries = try await sql.raw("SELECT COUNT(*) AS n FROM deliveries").first()!.decode(column: "n", as: Int.self)
        let unfinished = try await sql.raw("SELECT COUNT(*) AS n FROM deliveries WHERE status <> 'done'").first()!.decode(column: "n", as: Int.self)
        if deliveries >= years * perYear {
            print("Reusing the \(years) school years already in the database.")
            return
        }
        guard deliveries % perYear == 0, unfinished == 0 else {
            throw ValidationError("the database is partly filled (\(deliveries) deliveries, \(unfinished) unfinished): empty it or remove \(benchFolder)/workspace-*")
        }
        let last = 2025
        let first = last - years + 1
        let done = deliveries / perYear
        if done > 0 {
            // The pipeline of the last complete year may have been interrupted: running it again
            // finishes it (a re-run decides only what changed).
            let asOf = min(LocalDate(year: first + done, month: 12, day: 1)!, Self.today)
            print("Resuming after \(done) school years; finishing the pipeline as of \(asOf.iso)")
            _ = try await context.pipeline(today: asOf).run()
        }
        for startYear in (first + done)...last {
            let files = benchFolder + "/years/\(startYear)-seed\(seed)"
            if !FileManager.default.fileExists(atPath: files + "/employment.csv") {
                _ = try Simulation(seed: seed &+ UInt64(startYear), scale: .flanders, schoolYear: SchoolYear(startYear: startYear)).write(to: files)
            }
            let paths = Self.yearFiles.map { files + "/\($0).csv" }
            var result: Importer.Result?
            let importing = try await seconds { result = try await Importer(context: context).run(paths, runPipeline: false) }
            let asOf = min(LocalDate(year: startYear + 1, month: 12, day: 1)!, Self.today)
            var report: PipelineReport?
            let deciding = try await seconds { report = try await context.pipeline(today: asOf).run() }
            print(String(format: "  school year %d–%d: %@ records imported in %.0f s; pipeline as of %@: %@ cases opened in %.0f s",
                         startYear, startYear + 1, grouped(result?.total.records ?? 0), importing, asOf.iso,
                         grouped(report?.casesOpened ?? 0), deciding))
        }
    }

    struct Setup {
        let sessionToken: String
        let secret: String
        let caseNumbers: [String]
        let cases: Int
        let openCases: Int
        let mine: Int
        let records: Int
    }

    /// A consultant with a session (the cookie wrk sends), the source's webhook secret, and the
    /// consultant's case numbers for the case-page load.
    func prepare(_ context: AppContext) async throws -> Setup {
        let store = context.store
        let user = try await store.saveUser(username: "consultant-antwerpen", displayName: "Bench Consulent", role: .consultant,
                                            provinces: [.antwerpen], passwordHash: nil)
        let token = UUID().uuidString + UUID().uuidString
        try await store.createSession(userID: user.id, tokenHash: APIAuth.tokenHash(token), csrfToken: UUID().uuidString, language: "nl")
        let secret = EventIntake.newSecret()
        try await store.setEventSecret(secret, for: .agodi)
        let sql = store.sql
        func count(_ query: String) async throws -> Int {
            try await sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: query)").first()!.decode(column: "n", as: Int.self)
        }
        let numbers = try await sql.raw("""
            SELECT id FROM cases WHERE consultant = 'consultant-antwerpen' AND closed_on IS NULL ORDER BY id DESC LIMIT 5000
            """).all().map { CaseNumber.format(try $0.decode(column: "id", as: Int64.self)) }
        guard !numbers.isEmpty else { throw ValidationError("no open cases for consultant-antwerpen: populate failed?") }
        return Setup(sessionToken: token, secret: secret, caseNumbers: numbers, cases: try await count("cases"),
                     openCases: try await count("cases WHERE closed_on IS NULL"),
                     mine: try await count("cases WHERE consultant = 'consultant-antwerpen' AND closed_on IS NULL"),
                     records: try await count("source_records"))
    }
}

/// `vangnet serve` in a child process (this benchmark's own binary, `serve-child`), so that its
/// resident memory is measured on its own.
struct ServerProcess {
    let process: Process
    let port: Int
    var url: String { "http://127.0.0.1:\(port)" }

    static func start(folder: String, database: String) throws -> ServerProcess {
        let port = 30_000 + Int.random(in: 0..<20_000)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Bundle.main.executablePath ?? CommandLine.arguments[0])
        process.arguments = ["serve-child", "--port", String(port)]
        var environment = ProcessInfo.processInfo.environment
        environment["VANGNET_ENVIRONMENT"] = "test"
        environment["VANGNET_TODAY"] = WorkspaceBenchmark.today.iso
        environment["VANGNET_DATABASE_URL"] = database
        environment["VANGNET_KEY_FILE"] = folder + "/vangnet-keys.json"
        environment["VANGNET_LOG_LEVEL"] = "error"
        process.environment = environment
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        return ServerProcess(process: process, port: port)
    }

    func waitUntilReady() async throws {
        for _ in 0..<600 {
            if let data = try? await HTTPClient.shared.get(url: url + "/health/ready").get(), data.status == .ok { return }
            guard process.isRunning else { throw ValidationError("the server stopped (exit \(process.terminationStatus))") }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ValidationError("the server did not get ready in 60 s")
    }

    /// The server's own pipeline metrics: how many runs, how long in total.
    func pipelineRuns() async throws -> (count: Double, seconds: Double) {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url + "/metrics"), timeout: .seconds(10))
        let text = String(buffer: try await response.body.collect(upTo: 4 << 20))
        func value(_ name: String) -> Double {
            text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
        }
        return (value("vangnet_pipeline_run_seconds_count"), value("vangnet_pipeline_run_seconds_sum"))
    }

    /// Resident memory now and at its peak (VmRSS, VmHWM), in MB.
    func memory() -> (current: Double, peak: Double) {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8) else { return (0, 0) }
        func value(_ key: String) -> Double {
            let line = status.split(separator: "\n").first { $0.hasPrefix(key) }
            return (Double(line?.split(separator: " ").dropFirst().first.map(String.init) ?? "0") ?? 0) / 1024
        }
        return (value("VmRSS:"), value("VmHWM:"))
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}

/// The hidden subcommand the benchmark starts its server with: `vangnet serve`, exactly.
struct ServeChild: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve-child", shouldDisplay: false)
    @Option var port: Int

    func run() async throws { try await runVangnet(["serve", "--port", String(port)]) }
}

/// wrk with `--latency`: requests per second, the latency distribution, errors.
struct Wrk {
    let requestsPerSecond: Double
    let p50: Double
    let p99: Double
    let requests: Int
    let failures: Int

    static func run(_ wrk: String, url: String, header: String, connections: Int, seconds: Int, script: String? = nil) throws -> Wrk {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: wrk)
        process.arguments = ["-t2", "-c\(connections)", "-d\(seconds)s", "--latency", "--timeout", "10s", "-H", header]
            + (script.map { ["-s", $0] } ?? []) + [url]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        func milliseconds(_ text: Substring) -> Double {
            let units: [(String, Double)] = [("us", 0.001), ("ms", 1), ("s", 1000), ("m", 60_000)]
            for (unit, factor) in units where text.hasSuffix(unit) {
                return (Double(text.dropLast(unit.count)) ?? .nan) * factor
            }
            return .nan
        }
        var p50 = Double.nan, p99 = Double.nan, rate = 0.0, requests = 0, failures = 0
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.first == "50%", parts.count > 1 { p50 = milliseconds(parts[1]) }
            if parts.first == "99%", parts.count > 1 { p99 = milliseconds(parts[1]) }
            if line.hasPrefix("Requests/sec:") { rate = Double(parts.last ?? "0") ?? 0 }
            if line.contains("requests in") { requests = Int(parts.first ?? "0") ?? 0 }
            if line.contains("Non-2xx or 3xx responses:") { failures += Int(parts.last ?? "0") ?? 0 }
            if line.contains("Socket errors:") {
                failures += line.split(separator: ",").compactMap { Int($0.split(separator: " ").last ?? "") }.reduce(0, +)
            }
        }
        return Wrk(requestsPerSecond: rate, p50: p50, p99: p99, requests: requests, failures: failures)
    }

    func line(_ what: String, target: Double) -> String {
        String(format: "  %@: p50 %.1f ms, p99 %.1f ms (target < %.0f ms: %.2f× the budget), %.0f requests/s, %d requests, %d errors",
               what, p50, p99, target, p99 / target, requestsPerSecond, requests, failures)
    }
}

/// Users as they work: each of `users` opens the caseload, thinks, opens one of its cases,
/// thinks, and so on; the latency of every page is recorded (a closed loop per user, with think
/// time — unlike wrk, whose connections ask again the moment an answer arrives).
struct UserLoad {
    let url: String
    let cookie: String
    let users: Int
    let seconds: Int
    let thinkTime: Double
    let caseNumbers: [String]

    struct Result {
        let caseload: [Double]
        let casePage: [Double]
        let errors: Int
        let seconds: Int
        let users: Int

        static func percentile(_ values: [Double], _ p: Double) -> Double {
            guard !values.isEmpty else { return .nan }
            let sorted = values.sorted()
            return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
        }

        func line(thinkTime: Double) -> String {
            String(format: "  %d users, %.1f s think time (%.0f pages/s): caseload p50 %.1f ms, p99 %.1f ms (%.2f× the budget); "
                   + "case page p50 %.1f ms, p99 %.1f ms (%.2f× the budget); %d errors",
                   users, thinkTime, Double(caseload.count + casePage.count) / Double(seconds),
                   Self.percentile(caseload, 0.5), Self.percentile(caseload, 0.99), Self.percentile(caseload, 0.99) / 50,
                   Self.percentile(casePage, 0.5), Self.percentile(casePage, 0.99), Self.percentile(casePage, 0.99) / 50, errors)
        }
    }

    final class Collected: @unchecked Sendable {
        let lock = NSLock()
        var caseload: [Double] = []
        var casePage: [Double] = []
        var errors = 0
    }

    func run() async throws -> Result {
        let client = HTTPClient(eventLoopGroupProvider: .singleton,
                                configuration: .init(connectionPool: .init(idleTimeout: .seconds(60),
                                                                           concurrentHTTP1ConnectionsPerHostSoftLimit: users)))
        let collected = Collected()
        let deadline = EventLoad.now() + Double(seconds) * 1000
        await withTaskGroup(of: Void.self) { group in
            for user in 0..<users {
                group.addTask {
                    var generator = SystemRandomNumberGenerator()
                    // Users do not all start at the same instant.
                    try? await Task.sleep(for: .milliseconds(Double.random(in: 0...(thinkTime * 1000), using: &generator)))
                    var page = user % 2
                    while EventLoad.now() < deadline {
                        let path = page == 0 ? "/cases" : "/cases/" + caseNumbers[Int.random(in: 0..<caseNumbers.count, using: &generator)]
                        var request = HTTPClientRequest(url: url + path)
                        request.headers.add(name: "Cookie", value: "__Host-vangnet-session=\(cookie)")
                        let start = EventLoad.now()
                        var ok = false
                        if let response = try? await client.execute(request, timeout: .seconds(10)) {
                            let body = try? await response.body.collect(upTo: 8 << 20)
                            ok = response.status == .ok && body != nil
                        }
                        let elapsed = EventLoad.now() - start
                        collected.lock.withLock {
                            if !ok { collected.errors += 1 } else if page == 0 { collected.caseload.append(elapsed) } else { collected.casePage.append(elapsed) }
                        }
                        page = 1 - page
                        try? await Task.sleep(for: .milliseconds(Double.random(in: (thinkTime * 500)...(thinkTime * 1500), using: &generator)))
                    }
                }
            }
        }
        try await client.shutdown()
        return collected.lock.withLock { Result(caseload: collected.caseload, casePage: collected.casePage, errors: collected.errors, seconds: seconds,
                                                  users: users) }
    }
}

/// Posts signed CloudEvents at a fixed rate (open loop: a slow server does not slow the sender),
/// each a new young person's enrolment (a decision, but no case: repeated runs leave the caseloads
/// as they were), and polls the database for when each sampled
/// person's decision becomes visible.
struct EventLoad {
    let store: Store
    let url: String
    let secret: String
    let rate: Double
    let seconds: Int
    /// What "visible" means: a decision (the workspace), or a row in the statistics store.
    var untilStatistics = false

    struct Result {
        let sent: Int
        let accepted: Int
        let achievedRate: Double
        let latencies: [Double]
        let unseen: Int

        func percentile(_ p: Double) -> Double {
            guard !latencies.isEmpty else { return .nan }
            let sorted = latencies.sorted()
            return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
        }

        func line(target: Double, what: String = "decision") -> String {
            String(format: "  event → \(what): p50 %.0f ms, p99 %.0f ms, max %.0f ms (target p99 < %.0f ms: %.2f× the budget); "
                   + "%d events sent at %.0f/s, %d accepted, %d sampled, %d not visible after 10 s",
                   percentile(0.5), percentile(0.99), latencies.max() ?? .nan, target, percentile(0.99) / target,
                   sent, achievedRate, accepted, latencies.count + unseen, unseen)
        }
    }

    final class Samples: @unchecked Sendable {
        let lock = NSLock()
        var sentAt: [Int: Double] = [:]
        var seenAt: [Int: Double] = [:]
        var accepted = 0
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e6 }

    func run() async throws -> Result {
        let total = Int(rate * Double(seconds))
        let samples = Samples()
        let keyring = store.keyring
        // New young people: random test numbers (month + 60) of 2008–2010, none of them known yet, so
        // that each event makes a decision that did not exist.
        var generator = SystemRandomNumberGenerator()
        var candidates = Set<String>()
        var people: [INSZ] = []
        while people.count < total {
            var batch: [INSZ] = []
            while batch.count < 500 {
                let born = LocalDate(year: Int.random(in: 2008...2010, using: &generator), month: Int.random(in: 1...12, using: &generator),
                                     day: Int.random(in: 1...28, using: &generator))!
                let insz = INSZ.make(birthDate: born, serial: Int.random(in: 1...997, using: &generator), monthOffset: 60)
                if candidates.insert(insz.digits).inserted { batch.append(insz) }
            }
            var query = SQLQueryString("SELECT insz_index AS k FROM persons WHERE insz_index IN (")
            for (n, insz) in batch.enumerated() { query.appendInterpolation(unsafeRaw: n == 0 ? "" : ", "); query.appendInterpolation(bind: keyring.inszIndex(insz)) }
            query.appendInterpolation(unsafeRaw: ")")
            let known = Set(try await store.sql.raw(query).all().compactMap { try? $0.decode(column: "k", as: Data.self) })
            people += batch.filter { !known.contains(keyring.inszIndex($0)) }.prefix(total - people.count)
        }
        let indexes = people.map { keyring.inszIndex($0) }
        let sampled = Set(stride(from: 0, to: total, by: 5))
        let client = HTTPClient(eventLoopGroupProvider: .singleton,
                                configuration: .init(connectionPool: .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)))
        let start = Self.now()
        let done = ManagedAtomicFlag()

        // The poller: which sampled persons have a decision now?
        let poller = Task {
            while true {
                let pending: [Int] = samples.lock.withLock { samples.sentAt.keys.filter { sampled.contains($0) && samples.seenAt[$0] == nil } }
                if pending.isEmpty && done.value { return }
                for chunk in stride(from: 0, to: pending.count, by: 200).map({ Array(pending[$0..<min(pending.count, $0 + 200)]) }) {
                    var query = SQLQueryString(untilStatistics ? "SELECT p.insz_index AS k, p.id AS id FROM persons p WHERE p.insz_index IN ("
                                               : "SELECT p.insz_index AS k FROM decisions d JOIN persons p ON p.id = d.person_id WHERE p.insz_index IN (")
                    for (n, i) in chunk.enumerated() { query.appendInterpolation(unsafeRaw: n == 0 ? "" : ", "); query.appendInterpolation(bind: indexes[i]) }
                    query.appendInterpolation(unsafeRaw: ")")
                    let rows = (try? await store.sql.raw(query).all()) ?? []
                    var seen = Set(rows.compactMap { try? $0.decode(column: "k", as: Data.self) })
                    if untilStatistics {
                        // In the statistics once the person's pseudonymised row is there.
                        var byPseudonym: [String: Data] = [:]
                        for row in rows {
                            if let k = try? row.decode(column: "k", as: Data.self), let id = try? row.decode(column: "id", as: Int64.self) {
                                byPseudonym[store.statisticsPseudonym(id)] = k
                            }
                        }
                        seen = []
                        if !byPseudonym.isEmpty {
                            let found = (try? await store.sql.raw("SELECT pseudonym FROM stat_persons WHERE pseudonym IN (\(binds: Array(byPseudonym.keys)))").all()) ?? []
                            for row in found { if let p = try? row.decode(column: "pseudonym", as: String.self), let k = byPseudonym[p] { seen.insert(k) } }
                        }
                    }
                    let at = Self.now()
                    samples.lock.withLock { for i in chunk where seen.contains(indexes[i]) { samples.seenAt[i] = at } }
                }
                if done.value && Self.now() - (samples.lock.withLock { samples.sentAt.values.max() } ?? 0) > 10_000 { return }
                try? await Task.sleep(for: .milliseconds(5))
            }
        }

        await withTaskGroup(of: Void.self) { group in
            for i in 0..<total {
                let due = start + Double(i) * 1000 / rate
                let wait = due - Self.now()
                if wait > 0 { try? await Task.sleep(for: .milliseconds(wait)) }
                let insz = people[i]
                group.addTask {
                    var data: [String: String] = [
                        "record_id": "BENCH-\(i)-\(insz.digits.suffix(4))", "insz": insz.digits, "school_number": "40618",
                        "school_name": "GO! atheneum Ekeren", "school_postcode": "2180", "programme": "fulltime", "start_date": "2026-09-01"]
                    if untilStatistics {
                        // A school leaver: the statistics hold rows only for whom the figures count.
                        data["start_date"] = "2025-09-01"
                        data["end_date"] = "2026-06-30"
                        data["exit_reason"] = "X"
                    }
                    let event: [String: Any] = [
                        "specversion": "1.0", "id": "bench-\(UUID().uuidString)", "source": "/sources/agodi",
                        "type": "be.vlaanderen.vangnet.enrolment.v1", "datacontenttype": "application/json", "data": data,
                    ]
                    guard let body = try? JSONSerialization.data(withJSONObject: event, options: [.sortedKeys]) else { return }
                    let id = UUID().uuidString
                    let stamp = Int(Date().timeIntervalSince1970)
                    var request = HTTPClientRequest(url: url)
                    request.method = .POST
                    request.headers.add(name: "Content-Type", value: "application/cloudevents+json")
                    request.headers.add(name: "webhook-id", value: id)
                    request.headers.add(name: "webhook-timestamp", value: String(stamp))
                    request.headers.add(name: "webhook-signature", value: EventIntake.sign(id: id, timestamp: stamp, body: body, secret: secret))
                    request.body = .bytes(ByteBuffer(data: body))
                    let sentAt = Self.now()
                    samples.lock.withLock { samples.sentAt[i] = sentAt }
                    if let response = try? await client.execute(request, timeout: .seconds(10)), response.status == .accepted {
                        samples.lock.withLock { samples.accepted += 1 }
                    }
                }
            }
        }
        let elapsed = (Self.now() - start) / 1000
        done.value = true
        await poller.value
        try await client.shutdown()
        return samples.lock.withLock {
            let latencies = sampled.compactMap { i in samples.seenAt[i].map { $0 - samples.sentAt[i]! } }
            return Result(sent: total, accepted: samples.accepted, achievedRate: Double(total) / elapsed, latencies: latencies,
                          unseen: sampled.count - latencies.count)
        }
    }
}

/// A flag shared between the sender and the poller.
final class ManagedAtomicFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = false
    var value: Bool {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

/// 1234567 → "1,234,567".
func grouped(_ n: Int) -> String {
    let digits = String(n)
    var out = ""
    for (i, c) in digits.reversed().enumerated() {
        if i > 0 && i % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return String(out.reversed())
}
