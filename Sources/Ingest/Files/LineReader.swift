import Domain

/// Splits a byte stream into lines (LF or CRLF), for JSON Lines. A line longer than the limit is
/// returned with only its first bytes and its full length, so one bad line never stops the file.
final class LineReader {
    struct Line {
        var bytes: [UInt8]
        var number: Int
        /// Set when the line was longer than the limit: its full length.
        var oversizedLength: Int?
        var endsFile: Bool
    }

    private let input: ByteSource
    private let maximumLineBytes: Int
    private var buffer: [UInt8] = []
    private var position = 0
    private var number = 0
    private var started = false

    init(input: ByteSource, maximumLineBytes: Int = 1 << 20) {
        self.input = input
        self.maximumLineBytes = maximumLineBytes
    }

    func next() throws(FileProblem) -> Line? {
        if !started {
            started = true
            _ = try input.read(into: &buffer)
            if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        }
        var scanned = 0
        var kept: [UInt8] = []
        var spilled = 0
        while true {
            if let newline = buffer[(position + scanned)...].firstIndex(of: 0x0A) {
                number += 1
                var line = Array(buffer[position..<newline])
                position = newline + 1
                if line.last == 0x0D { line.removeLast() }
                if spilled > 0 {
                    kept.append(contentsOf: line.prefix(max(0, Rejection.maximumOriginalBytes - kept.count)))
                    return Line(bytes: kept, number: number, oversizedLength: spilled + line.count, endsFile: false)
                }
                if line.count > maximumLineBytes {
                    return Line(bytes: Array(line.prefix(Rejection.maximumOriginalBytes)), number: number,
                                oversizedLength: line.count, endsFile: false)
                }
                return Line(bytes: line, number: number, oversizedLength: nil, endsFile: false)
            }
            scanned = buffer.count - position
            if scanned > maximumLineBytes {
                kept.append(contentsOf: buffer[position...].prefix(max(0, Rejection.maximumOriginalBytes - kept.count)))
                spilled += scanned
                buffer.removeAll(keepingCapacity: true)
                position = 0
                scanned = 0
            } else if position > 0 && position >= buffer.count / 2 {
                buffer.removeSubrange(0..<position)
                position = 0
            }
            if try !input.read(into: &buffer) {
                guard buffer.count > position || spilled > 0 else { return nil }
                number += 1
                var line = Array(buffer[position...])
                position = buffer.count
                if line.last == 0x0D { line.removeLast() }
                if spilled > 0 {
                    kept.append(contentsOf: line.prefix(max(0, Rejection.maximumOriginalBytes - kept.count)))
                    return Line(bytes: kept, number: number, oversizedLength: spilled + line.count, endsFile: true)
                }
                return Line(bytes: line, number: number, oversizedLength: nil, endsFile: true)
            }
        }
    }
}
