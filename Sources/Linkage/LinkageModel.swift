import Foundation

/// A Fellegi–Sunter model (Fellegi & Sunter 1969): for every field and comparison level, m (how
/// often a true match falls in the level) and u (how often a non-match does); the level's weight is
/// log2(m/u), and a pair's match weight the prior's log-odds plus its levels' weights. u is measured
/// on random pairs (almost all non-matches); m and the prior are estimated by expectation
/// maximisation over the candidate pairs, so the model is learnt from the data being linked.
public struct LinkageModel: Sendable, Equatable {
    /// The share of candidate pairs that are matches.
    public var prior: Double
    /// m and u per field (`LinkageField.rawValue`) and level (1-based; index 0 unused: missing).
    public var m: [[Double]]
    public var u: [[Double]]

    /// How often the surname agrees between two different persons at the same address (siblings,
    /// flatmates), when the data show it (`householdRate`); nil otherwise.
    public var householdSurnameU: Double?

    public var priorWeight: Double { log2(prior / (1 - prior)) }

    /// The reference model (`referenceM`, `referenceU`, learnt on the synthetic population), for
    /// comparing pairs too few to learn from; `prior` is the share of such pairs that are one person.
    public static func reference(prior: Double) -> LinkageModel { LinkageModel(prior: prior, m: referenceM, u: referenceU) }

    public func weight(_ field: LinkageField, level: Int) -> Double {
        level == 0 ? 0 : log2(m[field.rawValue][level] / u[field.rawValue][level])
    }

    /// True when the pair's surname agreement is weighed against the household rate: the same
    /// surname at the same address says little, as siblings share both.
    public func isHousehold(_ pattern: ComparisonPattern) -> Bool {
        householdSurnameU != nil && pattern.level(.surname) == 1 && (1...2).contains(pattern.level(.address))
    }

    /// The weight of one field of a pair, with the household rate in place of u where it applies.
    public func weight(_ field: LinkageField, in pattern: ComparisonPattern) -> Double {
        if field == .surname, isHousehold(pattern), let household = householdSurnameU {
            return log2(m[field.rawValue][1] / household)
        }
        return weight(field, level: pattern.level(field))
    }

    public func matchWeight(_ pattern: ComparisonPattern) -> Double {
        LinkageField.allCases.reduce(priorWeight) { $0 + weight($1, in: pattern) }
    }

    /// Among candidate pairs at the same address that disagree on the national number, the birth
    /// date and the given name — other persons of one household — the share with the same surname.
    /// Fellegi–Sunter takes the fields as independent among non-matches; in a household the
    /// surname and the address are not, and without this a sibling scores as the person.
    /// Nil below 20 such pairs (FEBRL-like data has no households).
    static func householdRate(_ patterns: [(ComparisonPattern, Int)]) -> Double? {
        var same = 0, compared = 0
        for (pattern, count) in patterns {
            guard (1...2).contains(pattern.level(.address)), pattern.level(.nationalNumber) == 6,
                  (4...5).contains(pattern.level(.birthDate)), (7...8).contains(pattern.level(.givenName)),
                  pattern.level(.surname) != 0 else { continue }
            compared += count
            if pattern.level(.surname) == 1 { same += count }
        }
        guard compared >= 20 else { return nil }
        return (Double(same) + 0.5) / (Double(compared) + 1)
    }

    /// m learnt by `vangnet link` on the synthetic Belgian population (100,000 × 100,000, seed 11),
    /// with a floor for the levels that population never shows (a wrong sex, a failing check digit),
    /// and for "same postcode, street unknown" (it always has streets) the m and u of the place alone:
    /// for runs with too few records to learn from, such as the handful of quarantined records
    /// matched against the persons Vangnet knows. u is always measured on the data at hand.
    public static let referenceM: [[Double]] = [
        [0, 0.9288, 0.0010, 0.0156, 0.0117, 0.0335, 0.0105],
        [0, 0.7130, 0.2352, 0.0230, 0.0114, 0.0105, 0.0020, 0.0030, 0.0038],
        [0, 0.9315, 0.0435, 0.0060, 0.0105, 0.0011, 0.0074],
        [0, 0.9599, 0.0081, 0.0248, 0.0017, 0.0054],
        [0, 0.9900, 0.0100],
        [0, 0.7655, 0.0524, 0.0235, 0.0029, 0.0043, 0.1516, 0.8000],
    ]

    /// u measured on the same population (1,000,000 random pairs), for runs whose own random pairs
    /// are too few to measure u on: blended in as 10,000 pseudo-pairs (`u(fromRandomPatterns:reference:)`).
    public static let referenceU: [[Double]] = [
        [0, 0.000012, 0.000001, 0.000001, 0.000001, 0.000011, 0.999975],
        [0, 0.003268, 0.008653, 0.001984, 0.001362, 0.000218, 0.000001, 0.038624, 0.945888],
        [0, 0.001138, 0.000698, 0.003170, 0.000218, 0.032578, 0.962196],
        [0, 0.000274, 0.000087, 0.005600, 0.072533, 0.921506],
        [0, 0.500687, 0.499313],
        [0, 0.000015, 0.000003, 0.000072, 0.004338, 0.024332, 0.971238, 0.004400],
    ]

    /// Starting m: the agreeing levels likely, the disagreeing one not.
    static func initialM() -> [[Double]] {
        LinkageField.allCases.map { field in
            let n = field.levels.count
            var values = [0.0] + (1...n).map { level in level == 1 ? 0.7 : level == n ? 0.05 : 0.25 / Double(max(1, n - 2)) }
            let total = values.reduce(0, +)
            values = values.map { $0 / total }
            return values
        }
    }

    /// u from the level counts of random pairs, with half a pair added to every level so that a
    /// level never seen among random pairs still has a finite weight.
    static func u(fromRandomPatterns histogram: [(ComparisonPattern, Int)], reference: [[Double]]? = nil) -> [[Double]] {
        LinkageField.allCases.map { field in
            let n = field.levels.count
            var counts = [Double](repeating: 0, count: n + 1)
            for (pattern, count) in histogram { counts[pattern.level(field)] += Double(count) }
            let observed = counts[1...].reduce(0, +)
            if let reference {
                let pseudo = 10_000.0
                return [0] + (1...n).map { (counts[$0] + pseudo * reference[field.rawValue][$0]) / (observed + pseudo) }
            }
            return [0] + (1...n).map { (counts[$0] + 0.5) / (observed + 0.5 * Double(n)) }
        }
    }

    /// Expectation maximisation of m with u fixed, in one session per training rule (as Splink
    /// trains): within the pairs a rule produced, the fields of the rule agree by construction and
    /// would pull the "match" class towards "same block", so a session leaves them out and
    /// estimates the other fields' m. A field's m is the average over its sessions, weighted by the
    /// matches each session expects. The prior is estimated last, over all candidate pairs, with m
    /// and u fixed. Sums run over the patterns sorted, so the model is the same on every run.
    static func estimate(all: [(ComparisonPattern, Int)], sessions: [[(ComparisonPattern, Int)]], sessionFields: [Set<LinkageField>],
                         u: [[Double]], prior initialPrior: Double, iterations: Int = 40) -> LinkageModel {
        let initial = LinkageModel(prior: initialPrior, m: initialM(), u: u)
        var sums = LinkageField.allCases.map { [Double](repeating: 0, count: $0.levels.count + 1) }
        var sessionWeights = [Double](repeating: 0, count: LinkageField.allCases.count)
        for (r, fields) in sessionFields.enumerated() {
            let active = LinkageField.allCases.filter { !fields.contains($0) }
            let session = sessions[r]
            guard !session.isEmpty else { continue }
            let (model, matches) = em(session, active: active, start: initial, iterations: iterations, updateM: true)
            guard matches >= 1 else { continue }
            for field in active {
                for level in 1...field.levels.count { sums[field.rawValue][level] += matches * model.m[field.rawValue][level] }
                sessionWeights[field.rawValue] += matches
            }
        }
        var model = initial
        for field in LinkageField.allCases where sessionWeights[field.rawValue] > 0 {
            model.m[field.rawValue] = sums[field.rawValue].map { $0 / sessionWeights[field.rawValue] }
        }
        // A field never compared (missing in one of the files throughout) weighs nothing.
        for field in LinkageField.allCases where !all.contains(where: { $0.0.level(field) != 0 }) {
            model.m[field.rawValue] = model.u[field.rawValue]
        }
        model.householdSurnameU = householdRate(all)
        return em(all, active: LinkageField.allCases, start: model, iterations: iterations, updateM: false).model
    }

    /// EM over `active` fields: m of those fields (when `updateM`) and the prior.
    private static func em(_ patterns: [(ComparisonPattern, Int)], active: [LinkageField], start: LinkageModel,
                           iterations: Int, updateM: Bool) -> (model: LinkageModel, matches: Double) {
        var model = start
        let total = Double(patterns.reduce(0) { $0 + $1.1 })
        var matches = 0.0
        guard total > 0 else { return (model, 0) }
        for _ in 0..<iterations {
            var mCounts = LinkageField.allCases.map { [Double](repeating: 0, count: $0.levels.count + 1) }
            matches = 0
            for (pattern, count) in patterns {
                let weight = active.reduce(model.priorWeight) { $0 + model.weight($1, in: pattern) }
                let expected = Double(count) / (1 + exp2(-weight))
                matches += expected
                if updateM { for field in active { mCounts[field.rawValue][pattern.level(field)] += expected } }
            }
            var next = model
            next.prior = min(max(matches / total, 1e-9), 1 - 1e-9)
            if updateM {
                for field in active {
                    let counts = mCounts[field.rawValue]
                    let observed = counts[1...].reduce(0, +)
                    guard observed > 0 else { continue }
                    // A floor keeps a level never seen among matches from an infinite penalty.
                    next.m[field.rawValue] = [0] + (1...field.levels.count).map { max(counts[$0] / observed, 1e-6) }
                }
            }
            let change = abs(next.prior - model.prior)
                + zip(next.m.joined(), model.m.joined()).reduce(0) { $0 + abs($1.0 - $1.1) }
            model = next
            if change < 1e-7 { break }
        }
        return (model, matches)
    }
}
