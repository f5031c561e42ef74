import Foundation
import TestSupport
import Testing

/// `vangnet letters batch` as an operator runs it: a simulated import, then the day's batch on disk.
@Suite struct LettersCommandTests {
    let folder = TemporaryFolder()
    let demo = ["VANGNET_ENVIRONMENT": "demo", "VANGNET_TODAY": "2026-11-29"]

    @Test func theDaysBatchIsWrittenAsAPDFAndTwoManifestsReadableByTheOwnerOnly() throws {
        #expect(try VangnetBinary.run(["simulate", "--seed", "7", "--scale", "small", "--out", "sim", "--school-year", "2025-2026"],
                                      in: folder.path).status == 0)
        let files = ["employment", "enrolments", "jobseekers", "persons", "qualifications"].map { "sim/\($0).csv" }
        #expect(try VangnetBinary.run(["import"] + files, in: folder.path, environment: demo).status == 0)
        try FileManager.default.createDirectory(atPath: folder.path + "/out", withIntermediateDirectories: true)

        let batch = try VangnetBinary.run(["letters", "batch", "--out", "out", "--json"], in: folder.path, environment: demo)
        #expect(batch.status == 0, "\(batch.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(batch.stdout.utf8)) as! [String: Any]
        let letters = summary["letters"] as! Int
        #expect(letters > 0)
        let id = try #require(summary["batchID"] as? Int)
        let base = folder.path + "/out/vangnet-letters-2026-11-29-\(id)"
        for suffix in [".pdf", ".csv", ".json"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: base + suffix)
            #expect((attributes[.posixPermissions] as? Int) == 0o600, "\(suffix): personal data, owner only")
        }
        let csv = try String(contentsOfFile: base + ".csv", encoding: .utf8)
        #expect(csv.split(separator: "\n").count == letters + 1)
        let pdf = try Data(contentsOf: URL(fileURLWithPath: base + ".pdf"))
        #expect(pdf.starts(with: Array("%PDF-1.4".utf8)))

        let again = try VangnetBinary.run(["letters", "batch", "--out", "out"], in: folder.path, environment: demo)
        #expect(again.status == 0)
        #expect(again.stdout.hasPrefix("No letters to make"), "everyone was written to today")
        let list = try VangnetBinary.run(["letters", "list"], in: folder.path, environment: demo)
        #expect(list.stdout.contains("prepared"))

        let bad = try VangnetBinary.run(["letters", "batch", "--out", "nowhere"], in: folder.path, environment: demo)
        #expect(bad.status == 1)
        #expect(bad.stderr == "vangnet: --out: nowhere is not a folder\n")
    }
}
