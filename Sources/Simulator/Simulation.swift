import Domain
import Foundation
import Ingest

/// Synthetic Flanders (DESIGN.md §10): the five sources of one school year, for a population of
/// pupils shaped like Flemish secondary education — tracks, leaving rates per track, provinces,
/// young people already known to VDAB, at work or abroad, school changes within the grace period,
/// late qualifications, cancelled certificates, and a few percent of deliberately bad, duplicated
/// and corrected records. The same options always give the same bytes.
public struct Simulation: Sendable {
    public enum Scale: String, CaseIterable, Sendable {
        /// A few thousand pupils: the demo and the tests.
        case small
        /// One school year of Flanders: ~450,000 pupils.
        case flanders

        public var pupils: Int {
            switch self {
            case .small: 3_000
            case .flanders: 450_000
            }
        }
    }

    public var seed: UInt64
    public var scale: Scale
    /// The school year whose leavers are simulated; records run until 1 November after it.
    public var schoolYear: SchoolYear
    public var format: SourceFileReader.Format
    /// Share of deliberately bad records added to each file.
    public var badRecordRate = 0.02
    /// Share of records delivered twice.
    public var duplicateRate = 0.01
    /// Share of the leavers without a qualification who register at VDAB by themselves within
    /// three months of leaving (and so are not Vangnet's to reach); of the qualified ones, 0.18.
    public var unqualifiedKnownToVDAB = 0.77
    public var pupils: Int
    /// Where the serial numbers of a birth date start (0: from 001). Simulations of several school
    /// years that are loaded together (the lived demo) each take their own range, so that two
    /// pupils of different years never get the same INSZ; the live feed uses 700 and up.
    public var serialBase = 0

    public init(seed: UInt64, scale: Scale, schoolYear: SchoolYear, format: SourceFileReader.Format = .csv, pupils: Int? = nil) {
        self.seed = seed
        self.scale = scale
        self.schoolYear = schoolYear
        self.format = format
        self.pupils = pupils ?? scale.pupils
    }

    /// The last school year that has ended by `today` (the default of `vangnet simulate`).
    public static func defaultSchoolYear(today: LocalDate) -> SchoolYear {
        SchoolYear(startYear: today.month >= 9 ? today.year - 1 : today.year - 2)
    }

    /// The last day the simulated sources say anything about.
    public var windowEnd: LocalDate { LocalDate(year: schoolYear.startYear + 1, month: 11, day: 1)! }

    public struct Output: Sendable, Codable {
        public var files: [String: Int] = [:]
        public var pupils = 0
        public var leavers = 0
        public var unqualifiedLeavers = 0
    }

    /// Writes `enrolments`, `qualifications`, `persons`, `jobseekers` and `employment` files to `folder`.
    public func write(to folder: String) throws -> Output {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let ext = format == .csv ? "csv" : "jsonl"
        let names = Self.fileNames
        var writers: [RecordKind: SourceWriter] = [:]
        var random = SeededRandom(seed: seed)
        for (kind, name) in names {
            writers[kind] = try SourceWriter(path: "\(folder)/\(name).\(ext)", kind: kind, format: format,
                                             noise: random.fork(), badRate: badRecordRate, duplicateRate: duplicateRate)
        }
        var output = try forEachRecord(random: &random) { try writers[$0.kind]!.add($0) }
        for (kind, name) in names {
            output.files["\(name).\(ext)"] = try writers[kind]!.finish()
        }
        return output
    }

    /// Every record of every pupil, in order; the counts of pupils and leavers.
    func forEachRecord(random: inout SeededRandom, _ body: (SourceRecord) throws -> Void) rethrows -> Output {
        var population = Population(simulation: self, random: random.fork())
        var output = Output()
        for index in 0..<pupils {
            let records = population.pupil(index)
            output.pupils += 1
            if population.lastWasLeaver { output.leavers += 1 }
            if population.lastWasUnqualified { output.unqualifiedLeavers += 1 }
            for record in records { try body(record) }
        }
        return output
    }

    /// The file name of a kind's records (`enrolments.csv`, …).
    static let fileNames: [(RecordKind, String)] = [(.enrolment, "enrolments"), (.qualification, "qualifications"),
                                                    (.person, "persons"), (.jobseeker, "jobseekers"), (.employment, "employment")]
}

/// Writes one source file, adding the deliberate noise: bad records, duplicates.
final class SourceWriter {
    let kind: RecordKind
    let format: SourceFileReader.Format
    let handle: FileHandle
    var noise: SeededRandom
    let badRate: Double
    let duplicateRate: Double
    var buffer = ""
    var lines = 0
    var pending: [String] = []

    init(path: String, kind: RecordKind, format: SourceFileReader.Format, noise: SeededRandom, badRate: Double,
         duplicateRate: Double) throws {
        FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        self.handle = handle
        self.kind = kind
        self.format = format
        self.noise = noise
        self.badRate = badRate
        self.duplicateRate = duplicateRate
        if format == .csv { buffer = ExchangeWriter.csvHeader(kind) + "\n" }
    }

    func line(_ record: SourceRecord) -> String {
        format == .csv ? ExchangeWriter.csvLine(record) : ExchangeWriter.jsonLine(record)
    }

    func add(_ record: SourceRecord) throws {
        let text = line(record)
        emit(text)
        if noise.chance(duplicateRate) { pending.append(text) }
        if noise.chance(badRate) { emit(damaged(record)) }
        if pending.count > 20 || (!pending.isEmpty && noise.chance(0.05)) {
            emit(pending.removeFirst())
        }
        if buffer.utf8.count > 1 << 22 { try flush() }
    }

    private func emit(_ text: String) {
        buffer += text
        buffer += "\n"
        lines += 1
    }

    /// A copy of the record with one realistic defect.
    func damaged(_ record: SourceRecord) -> String {
        var fields = ExchangeWriter.fields(record)
        fields["record_id"] = record.recordID + "-X"
        switch noise.below(6) {
        case 0:
            // A typo in the INSZ: the check digits no longer match.
            var digits = Array(record.insz.digits)
            digits[10] = digits[10] == "9" ? "0" : Character(String(Int(String(digits[10]))! + 1))
            fields["insz"] = String(digits)
        case 1:
            let dateField = ExchangeSchema.names(kind).first { $0.hasSuffix("_date") } ?? "start_date"
            fields[dateField] = "\(2000 + noise.below(27))-02-30"
        case 2:
            switch kind {
            case .enrolment: fields["programme"] = "evening"
            case .qualification: fields["certificate_type"] = "diploma_xyz"
            case .person: fields["sex"] = "X"
            case .jobseeker: fields["deregistration_reason"] = "holiday"
            case .employment: fields["cancelled"] = "maybe"
            }
        case 3:
            fields["insz"] = ""
        case 4:
            switch kind {
            case .enrolment, .employment:
                fields["start_date"] = "2026-09-01"
                fields["end_date"] = "2026-06-30"
            case .jobseeker:
                fields["registration_date"] = "2026-09-01"
                fields["deregistration_date"] = "2026-06-30"
            default:
                fields["insz"] = "12345"
            }
        default:
            // A line that lost a column on the way (CSV) or a key (JSON).
            if format == .csv {
                let names = ExchangeSchema.writtenNames(kind)
                return names.dropLast().map { ExchangeWriter.csvEscape(fields[$0] ?? "") }.joined(separator: ",")
            }
            return "{\"record_id\":\"\(record.recordID)-X\",\"insz\":"
        }
        if format == .csv {
            return ExchangeSchema.writtenNames(kind).map { ExchangeWriter.csvEscape(fields[$0] ?? "") }.joined(separator: ",")
        }
        let parts = ExchangeSchema.names(kind).compactMap { name in fields[name].map { "\"\(name)\":\(ExchangeWriter.jsonString($0))" } }
        return "{" + parts.joined(separator: ",") + "}"
    }

    func flush() throws {
        try handle.write(contentsOf: Data(buffer.utf8))
        buffer = ""
    }

    func finish() throws -> Int {
        for text in pending { emit(text) }
        pending = []
        try flush()
        try handle.close()
        return lines
    }
}
