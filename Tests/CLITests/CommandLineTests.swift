import Domain
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport
import Testing

/// The `vangnet` command as a new user runs it: the binary, a folder, environment variables.
@Suite struct CommandLineTests {
    let folder = TemporaryFolder()
    let demo = ["VANGNET_ENVIRONMENT": "demo", "VANGNET_TODAY": "2026-11-29"]

    @Test func migrateKilledAtAnyMomentLeavesADatabaseTheNextMigrateCompletes() throws {
        for step in 0..<12 {
            let run = folder.path + "/kill-\(step)"
            try FileManager.default.createDirectory(atPath: run, withIntermediateDirectories: true)
            // The keys first, so that the kill falls inside the schema work.
            #expect(try VangnetBinary.run(["keys", "generate", "--out", "keys.json"], in: run).status == 0)
            let environment = ["VANGNET_ENVIRONMENT": "demo", "VANGNET_KEY_FILE": run + "/keys.json"]
            let process = Process()
            process.executableURL = URL(fileURLWithPath: VangnetBinary.path)
            process.arguments = ["migrate"]
            process.currentDirectoryURL = URL(fileURLWithPath: run)
            process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("VANGNET_") }.merging(environment) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32(20_000 + step * 25_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let again = try VangnetBinary.run(["migrate"], in: run, environment: environment)
            #expect(again.status == 0, "after a kill at \(20 + step * 25) ms: \(again.stderr)")
            let list = try VangnetBinary.run(["case", "list"], in: run, environment: environment)
            #expect(list.status == 0, "the database works after a kill at \(20 + step * 25) ms: \(list.stderr)")
        }
    }

    /// The example files imported one at a time, in two orders (the pipeline runs after each
    /// import), give the same open cases as importing them all at once: a case opened on an early
    /// file and contradicted by a later one is withdrawn.
    @Test func importingTheExamplesOneAtATimeInAnyOrderGivesTheSameOpenCases() throws {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        let examples = ["persons", "enrolments", "qualifications", "employment", "jobseekers"]
            .map { root.appendingPathComponent("docs/examples/\($0).csv").path }
        func openCases(_ orders: [[String]], in name: String) throws -> String {
            let run = folder.path + "/" + name
            try FileManager.default.createDirectory(atPath: run, withIntermediateDirectories: true)
            for files in orders {
                let imported = try VangnetBinary.run(["import"] + files, in: run, environment: demo)
                #expect(imported.status == 0, "\(imported.stderr)")
            }
            let list = try VangnetBinary.run(["case", "list", "--json", "--limit", "10000"], in: run, environment: demo)
            #expect(list.status == 0, "\(list.stderr)")
            let cases = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]] ?? []
            return "\(cases.count) open"
        }
        let together = try openCases([examples], in: "together")
        #expect(together != "0 open")
        #expect(try openCases(examples.map { [$0] }, in: "forward") == together)
        #expect(try openCases(examples.reversed().map { [$0] }, in: "backward") == together)
    }

    /// An alternative policy over the stored history: counts side by side, nothing changed.
    @Test func aPolicySimulationComparesWithoutChangingAnything() throws {
        let simulate = try VangnetBinary.run(["simulate", "--seed", "7", "--scale", "small", "--out", "sim", "--school-year", "2025-2026"], in: folder.path)
        #expect(simulate.status == 0)
        let files = ["employment", "enrolments", "jobseekers", "persons", "qualifications"].map { "sim/\($0).csv" }
        #expect(try VangnetBinary.run(["import"] + files, in: folder.path, environment: demo).status == 0)
        var alternative = Policy.default
        alternative.name = "no-known-to-vdab-filter-30"
        alternative.maximumAge = 30
        alternative.knownToVDAB = .activeRegistration
        alternative.autoRegisterProvinces = [.limburg]
        try JSONEncoder().encode(alternative).write(to: URL(fileURLWithPath: folder.path + "/alternative.json"))
        let before = try VangnetBinary.run(["report", "funnel", "--json"], in: folder.path, environment: demo).stdout
        let run = try VangnetBinary.run(["policy", "simulate", "--policy", "alternative.json", "--as-of", "2026-11-29", "--json"], in: folder.path,
                                        environment: demo)
        #expect(run.status == 0, "\(run.stderr)")
        let result = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        let persons = result["persons"] as! Int
        #expect(persons > 1000)
        let total = result["total"] as! [String: Any]
        let current = total["current"] as! [String: Int], changed = total["alternative"] as! [String: Int]
        #expect((changed["eligible"] ?? 0) >= (current["eligible"] ?? 0), "a wider policy reaches at least as many")
        #expect((changed["eligible_auto_register"] ?? 0) > 0 && (current["eligible_auto_register"] ?? 0) == 0)
        let examples = result["examples"] as! [[String: Any]]
        #expect(!examples.isEmpty && examples.count <= 5)
        #expect(!run.stdout.contains("insz") && !run.stdout.contains("first_name"), "no national numbers or names")
        #expect(try VangnetBinary.run(["report", "funnel", "--json"], in: folder.path, environment: demo).stdout == before, "nothing changed")
        let text = try VangnetBinary.run(["policy", "simulate", "--policy", "alternative.json", "--as-of", "2026-11-29"], in: folder.path, environment: demo)
        #expect(text.stdout.contains("would change") && text.stdout.contains("of which auto-register"))
        // A policy file that is not one: one line, exit 1.
        try "{\"name\": \"x\"}".write(toFile: folder.path + "/bad.json", atomically: true, encoding: .utf8)
        let bad = try VangnetBinary.run(["policy", "simulate", "--policy", "bad.json"], in: folder.path, environment: demo)
        #expect(bad.status == 1 && bad.stderr == "vangnet: bad.json: not a policy file (see docs/policy.md)\n")
    }

    /// The statistics rebuild from scratch, and the status report comes out as Markdown and PDF;
    /// unusable dates are one line and exit 1.
    @Test func theStatisticsRebuildAndTheStatusReportIsWritten() throws {
        #expect(try VangnetBinary.run(["simulate", "--seed", "7", "--scale", "small", "--out", "sim", "--school-year", "2025-2026"],
                                      in: folder.path).status == 0)
        let files = ["employment", "enrolments", "jobseekers", "persons", "qualifications"].map { "sim/\($0).csv" }
        #expect(try VangnetBinary.run(["import"] + files, in: folder.path, environment: demo).status == 0)
        let rebuild = try VangnetBinary.run(["statistics", "rebuild"], in: folder.path, environment: demo)
        #expect(rebuild.status == 0, "\(rebuild.stderr)")
        #expect(rebuild.stdout.hasPrefix("Statistics rebuilt: "))
        let report = try VangnetBinary.run(["report", "status", "--from", "2025-09-01", "--to", "2026-11-29"], in: folder.path, environment: demo)
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout.hasPrefix("# Statusrapport Vangnet"))
        #expect(report.stdout.contains("## 5. Wat zijn de resultaten?"))
        let english = try VangnetBinary.run(["report", "status", "--from", "2025-09-01", "--to", "2026-11-29", "--language", "en"],
                                            in: folder.path, environment: demo)
        #expect(english.stdout.hasPrefix("# Vangnet status report"))
        let pdf = try VangnetBinary.run(["report", "status", "--from", "2025-09-01", "--to", "2026-11-29", "--format", "pdf", "--out", "status.pdf"],
                                        in: folder.path, environment: demo)
        #expect(pdf.status == 0, "\(pdf.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.path + "/status.pdf")).prefix(5) == Data("%PDF-".utf8))
        let bad = try VangnetBinary.run(["report", "status", "--from", "2026-13-01", "--to", "2026-11-29"], in: folder.path, environment: demo)
        #expect(bad.status == 1 && bad.stderr == "vangnet: --from and --to must be dates as YYYY-MM-DD\n")
        let noFile = try VangnetBinary.run(["report", "status", "--from", "2026-01-01", "--to", "2026-11-29", "--format", "pdf"],
                                           in: folder.path, environment: demo)
        #expect(noFile.status == 1 && noFile.stderr == "vangnet: a PDF needs --out FILE\n")
    }

    /// An online backup of the SQLite database opens with the same keys, its audit chain whole and its counts the same.
    @Test func aBackupRestoresWithItsAuditChainAndCounts() throws {
        #expect(try VangnetBinary.run(["simulate", "--seed", "7", "--scale", "small", "--out", "sim", "--school-year", "2025-2026"],
                                      in: folder.path).status == 0)
        let files = ["employment", "enrolments", "jobseekers", "persons", "qualifications"].map { "sim/\($0).csv" }
        #expect(try VangnetBinary.run(["import"] + files, in: folder.path, environment: demo).status == 0)
        let backup = try VangnetBinary.run(["backup", "--out", "copy.sqlite"], in: folder.path, environment: demo)
        #expect(backup.status == 0, "\(backup.stderr)")
        let attributes = try FileManager.default.attributesOfItem(atPath: folder.path + "/copy.sqlite")
        #expect((attributes[.posixPermissions] as? Int) == 0o600, "personal data: owner only")
        var restored = demo
        restored["VANGNET_DATABASE_URL"] = "sqlite://" + folder.path + "/copy.sqlite"
        restored["VANGNET_KEY_FILE"] = folder.path + "/vangnet-keys.json"
        let verify = try VangnetBinary.run(["audit", "verify"], in: folder.path, environment: restored)
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
        let original = try VangnetBinary.run(["report", "funnel", "--json"], in: folder.path, environment: demo).stdout
        #expect(try VangnetBinary.run(["report", "funnel", "--json"], in: folder.path, environment: restored).stdout == original)
        let again = try VangnetBinary.run(["backup", "--out", "copy.sqlite"], in: folder.path, environment: demo)
        #expect(again.status == 1 && again.stderr.hasPrefix("vangnet: ") && again.stderr.contains("exists"))
    }

    @Test func theStepByStepFlowWorks() throws {
        let simulate = try VangnetBinary.run(["simulate", "--seed", "7", "--scale", "small", "--out", "sim",
                                              "--school-year", "2025-2026"], in: folder.path)
        #expect(simulate.status == 0, "\(simulate.stderr)")
        let files = ["employment", "enrolments", "jobseekers", "persons", "qualifications"].map { "sim/\($0).csv" }
        let imported = try VangnetBinary.run(["import", "--json"] + files, in: folder.path, environment: demo)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderr.isEmpty, "no progress bar when output is not a terminal")
        let summary = try JSONSerialization.jsonObject(with: Data(imported.stdout.utf8)) as! [String: Any]
        let total = summary["total"] as! [String: Any]
        let records = total["records"] as! Int
        #expect(records > 6000)
        #expect(records == (total["accepted"] as! Int) + (total["duplicates"] as! Int) + (total["quarantined"] as! Int))
        #expect((total["quarantined_by_reason"] as! [String: Int]).keys.contains("invalid_insz"))
        let pipeline = summary["pipeline"] as! [String: Any]
        #expect(pipeline["cases_opened"] as! Int > 0)

        let again = try VangnetBinary.run(["import"] + files, in: folder.path, environment: demo)
        #expect(again.status == 0)
        #expect(again.stdout.contains("accepted 0"), "importing the same files again has no effect")

        let funnel = try VangnetBinary.run(["report", "funnel", "--json"], in: folder.path, environment: demo)
        #expect(funnel.status == 0)
        let report = try JSONSerialization.jsonObject(with: Data(funnel.stdout.utf8)) as! [String: Any]
        let row = report["total"] as! [String: Any]
        #expect(row["leavers"] as! Int > 0)
        #expect(row["openCases"] as! Int == pipeline["cases_opened"] as! Int)
        #expect((report["provinces"] as! [String: Any]).keys.contains("antwerpen"))
        let table = try VangnetBinary.run(["report", "funnel"], in: folder.path, environment: demo)
        #expect(table.stdout.contains("already known to VDAB"))

        let list = try VangnetBinary.run(["case", "list"], in: folder.path, environment: demo)
        let number = try #require(list.stdout.split(separator: " ").first.map(String.init))
        #expect(number.hasPrefix("VN-"))
        let show = try VangnetBinary.run(["case", "show", number], in: folder.path, environment: demo)
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("[leaver.left-school]"))
        #expect(show.stdout.contains("agodi"))
        #expect(show.stdout.contains("INSZ"))
        let missing = try VangnetBinary.run(["case", "show", "VN-999999"], in: folder.path, environment: demo)
        #expect(missing.status == 1)
        #expect(missing.stderr == "vangnet: no case VN-999999\n")
    }

    @Test func theSameSeedGivesTheSameBytes() throws {
        for out in ["a", "b"] {
            let result = try VangnetBinary.run(["simulate", "--seed", "11", "--out", out, "--school-year", "2024-2025"], in: folder.path)
            #expect(result.status == 0)
        }
        for file in ["enrolments.csv", "persons.csv", "qualifications.csv", "jobseekers.csv", "employment.csv"] {
            let a = try #require(FileManager.default.contents(atPath: folder.path + "/a/" + file), "\(file) was written")
            #expect(!a.isEmpty, "\(file)")
            #expect(a == FileManager.default.contents(atPath: folder.path + "/b/" + file), "\(file)")
        }
        _ = try VangnetBinary.run(["simulate", "--seed", "12", "--out", "c", "--school-year", "2024-2025"], in: folder.path)
        #expect(FileManager.default.contents(atPath: folder.path + "/a/persons.csv")
                != FileManager.default.contents(atPath: folder.path + "/c/persons.csv"))
    }

    @Test func anUnreadableFileFailsInOneLineAndWritesNothing() throws {
        folder.write("good.csv", "record_id,insz,registration_date\n")
        let result = try VangnetBinary.run(["import", "good.csv", "missing.csv"], in: folder.path, environment: demo)
        #expect(result.status == 1)
        #expect(result.stderr == "vangnet: missing.csv: No such file or directory\n")
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/vangnet.sqlite"), "nothing half-written")
    }

    @Test func anUnreachableDatabaseFailsInOneLine() throws {
        folder.write("vdab.csv", "record_id,insz,registration_date\n")
        var environment = demo
        environment["VANGNET_DATABASE_URL"] = "postgres://vangnet:secret@127.0.0.1:1/vangnet"
        let result = try VangnetBinary.run(["import", "vdab.csv"], in: folder.path, environment: environment)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("vangnet: cannot open PostgreSQL 127.0.0.1:1/vangnet"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(!result.stderr.contains("secret"), "no credentials in messages")
        environment["VANGNET_DATABASE_URL"] = "mysql://x"
        let wrong = try VangnetBinary.run(["import", "vdab.csv"], in: folder.path, environment: environment)
        #expect(wrong.stderr == "vangnet: VANGNET_DATABASE_URL must start with sqlite:// or postgres://\n")
        environment["VANGNET_DATABASE_URL"] = "sqlite:///nonexistent-folder/x.sqlite"
        let nofolder = try VangnetBinary.run(["import", "vdab.csv"], in: folder.path, environment: environment)
        #expect(nofolder.status == 1)
        #expect(nofolder.stderr.contains("does not exist"))
    }

    @Test func productionNeedsKeysAndRefusesTestNumbers() throws {
        folder.write("vdab.csv", "record_id,insz,registration_date\nV1,00671031676,2026-07-01\n")
        let noKeys = try VangnetBinary.run(["import", "vdab.csv"], in: folder.path)
        #expect(noKeys.status == 1)
        #expect(noKeys.stderr.hasPrefix("vangnet: no encryption keys: set VANGNET_KEY_FILE"))
        let keys = try VangnetBinary.run(["keys", "generate", "--out", "keys.json"], in: folder.path)
        #expect(keys.status == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: folder.path + "/keys.json")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let production = try VangnetBinary.run(["import", "--json", "vdab.csv"], in: folder.path,
                                               environment: ["VANGNET_KEY_FILE": "keys.json"])
        #expect(production.status == 0)
        #expect(production.stdout.contains("\"invalid_insz\" : 1"), "a MAGDA test number is refused in production")
    }

    @Test func aFileQuarantinedAsAWholeExitsTwoAndIsKept() throws {
        folder.write("empty.csv", "")
        let result = try VangnetBinary.run(["import", "empty.csv"], in: folder.path, environment: demo)
        #expect(result.status == 2)
        #expect(result.stderr == "vangnet: quarantined as a whole: empty.csv: empty_file: the file is empty\n")
        let quarantine = try VangnetBinary.run(["quarantine", "list"], in: folder.path, environment: demo)
        #expect(quarantine.stdout.contains("empty_file"))
    }

    @Test(.enabled(if: MAGDASamples.available, "MAGDA samples not found"))
    func theMAGDASamplesImportAndAddUp() throws {
        let samples = MAGDASamples.folder!
        let files = ["Onderwijs/GeefHistoriekInschrijving/02.01.0000", "LED/GeefBewijs/02.00.0000",
                     "Persoon/GeefPersoon/02.02.0000", "Werk/GeefWerkrelaties/02.00.0000"]
            .flatMap { MAGDASamples.files($0) }
        #expect(files.count > 600)
        let result = try VangnetBinary.run(["import", "--json"] + files, in: folder.path, environment: demo)
        #expect(result.status == 2, "notfound.xml answers are quarantined as whole files")
        let summary = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        let total = summary["total"] as! [String: Any]
        #expect(total["accepted"] as! Int > 500)
        #expect(total["records"] as! Int == (total["accepted"] as! Int) + (total["duplicates"] as! Int) + (total["quarantined"] as! Int))
        #expect((total["quarantined_by_reason"] as! [String: Int])["magda_exception", default: 0] > 0)
        _ = samples
    }

    @Test func theDemoLoadsAFreshFolder() throws {
        let result = try VangnetBinary.run(["demo", "--data-dir", "demo", "--no-server", "--history", "0"], in: folder.path, environment: ["VANGNET_TODAY": "2026-11-29"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Funnel"))
        #expect(result.stdout.contains("Open cases"))
        #expect(FileManager.default.fileExists(atPath: folder.path + "/demo/vangnet.sqlite"))
    }
}

/// The demo as a newcomer runs it: a server on localhost with logins printed, stopped with SIGTERM.
@Suite struct DemoServerTests {
    @Test func theDemoServesTheApplicationAndPrintsOneLoginPerRoleAndProvince() async throws {
        let folder = TemporaryFolder()
        let port = 20_000 + Int.random(in: 0..<20_000)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: VangnetBinary.path)
        process.arguments = ["demo", "--port", String(port), "--rate", "0", "--history", "0"]
        process.currentDirectoryURL = URL(fileURLWithPath: folder.path)
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("VANGNET_") }
        environment["VANGNET_DEMO_PASSWORD"] = "demo-password-123"
        process.environment = environment
        let output = folder.path + "/out.txt"
        FileManager.default.createFile(atPath: output, contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: output)
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        var healthy = false
        for _ in 0..<120 where !healthy {
            try await Task.sleep(for: .milliseconds(500))
            if let (data, _) = try? await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/health/ready")!),
               String(decoding: data, as: UTF8.self).contains("ok") { healthy = true }
        }
        #expect(healthy, "the demo answers on its port")
        let (page, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/login")!)
        let login = String(decoding: page, as: UTF8.self)
        #expect(login.contains("Gebruikersnaam"))
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "a graceful stop on SIGTERM")
        let printed = try String(contentsOfFile: output, encoding: .utf8)
        for province in ["antwerpen", "limburg", "oost-vlaanderen", "west-vlaanderen", "vlaams-brabant"] {
            #expect(printed.contains("consultant-\(province)"))
            #expect(printed.contains("teamlead-\(province)"))
        }
        #expect(printed.contains("steward, analyst, manager, auditor, admin"))
        #expect(printed.contains("password: demo-password-123"))
        #expect(printed.contains("http://127.0.0.1:\(port)"))
    }
}
