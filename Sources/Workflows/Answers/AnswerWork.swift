import Domain
import Foundation
import Letters

/// The young person's answer page (no account): the personal code of their letter and their birth
/// date open it; a wrong code and a wrong birth date get the same answer, so the page never tells
/// whether a code exists. Attempts are throttled per client and per code; every opening and every
/// answer is audited as the young person's own access.
public struct AnswerWork: Sendable {
    let answers: any AnswerRepository
    let cases: any CaseRepository
    let audit: any AuditSink
    let clock: Clock

    public init(answers: any AnswerRepository, cases: any CaseRepository, audit: any AuditSink, clock: Clock) {
        self.answers = answers
        self.cases = cases
        self.audit = audit
        self.clock = clock
    }

    public enum Opening: Sendable, Equatable {
        case opened(AnswerCodeEntry)
        /// The code and the birth date do not belong together (or the code is unknown or expired).
        case notRecognised
        case tooManyAttempts
    }

    public func open(code typedCode: String, birthDate typedDate: String, client: String, requestID: String?) async throws -> Opening {
        let code = AnswerCode(typed: typedCode)
        guard try await !answers.answerLocked(client: client, code: code) else {
            try await audit.append([AuditEntry(youngPerson: .answerRefused, outcome: .locked, subject: nil, requestID: requestID)])
            return .tooManyAttempts
        }
        if let code, let birth = TypedDate(typedDate).date, let entry = try await answers.answerCode(code),
           entry.validUntil >= clock.today(), entry.birthDate == birth {
            try await audit.append([AuditEntry(youngPerson: .answerViewed(entry.caseID), subject: entry.subject, requestID: requestID)])
            return .opened(entry)
        }
        try await answers.answerFailed(client: client, code: code)
        try await audit.append([AuditEntry(youngPerson: .answerRefused, outcome: .denied, subject: nil, requestID: requestID)])
        return .notRecognised
    }

    public struct Answer: Sendable {
        public var choice: AnswerChoice
        public var text: String?
        public var phone: String?
        public var email: String?
        public var moment: String?
        public var consent: Bool

        public init(choice: AnswerChoice, text: String?, phone: String?, email: String?, moment: String?, consent: Bool) {
            self.choice = choice
            self.text = text
            self.phone = phone
            self.email = email
            self.moment = moment
            self.consent = consent
        }
    }

    public enum Refusal: VangnetError, Equatable {
        /// "Something is wrong" needs what is wrong.
        case whatIsWrongMissing
        /// A phone number or e-mail address without the consent to use it.
        case consentMissing
        case tooLong

        public var kind: ErrorKind { .invalidInput }
        public var code: String {
            switch self {
            case .whatIsWrongMissing: "text_required"
            case .consentMissing: "consent_required"
            case .tooLong: "too_long"
            }
        }
        public var description: String { code }
    }

    /// Puts the answer on the case: an event with the young person's words (sealed), a task for the
    /// consultant and, where it says so, a suggested status.
    public func answer(_ caseID: Int64, _ answer: Answer, subject: String?, requestID: String?) async throws {
        func cleaned(_ text: String?, _ maximum: Int) throws -> String? {
            let value = text?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            guard value.count <= maximum else { throw Refusal.tooLong }
            return value.isEmpty ? nil : value
        }
        let text = try CaseNote.cleaned(answer.text)
        let phone = try cleaned(answer.phone, 40), email = try cleaned(answer.email, 200), moment = try cleaned(answer.moment, 200)
        if answer.choice == .somethingWrong, text == nil { throw Refusal.whatIsWrongMissing }
        if phone != nil || email != nil, !answer.consent { throw Refusal.consentMissing }
        let contact = [phone.map { "tel: \($0)" }, email.map { "e-mail: \($0)" }, moment.map { "moment: \($0)" }].compactMap { $0 }
        let note = ([text].compactMap { $0 } + contact + (answer.consent && !contact.isEmpty ? ["consent: yes"] : []))
            .joined(separator: "\n")
        let today = clock.today()
        let entry = AuditEntry(youngPerson: .answerGiven(caseID), subject: subject, requestID: requestID)
        _ = try await cases.update([caseID], scope: .all) { states in
            states.map { state in
                let (updated, event) = state.current.answering(answer.choice, on: today)
                return CaseChange(updated: updated, event: event, note: note.isEmpty ? nil : note, audit: [entry])
            }
        }
    }
}
