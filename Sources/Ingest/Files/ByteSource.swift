import Foundation

/// Reads a file in large chunks, counting the bytes handed out (for progress); or bytes already in
/// memory (a corrected record typed into a form) through the same readers.
/// Written by hand rather than with `FileHandle.bytes`: one `read(2)` per MiB keeps the import's
/// reading cost negligible next to parsing and storing.
final class ByteSource {
    private enum Origin {
        case file(Int32)
        case memory([UInt8])
    }

    private let origin: Origin
    let totalBytes: Int
    private(set) var bytesRead = 0
    private(set) var atEnd = false
    let chunkSize: Int

    init(path: String, chunkSize: Int = 1 << 20) throws(FileProblem) {
        var info = stat()
        guard stat(path, &info) == 0 else { throw FileProblem(path: path, reason: String(cString: strerror(errno))) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw FileProblem(path: path, reason: "not a regular file") }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw FileProblem(path: path, reason: String(cString: strerror(errno))) }
        origin = .file(fd)
        totalBytes = Int(info.st_size)
        self.chunkSize = chunkSize
    }

    init(bytes: [UInt8], chunkSize: Int = 1 << 20) {
        origin = .memory(bytes)
        totalBytes = bytes.count
        self.chunkSize = chunkSize
    }

    deinit {
        if case .file(let descriptor) = origin {
            close(descriptor)
            scratch.deallocate()
        }
    }

    private lazy var scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)

    /// Appends up to one chunk to `buffer`; false at the end of the file.
    func read(into buffer: inout [UInt8]) throws(FileProblem) -> Bool {
        guard !atEnd else { return false }
        let descriptor: Int32
        switch origin {
        case .memory(let bytes):
            let end = min(bytes.count, bytesRead + chunkSize)
            guard bytesRead < end else {
                atEnd = true
                return false
            }
            buffer.append(contentsOf: bytes[bytesRead..<end])
            bytesRead = end
            return true
        case .file(let fd):
            descriptor = fd
        }
        let count = Foundation.read(descriptor, scratch.baseAddress!, chunkSize)
        guard count >= 0 else { throw FileProblem(path: "", reason: String(cString: strerror(errno))) }
        if count == 0 {
            atEnd = true
            return false
        }
        buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
        bytesRead += count
        return true
    }

    /// The rest of the file.
    func readAll() throws(FileProblem) -> [UInt8] {
        var all: [UInt8] = []
        all.reserveCapacity(max(0, totalBytes - bytesRead))
        while try read(into: &all) {}
        return all
    }
}

/// A file that cannot be read at all: the command stops before writing anything.
public struct FileProblem: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "\(path): \(reason)" }
}
