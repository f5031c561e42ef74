import Foundation
import TestSupport
import Testing

/// `vangnet link` as a data team runs it: two CSV files in, links out, one clear line when a file is unusable.
@Suite struct LinkCommandTests {
    let folder = TemporaryFolder()
    let header = "rec_id,insz,given_name,surname,sex,date_of_birth,street,house_number,postcode,city"

    func write(_ name: String, _ lines: [String]) throws {
        try lines.joined(separator: "\n").appending("\n").write(toFile: folder.path + "/" + name, atomically: true, encoding: .utf8)
    }

    @Test func twoFilesOfTheSamePersonsAreLinkedDespiteTyposAndNotation() throws {
        try write("a.csv", [header,
                            "a1,85.07.30-033.28,Jan Pieter,Peeters,M,1985-07-30,Kerkstraat,12,2000,Antwerpen",
                            "a2,,Fatima,El Amrani,F,2001-03-14,Molenstraat,4,9000,Gent",
                            "a3,01050412345,Lotte,Vermeulen,F,2001-05-04,Dorpsstraat,8,3500,Hasselt"])
        // Columns in another order, upper case, a typo, swapped day and month, the first given name only.
        try write("b.csv", ["surname,given_name,rec_id,insz,sex,date_of_birth,street,house_number,postcode,city,extra",
                            "PEETERS,JAN,b1,85073003328,M,1985-07-30,Kerkstr.,12,2000,ANTWERPEN,x",
                            "El Amrany,Fatima,b2,,F,2001-14-03,Molenstraat,4,9000,Gent,x",
                            "Claes,Wout,b3,,M,1999-01-01,Veldstraat,1,8000,Brugge,x"])
        let run = try VangnetBinary.run(["link", "a.csv", "b.csv", "--one-to-one", "--out", "links.csv", "--explain"], in: folder.path)
        #expect(run.status == 0, "\(run.stderr)")
        let links = try String(contentsOfFile: folder.path + "/links.csv", encoding: .utf8).split(separator: "\n")
        #expect(links.first == "rec_id_a,rec_id_b,match_probability,explanation")
        let pairs = links.dropFirst().map { $0.split(separator: ",").prefix(2).joined(separator: "-") }
        #expect(pairs == ["a1-b1", "a2-b2"])
        #expect(links.contains { $0.contains("day and month swapped") })
        #expect(run.stderr.contains("Pairs compared:"))
        #expect(run.stderr.contains("Links at or above 0.5: 2 (one to one)."))
        #expect(run.stderr.contains("peak memory"))
    }

    @Test func anUnusableFileStopsWithOneLineNamingFileAndLine() throws {
        try write("good.csv", [header, "a1,,Jan,Peeters,M,1985-07-30,Kerkstraat,12,2000,Antwerpen"])
        try write("missing.csv", ["rec_id,given_name,surname", "b1,Jan,Peeters"])
        try write("empty.csv", [])
        try "".write(toFile: folder.path + "/empty.csv", atomically: true, encoding: .utf8)
        try write("twice.csv", [header, "b1,,Jan,Peeters,M,,,,,", "b1,,Jan,Peeters,M,,,,,"])
        try write("short.csv", [header, "b1,,Jan"])
        var bytes = Array((header + "\nb1,,Jan,Pe").utf8) + [0xFF, 0xFE] + Array("ters,M,,,,,\n".utf8)
        FileManager.default.createFile(atPath: folder.path + "/latin1.csv", contents: Data(bytes))
        bytes = []
        let cases: [(String, String)] = [
            ("missing.csv", "missing columns insz, sex, date_of_birth, street, house_number, postcode, city"),
            ("empty.csv", "the file is empty"),
            ("twice.csv", "line 3: rec_id b1 appears twice"),
            ("short.csv", "line 2: 3 fields where the header has 10"),
            ("latin1.csv", "line 2: bytes that are not UTF-8"),
            ("absent.csv", "absent.csv"),
        ]
        for (file, message) in cases {
            let run = try VangnetBinary.run(["link", "good.csv", file], in: folder.path)
            #expect(run.status == 1, "\(file)")
            #expect(run.stderr.contains(message), "\(file): \(run.stderr)")
            #expect(run.stderr.split(separator: "\n").count == 1, "\(file): one line, not \(run.stderr)")
            #expect(!run.stderr.contains("Peeters"), "no personal data in the message")
        }
        let threshold = try VangnetBinary.run(["link", "good.csv", "good.csv", "--threshold", "2"], in: folder.path)
        #expect(threshold.status == 1)
        #expect(threshold.stderr.contains("--threshold must be between 0 and 1"))
    }

    @Test func unreadableValuesAndEmptyRecordsAreCountedNotFatal() throws {
        try write("a.csv", [header, "a1,,Jan,Peeters,X,30/02/2001,Kerkstraat,12,2000,Antwerpen", "a2,,,,,,,,,"])
        try write("b.csv", [header, "b1,,Jan,Peeters,M,,Kerkstraat,12,2000,Antwerpen"])
        let run = try VangnetBinary.run(["link", "a.csv", "b.csv"], in: folder.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("treated as missing (sex other than M/F, unreadable dates): 2"))
        #expect(run.stderr.contains("Records with nothing to compare (never linked): 1"))
    }

    /// Linkage in the pipeline keeps it order-independent: a school file whose INSZ has a typo,
    /// imported before or after the population register, ends with the same record linked to the
    /// same person and the same open cases.
    @Test func aRecordLinkedByNameGivesTheSameResultInAnyOrderOfFiles() throws {
        let demo = ["VANGNET_ENVIRONMENT": "demo", "VANGNET_TODAY": "2026-11-29"]
        try write("persons.csv", ["record_id,insz,first_name,last_name,birth_date,sex,street,house_number,postcode,municipality",
                                  "RR-1,06631410175,Yasmine,Peeters,2006-03-14,F,Kerkstraat,19,2180,Antwerpen"])
        try write("enrolments.csv", ["record_id,insz,source,school_number,school_name,school_postcode,programme,start_date,end_date,"
                                     + "exit_reason,track,first_name,last_name,birth_date,sex,postcode",
                                     "AG-1,06631410176,agodi,40618,GO! atheneum Ekeren,2180,fulltime,2025-09-01,2026-02-13,E,bso,"
                                     + "YASMINE,PEETERS,2006-03-14,F,2180"])
        func outcome(_ order: [String], in name: String) throws -> String {
            let run = folder.path + "/" + name
            try FileManager.default.createDirectory(atPath: run, withIntermediateDirectories: true)
            for file in order {
                let imported = try VangnetBinary.run(["import", folder.path + "/" + file], in: run, environment: demo)
                #expect(imported.status == 0, "\(imported.stderr)")
            }
            let cases = try VangnetBinary.run(["case", "list", "--json"], in: run, environment: demo)
            let list = try JSONSerialization.jsonObject(with: Data(cases.stdout.utf8)) as? [[String: Any]] ?? []
            let quarantine = try VangnetBinary.run(["quarantine", "list"], in: run, environment: demo)
            return "\(list.count) open cases; quarantine: \(quarantine.stdout.trimmingCharacters(in: .whitespacesAndNewlines))"
        }
        let registerFirst = try outcome(["persons.csv", "enrolments.csv"], in: "register-first")
        let schoolFirst = try outcome(["enrolments.csv", "persons.csv"], in: "school-first")
        #expect(registerFirst == "1 open cases; quarantine: Quarantine is empty.")
        #expect(schoolFirst == registerFirst)
    }
}
