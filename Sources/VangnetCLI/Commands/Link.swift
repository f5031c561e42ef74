import ArgumentParser
import Foundation
import Ingest
import Linkage

/// `vangnet link A.csv B.csv`: probabilistic record linkage of two files (docs/linkage.md).
struct Link: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Link the records of two CSV files that describe the same persons (docs/linkage.md).",
        discussion: """
        Both files have a header row with the columns \(LinkFile.columns.joined(separator: ", ")) (any order; \
        other columns are ignored; an empty field is missing). Writes rec_id_a, rec_id_b, match_probability for \
        every pair at or above the threshold; a summary goes to standard error.
        """)

    @Argument(help: "The first file.") var fileA: String
    @Argument(help: "The second file.") var fileB: String
    @Option(help: "The lowest match probability written (0 … 1).") var threshold: Double = 0.5
    @Option(help: "Where to write the links (default: standard output).") var out: String?
    @Flag(help: "The files hold one record per person: keep only each record's most probable link.") var oneToOne = false
    @Flag(help: "Add a column that says what each field contributed.") var explain = false
    @Option(help: "Seed of the random pairs that measure u.") var seed: UInt64 = 20_261_201
    @Option(help: "Blocks with more candidate pairs than this are skipped (and counted in the summary).")
    var maximumPairsPerBlock = 250_000

    func run() async throws {
        try await command {
            guard (0...1).contains(threshold) else { throw CommandFailure("--threshold must be between 0 and 1") }
            guard maximumPairsPerBlock > 0 else { throw CommandFailure("--maximum-pairs-per-block must be positive") }
            let started = Date()
            let progress = LinkProgress(enabled: isatty(STDERR_FILENO) == 1)
            let a = try LinkFile.read(fileA, progress: progress)
            let b = try LinkFile.read(fileB, progress: progress)
            var options = Linker.Options()
            options.threshold = threshold
            options.oneToOne = oneToOne
            options.seed = seed
            options.maximumPairsPerBlock = maximumPairsPerBlock
            let linker = Linker(a.records, b.records, options: options)
            let result = linker.run { phase, fraction in progress.show(phase.rawValue, fraction) }
            progress.finish()
            try write(result, linker)
            let elapsed = Date().timeIntervalSince(started)
            FileHandle.standardError.write(Data(summary(result, a, b, elapsed: elapsed).utf8))
        }
    }

    private func write(_ result: Linker.Result, _ linker: Linker) throws {
        var text = "rec_id_a,rec_id_b,match_probability" + (explain ? ",explanation" : "") + "\n"
        let idsA = linker.idsA, idsB = linker.idsB
        for link in result.links {
            text += csvField(idsA[link.a]) + "," + csvField(idsB[link.b]) + "," + String(format: "%.6f", link.probability)
            if explain { text += "," + csvField(linker.explain(link.a, link.b, model: result.model).lines(.english).joined(separator: "; ")) }
            text += "\n"
        }
        if let out {
            do { try text.write(toFile: out, atomically: true, encoding: .utf8) } catch {
                throw CommandFailure("\(out): cannot write (\(error.localizedDescription))")
            }
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    private func summary(_ result: Linker.Result, _ a: LinkFile, _ b: LinkFile, elapsed: Double) -> String {
        let s = result.summary
        var lines = ["Linked \(fileA) (\(grouped(s.recordsA)) records) with \(fileB) (\(grouped(s.recordsB)) records)."]
        let rules = zip(Linker.Options().rules, s.pairsPerRule).map { "\($0.0): \(grouped($0.1))" }.joined(separator: "; ")
        lines.append("Pairs compared: \(grouped(s.candidatePairs)) (\(rules)).")
        if s.skippedBlocks > 0 {
            lines.append("Skipped: \(grouped(s.skippedBlocks)) block\(s.skippedBlocks == 1 ? "" : "s") over the cap of "
                         + "\(grouped(maximumPairsPerBlock)) pairs (\(grouped(s.skippedPairs)) pairs not compared in those blocks; "
                         + "other rules may still pair their records).")
        }
        let empty = s.emptyA + s.emptyB
        if empty > 0 { lines.append("Records with nothing to compare (never linked): \(grouped(empty)).") }
        let unread = a.unreadValues + b.unreadValues
        if unread > 0 { lines.append("Values not understood and treated as missing (sex other than M/F, unreadable dates): \(grouped(unread)).") }
        lines.append("Links at or above \(threshold): \(grouped(s.links))\(oneToOne ? " (one to one)" : "").")
        lines.append(String(format: "Time %.2f s, peak memory %.0f MB.", elapsed, peakResidentMegabytes()))
        return lines.joined(separator: "\n") + "\n"
    }
}

/// A file of `vangnet link`: its records, and how many values it had that could not be understood.
struct LinkFile {
    static let columns = ["rec_id", "insz", "given_name", "surname", "sex", "date_of_birth", "street", "house_number", "postcode", "city"]

    var records: [LinkageRecord] = []
    var unreadValues = 0

    static func read(_ path: String, progress: LinkProgress) throws -> LinkFile {
        let table = try CSVTable(path: path)
        let at = try table.columns(columns)
        var file = LinkFile()
        var seen = Set<String>()
        while let (fields, line) = try table.next() {
            func value(_ column: Int) -> String? {
                let text = fields[at[column]].trimmingCharacters(in: .whitespaces)
                return text.isEmpty ? nil : text
            }
            guard let id = value(0) else { throw CommandFailure("\(path): line \(line): rec_id is empty") }
            guard seen.insert(id).inserted else { throw CommandFailure("\(path): line \(line): rec_id \(id) appears twice") }
            var record = LinkageRecord(id: id, nationalNumber: value(1), givenName: value(2), surname: value(3),
                                       birthDate: value(5), street: value(6), houseNumber: value(7), postcode: value(8), city: value(9))
            if let sex = value(4) {
                switch sex.uppercased() {
                case "M": record.sex = .male
                case "F", "V": record.sex = .female
                default: file.unreadValues += 1
                }
            }
            if let date = record.birthDate, !LinkageRecord.isReadableBirthDate(date) {
                record.birthDate = nil
                file.unreadValues += 1
            }
            file.records.append(record)
            if file.records.count % 4096 == 0 { progress.show("reading \(path)", table.fractionRead) }
        }
        return file
    }
}

/// The progress bar of `vangnet link`, on standard error when it is a terminal. The linker reports
/// from its worker threads, hence the lock.
final class LinkProgress: @unchecked Sendable {
    private let enabled: Bool
    private let lock = NSLock()
    private var lastDraw = Date.distantPast

    init(enabled: Bool) { self.enabled = enabled }

    func show(_ label: String, _ fraction: Double) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = now
        let width = 30
        let filled = Int(min(1, max(0, fraction)) * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(bar) \(Int(fraction * 100))% \(label)".utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}

/// Peak resident memory of this process (VmHWM), in MB; 0 where /proc is not there.
func peakResidentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
    return (Double(line.split(separator: " ").dropFirst().first.map(String.init) ?? "0") ?? 0) / 1024
}

/// A CSV field, quoted when it must be.
func csvField(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
