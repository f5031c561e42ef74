/// A small deterministic generator (SplitMix64). The simulator draws every number through it with
/// its own `below`/`chance` rather than the standard library's `random(in:using:)`, whose algorithm
/// may change between Swift versions: the same seed must give the same bytes.
public struct SeededRandom: Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// 0 ..< n.
    public mutating func below(_ n: Int) -> Int {
        precondition(n > 0)
        return Int(next() % UInt64(n))
    }

    /// lower ... upper.
    public mutating func between(_ lower: Int, _ upper: Int) -> Int { lower + below(upper - lower + 1) }

    /// True with probability p.
    public mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// Uniform in 0 ..< 1.
    public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// One of the items, by weight.
    public mutating func weighted<T>(_ items: [(T, Double)]) -> T {
        let total = items.reduce(0) { $0 + $1.1 }
        var point = Double(next() >> 11) / Double(1 << 53) * total
        for (item, weight) in items {
            if point < weight { return item }
            point -= weight
        }
        return items[items.count - 1].0
    }

    /// A generator for a sub-stream, so that adding draws in one place does not shift another.
    public mutating func fork() -> SeededRandom { SeededRandom(seed: next()) }
}
