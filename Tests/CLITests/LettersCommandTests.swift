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

        // The mail house's acknowledgement is the manifest's own CSV: the batch is handed over.
        let ack = try VangnetBinary.run(["letters", "acknowledge", base + ".csv"], in: folder.path, environment: demo)
        #expect(ack.status == 0, "\(ack.stderr)")
        #expect(ack.stdout.contains("\(letters) accepted, 0 already applied, 0 rejected; batches handed over: \(id)"), "\(ack.stdout)")
        #expect(try VangnetBinary.run(["letters", "list"], in: folder.path, environment: demo).stdout.contains("handed_over"))
        let reference = String(csv.split(separator: "\n")[1].split(separator: ",")[2])
        try "reference,returned_on,reason\n\(reference),2026-12-03,moved\nVN-999999-1,2026-12-03,moved\n"
            .write(toFile: folder.path + "/returns.csv", atomically: true, encoding: .utf8)
        let returns = try VangnetBinary.run(["letters", "returns", "returns.csv"], in: folder.path, environment: demo)
        #expect(returns.status == 0, "\(returns.stderr)")
        #expect(returns.stdout.contains("1 accepted, 0 already applied, 1 rejected"))
        #expect(returns.stdout.contains("line 3 (VN-999999-1): unknown_reference"))
        // Not a mail-house file at all: one line, exit 1.
        let unusable = try VangnetBinary.run(["letters", "returns", base + ".pdf"], in: folder.path, environment: demo)
        #expect(unusable.status == 1)
        #expect(unusable.stderr == "vangnet: the file is not UTF-8 text\n")
    }
}
