import ArgumentParser
import Domain
import Foundation
import Ingest
import Privacy
import Simulator
import Storage
import Workflows
import VangnetCLI

/// The benchmarks named in the issues. Each prints its figure and the ratio to its reference;
/// BENCHMARKS.md records the latest figures with the command that produced them.
@main
struct VangnetBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vangnet-bench",
        abstract: "Vangnet's benchmarks (run with: swift run -c release vangnet-bench <name>).",
        subcommands: [ImportBenchmark.self, SchoolYearBenchmark.self, WorkspaceBenchmark.self, LetterBenchmark.self, AnswerPageBenchmark.self, StatisticsBenchmark.self, LinkageBenchmark.self, PipelineYearsBenchmark.self, LinkChild.self,
                      ServeChild.self])
}

/// Where generated data and scratch databases live (ignored by git).
let benchFolder = FileManager.default.currentDirectoryPath + "/.build/bench"

/// The flanders-scale simulation, written once per seed and reused.
func flandersFiles(seed: UInt64) throws -> String {
    let folder = benchFolder + "/flanders-\(seed)"
    if FileManager.default.fileExists(atPath: folder + "/enrolments.csv") { return folder }
    print("Simulating a school year of Flanders (seed \(seed)) in \(folder) …")
    _ = try Simulation(seed: seed, scale: .flanders, schoolYear: SchoolYear(startYear: 2025)).write(to: folder)
    return folder
}

func freshFolder(_ name: String) throws -> String {
    let folder = benchFolder + "/" + name
    try? FileManager.default.removeItem(atPath: folder)
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    return folder
}

func seconds(_ body: () async throws -> Void) async rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try await body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Runs a `vangnet` subcommand inside the benchmark binary (a child process of a benchmark),
/// so that the benchmarks need no second build.
func runVangnet(_ arguments: [String]) async throws {
    var command = try Vangnet.parseAsRoot(arguments)
    guard var asynchronous = command as? any AsyncParsableCommand else { return try command.run() }
    try await asynchronous.run()
    command = asynchronous
}

func demoContext(_ folder: String, database: String? = nil) async throws -> AppContext {
    var environment = ProcessInfo.processInfo.environment
    environment["VANGNET_ENVIRONMENT"] = "test"
    environment["VANGNET_TODAY"] = "2026-11-29"
    environment["VANGNET_LOG_LEVEL"] = "error"
    if let database { environment["VANGNET_DATABASE_URL"] = database } else { environment.removeValue(forKey: "VANGNET_DATABASE_URL") }
    return try await AppContext.open(dataDirectory: folder, environment: environment)
}

struct ImportBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import of the flanders enrolment file into SQLite vs sqlite3 .import of the same CSV into a plain table (with --postgres: into PostgreSQL vs psql's \\copy into a table with a primary key).")

    @Option(help: "Seed of the simulation.") var seed: UInt64 = 7
    @Flag(help: "Also time the stages (read+validate, seal+hash) on their own.") var stages = false
    @Option(help: "A postgres:// URL of an empty database: import into PostgreSQL, against psql's \\copy of the same CSV.")
    var postgres: String?
    @Flag(help: "SQLite: run the bulk statements through SQLiteNIO, which prepares each anew (the path before statements were prepared once), to compare in the same build.")
    var sqlitenio = false

    func run() async throws {
        let files = try flandersFiles(seed: seed)
        let csv = files + "/enrolments.csv"
        let lines = try String(contentsOfFile: csv, encoding: .utf8).utf8.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } - 1
        if let postgres { return try await runOnPostgres(postgres, csv: csv, lines: lines) }

        // Reference: sqlite3 .import into a plain table, same machine, same run.
        let plain = try freshFolder("plain") + "/plain.sqlite"
        let sqlite3 = ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let sqlite3 else {
            throw ValidationError("the reference needs the sqlite3 command line (Debian: apt-get install -y sqlite3)")
        }
        let reference = try await seconds {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: sqlite3)
            process.arguments = [plain, ".mode csv", ".import \(csv) enrolments"]
            process.standardError = FileHandle(forWritingAtPath: "/dev/null")
            try process.run()
            process.waitUntilExit()
        }

        if stages {
            // The importer's own steps, one after the other on one core: what each chain of the
            // overlapped import (reading and sealing on one core, storing on the other) costs alone.
            let stageContext = try await demoContext(try freshFolder("stages"))
            stageContext.store.preparesStatements = !sqlitenio
            var items: [[IngestItem]] = []
            let read = try await seconds {
                let reader = try SourceFileReader(path: csv, options: stageContext.ingestOptions)
                while case let batch = try reader.next(maximum: Importer.batchSize), !batch.isEmpty { items.append(batch) }
            }
            let writer = try await RecordWriter(store: stageContext.store, channel: .file, name: "stages", format: "csv")
            var prepared: [RecordWriter.PreparedBatch] = []
            let seal = await seconds { prepared = items.map { writer.prepare($0) } }
            let store = try await seconds {
                for batch in prepared { try await writer.store(batch) }
            }
            await stageContext.close()
            print(String(format: "stages: read+validate %.2f s, encode+hash+seal %.2f s, store %.2f s", read, seal, store))
        }

        try await importAndCompare(csv: csv, lines: lines, store: "SQLite", database: nil, folder: "import",
                                   reference: reference, referenceName: "sqlite3 .import into a plain table")
    }

    /// Imports `csv` into a fresh store as `vangnet import` does (without the pipeline), and prints
    /// its time and rate against the reference's, with the ratio the issue's target is about.
    func importAndCompare(csv: String, lines: Int, store: String, database: String?, folder: String,
                          reference: Double, referenceName: String) async throws {
        let context = try await demoContext(try freshFolder(folder), database: database)
        context.store.preparesStatements = !sqlitenio
        var result: Importer.Result?
        let ours = try await seconds { result = try await Importer(context: context).run([csv], runPipeline: false) }
        await context.close()
        let rateOurs = Double(lines) / ours
        let rateReference = Double(lines) / reference
        print("Import benchmark (\(store)\(database == nil && sqlitenio ? ", statements through SQLiteNIO" : "")): enrolment file of a school year of Flanders, \(lines) records")
        print(String(format: "  %@: %6.2f s  %9.0f records/s", referenceName, reference, rateReference))
        print(String(format: "  vangnet import (validate, dedupe, seal, store): %6.2f s  %9.0f records/s", ours, rateOurs))
        print(String(format: "  ratio: %.3f× the rate of the reference (target ≥ 0.25×)", rateOurs / rateReference))
        if let total = result?.total {
            print("  records \(total.records) = accepted \(total.accepted) + duplicates \(total.duplicates) + quarantined \(total.quarantined)")
        }
    }
}

extension ImportBenchmark {
    /// The issue's PostgreSQL reference: psql's `\copy` of the same CSV into a table with a
    /// primary key — each line whole into one text column beside an identity key, since the
    /// simulated file holds malformed lines on purpose (short rows, for the quarantine) that
    /// COPY's CSV format refuses where `sqlite3 .import` pads them — then the import into the
    /// empty database as `vangnet import` does it (without the pipeline).
    func runOnPostgres(_ url: String, csv: String, lines: Int) async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/psql") else {
            throw ValidationError("the reference needs psql (Debian: apt-get install -y postgresql-client)")
        }
        func psql(_ command: String) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
            process.arguments = ["-q", "-v", "ON_ERROR_STOP=1", url, "-c", command]
            process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw ValidationError("psql failed: \(command.prefix(60))") }
        }
        try psql("DROP TABLE IF EXISTS bench_copy; CREATE TABLE bench_copy (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, line text)")
        let reference = try await seconds {
            try psql("\\copy bench_copy (line) FROM '\(csv)' WITH (FORMAT csv, HEADER, DELIMITER E'\\x01', QUOTE E'\\x02')")
        }
        try psql("DROP TABLE bench_copy")
        try await importAndCompare(csv: csv, lines: lines, store: "PostgreSQL", database: url, folder: "import-postgres",
                                   reference: reference, referenceName: "psql \\copy into a table with a primary key")
    }
}

struct SchoolYearBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "school-year",
        abstract: "A whole flanders school year — simulate excluded — from files to decisions and assigned cases.")

    @Option(help: "Seed of the simulation.") var seed: UInt64 = 7
    @Option(help: "A postgres:// URL to run on PostgreSQL instead of SQLite (the database must be empty).")
    var postgres: String?

    func run() async throws {
        let files = try flandersFiles(seed: seed)
        let paths = ["enrolments", "qualifications", "persons", "jobseekers", "employment"].map { files + "/\($0).csv" }
        let folder = try freshFolder("school-year")
        let context = try await demoContext(folder, database: postgres)
        var result: Importer.Result?
        var importSeconds = 0.0
        var identitySeconds = 0.0
        var identity: IdentityWork.Report?
        let total = try await seconds {
            importSeconds = try await seconds {
                result = try await Importer(context: context).run(paths, runPipeline: false)
            }
            // As `vangnet import` does before the pipeline: merges of replaced numbers, then links.
            identitySeconds = try await seconds { identity = try await context.identityWork.resolve() }
            result?.pipeline = try await context.pipeline().run()
        }
        let funnel = try await context.store.funnel()
        await context.close()
        let store = postgres == nil ? "SQLite" : "PostgreSQL"
        print("School-year benchmark (\(store)): \(result?.total.records ?? 0) records, \(result?.pipeline?.decided ?? 0) persons")
        print(String(format: "  import %.1f s, identity %.1f s (%d merged in %.1f s, %d linked), pipeline %.1f s, total %.1f s (target < 60 s: %.2f× the budget)",
                     importSeconds, identitySeconds, identity?.merged ?? 0, identity?.mergeSeconds ?? 0, identity?.linked ?? 0,
                     total - importSeconds - identitySeconds, total, total / 60))
        if let identity {
            print(String(format: "  identity: merges %.1f s, reading the register %.1f s, matching %.1f s, storing %d links %.1f s",
                         identity.mergeSeconds, identity.readSeconds, identity.matchSeconds, identity.linked, identity.storeSeconds))
        }
        print(String(format: "  peak memory %.0f MB (target < 1024 MB)", peakResidentMegabytes()))
        print("  leavers \(funnel.total.leavers), unqualified \(funnel.total.unqualified), eligible \(funnel.total.eligible), "
              + "open cases \(funnel.total.openCases)")
    }
}
