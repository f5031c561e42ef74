import Domain
import Foundation
import Ingest
import Storage
import Workflows

/// Imports source files: reads, validates, stores (quarantining what is bad), then runs the
/// pipeline so that decisions and cases are up to date when it returns.
public struct Importer: Sendable {
    public let context: AppContext

    public init(context: AppContext) { self.context = context }

    /// Records per transaction. Larger batches write each page of the random blind-index B-trees
    /// fewer times (5,000 → 20,000 took the import benchmark from 7.9–9.0 s to 7.2 s); past that
    /// the first batch, read before anything overlaps, costs more than it saves (50,000: 8.2–8.5 s).
    public static let batchSize = 20_000

    public struct FileResult: Codable, Sendable {
        public var file: String
        public var format: String
        public var kind: String?
        public var counts: ImportCounts
        /// Set when the file as a whole could not be used (empty, no header, not XML…): it is in quarantine.
        public var rejected: String?
    }

    public struct Result: Codable, Sendable {
        public var files: [FileResult]
        public var total: ImportCounts
        public var pipeline: PipelineReport?
        /// Quarantined records whose INSZ failed, linked to known persons or queued for the steward.
        public var identities: IdentityWork.Report?
        public var seconds: Double
    }

    /// Fails before writing anything if a file cannot be read.
    public static func checkReadable(_ paths: [String]) throws {
        guard !paths.isEmpty else { throw CommandFailure("no files given") }
        for path in paths {
            var info = stat()
            guard stat(path, &info) == 0 else { throw CommandFailure("\(path): \(String(cString: strerror(errno)))") }
            guard (info.st_mode & S_IFMT) == S_IFREG else { throw CommandFailure("\(path): not a regular file") }
            guard access(path, R_OK) == 0 else { throw CommandFailure("\(path): \(String(cString: strerror(errno)))") }
        }
    }

    public func run(_ paths: [String], kind: RecordKind? = nil, runPipeline: Bool = true,
                    progress: ProgressBar? = nil) async throws -> Result {
        try Self.checkReadable(paths)
        let started = Date()
        var options = context.ingestOptions
        options.kind = kind
        let totalBytes = paths.reduce(0) { total, path in
            total + ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
        }
        progress?.start(totalBytes: totalBytes)
        var doneBytes = 0
        var results: [FileResult] = []
        var total = ImportCounts()
        let persons = PersonDirectory()
        for path in paths {
            let reader = try SourceFileReader(path: path, options: options)
            let writer = try await RecordWriter(store: context.store, channel: .file, name: (path as NSString).lastPathComponent,
                                                format: reader.format.rawValue, persons: persons)
            var wholeFile: String?
            // Read, validate, seal and hash the next batch on this core while the previous one is
            // written to the database on the other. (A third stage, sealing apart from reading, was
            // slower on two cores: it takes CPU from the database's thread, which sets the pace.)
            var storing: Task<Void, any Error>?
            do {
                while case let batch = try reader.next(maximum: Self.batchSize), !batch.isEmpty {
                    if batch.count == 1, case .rejected(let rejection) = batch[0], rejection.location == "file" || rejection.location == "line 1" {
                        wholeFile = "\(rejection.reason.rawValue): \(rejection.message)"
                    }
                    let prepared = writer.prepare(batch)
                    try await storing?.value
                    progress?.advance(bytes: doneBytes + reader.bytesRead, records: total.records + writer.counts.records)
                    storing = Task { try await writer.store(prepared) }
                }
                try await storing?.value
                try await writer.finish()
            } catch {
                _ = try? await storing?.value
                try? await writer.finish(status: "failed")
                throw error
            }
            doneBytes += reader.totalBytes
            total = total + writer.counts
            results.append(FileResult(file: path, format: reader.format.rawValue, kind: reader.kind?.rawValue,
                                      counts: writer.counts, rejected: wholeFile))
        }
        progress?.finish()
        if total.accepted > 0 { try await context.store.refreshPlannerStatistics() }
        var pipeline: PipelineReport?
        var identities: IdentityWork.Report?
        if runPipeline {
            // Records quarantined for their INSZ may be persons this import (or an earlier one)
            // brought. Always tried, not only when this import quarantined or brought some: a
            // re-run after a killed import brings only duplicates, and must still finish the links.
            let report = try await context.identityWork.resolve()
            if report.candidates > 0 || report.merged > 0 { identities = report }
            pipeline = try await context.pipeline().run()
        }
        return Result(files: results, total: total, pipeline: pipeline, identities: identities, seconds: Date().timeIntervalSince(started))
    }
}



/// A progress bar on the terminal for long imports: shown only when standard output and standard
/// error are terminals, and only once the work has taken more than a second. Not `Sendable`: one
/// import drives it from its own task.
public final class ProgressBar {
    private var totalBytes = 0
    private var started = Date()
    private var shown = false
    private var lastDraw = Date.distantPast
    private let enabled: Bool
    private let label: String

    public init(label: String, enabled: Bool) {
        self.label = label
        self.enabled = enabled
    }

    /// Enabled when both standard output and standard error are terminals and `json` is off.
    public static func forTerminal(label: String, json: Bool) -> ProgressBar {
        ProgressBar(label: label, enabled: !json && isatty(STDOUT_FILENO) == 1 && isatty(STDERR_FILENO) == 1)
    }

    func start(totalBytes: Int) {
        self.totalBytes = max(totalBytes, 1)
        started = Date()
    }

    func advance(bytes: Int, records: Int) {
        let elapsed = Date().timeIntervalSince(started)
        let rate = elapsed > 0 ? Int(Double(records) / elapsed) : 0
        show(fraction: Double(bytes) / Double(totalBytes), detail: "\(grouped(records)) records  \(grouped(rate)) records/s")
    }

    /// Draws the bar at `fraction` with `detail` after it (at most ten times a second, after the first second).
    func show(fraction: Double, detail: String) {
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(started) > 1, now.timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = now
        shown = true
        let fraction = min(1, max(0, fraction))
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) \(bar) \(Int(fraction * 100))%  \(detail) ".utf8))
    }

    func finish() {
        guard shown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}

/// 1234567 → "1,234,567".
func grouped(_ value: Int) -> String {
    let digits = String(abs(value))
    var out = ""
    for (index, character) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
        out.append(character)
    }
    return (value < 0 ? "-" : "") + out
}
