import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport
import Testing

/// `vangnet demo` with its output going to a log file, as under a process manager or `> demo.log`:
/// the logins are there while the demo runs, not only after it stops.
@Suite struct DemoBannerTests {
    @Test func theLoginsReachARedirectedOutputWhileTheDemoRuns() async throws {
        let folder = TemporaryFolder()
        let port = 20_000 + Int.random(in: 0..<20_000)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: VangnetBinary.path)
        process.arguments = ["demo", "--port", String(port), "--rate", "0", "--history", "0"]
        process.currentDirectoryURL = URL(fileURLWithPath: folder.path)
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("VANGNET_") }
        environment["VANGNET_DEMO_PASSWORD"] = "demo-password-123"
        process.environment = environment
        let output = folder.path + "/demo.log"
        FileManager.default.createFile(atPath: output, contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: output)
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

        var live = false
        for _ in 0..<240 where !live && process.isRunning {
            try await Task.sleep(for: .milliseconds(500))
            if let (data, _) = try? await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/health/live")!),
               String(decoding: data, as: UTF8.self).contains("ok") { live = true }
        }
        try #require(live, "the demo answers on its port")

        // The banner follows the server's start by a moment: read the log as someone tailing it would.
        var printed = ""
        for _ in 0..<30 {
            printed = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            if printed.contains("consultant-antwerpen") { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(process.isRunning, "still running while the log is read")
        #expect(printed.contains("consultant-antwerpen"), "the logins are in the log while the demo runs: \(printed.suffix(300))")
        #expect(printed.contains("password: demo-password-123"))
        #expect(printed.contains("http://127.0.0.1:\(port)"))
        #expect(printed.contains("Left school"), "and what was printed before it (the funnel)")

        kill(process.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(15)
        while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
