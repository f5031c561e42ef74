/// A period of employment declared through DIMONA.
public struct EmploymentPeriod: Hashable, Sendable {
    /// KBO number of the employer (10 digits).
    public var employerNumber: String
    public var startDate: LocalDate
    public var endDate: LocalDate?
    /// A DIMONA declaration can be cancelled; a cancelled one never counts as work.
    public var cancelled: Bool
    /// DIMONA's kind of worker (`AardWerknemer`: STU student, OTH other, …), when given.
    public var workerType: String?
    /// Joint committee (paritair comité), when given.
    public var jointCommittee: String?

    public init(employerNumber: String, startDate: LocalDate, endDate: LocalDate? = nil, cancelled: Bool = false,
                workerType: String? = nil, jointCommittee: String? = nil) {
        self.employerNumber = employerNumber
        self.startDate = startDate
        self.endDate = endDate
        self.cancelled = cancelled
        self.workerType = workerType
        self.jointCommittee = jointCommittee
    }

    public func covers(_ date: LocalDate) -> Bool {
        !cancelled && startDate <= date && (endDate.map { date <= $0 } ?? true)
    }
}
