import Domain
import Letters

/// What the letter batch needs from storage.
public protocol LetterRepository: Sendable {
    /// The open cases that need a letter on `date`: an invitation (policy `invite`, not yet
    /// written to since the case opened), a notice of registration (`auto-register`), a reminder
    /// (an invitation at least `reminderAfterDays` old, no reminder yet, no contact since that
    /// reached the young person). With the person's current register state and decision.
    func letterCandidates(on date: LocalDate, reminderAfterDays: Int) async throws -> [LetterCandidate]
    /// The persons of those cases only (cheap): to decide them again before the candidates are read.
    func personsNeedingLetters(on date: LocalDate, reminderAfterDays: Int) async throws -> [Int64]
    /// A new batch number (the PDF and the manifest carry it); refused
    /// (`LetterBatchWork.Refusal.batchUnderWay`) while another batch is being made.
    func reserveLetterBatch(on date: LocalDate) async throws -> Int64
    /// Marks a reserved batch that could not be stored as failed.
    func abandonLetterBatch(_ id: Int64) async throws
    /// Stores the batch — its PDF and manifest, each letter, its code's keyed hash, the case events,
    /// invited cases — and audits the letters' making, in one transaction.
    func saveLetterBatch(_ batch: LetterBatchRecord) async throws
}

public struct LetterCandidate: Sendable {
    public var caseID: Int64
    public var personID: Int64
    public var kind: LetterKind
    public var province: Province?
    /// The consultant's display name (the letter is signed by them).
    public var consultant: String?
    public var register: PersonRecord?
    /// The person's current decision says "to be reached".
    public var eligible: Bool
    /// Letters already written on this case (the next reference's number).
    public var lettersSoFar: Int
    /// A letter to the person's current address came back undeliverable: none goes there again.
    public var addressReturned = false
    /// The audit log's name for the person.
    public var subject: String?

    public init(caseID: Int64, personID: Int64, kind: LetterKind, province: Province?, consultant: String?, register: PersonRecord?,
                eligible: Bool, lettersSoFar: Int, subject: String?) {
        self.caseID = caseID
        self.personID = personID
        self.kind = kind
        self.province = province
        self.consultant = consultant
        self.register = register
        self.eligible = eligible
        self.lettersSoFar = lettersSoFar
        self.subject = subject
    }
}

/// A made batch, ready to store.
public struct LetterBatchRecord: Sendable {
    public struct Item: Sendable {
        public var caseID: Int64
        public var kind: LetterKind
        public var template: String
        public var language: LetterLanguage
        public var reference: String
        public var firstPage: Int
        public var pages: Int
        /// What the letter said, for showing it again exactly (sealed by the store).
        public var content: String
        public var code: AnswerCode
        public var codeValidUntil: LocalDate
    }

    public var id: Int64
    public var madeOn: LocalDate
    public var pdf: [UInt8]
    public var sha256: String
    /// Pages in the PDF, blank backs included.
    public var pages: Int
    public var manifestJSON: String
    public var manifestCSV: String
    public var items: [Item]
    public var audit: [AuditEntry]
}

/// What the mail house's files need from storage.
public protocol MailHouseRepository: Sendable {
    /// Checks every line against the letters (is there such a letter, in that batch, handed over?),
    /// applies the accepted ones — hand-overs, returns with their case events and next actions,
    /// the returned addresses — keeps the file's outcome and audits the import, in one transaction.
    func applyMailHouseFile(_ kind: MailHouseFile.Kind, name: String, lines: [MailHouseFile.Line], on today: LocalDate,
                            by actor: Actor) async throws -> MailHouseImport
    /// The files imported, newest first.
    func mailHouseFiles(limit: Int) async throws -> [MailHouseImport]
}
