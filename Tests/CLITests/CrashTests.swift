import Foundation
import Privacy
import SQLKit
import Storage
import TestSupport
import Testing

/// `kill -9` at random moments of an import, then the same import run to its end: the database is
/// the one a clean import gives — records, persons, quarantine, decisions, cases — and its audit
/// chain verifies (production issue, "crash tests in CI", bounded).
@Suite struct CrashTests {
    let folder = TemporaryFolder()

    /// A database for one run: a SQLite file in the run's folder, or a new PostgreSQL database
    /// (dropped at the end of the test).
    final class Databases: @unchecked Sendable {
        let kind: StoreKind
        var created: [ScratchDatabase] = []
        init(_ kind: StoreKind) { self.kind = kind }

        func url(_ folder: String) async throws -> String {
            guard kind == .postgres, let server = StoreKind.postgresURL else { return "sqlite://\(folder)/vangnet.sqlite" }
            let database = try await ScratchDatabase.create(prefix: "vangnet_crash_", on: server)
            created.append(database)
            return database.url
        }

        func dropAll() async {
            for database in created { await database.drop() }
        }
    }

    /// What a database holds, counted (no personal data).
    func signature(_ path: String, _ url: String) async throws -> [String: Int] {
        let keyring = try Keyring(path: path + "/vangnet-keys.json")
        let location: DatabaseLocation = url.hasPrefix("sqlite://") ? .sqlite(path: String(url.dropFirst("sqlite://".count))) : .postgres(url: url)
        let store = try await Store.open(location, keyring: keyring, clock: .system)
        var counts: [String: Int] = [:]
        for table in ["persons", "source_records", "quarantine", "decisions", "cases", "case_events", "identity_links", "person_merges"] {
            counts[table] = try await store.sql.raw(SQLQueryString("SELECT COUNT(*) AS n FROM " + table)).first()!.decode(column: "n", as: Int.self)
        }
        counts["open_cases"] = try await store.sql.raw("SELECT COUNT(*) AS n FROM cases WHERE closed_on IS NULL").first()!.decode(column: "n", as: Int.self)
        counts["audit_intact"] = try await store.verifyAudit().intact ? 1 : 0
        await store.close()
        return counts
    }

    /// The imports killed: 100,000 records or more on SQLite (about 40 s an import in a debug
    /// build, eleven of them); the small scale (7,000 records) on PostgreSQL, whose debug import
    /// of 100,000 would take CI past its budget.
    static func pupils(_ kind: StoreKind) -> Int { kind == .sqlite ? 43_000 : 3_000 }
    static func records(_ kind: StoreKind) -> Int { kind == .sqlite ? 100_000 : 6_000 }

    @Test(arguments: StoreKind.allCases)
    func anImportKilledAtAnyMomentAndRunAgainGivesWhatACleanImportGives(_ kind: StoreKind) async throws {
        if kind == .postgres && StoreKind.postgresURL == nil { try Test.cancel("VANGNET_TEST_POSTGRES_URL is not set") }
        let databases = Databases(kind)
        let sim = folder.path + "/sim-\(kind.rawValue)"
        #expect(try VangnetBinary.run(["simulate", "--seed", "11", "--pupils", String(Self.pupils(kind)), "--out", sim, "--school-year", "2025-2026"],
                                      in: folder.path).status == 0)
        let files = ["persons", "enrolments", "qualifications", "employment", "jobseekers"].map { sim + "/\($0).csv" }

        let clean = folder.path + "/clean-\(kind.rawValue)"
        try FileManager.default.createDirectory(atPath: clean, withIntermediateDirectories: true)
        let cleanURL = try await databases.url(clean)
        let cleanEnvironment = ["VANGNET_ENVIRONMENT": "demo", "VANGNET_TODAY": "2026-11-29", "VANGNET_DATABASE_URL": cleanURL]
        #expect(try VangnetBinary.run(["migrate"], in: clean, environment: cleanEnvironment).status == 0)
        let started = Date()
        #expect(try VangnetBinary.run(["import"] + files, in: clean, environment: cleanEnvironment).status == 0)
        // The kills fall anywhere in an import's run: from 50 ms to as long as the clean one took.
        let cleanMicroseconds = UInt64(max(0.2, Date().timeIntervalSince(started)) * 1_000_000)
        let expected = try await signature(clean, cleanURL)
        let lines = try files.map { try String(contentsOfFile: $0, encoding: .utf8).split(separator: "\n").count - 1 }.reduce(0, +)
        #expect(lines >= Self.records(kind), "the import holds \(lines) records")
        #expect(expected["audit_intact"] == 1 && (expected["cases"] ?? 0) > 0 && (expected["person_merges"] ?? 0) > 0)

        var generator = SplitMix(seed: kind == .sqlite ? 20_261_201 : 20_261_202)
        for run in 0..<10 {
            let crashed = folder.path + "/crash-\(kind.rawValue)-\(run)"
            try FileManager.default.createDirectory(atPath: crashed, withIntermediateDirectories: true)
            let url = try await databases.url(crashed)
            let environment = ["VANGNET_ENVIRONMENT": "demo", "VANGNET_TODAY": "2026-11-29", "VANGNET_DATABASE_URL": url]
            // Keys and schema first, so that the kill falls inside the import.
            #expect(try VangnetBinary.run(["migrate"], in: crashed, environment: environment).status == 0)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: VangnetBinary.path)
            process.arguments = ["import"] + files
            process.currentDirectoryURL = URL(fileURLWithPath: crashed)
            process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("VANGNET_") }.merging(environment) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32(50_000 + generator.next() % (cleanMicroseconds - 50_000)))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let again = try VangnetBinary.run(["import"] + files, in: crashed, environment: environment)
            #expect(again.status == 0, "run \(run): \(again.stderr)")
            let got = try await signature(crashed, url)
            #expect(got == expected, "run \(run): \(got) != \(expected)")
        }
        await databases.dropAll()
    }
}

struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
