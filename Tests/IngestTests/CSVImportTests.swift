import Domain
import Foundation
import Ingest
import TestSupport
import Testing

/// Exchange format v1 as CSV: good files read completely; every kind of bad input the foundation
/// issue names is quarantined with its reason and its original bytes, and the rest of the file goes on.
@Suite struct CSVImportTests {
    let folder = TemporaryFolder()
    static let header = "record_id,insz,source,school_number,school_name,school_postcode,programme,special_education_type,"
        + "iac,school_year,start_date,end_date,exit_reason,situation_after"
    /// A valid MAGDA-style test number (born 2006-03-14).
    static let insz = INSZ.make(birthDate: LocalDate(iso: "2006-03-14")!, serial: 101, monthOffset: 60).digits

    func row(_ id: String, insz: String = CSVImportTests.insz, programme: String = "fulltime",
             start: String = "2025-09-01", end: String = "2026-06-30", exit: String = "X") -> String {
        "\(id),\(insz),agodi,12345,\"Sint-Jan, Antwerpen\",2000,\(programme),,false,2025-2026,\(start),\(end),\(exit),10"
    }

    func read(_ text: String) throws -> [IngestItem] {
        try readAll(folder.write("input.csv", text))
    }

    @Test func aGoodFileIsReadCompletely() throws {
        let items = try read([Self.header, row("r1"), row("r2", end: "", exit: "")].joined(separator: "\n") + "\n")
        #expect(items.count == 2)
        let record = try #require(items[0].record)
        #expect(record.kind == .enrolment)
        #expect(record.recordID == "r1")
        guard case .enrolment(let e) = record.body else { Issue.record("r1 read as a \(record.kind.rawValue)"); return }
        #expect(e.schoolName == "Sint-Jan, Antwerpen")
        #expect(e.endDate == LocalDate(iso: "2026-06-30"))
        let ongoing = try #require(items[1].record)
        #expect(ongoing.recordID == "r2")
        guard case .enrolment(let open) = ongoing.body else { Issue.record("r2 read as a \(ongoing.kind.rawValue)"); return }
        #expect(open.endDate == nil, "an empty end date is an enrolment that lasts")
        #expect(open.exitReason == nil)
    }

    @Test func crlfQuotesWithNewlinesAndAByteOrderMarkAreFine() throws {
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
        let quoted = row("r1").replacingOccurrences(of: "\"Sint-Jan, Antwerpen\"", with: "\"Sint-Jan \"\"De Kei\"\"\nCampus 2\"")
        bytes += Array((Self.header + "\r\n" + quoted + "\r\n" + row("r2") + "\r\n").utf8)
        let items = try readAll(folder.write("crlf.csv", bytes))
        #expect(items.count == 2)
        guard case .enrolment(let e) = items[0].record?.body else { Issue.record("not read"); return }
        #expect(e.schoolName == "Sint-Jan \"De Kei\"\nCampus 2")
        #expect(items[1].record?.recordID == "r2")
    }

    @Test func anEmptyFileIsQuarantined() throws {
        let items = try read("")
        #expect(items.map { $0.rejection?.reason } == [.emptyFile])
    }

    @Test func aMissingHeaderQuarantinesTheWholeFile() throws {
        let items = try read(row("r1") + "\n" + row("r2") + "\n")
        #expect(items.count == 1)
        #expect(items[0].rejection?.reason == .missingHeader)
        #expect(items[0].rejection?.original.count ?? 0 > 100, "the whole file is kept")
    }

    @Test func anUnknownColumnQuarantinesTheWholeFile() throws {
        let items = try read(Self.header + ",favourite_colour\n" + row("r1") + ",blue\n")
        #expect(items.map { $0.rejection?.reason } == [.unknownHeader])
        #expect(items[0].rejection?.field == "favourite_colour")
    }

    @Test func aLineWithTheWrongNumberOfColumnsIsQuarantinedAndTheRestRead() throws {
        let items = try read([Self.header, row("r1") + ",extra", row("r2")].joined(separator: "\n"))
        #expect(items[0].rejection?.reason == .wrongColumnCount)
        #expect(items[0].rejection?.location == "line 2")
        #expect(items[1].record?.recordID == "r2")
    }

    @Test(arguments: [("12345", "format"), ("85073003329", "check digits"), ("85133000105", "impossible")])
    func invalidINSZIsQuarantinedWithTheField(insz: String, words: String) throws {
        let items = try read([Self.header, row("r1", insz: insz)].joined(separator: "\n"))
        let rejection = try #require(items.first?.rejection)
        #expect(rejection.reason == .invalidINSZ)
        #expect(rejection.field == "insz")
        #expect(rejection.recordID == "r1")
        #expect(!rejection.message.contains(insz), "the message never repeats the value")
        #expect(rejection.message.contains(words.split(separator: " ")[0]) || words == "format")
    }

    @Test func impossibleAndReversedDatesAreQuarantined() throws {
        let items = try read([Self.header, row("r1", start: "2026-02-30"), row("r2", start: "2026-07-01", end: "2026-06-30")]
            .joined(separator: "\n"))
        #expect(items[0].rejection?.reason == .invalidDate)
        #expect(items[0].rejection?.field == "start_date")
        #expect(items[1].rejection?.reason == .reversedDates)
        #expect(items[1].rejection?.field == "end_date")
    }

    @Test func unknownCodesAreQuarantined() throws {
        let items = try read([Self.header, row("r1", programme: "evening"), row("r2", exit: "Q")].joined(separator: "\n"))
        #expect(items[0].rejection?.reason == .unknownCode)
        #expect(items[0].rejection?.field == "programme")
        #expect(items[1].rejection?.field == "exit_reason")
    }

    @Test func bytesThatAreNotUTF8AreQuarantinedWithTheirOriginal() throws {
        var bytes = Array((Self.header + "\n").utf8)
        let bad = Array(row("r1").utf8).map { $0 == UInt8(ascii: "J") ? 0xFF : $0 }
        bytes += bad + [0x0A] + Array(row("r2").utf8)
        let items = try readAll(folder.write("latin.csv", bytes))
        #expect(items[0].rejection?.reason == .invalidEncoding)
        #expect(items[0].rejection?.field == "school_name")
        #expect(items[0].rejection?.original == bad)
        #expect(items[1].record?.recordID == "r2")
    }

    @Test func aTenMegabyteLineIsQuarantinedAndTheFileGoesOn() throws {
        let huge = "r1," + String(repeating: "x", count: 10 << 20)
        let items = try read([Self.header, huge, row("r2")].joined(separator: "\n") + "\n")
        #expect(items.count == 2)
        #expect(items[0].rejection?.reason == .recordTooLong)
        #expect(items[0].rejection?.original.count == huge.utf8.count)
        #expect(items[1].record?.recordID == "r2")
    }

    @Test func aTruncatedLastLineIsQuarantinedAsTruncated() throws {
        let cut = String(row("r2").prefix(40))
        let items = try read([Self.header, row("r1"), cut].joined(separator: "\n"))
        #expect(items.count == 2)
        #expect(items[0].record?.recordID == "r1")
        #expect(items[1].rejection?.reason == .truncatedRecord)
        #expect(items[1].rejection?.original == Array(cut.utf8))
        let open = try read(Self.header + "\n" + row("r1") + "\nr2,x,\"unterminated")
        #expect(open.last?.rejection?.reason == .truncatedRecord)
    }

    @Test func theKindCanBeForced() throws {
        let file = folder.write("people.csv", "record_id,insz,first_name,last_name\np1,\(Self.insz),An,Peeters\n")
        let options = IngestOptions(allowTestNumbers: true, today: testToday, kind: .enrolment) { _ in "k" }
        #expect(try readAll(file, options: options).first?.rejection?.reason == .missingHeader)
        #expect(try readAll(file).first?.record?.kind == .person)
    }

    @Test func everyExampleFileInDocsIsValid() throws {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        let examples = url.appendingPathComponent("docs/examples").path
        let files = try FileManager.default.contentsOfDirectory(atPath: examples).sorted()
        #expect(files.count >= 10, "an example per record type, in CSV and JSON Lines")
        for file in files {
            let items = try readAll(examples + "/" + file)
            #expect(!items.isEmpty)
            for item in items { #expect(item.record != nil, "\(file): \(item.rejection?.message ?? "")") }
        }
    }
}

@Suite struct JSONLinesImportTests {
    let folder = TemporaryFolder()
    let insz = CSVImportTests.insz

    @Test func jsonLinesUseTheSameFieldsAsCSV() throws {
        let text = """
        {"record_id":"j1","insz":"\(insz)","registration_date":"2026-07-01","deregistration_reason":null}
        {"record_id":"j2","insz":"\(insz)","registration_date":"2026-07-01","deregistration_date":"2026-08-01","deregistration_reason":"work"}

        """
        let items = try readAll(folder.write("vdab.jsonl", text))
        #expect(items.count == 2)
        #expect(items.allSatisfy { $0.record?.kind == .jobseeker })
    }

    @Test func numbersAndBooleansAreAccepted() throws {
        let text = #"{"record_id":7,"insz":"\#(insz)","employer_number":"0123456749","start_date":"2026-01-01","cancelled":true}"#
        let record = try #require(try readAll(folder.write("dimona.jsonl", text)).first?.record)
        #expect(record.recordID == "7")
        guard case .employment(let e) = record.body else { Issue.record("read as a \(record.kind.rawValue)"); return }
        #expect(e.cancelled)
    }

    @Test func malformedLinesAndUnknownFieldsAreQuarantined() throws {
        let text = """
        {"record_id":"j1","insz":"\(insz)","registration_date":"2026-07-01"}
        {"record_id":"j2", this is not json
        {"record_id":"j3","insz":"\(insz)","registration_date":"2026-07-01","shoe_size":"42"}
        """
        let items = try readAll(folder.write("vdab.jsonl", text))
        #expect(items.map { $0.rejection?.reason } == [nil, .malformedJSON, .unknownField])
    }
}
