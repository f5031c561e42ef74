import Domain
import Foundation
import Ingest

/// A fresh temporary folder per test, removed when the value goes away.
public final class TemporaryFolder: @unchecked Sendable {
    public let path: String

    public init() {
        path = NSTemporaryDirectory() + "vangnet-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    public func write(_ name: String, _ text: String) -> String { write(name, Array(text.utf8)) }

    @discardableResult
    public func write(_ name: String, _ bytes: [UInt8]) -> String {
        let file = path + "/" + name
        FileManager.default.createFile(atPath: file, contents: Data(bytes))
        return file
    }
}

/// Options for tests: test numbers allowed, a fixed person key.
public let testIngestOptions = IngestOptions(allowTestNumbers: true, today: testToday) { "k" + String($0.digits.reversed()) }

/// Every item of a file.
public func readAll(_ path: String, options: IngestOptions = testIngestOptions) throws -> [IngestItem] {
    let reader = try SourceFileReader(path: path, options: options)
    var items: [IngestItem] = []
    while case let batch = try reader.next(maximum: 500), !batch.isEmpty { items += batch }
    return items
}

extension IngestItem {
    public var record: SourceRecord? { if case .record(let r, _) = self { r } else { nil } }
    public var rejection: Rejection? { if case .rejected(let r) = self { r } else { nil } }
}

/// The MAGDA sample responses in `../shared/magda/responses` (or `VANGNET_MAGDA_SAMPLES`).
public enum MAGDASamples {
    public static var folder: String? {
        if let configured = ProcessInfo.processInfo.environment["VANGNET_MAGDA_SAMPLES"] { return configured }
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        let candidate = url.appendingPathComponent("shared/magda/responses").path
        return FileManager.default.fileExists(atPath: candidate) ? candidate : nil
    }

    public static var available: Bool { folder != nil }

    /// The sample files of one service, e.g. `LED/GeefBewijs/02.00.0000`.
    public static func files(_ service: String) -> [String] {
        guard let folder else { return [] }
        let dir = folder + "/" + service
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".xml") }
            .sorted().map { dir + "/" + $0 }
    }

    public static func file(_ service: String, _ name: String) -> String { (folder ?? "") + "/" + service + "/" + name }
}

/// The date tests read input on (an INSZ cannot encode a birth after it).
public let testToday = LocalDate(year: 2026, month: 12, day: 1)!

extension INSZ {
    /// An INSZ validated on `testToday`.
    public init(_ text: String, allowTestNumbers: Bool = false) throws(INSZ.Invalid) {
        try self.init(text, allowTestNumbers: allowTestNumbers, today: testToday)
    }
}
