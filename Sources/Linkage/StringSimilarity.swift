/// The string comparisons of the comparison levels, over folded bytes.
enum StringSimilarity {
    /// Jaro–Winkler similarity (Winkler 1990): the Jaro score with a bonus for a common prefix of up
    /// to four characters (scaling 0.1), in 0 … 1.
    static func jaroWinkler(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Double {
        let jaro = jaro(a, b)
        guard jaro > 0.7 else { return jaro }
        var prefix = 0
        while prefix < min(4, a.count, b.count) && a[prefix] == b[prefix] { prefix += 1 }
        return jaro + Double(prefix) * 0.1 * (1 - jaro)
    }

    /// The least length ratio (shorter / longer) at which Jaro–Winkler can reach `threshold`:
    /// Jaro ≤ (2 + ratio) / 3 and the prefix bonus adds at most 0.4 · (1 − Jaro).
    static func lengthRatioNeeded(_ threshold: Double) -> Double {
        max(0, 3 * (threshold - 0.4) / 0.6 - 2) - 1e-9
    }

    static func jaroWinkler(_ a: [UInt8], _ b: [UInt8]) -> Double {
        a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in jaroWinkler(x, y) } }
    }

    /// Jaro similarity. The matched characters are flags in one 64-bit word per string, so values
    /// are compared on their first 64 bytes: longer than any name, street or municipality.
    static func jaro(_ full: UnsafeBufferPointer<UInt8>, _ other: UnsafeBufferPointer<UInt8>) -> Double {
        let a = UnsafeBufferPointer(rebasing: full.prefix(64)), b = UnsafeBufferPointer(rebasing: other.prefix(64))
        if a.isEmpty || b.isEmpty { return 0 }
        let (s, t) = a.count <= b.count ? (a, b) : (b, a)
        let window = max(0, t.count / 2 - 1)
        var matchedT: UInt64 = 0, matchedS: UInt64 = 0
        var matches = 0
        for i in 0..<s.count {
            let low = i > window ? i - window : 0
            let high = min(i + window, t.count - 1)
            var j = low
            while j <= high {
                if matchedT & (1 << UInt64(j)) == 0 && t[j] == s[i] {
                    matchedT |= 1 << UInt64(j)
                    matchedS |= 1 << UInt64(i)
                    matches += 1
                    break
                }
                j += 1
            }
        }
        if matches == 0 { return 0 }
        var transpositions = 0
        var remainingT = matchedT, remainingS = matchedS
        while remainingS != 0 {
            if s[remainingS.trailingZeroBitCount] != t[remainingT.trailingZeroBitCount] { transpositions += 1 }
            remainingS &= remainingS - 1
            remainingT &= remainingT - 1
        }
        let m = Double(matches)
        return (m / Double(s.count) + m / Double(t.count) + (m - Double(transpositions / 2)) / m) / 3
    }

    /// True when one substitution, insertion or deletion turns `a` into `b` (not when they are equal).
    static func isOneEdit(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        if a.count == b.count {
            var differences = 0
            for i in 0..<a.count where a[i] != b[i] {
                differences += 1
                if differences > 1 { return false }
            }
            return differences == 1
        }
        let (short, long) = a.count < b.count ? (a, b) : (b, a)
        guard long.count - short.count == 1 else { return false }
        var i = 0
        while i < short.count && short[i] == long[i] { i += 1 }
        while i < short.count && short[i] == long[i + 1] { i += 1 }
        return i == short.count
    }

    /// True when swapping two adjacent characters of `a` gives `b`.
    static func isAdjacentTransposition(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count, a.count >= 2 else { return false }
        var first = -1
        for i in 0..<a.count where a[i] != b[i] {
            if first < 0 { first = i } else {
                return i == first + 1 && a[first] == b[i] && a[i] == b[first] && a[(i + 1)...].elementsEqual(b[(i + 1)...])
            }
        }
        return false
    }
}
