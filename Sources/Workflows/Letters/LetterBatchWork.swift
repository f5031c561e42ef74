import Domain
import Foundation
import Letters

/// The daily letter batch (`vangnet letters batch`, and the server's daily job): everyone in it is
/// decided again first, so that a young person who meanwhile registered at VDAB, started work,
/// re-enrolled or moved abroad gets no letter; then one print-ready PDF and a manifest for the
/// mail house.
public struct LetterBatchWork: Sendable {
    public struct Settings: Sendable {
        /// Days after the invitation before a reminder (no answer, no contact that reached them).
        public var reminderAfterDays = 14
        /// How long a personal code works.
        public var codeValidDays = 120
        /// The short address of the answer page printed on the letter.
        public var answerAddress = "vangnet.vdab.be/antwoord"
        /// Refuse to write letters signed with the demo's placeholder offices (production).
        public var requireConfiguredOffices = false

        public init() {}
    }

    let letters: any LetterRepository
    let regions: Regions
    let settings: Settings
    let clock: Clock
    /// Decides these persons again now (the pipeline); returns how many cases it withdrew.
    let decideAgain: @Sendable ([Int64]) async throws -> Int
    let sha256: @Sendable ([UInt8]) -> String

    public init(letters: any LetterRepository, regions: Regions, settings: Settings, clock: Clock,
                decideAgain: @escaping @Sendable ([Int64]) async throws -> Int, sha256: @escaping @Sendable ([UInt8]) -> String) {
        self.letters = letters
        self.regions = regions
        self.settings = settings
        self.clock = clock
        self.decideAgain = decideAgain
        self.sha256 = sha256
    }

    public struct Summary: Sendable, Equatable, Codable {
        public var batchID: Int64?
        public var letters = 0
        public var pages = 0
        /// Cases nobody had acted on whose young person was no longer to be reached when decided
        /// again: withdrawn (`Case.withdrawing`), no letter.
        public var withdrawn = 0
        /// Cases someone acted on whose young person is no longer to be reached: no letter; the
        /// consultant sees the suggestion.
        public var noLongerEligible = 0
        /// No address in Belgium in the register: no letter (the consultant sees the case as usual).
        public var withoutAddress = 0
        /// A letter to the person's current address came back (the mail house's return file): no
        /// letter until the register has another address; the consultant has the task.
        public var addressReturned = 0
        /// No consultant yet (the province is not covered): the letter waits until one is assigned,
        /// since it is signed by them.
        public var unassigned = 0
        public var byKind: [String: Int] = [:]

        public init() {}
    }

    public enum Refusal: VangnetError, Equatable {
        /// Another batch is being made right now.
        case batchUnderWay
        /// The regions file has no office for a province the letters need (production).
        case officeNotConfigured(Province)

        public var kind: ErrorKind { self == .batchUnderWay ? .conflict : .unavailable }
        public var code: String { self == .batchUnderWay ? "batch_under_way" : "office_not_configured" }
        public var description: String {
            switch self {
            case .batchUnderWay: "another letter batch is being made; try again in a few minutes"
            case .officeNotConfigured(let province): "the regions file has no office for \(province.rawValue): letters must name one (docs/regions.md)"
            }
        }
    }

    /// Makes the batch of `date` (today by default), as `actor` (the steward, or the system for the
    /// daily run); nil batch when there is nothing to send.
    public func make(on date: LocalDate? = nil, by actor: Actor? = nil) async throws -> (Summary, LetterBatchRecord?) {
        let day = date ?? clock.today()
        var summary = Summary()
        let persons = try await letters.personsNeedingLetters(on: day, reminderAfterDays: settings.reminderAfterDays)
        guard !persons.isEmpty else { return (summary, nil) }
        summary.withdrawn = try await decideAgain(persons)
        let candidates = try await letters.letterCandidates(on: day, reminderAfterDays: settings.reminderAfterDays)
        var made: [Letter] = []
        var addresses: [[String: String]] = []
        var items: [LetterBatchRecord.Item] = []
        var audit: [AuditEntry] = []
        let maker = (actor ?? Actor(username: "vangnet", role: .admin, purpose: .caseWork, requestID: nil)).acting(for: .caseWork)
        for candidate in candidates {
            guard candidate.eligible else { summary.noLongerEligible += 1; continue }
            guard let person = candidate.register, let recipient = LetterRecipient(person) else { summary.withoutAddress += 1; continue }
            guard !candidate.addressReturned else { summary.addressReturned += 1; continue }
            guard let consultant = candidate.consultant else { summary.unassigned += 1; continue }
            let province = candidate.province ?? regions.brusselsProvince
            let office = regions.offices[province] ?? Office.demo[province]!
            if settings.requireConfiguredOffices, office == Office.demo[province] { throw Refusal.officeNotConfigured(province) }
            let language = LetterLanguage.forAddress(postcode: person.postcode, regions: regions)
            let code = AnswerCode.generate()
            let reference = CaseNumber.format(candidate.caseID) + "-" + String(candidate.lettersSoFar + 1)
            let letter = LetterTemplates.letter(.init(kind: candidate.kind, language: language, firstName: person.firstName,
                                                      consultant: consultant, office: office, code: code,
                                                      answerAddress: settings.answerAddress),
                                                recipient: recipient, reference: reference, date: day)
            made.append(letter)
            addresses.append(LetterRecipient.structured(person))
            items.append(.init(caseID: candidate.caseID, kind: candidate.kind, template: letter.template, language: language,
                               reference: reference, firstPage: 0, pages: 0, content: Self.content(letter), code: code,
                               codeValidUntil: day.adding(days: settings.codeValidDays)))
            audit.append(AuditEntry(maker, .letterMade(candidate.caseID), subject: candidate.subject))
            summary.byKind[candidate.kind.rawValue, default: 0] += 1
        }
        guard !made.isEmpty else { return (summary, nil) }
        let id = try await letters.reserveLetterBatch(on: day)
        let batch = LetterBatch.make(id: id, madeOn: day, letters: made, addresses: addresses, created: clock.now(), sha256: sha256)
        for (index, entry) in batch.entries.enumerated() {
            items[index].firstPage = entry.firstPage
            items[index].pages = entry.pages
        }
        let record = LetterBatchRecord(id: id, madeOn: day, pdf: batch.pdf, sha256: batch.sha256, pages: batch.pages, manifestJSON: batch.manifestJSON,
                                       manifestCSV: batch.manifestCSV, items: items, audit: audit)
        do {
            try await letters.saveLetterBatch(record)
        } catch {
            try? await letters.abandonLetterBatch(id)
            throw error
        }
        summary.batchID = id
        summary.letters = made.count
        summary.pages = batch.pages
        return (summary, record)
    }

    /// The letter's text as stored with it: every line, in order — without the personal code,
    /// which exists only on the paper (and as a keyed hash).
    static func content(_ letter: Letter) -> String {
        let hidden = "•••••-•••••"
        return ([letter.salutation] + letter.paragraphs + ["\(letter.labels.code): \(letter.code.grouped)",
                                                           "\(letter.labels.answerHere): \(letter.answerAddress)"] + letter.signature)
            .joined(separator: "\n").replacingOccurrences(of: letter.code.grouped, with: hidden)
    }
}
