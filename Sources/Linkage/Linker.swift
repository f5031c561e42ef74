import Domain
import Foundation

/// Links the records of two files (or a file and the persons Vangnet knows): blocking, comparison,
/// a model estimated from the data, a match probability per candidate pair. Deterministic for the
/// same input and seed; the comparisons run on every core.
public struct Linker: Sendable {
    public struct Options: Sendable {
        /// Pairs at or above this match probability are links.
        public var threshold = 0.5
        /// Each record in at most one link, the most probable first (for files known to hold one
        /// record per person).
        public var oneToOne = false
        public var rules = BlockingRule.defaults
        /// A block with more pairs than this is left out and counted in the summary: a million
        /// identical names must not become a trillion comparisons.
        public var maximumPairsPerBlock = 250_000
        /// Random pairs drawn to measure u.
        public var randomPairs = 1_000_000
        public var seed: UInt64 = 20_261_201
        /// Weigh an exact agreement by how rare the value is (a rare surname says more than Peeters).
        public var termFrequencyFields: [LinkageField] = [.givenName, .surname, .postcode, .city]
        public var threads = ProcessInfo.processInfo.activeProcessorCount

        public init() {}
    }

    public enum Phase: String, Sendable { case blocking, sampling, comparing, estimating, scoring }

    public struct Link: Sendable, Equatable {
        /// Positions in the two record lists.
        public var a: Int
        public var b: Int
        public var matchWeight: Double
        public var probability: Double
    }

    public struct Summary: Sendable {
        public var recordsA = 0, recordsB = 0
        /// Records with nothing to compare (never paired).
        public var emptyA = 0, emptyB = 0
        public var candidatePairs = 0
        /// New pairs each rule added, in rule order.
        public var pairsPerRule: [Int] = []
        /// Blocks over `maximumPairsPerBlock`, left out, and the pairs they held.
        public var skippedBlocks = 0
        public var skippedPairs = 0
        public var distinctPatterns = 0
        public var links = 0
    }

    public struct Result: Sendable {
        public var links: [Link]
        public var model: LinkageModel
        public var summary: Summary
    }

    let options: Options
    let encoder: Encoder
    let a: RecordColumns
    let b: RecordColumns
    let emptyA: Int, emptyB: Int
    /// The records are worked on sorted by id, so that the result does not depend on the order of
    /// the input (the random pairs, the token numbers and the ties are the same in any order);
    /// these map a sorted position back to the caller's.
    let inputA: [Int]
    let inputB: [Int]
    let positionA: [Int]
    let positionB: [Int]
    public let idsA: [String]
    public let idsB: [String]

    public init(_ recordsA: [LinkageRecord], _ recordsB: [LinkageRecord], options: Options = Options()) {
        self.options = options
        func byID(_ records: [LinkageRecord]) -> [Int] {
            records.indices.sorted { records[$0].id.utf8.lexicographicallyPrecedes(records[$1].id.utf8) }
        }
        func inverse(_ order: [Int]) -> [Int] {
            var position = [Int](repeating: 0, count: order.count)
            for (sorted, input) in order.enumerated() { position[input] = sorted }
            return position
        }
        inputA = byID(recordsA)
        inputB = byID(recordsB)
        positionA = inverse(inputA)
        positionB = inverse(inputB)
        var encoder = Encoder()
        a = encoder.encode(inputA.map { recordsA[$0] })
        b = encoder.encode(inputB.map { recordsB[$0] })
        self.encoder = encoder
        emptyA = recordsA.count(where: \.isEmpty)
        emptyB = recordsB.count(where: \.isEmpty)
        idsA = recordsA.map(\.id)
        idsB = recordsB.map(\.id)
    }

    public func run(progress: @Sendable (Phase, Double) -> Void = { _, _ in }) -> Result {
        precondition(options.rules.count <= 24, "at most 24 blocking rules (their set takes the high bits of a histogram key)")
        var summary = Summary(recordsA: a.count, recordsB: b.count, emptyA: emptyA, emptyB: emptyB)
        let comparator = Comparator(encoder: encoder)

        progress(.blocking, 0)
        let rules = options.rules.map {
            RuleBlocks(rule: $0, a: a, b: b, encoder: encoder, maximumPairsPerBlock: options.maximumPairsPerBlock)
        }
        summary.skippedBlocks = rules.reduce(0) { $0 + $1.skippedBlocks }
        summary.skippedPairs = rules.reduce(0) { $0 + $1.skippedPairs }

        progress(.sampling, 0)
        let u = LinkageModel.u(fromRandomPatterns: randomPatterns(comparator))

        let pairs = compareCandidates(rules, comparator, progress: progress)
        summary.candidatePairs = pairs.count
        summary.pairsPerRule = pairs.perRule

        progress(.estimating, 0)
        let mask: UInt64 = (1 << Self.ruleShift) - 1
        let histogram = pairs.histogram.sorted { $0.key < $1.key }
            .map { (pattern: ComparisonPattern(bits: $0.key & mask), rules: UInt32($0.key >> Self.ruleShift), count: $0.value) }
        summary.distinctPatterns = Set(histogram.map(\.pattern)).count
        let expectedMatches = Double(min(a.count, b.count))
        let prior = min(max(expectedMatches / Double(max(1, pairs.count)), 1e-6), 0.5)
        var model = LinkageModel.estimate(patterns: histogram, ruleFields: options.rules.map(\.fields), u: u, prior: prior)
        // The prior over all pairs of the two files, not over the candidates: a pair's probability
        // then does not depend on how tight the blocking rules are.
        let allPairs = Double(a.count) * Double(b.count)
        if allPairs > 0 { model.prior = min(max(model.prior * Double(pairs.count) / allPairs, 1e-12), 0.5) }

        progress(.scoring, 0)
        var links = score(pairs, model)
        if options.oneToOne { links = Self.oneToOne(links) }
        links = links.map { Link(a: inputA[$0.a], b: inputB[$0.b], matchWeight: $0.matchWeight, probability: $0.probability) }
        links.sort { ($0.a, $0.b) < ($1.a, $1.b) }
        summary.links = links.count
        progress(.scoring, 1)
        return Result(links: links, model: model, summary: summary)
    }

    // MARK: - Sampling u

    private func randomPatterns(_ comparator: Comparator) -> [(ComparisonPattern, Int)] {
        guard a.count > 0, b.count > 0 else { return [] }
        let total = min(options.randomPairs, a.count * b.count)
        // A fixed number of streams, each with its own seed: the sample does not depend on the cores.
        let streams = 16
        let histograms = parallel(streams) { stream -> [UInt64: Int] in
            var random = SeededRandom(seed: options.seed &+ UInt64(stream) &* 0x9E37_79B9)
            var histogram: [UInt64: Int] = [:]
            let count = total / streams + (stream < total % streams ? 1 : 0)
            for _ in 0..<count {
                let i = random.below(a.count), j = random.below(b.count)
                histogram[comparator.pattern(a, i, b, j), default: 0] += 1
            }
            return histogram
        }
        var merged: [UInt64: Int] = [:]
        for histogram in histograms { merged.merge(histogram, uniquingKeysWith: +) }
        return merged.sorted { $0.key < $1.key }.map { (ComparisonPattern(bits: $0.key), $0.value) }
    }

    // MARK: - Candidate pairs

    /// Where the rule set starts in a histogram key (a pattern takes 36 bits).
    static let ruleShift: UInt64 = 40

    struct Pairs: Sendable {
        var a: [[UInt32]]
        var b: [[UInt32]]
        var patterns: [[UInt64]]
        /// Pairs per pattern (low 40 bits) and the set of rules whose key the pair agrees on (high bits).
        var histogram: [UInt64: Int]
        var perRule: [Int]
        var count: Int { a.reduce(0) { $0 + $1.count } }
    }

    private func compareCandidates(_ rules: [RuleBlocks], _ comparator: Comparator,
                                   progress: @Sendable (Phase, Double) -> Void) -> Pairs {
        // Work items: every block of every rule, cut into chunks of about equal pair counts.
        var work: [(rule: Int, block: Int)] = []
        var cumulative: [Int] = [0]
        for (r, blocks) in rules.enumerated() {
            for (k, block) in blocks.blocks.enumerated() {
                work.append((r, k))
                cumulative.append(cumulative[cumulative.count - 1] + block.pairs)
            }
        }
        let totalPairs = cumulative.last ?? 0
        let chunkCount = max(1, min(work.count, options.threads * 16))
        var bounds: [Int] = [0]
        for chunk in 1..<chunkCount {
            let target = totalPairs * chunk / chunkCount
            var index = bounds[bounds.count - 1]
            while index < work.count && cumulative[index + 1] <= target { index += 1 }
            bounds.append(index)
        }
        bounds.append(work.count)

        struct Chunk: Sendable {
            var a: [UInt32] = [], b: [UInt32] = [], patterns: [UInt64] = []
            var histogram: [UInt64: Int] = [:]
            var perRule: [Int]
        }
        let done = Counter()
        let ruleCount = rules.count
        let items = work, limits = bounds
        let chunks = parallel(chunkCount) { chunk -> Chunk in
            var out = Chunk(perRule: [Int](repeating: 0, count: ruleCount))
            for item in items[limits[chunk]..<limits[chunk + 1]] {
                let blocks = rules[item.rule]
                let block = blocks.blocks[item.block]
                for x in block.a {
                    let i = Int(blocks.sortedA[x])
                    for y in block.b {
                        let j = Int(blocks.sortedB[y])
                        // Compared by an earlier rule already?
                        var seen = false
                        for earlier in 0..<item.rule {
                            let key = rules[earlier].keysA[i]
                            if key != 0 && key == rules[earlier].keysB[j] { seen = true; break }
                        }
                        if seen { continue }
                        var agreeing: UInt64 = 1 << UInt64(item.rule)
                        for later in (item.rule + 1)..<ruleCount {
                            let key = rules[later].keysA[i]
                            if key != 0 && key == rules[later].keysB[j] { agreeing |= 1 << UInt64(later) }
                        }
                        let pattern = comparator.pattern(a, i, b, j)
                        out.a.append(UInt32(i)); out.b.append(UInt32(j)); out.patterns.append(pattern)
                        out.histogram[pattern | agreeing << Self.ruleShift, default: 0] += 1
                        out.perRule[item.rule] += 1
                    }
                }
            }
            progress(.comparing, done.increment(by: 1, of: chunkCount))
            return out
        }
        var pairs = Pairs(a: [], b: [], patterns: [], histogram: [:], perRule: [Int](repeating: 0, count: ruleCount))
        for chunk in chunks {
            pairs.a.append(chunk.a); pairs.b.append(chunk.b); pairs.patterns.append(chunk.patterns)
            pairs.histogram.merge(chunk.histogram, uniquingKeysWith: +)
            for r in 0..<ruleCount { pairs.perRule[r] += chunk.perRule[r] }
        }
        return pairs
    }

    // MARK: - Scoring

    /// log2(u_exact / tf(value)) per token of the fields with term-frequency adjustment.
    private func termFrequencyAdjustments(_ model: LinkageModel) -> [LinkageField: [Double]] {
        var adjustments: [LinkageField: [Double]] = [:]
        for field in options.termFrequencyFields {
            let (columnA, columnB, size): ([Int32], [Int32], Int) = switch field {
            case .givenName: (a.givenName, b.givenName, encoder.names.count)
            case .surname: (a.surname, b.surname, encoder.names.count)
            case .postcode: (a.postcode, b.postcode, encoder.postcodes.count)
            case .city: (a.city, b.city, encoder.cities.count)
            case .street: (a.street, b.street, encoder.streets.count)
            default: ([], [], 0)
            }
            guard size > 0 else { continue }
            var counts = [Int](repeating: 0, count: size + 1)
            for token in columnA where token != 0 { counts[Int(token)] += 1 }
            for token in columnB where token != 0 { counts[Int(token)] += 1 }
            let total = Double(counts.reduce(0, +))
            guard total > 0 else { continue }
            let uExact = model.u[field.rawValue][1]
            adjustments[field] = counts.map { count in
                count == 0 ? 0 : log2(uExact / max(Double(count) / total, 1 / total))
            }
        }
        return adjustments
    }

    private func tokens(_ field: LinkageField) -> ([Int32], [Int32]) {
        switch field {
        case .givenName: (a.givenName, b.givenName)
        case .surname: (a.surname, b.surname)
        case .postcode: (a.postcode, b.postcode)
        case .city: (a.city, b.city)
        case .street: (a.street, b.street)
        default: ([], [])
        }
    }

    private func score(_ pairs: Pairs, _ model: LinkageModel) -> [Link] {
        var weights: [UInt64: Double] = [:]
        for key in pairs.histogram.keys {
            let pattern = key & ((1 << Self.ruleShift) - 1)
            if weights[pattern] == nil { weights[pattern] = model.matchWeight(ComparisonPattern(bits: pattern)) }
        }
        let weightOf = weights
        let adjustments = termFrequencyAdjustments(model)
        let adjusted = options.termFrequencyFields.compactMap { field -> (LinkageField, [Double], [Int32])? in
            guard let values = adjustments[field] else { return nil }
            return (field, values, tokens(field).0)
        }
        let threshold = options.threshold
        let thresholdWeight = threshold <= 0 ? -Double.infinity : threshold >= 1 ? Double.infinity : log2(threshold / (1 - threshold))
        let chunks = parallel(pairs.a.count) { chunk -> [Link] in
            var links: [Link] = []
            let ca = pairs.a[chunk], cb = pairs.b[chunk], cp = pairs.patterns[chunk]
            for k in 0..<ca.count {
                let pattern = cp[k]
                var weight = weightOf[pattern]!
                for (field, values, column) in adjusted where (pattern >> field.shift) & 0xF == 1 {
                    weight += values[Int(column[Int(ca[k])])]
                }
                if weight >= thresholdWeight {
                    links.append(Link(a: Int(ca[k]), b: Int(cb[k]), matchWeight: weight, probability: 1 / (1 + exp2(-weight))))
                }
            }
            return links
        }
        var links = Array(chunks.joined())
        links.sort { ($0.a, $0.b) < ($1.a, $1.b) }
        return links
    }

    /// Greedy one-to-one: the most probable link first; a record already linked takes no other.
    static func oneToOne(_ links: [Link]) -> [Link] {
        let ordered = links.sorted { x, y in
            x.matchWeight != y.matchWeight ? x.matchWeight > y.matchWeight : (x.a, x.b) < (y.a, y.b)
        }
        var usedA = Set<Int>(), usedB = Set<Int>()
        var kept: [Link] = []
        for link in ordered where !usedA.contains(link.a) && !usedB.contains(link.b) {
            usedA.insert(link.a); usedB.insert(link.b)
            kept.append(link)
        }
        return kept.sorted { ($0.a, $0.b) < ($1.a, $1.b) }
    }

    // MARK: - Explanation

    /// What each field contributed to the pair (positions in the caller's two lists).
    public func explain(_ inputI: Int, _ inputJ: Int, model: LinkageModel) -> LinkExplanation {
        let i = positionA[inputI], j = positionB[inputJ]
        let pattern = ComparisonPattern(bits: Comparator(encoder: encoder).pattern(a, i, b, j))
        let adjustments = termFrequencyAdjustments(model)
        var terms: [LinkExplanation.Term] = []
        for field in LinkageField.allCases {
            let level = pattern.level(field)
            var adjustment = 0.0
            if level == 1, let values = adjustments[field] { adjustment = values[Int(tokens(field).0[i])] }
            terms.append(.init(field: field, level: level == 0 ? .missing : field.levels[level - 1],
                               weight: model.weight(field, level: level), termFrequencyAdjustment: adjustment))
        }
        return LinkExplanation(priorWeight: model.priorWeight, terms: terms)
    }
}

/// Runs `body` for 0 ..< count on every core; the results in index order, whatever the scheduling.
func parallel<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
    guard count > 0 else { return [] }
    let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
    results.initialize(repeating: nil)
    defer { results.deallocate() }
    nonisolated(unsafe) let out = results
    DispatchQueue.concurrentPerform(iterations: count) { index in out[index] = body(index) }
    return results.map { $0! }
}

/// A count shared by the worker threads, for progress.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func increment(by step: Int, of total: Int) -> Double {
        lock.lock(); defer { lock.unlock() }
        value += step
        return Double(value) / Double(max(1, total))
    }
}
