import ArgumentParser
import Domain
import Foundation
import Privacy
import Storage
import Web

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The audit log: verify the hash chain, record a checkpoint, read entries.",
        subcommands: [AuditVerify.self, AuditCheckpoint.self, AuditLog.self])
}

struct AuditVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Check the whole chain; exits 1 naming the first entry that does not fit.")
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        try await command {
            let context = try await AppContext.open()
            let result = try await context.store.verifyAudit()
            await context.close()
            if json { print(try jsonText(result)) }
            guard result.intact else {
                throw CommandFailure("audit chain broken at entry \(result.firstBroken ?? 0): \(result.problem ?? "")")
            }
            if !json { print("Audit chain intact: \(grouped(result.entries)) entries, last \(result.lastSeq), hash \(result.lastHash)") }
        }
    }
}

struct AuditCheckpoint: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint", abstract: "Record the chain's end (sequence and hash) — copy it somewhere the database's admins cannot change.")

    func run() async throws {
        try await command {
            let context = try await AppContext.open()
            let checkpoint = try await context.store.auditCheckpoint()
            await context.close()
            print("Checkpoint: entry \(checkpoint.seq), hash \(checkpoint.hash), at \(storedTimestamp(context.configuration.clock.now()))")
        }
    }
}

struct AuditLog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "Who consulted a person (--insz from standard input), or what a user consulted, in a period.")
    @Option(help: "The user whose reads to show.") var actor: String?
    @Flag(help: "Read an INSZ from standard input and show who consulted that person.") var inszStdin = false
    @Option(help: "From this date (YYYY-MM-DD).") var from: String?
    @Option(help: "Until this date (YYYY-MM-DD), inclusive.") var to: String?
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        try await command {
            let context = try await AppContext.open()
            var subject: String?
            if inszStdin {
                let text = readLine(strippingNewline: true) ?? ""
                do { subject = context.store.keyring.auditSubject(try INSZ(text, allowTestNumbers: context.configuration.environment.allowsTestData,
                                                                                  today: context.configuration.currentDate)) } catch {
                    await context.close()
                    throw CommandFailure("the INSZ on standard input is not valid: \(String(describing: error))")
                }
            }
            func day(_ text: String?, _ option: String) throws -> LocalDate? {
                guard let text else { return nil }
                guard let date = LocalDate(iso: text) else { throw CommandFailure("\(option) must be a date (YYYY-MM-DD)") }
                return date
            }
            let entries: [AuditRecord]
            do {
                entries = try await context.store.auditEntries(subject: subject, actor: actor, from: try day(from, "--from"),
                                                               to: try day(to, "--to"), limit: 1000)
            } catch {
                await context.close()
                throw error
            }
            if inszStdin {
                try await context.store.audit(AuditEntry(context.operatorActor(purpose: .audit), .auditRead, subject: subject))
            }
            await context.close()
            if json { print(try jsonText(entries)) } else {
                for e in entries {
                    print("\(e.at) \(e.actor) (\(e.role)) \(e.action) \(e.outcome) purpose=\(e.purpose)"
                          + (e.objectType.map { " \($0) \(e.objectID ?? "")" } ?? ""))
                }
                if entries.isEmpty { print("No entries.") }
            }
        }
    }
}

struct PersonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "person", abstract: "A person's own report (subject access request).", subcommands: [PersonReportCommand.self])
}

struct PersonReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Everything held about one person (INSZ read from standard input): records and sources, decisions and reasons, cases, consultations.")
    @Option(help: "json (default) or html.") var format = "json"
    @Option(help: "The language of the HTML report: nl (default), fr or en.") var language = "nl"
    @Option(help: "Write to this file instead of standard output.") var out: String?

    func run() async throws {
        try await command {
            guard ["json", "html"].contains(format) else { throw CommandFailure("--format must be json or html") }
            guard Language(rawValue: language) != nil else { throw CommandFailure("--language must be nl, fr or en") }
            let text = readLine(strippingNewline: true) ?? ""
            let context = try await AppContext.open()
            do {
                let insz = try INSZ(text, allowTestNumbers: context.configuration.environment.allowsTestData,
                                                                                  today: context.configuration.currentDate)
                guard let report = try await context.store.personReport(insz, actor: context.operatorActor(purpose: .subjectAccessRequest)) else {
                    throw CommandFailure("Vangnet holds no data about this person")
                }
                let rendered = format == "json" ? try PersonReportRenderer.json(report, policy: context.configuration.policy)
                    : PersonReportRenderer.html(report, policy: context.configuration.policy,
                                                language: Language(rawValue: language) ?? .nl, names: try await context.store.displayNames())
                if let out {
                    FileManager.default.createFile(atPath: out, contents: Data(rendered.utf8), attributes: [.posixPermissions: 0o600])
                    print("Wrote \(out)")
                } else {
                    print(rendered)
                }
            } catch let invalid as INSZ.Invalid {
                await context.close()
                throw CommandFailure("the INSZ on standard input is not valid: \(invalid.description)")
            } catch {
                await context.close()
                throw error
            }
            await context.close()
        }
    }
}

struct RetentionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention", abstract: "Remove or anonymise data past its retention period.", subcommands: [RetentionRun.self])
}

struct RetentionRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Apply the retention periods now (the server also does it daily).")
    @Flag(help: "Only count what would be removed.") var dryRun = false
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        try await command {
            let context = try await AppContext.open()
            let report = try await context.store.applyRetention(context.configuration.retention, today: context.configuration.currentDate,
                                                                dryRun: dryRun, actor: context.operatorActor(purpose: .retention))
            await context.close()
            if json { print(try jsonText(report)) } else {
                print("\(dryRun ? "Would remove" : "Removed"): \(report.recordsDeleted) source records, \(report.quarantineDeleted) quarantine entries, "
                      + "\(report.auditEntriesDeleted) audit entries, \(report.loginFailuresDeleted) login-throttling entries; \(dryRun ? "would anonymise" : "anonymised") \(report.casesAnonymised) closed cases "
                      + "(\(report.notesRemoved) notes).")
            }
        }
    }
}

struct KeysRotate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Rotate the data key without stopping reads: add a key, let running servers load it, make it current, re-encrypt.",
        discussion: """
            1. A new data key is added to the key file, not yet current. Running servers check the file every             \(Int(KeyFileWatcher.interval.components.seconds)) seconds and load it.
            2. After --grace seconds the new key becomes current: from then on everything is sealed with it.
            3. Everything sealed with an older key is re-encrypted in small transactions; reads keep working             throughout, because every key stays in the file. The previous file is kept next to it.
            The index key (blind index of the INSZ) is not rotated.
            """)

    @Option(help: "Seconds to wait between adding the key and making it current (longer than the servers' check interval).")
    var grace: Int = 15

    func run() async throws {
        try await command {
            let configuration = try VangnetConfiguration.fromEnvironment()
            guard let path = configuration.keyFilePath, let data = FileManager.default.contents(atPath: path),
                  let file = try? JSONDecoder().decode(Keyring.File.self, from: data) else {
                throw CommandFailure("key rotation needs VANGNET_KEY_FILE pointing at a readable key file")
            }
            guard grace >= 0 else { throw CommandFailure("--grace must be 0 or more seconds") }
            let backup = path + ".previous-\(file.current)"
            if FileManager.default.fileExists(atPath: backup) { try FileManager.default.removeItem(atPath: backup) }
            try FileManager.default.copyItem(atPath: path, toPath: backup)
            let (staged, keyID) = Keyring.addingKey(file)
            try Keyring.replace(path, with: staged)
            print("1/3 Added key \(keyID) to \(path) (not yet current); the previous file is kept as \(backup).")
            if grace > 0 {
                print("    Waiting \(grace) s for running servers to load it…")
                try await Task.sleep(for: .seconds(grace))
            }
            var current = staged
            current.current = keyID
            try Keyring.replace(path, with: current)
            print("2/3 Key \(keyID) is current: new data is sealed with it.")
            let context = try await AppContext.open()
            do {
                let report = try await context.store.reencryptAll()
                let counts = report.resealed.sorted { $0.key < $1.key }.map { "\($0.key) \(grouped($0.value))" }
                print("3/3 Re-encrypted: " + (counts.isEmpty ? "nothing to do" : counts.joined(separator: ", ")))
            } catch {
                await context.close()
                throw error
            }
            await context.close()
        }
    }
}
