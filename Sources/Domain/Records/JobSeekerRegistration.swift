/// A registration as a job seeker with VDAB.
public struct JobSeekerRegistration: Hashable, Sendable {
    public enum DeregistrationReason: String, CaseIterable, Codable, Sendable {
        case work, education, training, abroad, illness, administrative, other
    }

    public var registrationDate: LocalDate
    public var deregistrationDate: LocalDate?
    public var deregistrationReason: DeregistrationReason?

    public init(registrationDate: LocalDate, deregistrationDate: LocalDate? = nil,
                deregistrationReason: DeregistrationReason? = nil) {
        self.registrationDate = registrationDate
        self.deregistrationDate = deregistrationDate
        self.deregistrationReason = deregistrationReason
    }

    public func isActive(on date: LocalDate) -> Bool {
        registrationDate <= date && (deregistrationDate.map { date <= $0 } ?? true)
    }
}
