import ArgumentParser
import AsyncHTTPClient
import Domain
import Foundation
import NIOCore
import Storage
import VangnetCLI
import Workflows

/// Outreach issue: "The answer page under 100 concurrent young people with think time: p99 under
/// 50 ms." Letters are made for `letters` young people; `vangnet serve` runs as a child process on
/// that database; each of `users` simulated young people opens the page, thinks (types the code
/// from the letter and the birth date), sends them, thinks (reads, chooses), sends the answer,
/// and starts again as the next young person. Every request's latency is recorded.
struct AnswerPageBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "answer-page", abstract: "The answer page under 100 concurrent young people with think time (p99 < 50 ms).")

    @Option(help: "Letters (young people who can answer).") var letters = 3_000
    @Option(help: "Concurrent young people.") var users = 100
    @Option(help: "Seconds of load.") var seconds = 60
    @Option(help: "Mean think time in seconds between two steps (uniform from half to one and a half times this).") var thinkTime = 3.0

    func run() async throws {
        let folder = try freshFolder("answer-page")
        let context = try await demoContext(folder)
        try await fillLeavers(context, count: letters)
        guard let record = try await context.letterBatchWork(today: LocalDate(year: 2026, month: 12, day: 1)!).make().1 else {
            throw ValidationError("no letters were made")
        }
        var people: [(code: String, birth: String)] = []
        for item in record.items {
            guard let entry = try await context.store.answerCode(item.code), let birth = entry.birthDate else { continue }
            let (year, month, day) = birth.components
            people.append((item.code.grouped, String(format: "%02d/%02d/%04d", day, month, year)))
        }
        let database = context.configuration.database
        await context.close()
        print("Letters: \(people.count); starting the server …")
        guard case .sqlite(let path) = database else { throw ValidationError("SQLite only") }
        let server = try ServerProcess.start(folder: folder, database: "sqlite://" + path)
        defer { server.stop() }
        try await server.waitUntilReady()
        let result = try await YoungPeople(url: server.url, users: users, seconds: seconds, thinkTime: thinkTime, people: people).run()
        print(result.lines())
        let memory = server.memory()
        print(String(format: "  server memory: %.0f MB resident, %.0f MB peak", memory.current, memory.peak))
    }
}

/// The young people as they answer: page, think, code and birth date, think, answer.
struct YoungPeople {
    let url: String
    let users: Int
    let seconds: Int
    let thinkTime: Double
    let people: [(code: String, birth: String)]

    final class Collected: @unchecked Sendable {
        let lock = NSLock()
        var latencies: [String: [Double]] = ["page": [], "code": [], "answer": []]
        var errors: [String: Int] = [:]
        var next = 0
    }

    struct Result {
        let latencies: [String: [Double]]
        let errors: [String: Int]
        let seconds: Int
        let users: Int
        let thinkTime: Double

        func lines() -> String {
            let all = latencies.values.flatMap { $0 }
            let p99 = UserLoad.Result.percentile(all, 0.99)
            var out = String(format: "  %d young people, %.1f s think time, %d s: %d requests (%.0f/s); all requests p50 %.1f ms, p99 %.1f ms "
                             + "(target < 50 ms: %.2f× the budget)",
                             users, thinkTime, seconds, all.count, Double(all.count) / Double(seconds), UserLoad.Result.percentile(all, 0.5), p99, p99 / 50)
            for step in ["page", "code", "answer"] {
                let values = latencies[step] ?? []
                out += String(format: "\n    %@: %d, p50 %.1f ms, p99 %.1f ms, %d errors", step, values.count,
                              UserLoad.Result.percentile(values, 0.5), UserLoad.Result.percentile(values, 0.99), errors[step] ?? 0)
            }
            return out
        }
    }

    func run() async throws -> Result {
        let client = HTTPClient(eventLoopGroupProvider: .singleton,
                                configuration: .init(connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: users)))
        let collected = Collected()
        let deadline = EventLoad.now() + Double(seconds) * 1000
        let url = self.url, thinkTime = self.thinkTime, people = self.people

        @Sendable func timed(_ step: String, _ request: HTTPClientRequest, expect: Int = 200) async -> String? {
            let start = EventLoad.now()
            var body: String?
            var status = 0
            if let response = try? await client.execute(request, timeout: .seconds(10)) {
                status = Int(response.status.code)
                body = (try? await response.body.collect(upTo: 1 << 20)).map { String(buffer: $0) }
            }
            let elapsed = EventLoad.now() - start
            collected.lock.withLock {
                if status == expect, body != nil { collected.latencies[step, default: []].append(elapsed) } else { collected.errors[step, default: 0] += 1 }
            }
            return status == expect ? body : nil
        }
        func field(_ name: String, in html: String) -> String? {
            guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
            return String(html[range.upperBound...].prefix { $0 != "\"" })
        }
        func form(_ fields: [String: String]) -> ByteBuffer {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            return ByteBuffer(string: fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&"))
        }

        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<users {
                group.addTask {
                    var generator = SystemRandomNumberGenerator()
                    func think() async { try? await Task.sleep(for: .milliseconds(Double.random(in: (thinkTime * 500)...(thinkTime * 1500), using: &generator))) }
                    try? await Task.sleep(for: .milliseconds(Double.random(in: 0...(thinkTime * 1000), using: &generator)))
                    while EventLoad.now() < deadline {
                        let index = collected.lock.withLock { () -> Int in collected.next += 1; return collected.next - 1 }
                        guard index < people.count else { return }
                        let person = people[index]
                        // The page, as a browser gets it: a cookie and the form's token.
                        let pageRequest = HTTPClientRequest(url: url + "/antwoord")
                        let start = EventLoad.now()
                        guard let response = try? await client.execute(pageRequest, timeout: .seconds(10)) else {
                            collected.lock.withLock { collected.errors["page", default: 0] += 1 }
                            continue
                        }
                        let cookie = response.headers["set-cookie"].first?.split(separator: ";").first.map(String.init) ?? ""
                        let page = (try? await response.body.collect(upTo: 1 << 20)).map { String(buffer: $0) } ?? ""
                        let elapsed = EventLoad.now() - start
                        collected.lock.withLock { collected.latencies["page", default: []].append(elapsed) }
                        guard let csrf = field("_csrf", in: page) else { continue }
                        await think()
                        var open = HTTPClientRequest(url: url + "/antwoord")
                        open.method = .POST
                        open.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
                        open.headers.add(name: "Cookie", value: cookie)
                        open.body = .bytes(form(["_csrf": csrf, "code": person.code, "birth": person.birth]))
                        guard let choice = await timed("code", open), let token = field("token", in: choice) else { continue }
                        await think()
                        var answer = HTTPClientRequest(url: url + "/antwoord/keuze")
                        answer.method = .POST
                        answer.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
                        answer.headers.add(name: "Cookie", value: cookie)
                        answer.body = .bytes(form(["_csrf": csrf, "token": token, "choice": "wants_help", "phone": "0470 12 34 56",
                                                   "moment": "na 16 uur", "consent": "1"]))
                        _ = await timed("answer", answer)
                        await think()
                    }
                }
            }
        }
        try await client.shutdown()
        return collected.lock.withLock {
            Result(latencies: collected.latencies, errors: collected.errors, seconds: seconds, users: users, thinkTime: thinkTime)
        }
    }
}
