import Foundation
import Privacy
import SQLKit
import Storage
import TestSupport
import Testing

/// The data-protection commands as an operator runs them: verifying the audit chain (and finding
/// tampering), the person's report, retention, key rotation.
@Suite struct ProtectionCommandTests {
    let demo = ["VANGNET_ENVIRONMENT": "demo", "VANGNET_TODAY": "2026-11-29"]

    /// A folder with a small Flanders imported and three consultations of its first case.
    func loaded() throws -> (folder: TemporaryFolder, caseNumber: String, insz: String) {
        let folder = TemporaryFolder()
        _ = try VangnetBinary.run(["simulate", "--seed", "7", "--scale", "small", "--out", "sim", "--school-year", "2025-2026"], in: folder.path)
        let files = ["employment", "enrolments", "jobseekers", "persons", "qualifications"].map { "sim/\($0).csv" }
        let imported = try VangnetBinary.run(["import"] + files, in: folder.path, environment: demo)
        try #require(imported.status == 0, "\(imported.stderr)")
        let list = try VangnetBinary.run(["case", "list"], in: folder.path, environment: demo)
        let number = try #require(list.stdout.split(separator: " ").first.map(String.init))
        var insz = ""
        for purpose in ["case-work", "case-review", "case-work"] {
            let show = try VangnetBinary.run(["case", "show", number, "--purpose", purpose], in: folder.path, environment: demo)
            try #require(show.status == 0, "\(show.stderr)")
            insz = show.stdout.split(separator: "\n").first { $0.contains("INSZ ") }
                .map { String($0.split(separator: "INSZ ").last ?? "") } ?? ""
        }
        return (folder, number, insz)
    }

    /// Changes the database of `folder` directly, as someone with database access could.
    func tamper(_ folder: TemporaryFolder, _ statements: [String]) async throws {
        let keyring = try Keyring(path: folder.path + "/vangnet-keys.json")
        let store = try await Store.open(.sqlite(path: folder.path + "/vangnet.sqlite"), keyring: keyring, clock: .system)
        for statement in statements { try await store.sql.raw("\(unsafeRaw: statement)").run() }
        await store.close()
    }

    func copy(_ folder: TemporaryFolder) throws -> TemporaryFolder {
        let copy = TemporaryFolder()
        for name in ["vangnet.sqlite", "vangnet-keys.json"] {
            try FileManager.default.copyItem(atPath: folder.path + "/" + name, toPath: copy.path + "/" + name)
        }
        return copy
    }

    @Test func auditVerifyNamesTheFirstChangedDeletedOrReorderedEntry() async throws {
        let (folder, _, _) = try loaded()
        let intact = try VangnetBinary.run(["audit", "verify"], in: folder.path, environment: demo)
        #expect(intact.status == 0, "\(intact.stderr)")
        // 27 records of the simulation quarantined for their INSZ, linked to their person by name and
        // birth date during the import, 34 pupils whose BIS number the register replaced, merged
        // (audited), and the three consultations.
        #expect(intact.stdout.hasPrefix("Audit chain intact: 64 entries"))
        let checkpoint = try VangnetBinary.run(["audit", "checkpoint"], in: folder.path, environment: demo)
        #expect(checkpoint.stdout.hasPrefix("Checkpoint: entry 64, hash "))

        let cases: [(String, [String], String)] = [
            ("changed", ["UPDATE audit_log SET purpose = 'curiosity' WHERE seq = 2"],
             "vangnet: audit chain broken at entry 2: its content does not match its hash (changed?)\n"),
            ("deleted", ["DELETE FROM audit_log WHERE seq = 2"],
             "vangnet: audit chain broken at entry 2: entry 2 is missing (deleted?)\n"),
            ("reordered", ["UPDATE audit_log SET seq = -2 WHERE seq = 2", "UPDATE audit_log SET seq = 2 WHERE seq = 3",
                           "UPDATE audit_log SET seq = 3 WHERE seq = -2"],
             "vangnet: audit chain broken at entry 2: its previous hash does not match the entry before it (reordered or replaced?)\n"),
        ]
        for (what, statements, message) in cases {
            let tampered = try copy(folder)
            try await tamper(tampered, statements)
            let result = try VangnetBinary.run(["audit", "verify"], in: tampered.path, environment: demo)
            #expect(result.status == 1, "\(what)")
            #expect(result.stderr == message, "\(what): \(result.stderr)")
        }
    }

    @Test func thePersonsReportAndWhoConsultedThem() throws {
        let (folder, number, insz) = try loaded()
        try #require(!insz.isEmpty)
        let json = try VangnetBinary.run(["person", "report"], in: folder.path, environment: demo, stdin: insz + "\n")
        #expect(json.status == 0, "\(json.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        #expect((report["records"] as! [Any]).count >= 2)
        #expect((report["cases"] as! [[String: Any]]).first?["number"] as? String == number)
        #expect((report["consultations"] as! [[String: Any]]).filter { $0["action"] as? String == "case.read" }.count == 3)

        let html = try VangnetBinary.run(["person", "report", "--format", "html", "--out", "report.html"], in: folder.path,
                                         environment: demo, stdin: insz + "\n")
        #expect(html.status == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: folder.path + "/report.html")
        #expect((attributes[.posixPermissions] as? Int) == 0o600, "a report is personal data: owner only")
        let text = try String(contentsOfFile: folder.path + "/report.html", encoding: .utf8)
        #expect(text.contains("Uw gegevens in Vangnet"))
        #expect(text.contains("Wie uw gegevens bekeek"))
        // A letter to a young person: words, not codes or machine timestamps.
        for code in ["caseload.read", "case.read", "subject-access-request", "end_date:", "enrolment", "opened", "T0", "Z<"] {
            #expect(!text.contains(code), "the report shows \(code)")
        }
        #expect(text.contains(" om "), "times in Belgian time, in words")

        let invalid = try VangnetBinary.run(["person", "report"], in: folder.path, environment: demo, stdin: "12345\n")
        #expect(invalid.status == 1)
        #expect(invalid.stderr == "vangnet: the INSZ on standard input is not valid: not 11 digits\n")

        let log = try VangnetBinary.run(["audit", "log", "--insz-stdin", "--json"], in: folder.path, environment: demo, stdin: insz + "\n")
        #expect(log.status == 0)
        let entries = try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as! [[String: Any]]
        #expect(Set(entries.compactMap { $0["purpose"] as? String }).isSuperset(of: ["case-work", "case-review", "subject-access-request"]))
        #expect(!log.stdout.contains(insz.filter(\.isNumber)), "entries name the person by a keyed hash only")
    }

    @Test func retentionRunsDryAndForReal() throws {
        let (folder, _, _) = try loaded()
        let dry = try VangnetBinary.run(["retention", "run", "--dry-run", "--json"], in: folder.path, environment: demo)
        #expect(dry.status == 0, "\(dry.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(dry.stdout.utf8)) as! [String: Any]
        #expect(report["dry_run"] as? Bool == true)
        #expect(report["records_deleted"] as? Int == 0, "nothing is old yet")
        // Years later, with the raw-record period set to one day, records without a live case go.
        var later = demo
        later["VANGNET_TODAY"] = "2035-01-01"
        later["VANGNET_RETENTION_RAW_RECORDS_DAYS"] = "1"
        let run = try VangnetBinary.run(["retention", "run", "--json"], in: folder.path, environment: later)
        #expect(run.status == 0, "\(run.stderr)")
        let applied = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        #expect(applied["records_deleted"] as! Int > 1000)
        #expect(applied["quarantine_deleted"] as! Int > 0)
        let bad = try VangnetBinary.run(["retention", "run"], in: folder.path, environment: ["VANGNET_ENVIRONMENT": "demo",
                                                                                             "VANGNET_RETENTION_AUDIT_DAYS": "ten years"])
        #expect(bad.status == 1)
        #expect(bad.stderr.hasPrefix("vangnet: VANGNET_RETENTION_AUDIT_DAYS"))
        let verify = try VangnetBinary.run(["audit", "verify"], in: folder.path, environment: later)
        #expect(verify.status == 0, "\(verify.stderr)")
    }

    @Test func rotatingTheKeyKeepsEverythingReadable() throws {
        let (folder, number, _) = try loaded()
        let rotate = try VangnetBinary.run(["keys", "rotate", "--grace", "0"], in: folder.path, environment: demo)
        #expect(rotate.status == 0, "\(rotate.stderr)")
        #expect(rotate.stdout.contains("1/3 Added key k2"))
        #expect(rotate.stdout.contains("2/3 Key k2 is current"))
        #expect(rotate.stdout.contains("3/3 Re-encrypted: "))
        let file = try JSONDecoder().decode(Keyring.File.self, from: Data(contentsOf: URL(fileURLWithPath: folder.path + "/vangnet-keys.json")))
        #expect(file.current == "k2")
        #expect(Set(file.dataKeys.keys) == ["k1", "k2"])
        #expect(FileManager.default.fileExists(atPath: folder.path + "/vangnet-keys.json.previous-k1"))
        let show = try VangnetBinary.run(["case", "show", number], in: folder.path, environment: demo)
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("Person: "))
    }
}
