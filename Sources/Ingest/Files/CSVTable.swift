/// A CSV file with a header row, read row by row, for the tools that take plain tables rather than
/// a source's exchange format (`vangnet link`). Columns are found by name, in any order; a row that
/// cannot be read stops the reading with the file and the line in the message.
public final class CSVTable {
    public let path: String
    public let header: [String]
    private let reader: CSVReader
    private let source: ByteSource

    public init(path: String) throws(FileProblem) {
        self.path = path
        source = try ByteSource(path: path)
        reader = CSVReader(input: source)
        guard let first = try reader.next() else { throw FileProblem(path: path, reason: "the file is empty (no header row)") }
        if first.problem != nil { throw FileProblem(path: path, reason: "the header row is not readable CSV in UTF-8") }
        header = first.fields.map { $0.trimmingWhitespace().lowercased() }
    }

    /// The position of each named column; the missing ones named in the error.
    public func columns(_ names: [String]) throws(FileProblem) -> [Int] {
        let missing = names.filter { !header.contains($0) }
        guard missing.isEmpty else {
            throw FileProblem(path: path, reason: "missing column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) "
                              + "(the header row has \(header.joined(separator: ", ")))")
        }
        return names.map { name in header.firstIndex(of: name)! }
    }

    public var fractionRead: Double { Double(source.bytesRead) / Double(max(1, source.totalBytes)) }

    /// The next row's fields and line, or nil at the end.
    public func next() throws(FileProblem) -> (fields: [String], line: Int)? {
        guard let row = try reader.next() else { return nil }
        switch row.problem {
        case .invalidEncoding?: throw FileProblem(path: path, reason: "line \(row.line): bytes that are not UTF-8")
        case .tooLong(let bytes)?: throw FileProblem(path: path, reason: "line \(row.line): a record of \(bytes) bytes, over the limit of 1 MiB")
        case .unterminatedQuote?: throw FileProblem(path: path, reason: "line \(row.line): a quote that is never closed")
        case nil: break
        }
        guard row.fields.count == header.count else {
            throw FileProblem(path: path, reason: "line \(row.line): \(row.fields.count) fields where the header has \(header.count)")
        }
        return (row.fields, row.line)
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        String(self.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
