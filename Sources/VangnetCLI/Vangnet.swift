import ArgumentParser
import Domain
import Foundation
import Logging
import Metrics
import NIOConcurrencyHelpers
import Prometheus
import Web

/// `vangnet`: every part of Vangnet is a subcommand of one binary.
public struct Vangnet: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "vangnet",
        abstract: "Finds unqualified school leavers in Flanders and follows them up until they are in work, education or training.",
        discussion: "Settings come from VANGNET_* environment variables; see .env.example and docs/operations.md.",
        subcommands: [
            Demo.self, Serve.self, Worker.self, Migrate.self, Import.self, PipelineCommand.self, Report.self, CaseCommand.self, Simulate.self,
            QuarantineCommand.self, UserCommand.self, TokenCommand.self, SourcesCommand.self, AuditCommand.self, PersonCommand.self,
            RetentionCommand.self, Keys.self, LettersCommand.self, PartnerCommand.self, PolicyCommand.self, BackupCommand.self, StoreCommand.self, Statistics.self, Link.self,
        ])

    public init() {}
}

/// Runs a command body and turns any failure into one line on standard error and a non-zero exit.
func command(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let exit as ExitCode {
        throw exit
    } catch let exit as CleanExit {
        throw exit
    } catch {
        FileHandle.standardError.write(Data("vangnet: \(oneLine(error))\n".utf8))
        throw ExitCode(1)
    }
}

func oneLine(_ error: any Error) -> String {
    let text = String(describing: error)
    return text.split(separator: "\n").first.map(String.init) ?? text
}

/// swift-log and swift-metrics may each be bootstrapped once per process; these remember that they were.
private let loggingBootstrapped = NIOLockedValueBox(false)
private let processMetrics = NIOLockedValueBox<PrometheusCollectorRegistry?>(nil)

/// Logs go to standard error, at `VANGNET_LOG_LEVEL` (`notice` by default: a server's start and
/// stop, refused accesses; commands are otherwise quiet). The first call wins.
func bootstrapLogging(level: String) {
    loggingBootstrapped.withLockedValue { done in
        guard !done else { return }
        done = true
        let parsed = Logger.Level(rawValue: level.lowercased()) ?? .notice
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = parsed
            return handler
        }
    }
}

/// The process's Prometheus registry, with the swift-metrics facade bootstrapped on it (once), so
/// that what Storage and the pipeline emit shows at `/metrics` next to the web layer's metrics.
func bootstrapMetrics() -> PrometheusCollectorRegistry {
    processMetrics.withLockedValue { registry in
        if let registry { return registry }
        let created = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(WebContext.makeMetricsFactory(registry: created))
        registry = created
        return created
    }
}

/// Unusable input or configuration at the command line: one line on standard error, exit 1.
struct CommandFailure: VangnetError {
    let description: String
    init(_ description: String) { self.description = description }
    var kind: ErrorKind { .invalidInput }
    var code: String { "command_failed" }
}
