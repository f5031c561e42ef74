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
        /// The rules whose pairs train the model, one EM session each (`LinkageModel.estimate`):
        /// rules on a person's identifiers, not on the address, whose pairs are as much siblings as
        /// the same person. Each should be one of `rules`, so that its pairs are all compared.
        public var trainingRules = BlockingRule.training
        /// A block with more pairs than this is left out and counted in the summary: a million
        /// identical names must not become a trillion comparisons.
        public var maximumPairsPerBlock = 250_000
        /// Random pairs drawn to measure u.
        public var randomPairs = 1_000_000
        public var seed: UInt64 = 20_261_201
        /// Weigh an exact agreement by how rare the value is (a rare surname says more than Peeters).
        public var termFrequencyFields: [LinkageField] = [.givenName, .surname]
        public var threads = ProcessInfo.processInfo.activeProcessorCount
        /// Use these m values instead of estimating them (`LinkageModel.referenceM`), and, when
        /// set, this share of file A expected to have a match in file B for the prior.
        public var fixedM: [[Double]]?
        /// u to blend with the measured one, for small runs (`LinkageModel.referenceU`).
        public var referenceU: [[Double]]?
        public var expectedShareOfAMatched: Double?

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
        /// Seconds per phase, in order.
        public var phases: [(name: String, seconds: Double)] = []
    }

    public struct Result: Sendable {
        public var links: [Link]
        public var model: LinkageModel
        public var summary: Summary
    }

    let options: Options
    let encoder: RecordEncoder
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
            // The first eight bytes of each id as a number decide most comparisons.
            let prefixes = records.map { record -> UInt64 in
                var value: UInt64 = 0
                var count = 0
                for byte in record.id.utf8.prefix(8) { value = value << 8 | UInt64(byte); count += 1 }
                return value << UInt64(8 * (8 - count))
            }
            return records.indices.sorted { x, y in
                prefixes[x] != prefixes[y] ? prefixes[x] < prefixes[y] : records[x].id.utf8.lexicographicallyPrecedes(records[y].id.utf8)
            }
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
        var encoder = RecordEncoder()
        a = encoder.encode(inputA.map { recordsA[$0] })
        b = encoder.encode(inputB.map { recordsB[$0] })
        self.encoder = encoder
        emptyA = recordsA.count(where: \.isEmpty)
        emptyB = recordsB.count(where: \.isEmpty)
        idsA = recordsA.map(\.id)
        idsB = recordsB.map(\.id)
    }

    public func run(progress: @Sendable (Phase, Double) -> Void = { _, _ in }) -> Result {
        precondition(PatternIndex.count <= Int(UInt16.max) + 1, "a pattern index must fit in two bytes")
        var summary = Summary(recordsA: a.count, recordsB: b.count, emptyA: emptyA, emptyB: emptyB)
        let comparator = Comparator(encoder: encoder)
        var clock = PhaseClock()

        progress(.blocking, 0)
        let rules = parallel(options.rules.count) { r in
            RuleBlocks(rule: options.rules[r], a: a, b: b, encoder: encoder, maximumPairsPerBlock: options.maximumPairsPerBlock)
        }
        let training = parallel(options.trainingRules.count) { t in
            let rule = options.trainingRules[t]
            return (a: (0..<a.count).map { rule.key(a, $0, encoder) }, b: (0..<b.count).map { rule.key(b, $0, encoder) })
        }
        summary.skippedBlocks = rules.reduce(0) { $0 + $1.skippedBlocks }
        summary.skippedPairs = rules.reduce(0) { $0 + $1.skippedPairs }
        clock.lap("blocking", into: &summary)

        progress(.sampling, 0)
        let u = LinkageModel.u(fromRandomPatterns: randomPatterns(comparator), reference: options.referenceU)
        clock.lap("random pairs", into: &summary)

        let pairs = compareCandidates(rules, training, comparator, progress: progress)
        summary.candidatePairs = pairs.count
        summary.pairsPerRule = pairs.perRule
        clock.lap("comparing", into: &summary)

        progress(.estimating, 0)
        func listed(_ counts: [Int]) -> [(ComparisonPattern, Int)] {
            counts.indices.filter { counts[$0] > 0 }.map { (PatternIndex.pattern($0), counts[$0]) }
        }
        let all = listed(pairs.histogram)
        summary.distinctPatterns = all.count
        let expectedMatches = Double(min(a.count, b.count))
        let prior = min(max(expectedMatches / Double(max(1, pairs.count)), 1e-6), 0.5)
        var model: LinkageModel
        let allPairs = Double(a.count) * Double(b.count)
        if let m = options.fixedM {
            model = LinkageModel(prior: prior, m: m, u: u)
        } else {
            model = LinkageModel.estimate(all: all, sessions: pairs.sessionHistograms.map(listed),
                                          sessionFields: options.trainingRules.map(\.fields), u: u, prior: prior)
            // The prior over all pairs of the two files, not over the candidates: a pair's probability
            // then does not depend on how tight the blocking rules are.
            if allPairs > 0 { model.prior = min(max(model.prior * Double(pairs.count) / allPairs, 1e-12), 0.5) }
        }
        if let share = options.expectedShareOfAMatched, allPairs > 0 {
            model.prior = min(max(share * Double(a.count) / allPairs, 1e-12), 0.5)
        }
        clock.lap("estimating", into: &summary)

        progress(.scoring, 0)
        var links = score(pairs, model)
        if options.oneToOne { links = Self.oneToOne(links) }
        links = links.map { Link(a: inputA[$0.a], b: inputB[$0.b], matchWeight: $0.matchWeight, probability: $0.probability) }
        links.sort { ($0.a, $0.b) < ($1.a, $1.b) }
        summary.links = links.count
        clock.lap("scoring", into: &summary)
        progress(.scoring, 1)
        return Result(links: links, model: model, summary: summary)
    }

    // MARK: - Sampling u

    private func randomPatterns(_ comparator: Comparator) -> [(ComparisonPattern, Int)] {
        guard a.count > 0, b.count > 0 else { return [] }
        let total = min(options.randomPairs, a.count * b.count)
        // A fixed number of streams, each with its own seed: the sample does not depend on the cores.
        let streams = 16
        let histograms = parallel(streams) { stream -> [Int] in
            var random = SeededRandom(seed: options.seed &+ UInt64(stream) &* 0x9E37_79B9)
            var histogram = [Int](repeating: 0, count: PatternIndex.count)
            let count = total / streams + (stream < total % streams ? 1 : 0)
            for _ in 0..<count {
                let i = random.below(a.count), j = random.below(b.count)
                histogram[Int(PatternIndex.index(comparator.pattern(a, i, b, j)))] += 1
            }
            return histogram
        }
        var merged = [Int](repeating: 0, count: PatternIndex.count)
        for histogram in histograms { for k in merged.indices { merged[k] += histogram[k] } }
        return merged.indices.filter { merged[$0] > 0 }.map { (PatternIndex.pattern($0), merged[$0]) }
    }

    // MARK: - Candidate pairs

    /// The candidate pairs, in chunks (in order): positions in the sorted files and the pattern's
    /// index, ten bytes a pair.
    struct Pairs: Sendable {
        var a: [[UInt32]]
        var b: [[UInt32]]
        var patterns: [[UInt16]]
        /// Pairs per pattern index, over all pairs and per training rule.
        var histogram: [Int]
        var sessionHistograms: [[Int]]
        var perRule: [Int]
        var count: Int { a.reduce(0) { $0 + $1.count } }
    }

    private func compareCandidates(_ rules: [RuleBlocks], _ training: [(a: [UInt64], b: [UInt64])], _ comparator: Comparator,
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
        let chunkCount = max(1, min(work.count, options.threads * 8))
        var bounds: [Int] = [0]
        for chunk in 1..<max(1, chunkCount) {
            let target = totalPairs * chunk / chunkCount
            var index = bounds[bounds.count - 1]
            while index < work.count && cumulative[index + 1] <= target { index += 1 }
            bounds.append(index)
        }
        bounds.append(work.count)

        struct Chunk: Sendable {
            var a: [UInt32] = [], b: [UInt32] = [], patterns: [UInt16] = []
            var histogram: [Int32]
            var sessions: [[Int32]]
            var perRule: [Int]
        }
        let done = Counter()
        let ruleCount = rules.count
        let sessionCount = training.count
        let items = work, limits = bounds, sums = cumulative
        let chunks = parallel(chunkCount) { chunk -> Chunk in
            var out = Chunk(histogram: [Int32](repeating: 0, count: PatternIndex.count),
                            sessions: [[Int32]](repeating: [Int32](repeating: 0, count: PatternIndex.count), count: sessionCount),
                            perRule: [Int](repeating: 0, count: ruleCount))
            let expected = sums[limits[chunk + 1]] - sums[limits[chunk]]
            // The chunk's pairs before removing those an earlier rule compared: an upper bound, so
            // the arrays never grow (growing doubles them for a moment).
            out.a.reserveCapacity(expected); out.b.reserveCapacity(expected); out.patterns.reserveCapacity(expected)
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
                        let pattern = PatternIndex.index(comparator.pattern(a, i, b, j))
                        out.a.append(UInt32(i)); out.b.append(UInt32(j)); out.patterns.append(pattern)
                        out.histogram[Int(pattern)] += 1
                        for t in 0..<sessionCount where training[t].a[i] != 0 && training[t].a[i] == training[t].b[j] {
                            out.sessions[t][Int(pattern)] += 1
                        }
                        out.perRule[item.rule] += 1
                    }
                }
            }
            progress(.comparing, done.increment(by: 1, of: chunkCount))
            return out
        }
        var pairs = Pairs(a: [], b: [], patterns: [], histogram: [Int](repeating: 0, count: PatternIndex.count),
                          sessionHistograms: [[Int]](repeating: [Int](repeating: 0, count: PatternIndex.count), count: sessionCount),
                          perRule: [Int](repeating: 0, count: ruleCount))
        for chunk in chunks {
            pairs.a.append(chunk.a); pairs.b.append(chunk.b); pairs.patterns.append(chunk.patterns)
            for k in 0..<PatternIndex.count {
                pairs.histogram[k] += Int(chunk.histogram[k])
                for t in 0..<sessionCount { pairs.sessionHistograms[t][k] += Int(chunk.sessions[t][k]) }
            }
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
        default: ([], [])
        }
    }

    /// The weight of every pair (pattern weight plus term-frequency adjustments), chunk by chunk.
    private struct Weigher: Sendable {
        let table: [Double]
        let household: [Bool]
        let adjusted: [(field: LinkageField, values: [Double], column: [Int32], radix: Int, stride: Int)]

        func weight(pattern: UInt16, a i: UInt32) -> Double {
            var weight = table[Int(pattern)]
            for term in adjusted where (Int(pattern) / term.stride) % term.radix == 1 {
                if term.field == .surname && household[Int(pattern)] { continue }
                weight += term.values[Int(term.column[Int(i)])]
            }
            return weight
        }
    }

    private func weigher(_ pairs: Pairs, _ model: LinkageModel) -> Weigher {
        var table = [Double](repeating: 0, count: PatternIndex.count)
        var household = [Bool](repeating: false, count: PatternIndex.count)
        for k in 0..<PatternIndex.count where pairs.histogram[k] > 0 {
            let pattern = PatternIndex.pattern(k)
            table[k] = model.matchWeight(pattern)
            household[k] = model.isHousehold(pattern)
        }
        let adjustments = termFrequencyAdjustments(model)
        let adjusted = options.termFrequencyFields.compactMap { field -> (LinkageField, [Double], [Int32], Int, Int)? in
            guard let values = adjustments[field] else { return nil }
            let stride = PatternIndex.radices[..<field.rawValue].reduce(1, *)
            return (field, values, tokens(field).0, PatternIndex.radices[field.rawValue], stride)
        }
        return Weigher(table: table, household: household, adjusted: adjusted)
    }

    private func score(_ pairs: Pairs, _ model: LinkageModel) -> [Link] {
        let weigher = weigher(pairs, model)
        let threshold = options.threshold
        let thresholdWeight = threshold <= 0 ? -Double.infinity : threshold >= 1 ? Double.infinity : log2(threshold / (1 - threshold))
        guard options.oneToOne else {
            let chunks = parallel(pairs.a.count) { chunk -> [Link] in
                var links: [Link] = []
                let ca = pairs.a[chunk], cb = pairs.b[chunk], cp = pairs.patterns[chunk]
                for k in 0..<ca.count {
                    let weight = weigher.weight(pattern: cp[k], a: ca[k])
                    if weight >= thresholdWeight {
                        links.append(Link(a: Int(ca[k]), b: Int(cb[k]), matchWeight: weight, probability: 1 / (1 + exp2(-weight))))
                    }
                }
                return links
            }
            return Array(chunks.joined())
        }
        return competing(pairs, weigher, model)
    }

    /// When each file holds one record per person, a record has at most one match, and a share π
    /// of its file has one. The probability that j is i's match is then the posterior over all of
    /// i's candidates, (π/n)·LR(i,j) / ((1 − π) + (π/n)·Σₖ LR(i,k)), with LR the likelihood ratio of
    /// the fields and n the size of the other file; and the same from j's side. A pair keeps the
    /// smaller of the two: a rival candidate on either side lowers it. π is estimated by EM under
    /// the same model (the mean over the records of the probability that they have a match), and
    /// kept within 1 % … 99 %: at 100 % any lone candidate, however unlike, would be certain.
    private func competing(_ pairs: Pairs, _ weigher: Weigher, _ model: LinkageModel) -> [Link] {
        let priorWeight = model.priorWeight
        // Only pairs with a likelihood ratio of at least min(n)/10⁶ count: as π ≤ 99 %, the (1 − π)
        // term of a sum is at least n/99 in the same units, so a weaker pair changes it by less
        // than 10⁻⁴, and could never reach a threshold.
        let cutoff = log2(Double(max(1, min(a.count, b.count))) * 1e-6)
        let relevant = parallel(pairs.a.count) { chunk -> [(a: UInt32, b: UInt32, weight: Double)] in
            var kept: [(a: UInt32, b: UInt32, weight: Double)] = []
            let ca = pairs.a[chunk], cb = pairs.b[chunk], cp = pairs.patterns[chunk]
            for k in 0..<ca.count {
                let weight = weigher.weight(pattern: cp[k], a: ca[k])
                if weight - priorWeight >= cutoff { kept.append((ca[k], cb[k], weight)) }
            }
            return kept
        }
        var sumA = [Double](repeating: 0, count: a.count), sumB = [Double](repeating: 0, count: b.count)
        for chunk in relevant {
            for pair in chunk {
                let ratio = exp2(pair.weight - priorWeight)
                sumA[Int(pair.a)] += ratio
                sumB[Int(pair.b)] += ratio
            }
        }
        func share(_ sums: [Double], other: Int) -> Double {
            guard !sums.isEmpty, other > 0 else { return 0.5 }
            var pi = 0.5
            for _ in 0..<50 {
                let per = pi / Double(other)
                let next = sums.reduce(0) { $0 + per * $1 / ((1 - pi) + per * $1) } / Double(sums.count)
                let clamped = min(max(next, 0.01), 0.99)
                if abs(clamped - pi) < 1e-6 { pi = clamped; break }
                pi = clamped
            }
            return pi
        }
        let shareA = share(sumA, other: b.count), shareB = share(sumB, other: a.count)
        let perA = shareA / Double(max(1, b.count)), perB = shareB / Double(max(1, a.count))
        let threshold = options.threshold
        let totalsA = sumA, totalsB = sumB
        let chunks = parallel(relevant.count) { chunk -> [Link] in
            var links: [Link] = []
            for pair in relevant[chunk] {
                let ratio = exp2(pair.weight - priorWeight)
                let fromA = perA * ratio / ((1 - shareA) + perA * totalsA[Int(pair.a)])
                let fromB = perB * ratio / ((1 - shareB) + perB * totalsB[Int(pair.b)])
                let probability = min(fromA, fromB)
                if probability >= threshold {
                    links.append(Link(a: Int(pair.a), b: Int(pair.b), matchWeight: pair.weight, probability: probability))
                }
            }
            return links
        }
        return Array(chunks.joined())
    }

    /// Greedy one-to-one: the most probable link first; a record already linked takes no other.
    static func oneToOne(_ links: [Link]) -> [Link] {
        let ordered = links.sorted { x, y in
            x.probability != y.probability ? x.probability > y.probability
                : x.matchWeight != y.matchWeight ? x.matchWeight > y.matchWeight : (x.a, x.b) < (y.a, y.b)
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
            let household = field == .surname && model.isHousehold(pattern)
            if level == 1, !household, let values = adjustments[field] { adjustment = values[Int(tokens(field).0[i])] }
            terms.append(.init(field: field, level: level == 0 ? .missing : field.levels[level - 1],
                               weight: model.weight(field, in: pattern), termFrequencyAdjustment: adjustment, household: household))
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

/// Seconds per phase of a run.
struct PhaseClock {
    private var last = DispatchTime.now().uptimeNanoseconds

    mutating func lap(_ name: String, into summary: inout Linker.Summary) {
        let now = DispatchTime.now().uptimeNanoseconds
        summary.phases.append((name, Double(now - last) / 1e9))
        last = now
    }
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
