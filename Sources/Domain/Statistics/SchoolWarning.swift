import Foundation

/// Early warning for schools, aggregate only (docs/monitoring.md, "Schools"): per school number
/// and track, per school year, how many pupils left and how many of them without a qualification,
/// the rate with a 95% interval, over the last three school years together, against the track's
/// Flemish rate, and the course of the rate over up to ten school years. No score for any pupil. Small counts are protected: a count of 1–9 is "<10", and a
/// rate (which with its denominator would give the count away) only where the unqualified count is
/// shown exactly.
public struct SchoolWarning: Sendable {
    /// One school, track and school year, as counted by the store.
    public struct Count: Sendable, Equatable {
        public var school: String
        public var track: String
        public var schoolYear: Int
        public var leavers: Int
        public var unqualified: Int
        public init(school: String, track: String, schoolYear: Int, leavers: Int, unqualified: Int) {
            self.school = school
            self.track = track
            self.schoolYear = schoolYear
            self.leavers = leavers
            self.unqualified = unqualified
        }
    }

    public struct Rate: Sendable, Equatable {
        public var value: Double
        public var low: Double
        public var high: Double
        public init(value: Double, low: Double, high: Double) {
            self.value = value
            self.low = low
            self.high = high
        }
    }

    public struct Line: Sendable {
        public var school: String
        public var track: String
        /// Per school year of `years`: leavers and unqualified, as published, and the rate.
        public var leavers: [String]
        public var unqualified: [String]
        public var rates: [Rate?]
        /// The three years together.
        public var pooledLeavers: String
        public var pooledUnqualified: String
        public var pooled: Rate?
        /// The track's Flemish rate over the same years.
        public var flemish: Rate?
        /// The pooled interval lies wholly above the Flemish rate.
        public var above: Bool
        /// The latest year's rate against the one before: +1 up, -1 down, 0 the same or unknown.
        public var trend: Int
        /// The rate per school year of `history` (as published: nil where it would give a small
        /// count away, or without leavers that year).
        public var history: [Rate?]
        /// Whether the school had leavers of the track in each school year of `history` (a year
        /// without any is told apart from one whose rate is not shown).
        public var historyHasLeavers: [Bool]
        /// The course over `history` (`longTrend`): +1 rising, -1 falling, 0 level or too few years.
        public var longTrend: Int

        /// Rising (+1), falling (-1) or neither: the course over three or more years with a
        /// published rate, else the latest year against the one before.
        public var direction: Int { history.compactMap { $0 }.count >= 3 ? longTrend : trend }
    }

    /// The last three school years: the warning's.
    public var years: [Int]
    /// Every school year of the counts, up to `historyYears` of them, oldest first: the course.
    public var historyYears: [Int]
    public var lines: [Line]

    /// How many school years the course shows at most.
    public static let maximumHistory = 10

    /// The course of published rates over the years: the least-squares slope of the rate on the
    /// school year, over the years with a published rate (at least three of them); rising or
    /// falling when the fitted line moves at least two percentage points over those years, else
    /// level. Only published rates go in, so the direction tells nothing a suppressed cell hides.
    public static func longTrend(_ rates: [Rate?]) -> Int {
        let points = rates.enumerated().compactMap { index, rate in rate.map { (Double(index), $0.value) } }
        guard points.count >= 3 else { return 0 }
        let n = Double(points.count)
        let meanX = points.map(\.0).reduce(0, +) / n, meanY = points.map(\.1).reduce(0, +) / n
        let sxx = points.map { ($0.0 - meanX) * ($0.0 - meanX) }.reduce(0, +)
        let sxy = points.map { ($0.0 - meanX) * ($0.1 - meanY) }.reduce(0, +)
        guard sxx > 0 else { return 0 }
        let moved = sxy / sxx * (points.last!.0 - points.first!.0)
        return moved >= 0.02 ? 1 : moved <= -0.02 ? -1 : 0
    }

    /// Wilson's score interval for `k` of `n` at 95% (z = 1.96): sensible for small `n` and for
    /// rates near 0 or 1, unlike the normal approximation.
    public static func wilson(_ k: Int, _ n: Int) -> Rate? {
        guard n > 0 else { return nil }
        let z = 1.96, p = Double(k) / Double(n), nn = Double(n)
        let centre = (p + z * z / (2 * nn)) / (1 + z * z / nn)
        let half = z * ((p * (1 - p) / nn + z * z / (4 * nn * nn)).squareRoot()) / (1 + z * z / nn)
        return Rate(value: p, low: max(0, centre - half), high: min(1, centre + half))
    }

    static func published(_ n: Int) -> String { Disclosure.published(n) }

    /// A rate only where its count is shown exactly (0, or 10 and more) over at least 10 leavers.
    static func rate(_ k: Int, _ n: Int) -> Rate? {
        guard n >= Disclosure.threshold, k == 0 || k >= Disclosure.threshold else { return nil }
        return wilson(k, n)
    }

    /// The warning over the last three school years in `counts` (up to `latest`).
    public init(_ counts: [Count], latest: Int? = nil) {
        let last = latest ?? counts.map(\.schoolYear).max() ?? 0
        let years = [last - 2, last - 1, last]
        self.years = years
        let earliest = max(counts.map(\.schoolYear).filter { $0 <= last }.min() ?? last - 2, last - Self.maximumHistory + 1)
        let historyYears = Array(min(earliest, last - 2)...last)
        self.historyYears = historyYears
        let histories = Dictionary(grouping: counts.filter { historyYears.contains($0.schoolYear) }) { "\($0.school)|\($0.track)" }
        let inYears = counts.filter { years.contains($0.schoolYear) }
        var flemish: [String: (Int, Int)] = [:]
        for c in inYears {
            flemish[c.track, default: (0, 0)].0 += c.unqualified
            flemish[c.track, default: (0, 0)].1 += c.leavers
        }
        let groups = Dictionary(grouping: inYears) { "\($0.school)|\($0.track)" }
        var lines: [Line] = []
        for (_, group) in groups {
            let first = group[0]
            let perYear = years.map { y in group.first { $0.schoolYear == y } }
            let k = group.map(\.unqualified).reduce(0, +), n = group.map(\.leavers).reduce(0, +)
            let pooled = Self.rate(k, n)
            let track = flemish[first.track].flatMap { Self.wilson($0.0, $0.1) }
            let rates = perYear.map { c in c.flatMap { Self.rate($0.unqualified, $0.leavers) } }
            var trend = 0
            if let now = rates[2], let before = rates[1] { trend = now.value > before.value ? 1 : now.value < before.value ? -1 : 0 }
            let earlier = histories["\(first.school)|\(first.track)"] ?? []
            let yearly = historyYears.map { y in earlier.first { $0.schoolYear == y } }
            let history = yearly.map { $0.flatMap { Self.rate($0.unqualified, $0.leavers) } }
            lines.append(Line(school: first.school, track: first.track, leavers: perYear.map { Self.published($0?.leavers ?? 0) },
                              unqualified: perYear.map { Self.published($0?.unqualified ?? 0) }, rates: rates,
                              pooledLeavers: Self.published(n), pooledUnqualified: Self.published(k), pooled: pooled, flemish: track,
                              above: pooled.map { p in track.map { p.low > $0.value } ?? false } ?? false, trend: trend,
                              history: history, historyHasLeavers: yearly.map { ($0?.leavers ?? 0) > 0 }, longTrend: Self.longTrend(history)))
        }
        // Schools clearly above their track's rate first, then by the interval's lower bound, then
        // those with unqualified leavers (as published: "<10" is not ranked within) before those without.
        self.lines = lines.sorted {
            if $0.above != $1.above { return $0.above }
            let l = $0.pooled?.low ?? -1, r = $1.pooled?.low ?? -1
            if l != r { return l > r }
            let someL = $0.pooledUnqualified != "0", someR = $1.pooledUnqualified != "0"
            if someL != someR { return someL }
            return ($0.school, $0.track) < ($1.school, $1.track)
        }
    }
}
