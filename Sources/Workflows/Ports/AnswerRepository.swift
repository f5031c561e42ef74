import Domain
import Letters

/// What the answer page needs from storage: the case a personal code belongs to, and throttling.
public protocol AnswerRepository: Sendable {
    /// The case of a code (looked up by its keyed hash), with what the page may show; nil for a
    /// code Vangnet never made.
    func answerCode(_ code: AnswerCode) async throws -> AnswerCodeEntry?
    /// Whether this client, or this code, is locked out after too many failed attempts.
    func answerLocked(client: String, code: AnswerCode?) async throws -> Bool
    /// Counts a failed attempt for the client and, when known, the code.
    func answerFailed(client: String, code: AnswerCode?) async throws
}

public struct AnswerCodeEntry: Sendable, Equatable {
    public var caseID: Int64
    public var validUntil: LocalDate
    /// The young person's birth date, as the register (or else the INSZ) says.
    public var birthDate: LocalDate?
    /// The school they left, and when: all the page shows of what Vangnet knows.
    public var school: String?
    public var leftOn: LocalDate?
    /// The audit log's name for the person.
    public var subject: String?

    public init(caseID: Int64, validUntil: LocalDate, birthDate: LocalDate?, school: String?, leftOn: LocalDate?, subject: String?) {
        self.caseID = caseID
        self.validUntil = validUntil
        self.birthDate = birthDate
        self.school = school
        self.leftOn = leftOn
        self.subject = subject
    }
}
