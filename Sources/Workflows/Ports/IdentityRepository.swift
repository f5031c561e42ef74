import Domain
import Ingest
import Linkage

/// What finding a person by linkage needs from storage: the quarantined records whose INSZ failed,
/// the persons Vangnet knows, the review queue, and the links made.
public protocol IdentityRepository: Sendable {
    /// Open quarantine entries whose INSZ was missing or invalid, with their original text (the
    /// CSV header and the line, or the JSON object): reading them is audited by the caller's entry.
    func unresolvedIdentities() async throws -> [QuarantinedIdentity]
    /// Every version of every population-register record: who Vangnet knows, by name, birth date and
    /// address; handed over a chunk at a time, so that a caller keeps only what it needs of them.
    func knownIdentities(_ each: ([KnownIdentity]) throws -> Void) async throws
    /// Reviews asked before, open or decided, by quarantine entry and candidate.
    func reviewedCandidates() async throws -> [ReviewedCandidate]
    func queueReview(_ review: ProposedLink) async throws
    /// The best candidate's probability, kept on the quarantine entry (nil: none found).
    func noteBestCandidate(quarantineID: Int64, probability: Double?) async throws
    /// Closes the entry as linked, keeps the link with its probability and explanation, and
    /// closes its open review, in one transaction with the audit entry.
    func recordLink(_ link: ProposedLink, by actor: String, audit: AuditEntry) async throws
    /// The automatic links of a run, together: each record stored as its own delivery
    /// (`IdentityWork.deliveryName`, which an undo removes), each link kept and its entry closed as
    /// `recordLink` does, with one audit entry per link, in one transaction.
    func storeLinks(_ links: [LinkedRecord], by actor: String, audit: @escaping @Sendable (Int64) -> AuditEntry) async throws
    func review(_ id: Int64) async throws -> IdentityReview?
    /// Closes a review as not the same person: the question is not asked again.
    func rejectReview(_ id: Int64, by actor: String, audit: AuditEntry) async throws
    /// Undoes a link: the records it stored are removed, the entry is open again, the pair is
    /// remembered as "not the same person", and the person is due to be decided again. False when
    /// the entry is not linked.
    func undoLink(quarantineID: Int64, by actor: String, audit: AuditEntry) async throws -> Bool
}

public struct QuarantinedIdentity: Sendable, Equatable {
    public var id: Int64
    public var kind: RecordKind
    /// The line or JSON object as it arrived.
    public var original: String
    /// The header line of the line's file, when it was kept.
    public var header: String?

    public init(id: Int64, kind: RecordKind, original: String, header: String?) {
        self.id = id
        self.kind = kind
        self.original = original
        self.header = header
    }
}

public struct KnownIdentity: Sendable, Equatable {
    public var insz: INSZ
    public var person: PersonRecord

    public init(insz: INSZ, person: PersonRecord) {
        self.insz = insz
        self.person = person
    }
}

public struct ReviewedCandidate: Sendable, Hashable {
    public var quarantineID: Int64
    public var candidate: INSZ
    public var open: Bool

    public init(quarantineID: Int64, candidate: INSZ, open: Bool) {
        self.quarantineID = quarantineID
        self.candidate = candidate
        self.open = open
    }
}

/// A quarantined record and the known person it probably is.
public struct ProposedLink: Sendable, Equatable {
    public var quarantineID: Int64
    public var candidate: INSZ
    public var probability: Double
    public var explanation: [LinkTerm]

    public init(quarantineID: Int64, candidate: INSZ, probability: Double, explanation: [LinkTerm]) {
        self.quarantineID = quarantineID
        self.candidate = candidate
        self.probability = probability
        self.explanation = explanation
    }
}

/// One field's part in a link, as stored: the field, its level, its weight.
public struct LinkTerm: Sendable, Equatable, Codable {
    public var field: String
    public var level: String
    public var weight: Double
    public var household: Bool

    public init(field: String, level: String, weight: Double, household: Bool) {
        self.field = field
        self.level = level
        self.weight = weight
        self.household = household
    }

    public init(_ term: LinkExplanation.Term) {
        self.init(field: "\(term.field)", level: term.level.rawValue, weight: term.total, household: term.household)
    }

    /// The stored field, when this version knows it.
    public var linkageField: LinkageField? { LinkageField.allCases.first { "\($0)" == field } }

    /// True when the field spoke for the link.
    public var supports: Bool { weight > LinkExplanation.supportingWeight }

    /// What the field says, without the field's name: "gelijk (+7,6)" (for a table with a column per field).
    public func verdict(_ language: LinkageLanguage) -> String {
        let line = line(language)
        return line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? line
    }

    /// "voornaam: gelijk (+7,6)", in the reader's language.
    public func line(_ language: LinkageLanguage) -> String {
        guard let field = linkageField, let level = ComparisonLevel(rawValue: level) else { return "" }
        return LinkExplanation.line(field, level, weight: weight, household: household, language)
    }
}

/// A proposed link waiting for (or decided by) the steward, with both sides.
public struct IdentityReview: Sendable, Equatable {
    public var id: Int64
    public var quarantineID: Int64
    public var kind: RecordKind?
    public var original: String
    public var header: String?
    public var candidate: KnownIdentity?
    public var link: ProposedLink
    public var status: String
    public var createdAt: String

    public init(id: Int64, quarantineID: Int64, kind: RecordKind?, original: String, header: String?, candidate: KnownIdentity?,
                link: ProposedLink, status: String, createdAt: String) {
        self.id = id
        self.quarantineID = quarantineID
        self.kind = kind
        self.original = original
        self.header = header
        self.candidate = candidate
        self.link = link
        self.status = status
        self.createdAt = createdAt
    }
}

/// A quarantined record read again with the INSZ of the person it was linked to, and the link.
public struct LinkedRecord: Sendable {
    public var items: [IngestItem]
    public var format: String
    public var link: ProposedLink

    public init(items: [IngestItem], format: String, link: ProposedLink) {
        self.items = items
        self.format = format
        self.link = link
    }
}
