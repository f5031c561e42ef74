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
    @Flag(help: "Print the estimated model (m, u and the weight of every level) on standard error.") var showModel = false
    @Option(help: "Seed of the random pairs that measure u.") var seed: UInt64 = 20_261_201
    @Option(help: "Blocks with more candidate pairs than this are skipped (and counted in the summary).")
    var maximumPairsPerBlock = 250_000

    func run() async throws {
        try await command {
            guard (0...1).contains(threshold) else { throw CommandFailure("--threshold must be between 0 and 1") }
            guard maximumPairsPerBlock > 0 else { throw CommandFailure("--maximum-pairs-per-block must be positive") }
            let started = Date()
            let progress = LinkProgress(enabled: isatty(STDERR_FILENO) == 1)
            var a: LinkFile? = try LinkFile.read(fileA, progress: progress)
            var b: LinkFile? = try LinkFile.read(fileB, progress: progress)
            let unread = a!.unreadValues + b!.unreadValues
            let read = Date().timeIntervalSince(started)
            var options = Linker.Options()
            options.threshold = threshold
            options.oneToOne = oneToOne
            options.seed = seed
            options.maximumPairsPerBlock = maximumPairsPerBlock
            let linker = Linker(a!.records, b!.records, options: options)
            // The linker keeps what it needs; the parsed records can go.
            a = nil
            b = nil
            let encoded = Date().timeIntervalSince(started) - read
            let result = linker.run { phase, fraction in progress.show(phase.rawValue, fraction) }
            progress.finish()
            try write(result, linker)
            let elapsed = Date().timeIntervalSince(started)
            let phases = [("reading", read), ("folding", encoded)] + result.summary.phases.map { ($0.name, $0.seconds) }
                + [("writing", elapsed - read - encoded - result.summary.phases.reduce(0) { $0 + $1.seconds })]
            FileHandle.standardError.write(Data(summary(result, unread: unread, elapsed: elapsed, phases: phases).utf8))
            if showModel { FileHandle.standardError.write(Data(Self.table(result.model).utf8)) }
        }
    }

    private func write(_ result: Linker.Result, _ linker: Linker) throws {
        var text = "rec_id_a,rec_id_b,match_probability" + (explain ? ",explanation" : "") + "\n"
        text.reserveCapacity(result.links.count * 32)
        let idsA = linker.idsA, idsB = linker.idsB
        for link in result.links {
            text += ExchangeWriter.csvEscape(idsA[link.a]) + "," + ExchangeWriter.csvEscape(idsB[link.b]) + "," + Self.decimal(link.probability)
            if explain { text += "," + ExchangeWriter.csvEscape(linker.explain(link.a, link.b, model: result.model).lines(.english).joined(separator: "; ")) }
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

    /// A probability with six decimals ("0.972139"); String(format:) is slow on Linux for a million lines.
    static func decimal(_ value: Double) -> String {
        let millionths = Int((min(max(value, 0), 1) * 1_000_000).rounded())
        let fraction = String(millionths % 1_000_000)
        return String(millionths / 1_000_000) + "." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }

    static func table(_ model: LinkageModel) -> String {
        var lines = [String(format: "Prior: %.3g (weight %.1f)", model.prior, model.priorWeight)]
        for field in LinkageField.allCases {
            for (index, level) in field.levels.enumerated() {
                let language = LinkageLanguage.english
                lines.append(String(format: "  %@: %@ m=%.4f u=%.6f weight %+.2f", language.name(field), language.name(level),
                                    model.m[field.rawValue][index + 1], model.u[field.rawValue][index + 1], model.weight(field, level: index + 1)))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func summary(_ result: Linker.Result, unread: Int, elapsed: Double, phases: [(String, Double)]) -> String {
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
        if unread > 0 { lines.append("Values not understood and treated as missing (sex other than M/F, unreadable dates): \(grouped(unread)).") }
        lines.append("Links at or above \(threshold): \(grouped(s.links))\(oneToOne ? " (one to one)" : "").")
        lines.append(String(format: "Time %.2f s (", elapsed) + phases.map { String(format: "%@ %.2f", $0.0, $0.1) }.joined(separator: ", ")
                     + String(format: "), peak memory %.0f MB.", peakResidentMegabytes()))
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
                let text = fields[at[column]]
                guard let first = text.utf8.first, let last = text.utf8.last else { return nil }
                // Foundation's trimming is slow on Linux; most fields have nothing to trim.
                if first != 0x20 && first != 0x09 && last != 0x20 && last != 0x09 { return text }
                let trimmed = text.trimmingCharacters(in: .whitespaces)
                return trimmed.isEmpty ? nil : trimmed
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
public func peakResidentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
    return (Double(line.split(separator: " ").dropFirst().first.map(String.init) ?? "0") ?? 0) / 1024
}
