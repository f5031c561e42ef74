import Domain

/// A streaming RFC 4180 reader over bytes: quoted fields (with `""` escapes and line breaks),
/// CRLF or LF line ends, a UTF-8 byte order mark. It never gives up on a file: a record that is
/// not UTF-8, too long, or cut off by the end of the file comes back with its problem and its
/// original bytes, so that the caller can quarantine it and go on.
///
/// Written by hand rather than with CSV.swift: that reader decodes to `String` before splitting, so
/// a non-UTF-8 byte or a 10 MB line cannot be isolated to one record, and the import benchmark
/// (BENCHMARKS.md) needs a byte-level scan.
final class CSVReader {
    struct Row {
        var fields: [String]
        /// The line the record starts on (1-based).
        var line: Int
        var original: [UInt8]
        var problem: Problem?
        /// The file ended without a line break after this record.
        var endsFile = false
    }

    enum Problem: Equatable {
        case invalidEncoding(field: Int)
        case tooLong(bytes: Int)
        case unterminatedQuote
    }

    private let input: ByteSource
    private let maximumRecordBytes: Int
    private var buffer: [UInt8] = []
    private var position = 0
    private var line = 1
    private var startedFile = false

    init(input: ByteSource, maximumRecordBytes: Int = 1 << 20) {
        self.input = input
        self.maximumRecordBytes = maximumRecordBytes
    }

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    /// The next record, or nil at the end of the file. Blank lines are skipped.
    func next() throws(FileProblem) -> Row? {
        while true {
            guard let row = try scanRecord() else { return nil }
            if row.fields.count == 1 && row.fields[0].isEmpty && row.problem == nil { continue }
            return row
        }
    }

    private func scanRecord() throws(FileProblem) -> Row? {
        if !startedFile {
            startedFile = true
            _ = try input.read(into: &buffer)
            if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        }
        var state = State.fieldStart
        var bounds: [(start: Int, end: Int, quoted: Bool)] = []
        var fieldStart = 0
        var quoted = false
        var offset = 0
        var newlines = 0
        // Bytes of an oversized record that no longer fit in the buffer window.
        var spilled: [UInt8] = []
        var spilledCount = 0

        while true {
            let end = buffer.count
            var index = position + offset
            var found = false
            buffer.withUnsafeBufferPointer { bytes in
                while index < end {
                    let byte = bytes[index]
                    switch state {
                    case .fieldStart:
                        if byte == 0x22 { state = .quoted; quoted = true }
                        else if byte == 0x2C { bounds.append((fieldStart, index - position, false)); fieldStart = index - position + 1 }
                        else if byte == 0x0A { found = true }
                        else { state = .unquoted }
                    case .unquoted:
                        if byte == 0x2C {
                            bounds.append((fieldStart, index - position, quoted)); fieldStart = index - position + 1
                            state = .fieldStart; quoted = false
                        } else if byte == 0x0A { found = true }
                    case .quoted:
                        if byte == 0x22 { state = .quoteInQuoted } else if byte == 0x0A { newlines += 1 }
                    case .quoteInQuoted:
                        if byte == 0x22 { state = .quoted }
                        else if byte == 0x2C {
                            bounds.append((fieldStart, index - position, quoted)); fieldStart = index - position + 1
                            state = .fieldStart; quoted = false
                        } else if byte == 0x0A { found = true }
                        else { state = .unquoted }
                    }
                    if found { break }
                    index += 1
                }
            }
            if found {
                let recordEnd = index
                bounds.append((fieldStart, recordEnd - position, quoted))
                let row = makeRow(end: recordEnd, bounds: bounds, spilled: spilled, spilledCount: spilledCount,
                                  newlines: newlines, endsFile: false, unterminated: false)
                position = recordEnd + 1
                return row
            }
            offset = index - position
            // Keep the window small: an oversized record is moved out of the buffer as it grows.
            if offset > maximumRecordBytes {
                let take = min(offset, max(0, Rejection.maximumOriginalBytes - spilled.count))
                spilled.append(contentsOf: buffer[position..<(position + take)])
                spilledCount += offset
                buffer.removeSubrange(0..<(position + offset))
                position = 0
                offset = 0
                bounds.removeAll()
                fieldStart = 0
            } else if position > 0 && position >= buffer.count / 2 {
                buffer.removeSubrange(0..<position)
                position = 0
            }
            if try !input.read(into: &buffer) {
                // End of file: what is left is the last record, without a line break.
                if buffer.count == position && spilledCount == 0 { return nil }
                bounds.append((fieldStart, buffer.count - position, quoted))
                let row = makeRow(end: buffer.count, bounds: bounds, spilled: spilled, spilledCount: spilledCount,
                                  newlines: newlines, endsFile: true, unterminated: state == .quoted)
                position = buffer.count
                return row
            }
        }
    }

    private func makeRow(end: Int, bounds: [(start: Int, end: Int, quoted: Bool)], spilled: [UInt8], spilledCount: Int,
                         newlines: Int, endsFile: Bool, unterminated: Bool) -> Row {
        let startLine = line
        line += newlines + 1
        let record = buffer[position..<end]
        if spilledCount > 0 || record.count > maximumRecordBytes {
            var original = spilled
            original.append(contentsOf: record.prefix(max(0, Rejection.maximumOriginalBytes - original.count)))
            return Row(fields: [], line: startLine, original: original,
                       problem: .tooLong(bytes: spilledCount + record.count), endsFile: endsFile)
        }
        var fields: [String] = []
        fields.reserveCapacity(bounds.count)
        var problem: Problem? = unterminated ? .unterminatedQuote : nil
        for (number, bound) in bounds.enumerated() {
            var lower = position + bound.start
            var upper = position + bound.end
            if number == bounds.count - 1, upper > lower, buffer[upper - 1] == 0x0D { upper -= 1 }
            var needsUnescape = false
            if bound.quoted {
                lower += 1
                if upper > lower, buffer[upper - 1] == 0x22 { upper -= 1 }
                needsUnescape = buffer[lower..<max(lower, upper)].contains(0x22)
            }
            let slice = buffer[lower..<max(lower, upper)]
            guard let text = String(validating: slice, as: UTF8.self) else {
                if problem == nil { problem = .invalidEncoding(field: number) }
                fields.append("")
                continue
            }
            fields.append(needsUnescape ? text.replacingAll("\"\"", with: "\"") : text)
        }
        var original = Array(record)
        if original.last == 0x0D { original.removeLast() }
        return Row(fields: fields, line: startLine, original: original, problem: problem, endsFile: endsFile)
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        var result = ""
        var rest = self[...]
        while let range = rest.range(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        result += rest
        return result
    }
}

extension Substring {
    func range(of target: String) -> Range<Substring.Index>? {
        guard !target.isEmpty else { return nil }
        var index = startIndex
        while index < endIndex {
            if self[index...].hasPrefix(target) { return index..<self.index(index, offsetBy: target.count) }
            index = self.index(after: index)
        }
        return nil
    }
}
