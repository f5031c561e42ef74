import Domain
import Foundation

/// Options for reading source input.
public struct IngestOptions: Sendable {
    /// MAGDA test numbers (months 60-72) are accepted only in a test or demo environment.
    public var allowTestNumbers: Bool
    /// Forces the record type instead of detecting it from the header (`--kind`).
    public var kind: RecordKind?
    /// A keyed, non-identifying key per person (see `MAGDAReader.personKey`).
    public var personKey: @Sendable (INSZ) -> String
    public var maximumRecordBytes: Int
    /// The date of reading (from the clock): an INSZ cannot encode a birth after it.
    public var today: LocalDate

    public init(allowTestNumbers: Bool, today: LocalDate, kind: RecordKind? = nil, maximumRecordBytes: Int = 1 << 20,
                personKey: @escaping @Sendable (INSZ) -> String) {
        self.allowTestNumbers = allowTestNumbers
        self.today = today
        self.kind = kind
        self.personKey = personKey
        self.maximumRecordBytes = maximumRecordBytes
    }
}

/// Reads one delivered file — exchange-format CSV or JSON Lines, or a MAGDA XML response — in
/// batches of validated records and rejections. Bad records never stop the file; a file that
/// cannot be read at all throws before anything is returned.
public final class SourceFileReader {
    public enum Format: String, Sendable, Codable {
        case csv
        case jsonLines = "jsonl"
        case magdaXML = "magda-xml"
    }

    public let path: String
    public let format: Format
    public private(set) var kind: RecordKind?
    private let options: IngestOptions
    private let input: ByteSource
    private var csv: CSVReader?
    private var lines: LineReader?
    private var header: [String]?
    private var columns: [String: Int] = [:]
    /// The header line as it stands in the file, kept with every rejected line.
    private var headerLine: String?
    private var validator: RecordValidator?
    private var finished = false
    private var recordsSeen = 0

    public var totalBytes: Int { input.totalBytes }
    public var bytesRead: Int { input.bytesRead }

    public init(path: String, options: IngestOptions) throws(FileProblem) {
        self.path = path
        self.options = options
        input = try ByteSource(path: path)
        kind = options.kind
        format = try Self.detectFormat(path: path)
        switch format {
        case .csv: csv = CSVReader(input: input, maximumRecordBytes: options.maximumRecordBytes)
        case .jsonLines: lines = LineReader(input: input, maximumLineBytes: options.maximumRecordBytes)
        case .magdaXML: break
        }
    }

    /// Reads records already in memory (a corrected record from a form), by the same rules as a
    /// file called `name` (its extension, or else its first character, gives the format).
    public init(bytes: [UInt8], name: String, options: IngestOptions) {
        self.path = name
        self.options = options
        input = ByteSource(bytes: bytes)
        kind = options.kind
        format = Self.detectFormat(name: name, prefix: Array(bytes.prefix(4096)))
        switch format {
        case .csv: csv = CSVReader(input: input, maximumRecordBytes: options.maximumRecordBytes)
        case .jsonLines: lines = LineReader(input: input, maximumLineBytes: options.maximumRecordBytes)
        case .magdaXML: break
        }
    }

    static func detectFormat(name: String, prefix: [UInt8]) -> Format {
        switch (name as NSString).pathExtension.lowercased() {
        case "csv": return .csv
        case "jsonl", "ndjson", "json": return .jsonLines
        case "xml": return .magdaXML
        default:
            switch prefix.first(where: { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }) {
            case UInt8(ascii: "<"): return .magdaXML
            case UInt8(ascii: "{"): return .jsonLines
            default: return .csv
            }
        }
    }

    static func detectFormat(path: String) throws(FileProblem) -> Format {
        switch (path as NSString).pathExtension.lowercased() {
        case "csv": return .csv
        case "jsonl", "ndjson", "json": return .jsonLines
        case "xml": return .magdaXML
        default:
            let probe = try ByteSource(path: path, chunkSize: 4096)
            var prefix: [UInt8] = []
            _ = try probe.read(into: &prefix)
            let first = prefix.first { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }
            switch first {
            case UInt8(ascii: "<"): return .magdaXML
            case UInt8(ascii: "{"): return .jsonLines
            default: return .csv
            }
        }
    }

    /// The next items; an empty array at the end of the file.
    public func next(maximum: Int = 2000) throws(FileProblem) -> [IngestItem] {
        guard !finished else { return [] }
        switch format {
        case .csv: return try nextCSV(maximum: maximum)
        case .jsonLines: return try nextJSON(maximum: maximum)
        case .magdaXML:
            finished = true
            let bytes = try input.readAll()
            return MAGDAReader(allowTestNumbers: options.allowTestNumbers, today: options.today, personKey: options.personKey)
                .read(bytes, fileName: path)
        }
    }

    private func rejectWholeFile(_ rejection: Rejection, firstLine: [UInt8]) throws(FileProblem) -> [IngestItem] {
        finished = true
        var original = firstLine
        original.append(0x0A)
        original.append(contentsOf: try input.readAll().prefix(Rejection.maximumOriginalBytes))
        var whole = rejection
        whole.original = original
        whole.kind = whole.kind ?? kind
        return [.rejected(whole)]
    }

    private func nextCSV(maximum: Int) throws(FileProblem) -> [IngestItem] {
        guard let csv else { return [] }
        if header == nil {
            guard let first = try csv.next() else {
                finished = true
                return [.rejected(Rejection(.emptyFile, message: "the file is empty", location: "file", kind: kind))]
            }
            if first.problem != nil {
                return try rejectWholeFile(Rejection(.missingHeader, message: "the header line is unreadable "
                                                     + "(not UTF-8, or cut off)", location: "line 1"), firstLine: first.original)
            }
            let names = first.fields.map { $0.trimmingSpaces.lowercased() }
            if let forced = kind {
                if let problem = ExchangeSchema.check(columns: names, for: forced) {
                    return try rejectWholeFile(problem, firstLine: first.original)
                }
            } else {
                switch ExchangeSchema.detect(columns: names) {
                case .success(let detected):
                    if let problem = ExchangeSchema.check(columns: names, for: detected) {
                        return try rejectWholeFile(problem, firstLine: first.original)
                    }
                    kind = detected
                case .failure(let problem):
                    return try rejectWholeFile(problem, firstLine: first.original)
                }
            }
            header = names
            headerLine = String(decoding: first.original, as: UTF8.self).trimmingCharacters(in: .newlines.union(CharacterSet(charactersIn: "\u{FEFF}")))
            for (index, name) in names.enumerated() { columns[name] = index }
            validator = RecordValidator(kind: kind!, allowTestNumbers: options.allowTestNumbers, today: options.today)
        }
        guard let header, let validator, let kind else { return [] }
        var items: [IngestItem] = []
        items.reserveCapacity(maximum)
        while items.count < maximum, let row = try csv.next() {
            recordsSeen += 1
            let location = "line \(row.line)"
            switch row.problem {
            case .tooLong(let bytes):
                items.append(.rejected(Rejection(.recordTooLong, message: "the record is \(bytes) bytes; the limit is "
                                                 + "\(options.maximumRecordBytes)", location: location, kind: kind,
                                                 original: row.original)))
                continue
            case .unterminatedQuote:
                items.append(.rejected(Rejection(.truncatedRecord, message: "the file ends inside a quoted field",
                                                 location: location, kind: kind, original: row.original)))
                continue
            case .invalidEncoding(let field):
                let name = field < header.count ? header[field] : "column \(field + 1)"
                items.append(.rejected(Rejection(.invalidEncoding, field: name, message: "\(name): bytes that are not UTF-8",
                                                 location: location, kind: kind, original: row.original)))
                continue
            case nil:
                break
            }
            guard row.fields.count == header.count else {
                let truncated = row.endsFile && row.fields.count < header.count
                items.append(.rejected(Rejection(
                    truncated ? .truncatedRecord : .wrongColumnCount,
                    message: truncated ? "the file ends in the middle of this record (\(row.fields.count) of \(header.count) fields)"
                        : "\(row.fields.count) fields where the header has \(header.count)",
                    location: location, kind: kind, original: row.original)))
                continue
            }
            let fields = row.fields
            let columns = self.columns
            var item = validator.validate(location: location, original: row.original) { name in
                columns[name].map { fields[$0] }
            }
            if case .rejected(var rejection) = item {
                rejection.header = headerLine
                item = .rejected(rejection)
            }
            items.append(item)
        }
        if items.isEmpty { finished = true }
        return items
    }

    private func nextJSON(maximum: Int) throws(FileProblem) -> [IngestItem] {
        guard let lines else { return [] }
        var items: [IngestItem] = []
        while items.count < maximum, let line = try lines.next() {
            let location = "line \(line.number)"
            if line.oversizedLength == nil, line.bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            recordsSeen += 1
            if let length = line.oversizedLength {
                items.append(.rejected(Rejection(.recordTooLong, message: "the record is \(length) bytes; the limit is "
                                                 + "\(options.maximumRecordBytes)", location: location, kind: kind,
                                                 original: line.bytes)))
                continue
            }
            items.append(JSONRecord.item(line.bytes, location: location, kind: &kind, options: options, endsFile: line.endsFile))
        }
        if items.isEmpty {
            finished = true
            if recordsSeen == 0 {
                return [.rejected(Rejection(.emptyFile, message: "the file has no records", location: "file", kind: kind))]
            }
        }
        return items
    }
}

/// One exchange-format record as a JSON object (a JSON Lines line, or a CloudEvent's `data`).
public enum JSONRecord {
    /// Validates one JSON object's bytes. When `kind` is nil it is detected from the object's keys.
    public static func item(_ bytes: [UInt8], location: String, kind: inout RecordKind?, options: IngestOptions,
                            endsFile: Bool = false) -> IngestItem {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            return .rejected(Rejection(.invalidEncoding, message: "bytes that are not UTF-8", location: location,
                                       kind: kind, original: bytes))
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            return .rejected(Rejection(endsFile ? .truncatedRecord : .malformedJSON,
                                       message: endsFile ? "the file ends in the middle of this record" : "not a JSON object",
                                       location: location, kind: kind, original: bytes))
        }
        return item(object: object, location: location, kind: &kind, options: options, original: bytes)
    }

    public static func item(object: [String: Any], location: String, kind: inout RecordKind?, options: IngestOptions,
                            original: [UInt8]) -> IngestItem {
        var fields: [String: String] = [:]
        for (key, value) in object {
            switch value {
            case let text as String: fields[key] = text
            case is NSNull: continue
            case let number as NSNumber:
                // JSON booleans arrive as NSNumber with the Objective-C type "c".
                let isBoolean = String(cString: number.objCType) == "c"
                fields[key] = isBoolean ? (number.boolValue ? "true" : "false") : number.stringValue
            default:
                return .rejected(Rejection(.invalidValue, field: key, message: "\(key): expected a string, number or boolean",
                                           location: location, kind: kind, original: original))
            }
        }
        let resolved: RecordKind
        if let kind {
            resolved = kind
        } else {
            switch ExchangeSchema.detect(columns: Array(fields.keys)) {
            case .success(let detected): resolved = detected; kind = detected
            case .failure(var problem):
                problem.location = location
                problem.original = original
                return .rejected(problem)
            }
        }
        let known = Set(ExchangeSchema.names(resolved))
        if let unknown = fields.keys.sorted().first(where: { !known.contains($0) }) {
            return .rejected(Rejection(.unknownField, field: unknown,
                                       message: "\(unknown): not a \(resolved.rawValue) field of exchange format v1",
                                       location: location, kind: resolved, original: original))
        }
        return RecordValidator(kind: resolved, allowTestNumbers: options.allowTestNumbers, today: options.today)
            .validate(location: location, original: original) { fields[$0] }
    }
}
