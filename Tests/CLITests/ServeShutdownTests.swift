import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport
import Testing

/// `vangnet serve` stopped the way a process manager stops it: SIGTERM, then each service finishes
/// or hands back what it holds, says so, and the process exits 0.
@Suite struct ServeShutdownTests {
    @Test func serveStoppedWithSIGTERMExitsZeroAndLogsThatItStoppedCleanly() async throws {
        let folder = TemporaryFolder()
        let port = 20_000 + Int.random(in: 0..<20_000)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: VangnetBinary.path)
        process.arguments = ["serve", "--port", String(port)]
        process.currentDirectoryURL = URL(fileURLWithPath: folder.path)
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("VANGNET_") }
        environment["VANGNET_ENVIRONMENT"] = "demo"
        environment["VANGNET_DATABASE_URL"] = "sqlite://" + folder.path + "/serve.sqlite"
        process.environment = environment
        let log = folder.path + "/stderr.txt"
        FileManager.default.createFile(atPath: log, contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: log)
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

        var live = false
        for _ in 0..<240 where !live && process.isRunning {
            try await Task.sleep(for: .milliseconds(250))
            if let (data, _) = try? await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/health/live")!),
               String(decoding: data, as: UTF8.self).contains("ok") { live = true }
        }
        try #require(live, "serve answers on its port: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")

        kill(process.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(10)
        while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!process.isRunning, "stopped within 10 seconds of SIGTERM")
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0, "a graceful stop exits 0")

        // The services stop in reverse order of their dependencies: the server first, the pipeline last.
        let printed = try String(contentsOfFile: log, encoding: .utf8)
        let lines = ["HTTP server stopped", "key file watcher stopped", "retention job stopped", "event batcher stopped",
                     "pipeline worker stopped", "vangnet stopped cleanly"]
        let positions = lines.map { printed.range(of: $0)?.lowerBound }
        for (line, position) in zip(lines, positions) { #expect(position != nil, "the log says: \(line)") }
        let found = positions.compactMap { $0 }
        #expect(found == found.sorted(), "in this order: \(lines.joined(separator: ", "))")
        #expect(!printed.contains("stopped on an error"))
    }

    /// `vangnet worker`: the background work without an HTTP server, stopped the same way.
    @Test func theWorkerRunsTheBackgroundWorkAndStopsCleanlyOnSIGTERM() async throws {
        let folder = TemporaryFolder()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: VangnetBinary.path)
        process.arguments = ["worker"]
        process.currentDirectoryURL = URL(fileURLWithPath: folder.path)
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("VANGNET_") }
        environment["VANGNET_ENVIRONMENT"] = "demo"
        process.environment = environment
        let out = folder.path + "/stdout.txt", log = folder.path + "/stderr.txt"
        FileManager.default.createFile(atPath: out, contents: nil)
        FileManager.default.createFile(atPath: log, contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: out)
        process.standardError = FileHandle(forWritingAtPath: log)
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        var started = false
        for _ in 0..<240 where !started && process.isRunning {
            try await Task.sleep(for: .milliseconds(250))
            started = ((try? String(contentsOfFile: out, encoding: .utf8)) ?? "").contains("Vangnet worker runs")
        }
        try #require(started, "the worker starts: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        kill(process.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(10)
        while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
        let printed = try String(contentsOfFile: log, encoding: .utf8)
        #expect(printed.contains("pipeline worker stopped") && printed.contains("vangnet stopped cleanly"))
        #expect(!printed.contains("HTTP server listening"), "no HTTP server in a worker")
    }
}
