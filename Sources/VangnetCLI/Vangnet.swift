import ArgumentParser
import Foundation
import Logging

/// `vangnet`: every part of Vangnet is a subcommand of one binary.
public struct Vangnet: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "vangnet",
        abstract: "Finds unqualified school leavers in Flanders and follows them up until they are in work, education or training.",
        discussion: "Settings come from VANGNET_* environment variables; see .env.example and the README.",
        subcommands: [
            Demo.self, Serve.self, Migrate.self, Import.self, PipelineCommand.self, Report.self, CaseCommand.self, Simulate.self,
            QuarantineCommand.self, UserCommand.self, TokenCommand.self, SourcesCommand.self, AuditCommand.self, PersonCommand.self,
            RetentionCommand.self, Keys.self,
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

/// Logs go to standard error, at `VANGNET_LOG_LEVEL` (warning by default for commands).
func bootstrapLogging(level: String) {
    struct Once { nonisolated(unsafe) static var done = false }
    guard !Once.done else { return }
    Once.done = true
    let parsed = Logger.Level(rawValue: level.lowercased()) ?? .warning
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = parsed
        return handler
    }
}
