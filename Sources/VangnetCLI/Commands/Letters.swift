import ArgumentParser
import Privacy
import Domain
import Foundation
import Letters
import Storage
import Workflows

struct LettersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "letters", abstract: "Letters to young people: the daily batch for the mail house, and the files it sends back.",
        subcommands: [LettersBatch.self, LettersList.self, LettersAcknowledge.self, LettersReturns.self])
}

extension AppContext {
    /// The letter batch, wired to this store, regions and clock; everyone in it is decided again first.
    public func letterBatchWork(today: LocalDate? = nil) -> LetterBatchWork {
        let context = self
        var settings = LetterBatchWork.Settings()
        settings.reminderAfterDays = configuration.letterReminderDays
        settings.codeValidDays = configuration.answerCodeValidDays
        settings.answerAddress = configuration.answerAddress
        settings.requireConfiguredOffices = configuration.environment == .production
        let clock = today.map { Clock.pinned(to: $0, instants: configuration.clock) } ?? configuration.clock
        return LetterBatchWork(letters: store, regions: configuration.regions, settings: settings, clock: clock,
                               decideAgain: { persons in
                                   try await context.store.markDue(persons: persons)
                                   return try await context.pipeline(today: clock.today()).run().casesWithdrawn
                               },
                               sha256: { Checksum.sha256Hex($0) })
    }
}

struct LettersBatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Make today's batch: decide everyone in it again, then one print-ready PDF and a manifest (CSV, JSON).",
        discussion: "Invitations for new cases, notices for automatic registrations, reminders after VANGNET_LETTER_REMINDER_DAYS without an answer. The files go to --out (personal data: readable by the owner only).")

    @Option(help: "Make the batch of this date (YYYY-MM-DD) instead of today; test and demo environments only.") var date: String?
    @Option(help: "The folder for the PDF and the manifests.") var out = "."
    @Flag(help: "Print the summary as JSON.") var json = false

    func run() async throws {
        try await command {
            let context = try await AppContext.open()
            do {
                var day: LocalDate?
                if let date {
                    guard context.configuration.environment.allowsTestData else { throw CommandFailure("--date is only allowed in a test or demo environment") }
                    guard let parsed = LocalDate(iso: date) else { throw CommandFailure("--date must be YYYY-MM-DD") }
                    day = parsed
                }
                var isFolder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: out, isDirectory: &isFolder), isFolder.boolValue else {
                    throw CommandFailure("--out: \(out) is not a folder")
                }
                let (summary, record) = try await context.letterBatchWork(today: day).make()
                if let record {
                    // Writing the batch to files is a download of many people's data: audited.
                    try await context.store.audit(AuditEntry(context.operatorActor(purpose: .caseWork), .letterBatchDownloaded(record.id)))
                    let base = (out as NSString).appendingPathComponent("vangnet-letters-\(record.madeOn.iso)-\(record.id)")
                    for (suffix, data) in [(".pdf", Data(record.pdf)), (".csv", Data(record.manifestCSV.utf8)), (".json", Data(record.manifestJSON.utf8))] {
                        guard FileManager.default.createFile(atPath: base + suffix, contents: data, attributes: [.posixPermissions: 0o600]) else {
                            throw CommandFailure("cannot write \(base + suffix)")
                        }
                    }
                }
                if json { print(try jsonText(summary)) } else if let id = summary.batchID {
                    print("Batch \(id): \(summary.letters) letter(s), \(summary.pages) page(s) "
                          + "(\(summary.byKind.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))); "
                          + "withdrawn \(summary.withdrawn), no longer to be reached \(summary.noLongerEligible), without an address \(summary.withoutAddress). "
                          + "Files: vangnet-letters-\(record?.madeOn.iso ?? "")-\(id).pdf, .csv, .json in \(out)")
                } else {
                    print("No letters to make (withdrawn \(summary.withdrawn), no longer to be reached \(summary.noLongerEligible), without an address \(summary.withoutAddress), "
                          + "waiting for a consultant \(summary.unassigned)).")
                }
            } catch {
                await context.close()
                throw error
            }
            await context.close()
        }
    }
}

struct LettersList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The batches, newest first (no personal data).")
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        try await command {
            let context = try await AppContext.open()
            let batches: [LetterBatchSummary]
            do { batches = try await context.store.letterBatches() } catch {
                await context.close()
                throw error
            }
            await context.close()
            if json { print(try jsonText(batches)) } else {
                for b in batches { print("\(b.id)  \(b.madeOn.iso)  \(b.status.padding(toLength: 12, withPad: " ", startingAt: 0)) \(b.letters) letters, \(b.pages) pages  sha256 \(b.sha256.prefix(16))…") }
            }
        }
    }
}

/// `letters acknowledge` and `letters returns`: one mail-house file, each line accepted, found
/// already applied, or rejected with its reason; nothing half-applied.
struct MailHouseImportCommand {
    let kind: MailHouseFile.Kind

    func run(file: String, json: Bool) async throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw CommandFailure("cannot read \(file)") }
        let context = try await AppContext.open()
        let result: MailHouseImport
        do {
            let work = MailHouseWork(letters: context.store, clock: context.configuration.clock)
            result = try await work.importFile(Array(data), as: kind, name: file, by: context.operatorActor(purpose: .dataQuality))
        } catch {
            await context.close()
            throw error
        }
        await context.close()
        if json { print(try jsonText(result)); return }
        print("\(file): \(result.accepted) accepted, \(result.unchanged) already applied, \(result.rejected) rejected"
              + (result.batchesHandedOver.isEmpty ? "" : "; batches handed over: " + result.batchesHandedOver.map(String.init).joined(separator: ", ")))
        for line in result.lines where line.result == .rejected {
            print("  line \(line.line)\(line.reference.map { " (\($0))" } ?? ""): \(line.code ?? "") – \(line.message ?? "")")
        }
        if !result.notListed.isEmpty {
            print("  not in the acknowledgement, handed over with their batch: " + result.notListed.joined(separator: ", "))
        }
    }
}

struct LettersAcknowledge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "acknowledge",
        abstract: "Import the mail house's acknowledgement (CSV: batch_id,reference): the batches it names are handed over.",
        discussion: "Each line is accepted, already applied, or rejected with its reason (unknown reference, wrong batch, broken line…). docs/outreach.md.")
    @Argument(help: "The acknowledgement file (CSV).") var file: String
    @Flag(help: "Print the outcome as JSON.") var json = false

    func run() async throws {
        try await command { try await MailHouseImportCommand(kind: .acknowledgement).run(file: file, json: json) }
    }
}

struct LettersReturns: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "returns",
        abstract: "Import the mail house's return file (CSV: reference,returned_on,reason): the cases get \"address unknown\", no more letters to that address.",
        discussion: "Reasons: " + LetterReturnReason.allCases.map(\.rawValue).joined(separator: ", ") + ". docs/outreach.md.")
    @Argument(help: "The return file (CSV).") var file: String
    @Flag(help: "Print the outcome as JSON.") var json = false

    func run() async throws {
        try await command { try await MailHouseImportCommand(kind: .returns).run(file: file, json: json) }
    }
}
