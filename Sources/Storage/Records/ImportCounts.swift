/// What an import did — always adds up: records = accepted + duplicates + quarantined.
public struct ImportCounts: Codable, Sendable, Equatable {
    /// Records (and whole files) read.
    public var records = 0
    /// New records and corrections stored.
    public var accepted = 0
    /// Of the accepted, how many were corrections of a record already held.
    public var corrections = 0
    /// Records already held with the same content: stored once, no effect.
    public var duplicates = 0
    public var quarantined = 0
    /// Quarantined records by reason code.
    public var quarantinedByReason: [String: Int] = [:]

    public init() {}

    public var addsUp: Bool { records == accepted + duplicates + quarantined }

    public static func + (lhs: ImportCounts, rhs: ImportCounts) -> ImportCounts {
        var sum = lhs
        sum.records += rhs.records
        sum.accepted += rhs.accepted
        sum.corrections += rhs.corrections
        sum.duplicates += rhs.duplicates
        sum.quarantined += rhs.quarantined
        sum.quarantinedByReason.merge(rhs.quarantinedByReason, uniquingKeysWith: +)
        return sum
    }

    enum CodingKeys: String, CodingKey {
        case records, accepted, corrections, duplicates, quarantined
        case quarantinedByReason = "quarantined_by_reason"
    }
}
