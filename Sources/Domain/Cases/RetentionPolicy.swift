/// How long each kind of data is kept (configurable; docs/security.md).
public struct RetentionPolicy: Sendable, Codable, Equatable {
    /// Records as the sources delivered them, for persons without a live case.
    public var rawRecordsDays = 5 * 365
    /// Rejected records and their originals.
    public var quarantineDays = 365
    /// Cases after they were closed: then their notes go and their link to the person is cut.
    public var closedCasesDays = 5 * 365
    /// The audit log (MAGDA asks for 10 years).
    public var auditDays = 10 * 365

    public init() {}

    public init(rawRecordsDays: Int, quarantineDays: Int, closedCasesDays: Int, auditDays: Int) {
        self.rawRecordsDays = rawRecordsDays
        self.quarantineDays = quarantineDays
        self.closedCasesDays = closedCasesDays
        self.auditDays = auditDays
    }

    enum CodingKeys: String, CodingKey {
        case rawRecordsDays = "raw_records_days"
        case quarantineDays = "quarantine_days"
        case closedCasesDays = "closed_cases_days"
        case auditDays = "audit_days"
    }
}

extension RetentionPolicy {
    /// When a case's notes and its link to the young person go: `closedCasesDays` after closing;
    /// nil while the case is open (kept as long as it is).
    public func caseDataRemoved(closedOn: LocalDate?) -> LocalDate? {
        closedOn.map { $0.adding(days: closedCasesDays) }
    }

    /// Whole years a closed case is kept, for a sentence on the page.
    public var closedCaseYears: Int { closedCasesDays / 365 }
}
