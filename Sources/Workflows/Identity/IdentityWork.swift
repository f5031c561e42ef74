import Domain
import Foundation
import Ingest
import Linkage

/// Finding the person behind a quarantined record whose INSZ is missing or invalid (a typo, a
/// number from another scheme, none at all), by the record's name, birth date and postcode against
/// the persons Vangnet knows from the population register (docs/linkage.md):
/// - at or above the link threshold the record is linked: stored with the person's INSZ, its
///   quarantine entry closed as linked, the link kept with its probability and explanation;
/// - between the thresholds it waits for the steward in the review queue, who decides "the same
///   person" (linked as above) or "not the same" (remembered: that question is not asked again);
/// - below, it stays in quarantine with its best candidate's probability.
public struct IdentityWork: Sendable {
    public struct Thresholds: Sendable, Equatable {
        /// From here a record is linked without asking.
        public var link: Double
        /// From here up to `link` the steward decides.
        public var review: Double

        public init(link: Double = 0.95, review: Double = 0.5) {
            self.link = link
            self.review = review
        }
    }

    public struct Report: Sendable, Equatable, Codable {
        /// Quarantined records with a missing or invalid INSZ.
        public var candidates = 0
        /// Without a name and a birth date: nothing to link them by.
        public var withoutIdentity = 0
        public var linked = 0
        public var queued = 0
        /// Below the review threshold, or already answered "not the same".
        public var unresolved = 0
        /// Linked but refused by validation for another reason (left in quarantine).
        public var stillRejected = 0
        /// Persons merged because the population register replaced a number (`PersonMerging`).
        public var merged = 0
        /// Seconds spent merging, reading the register, matching and storing the links (for the
        /// benchmarks and the operator).
        public var mergeSeconds = 0.0
        public var readSeconds = 0.0
        public var matchSeconds = 0.0
        public var storeSeconds = 0.0
    }

    public enum Decision: Sendable, Equatable { case linked, rejected, stillRejected([Rejection]), alreadyDecided }

    let identities: any IdentityRepository
    /// Merges the persons of numbers the register replaced, before linking.
    let merging: PersonMerging
    /// Stores a linked record through the same reading as the steward's corrections.
    let quarantine: QuarantineWork
    public let thresholds: Thresholds

    public init(identities: any IdentityRepository, merges: any MergeRepository, quarantine: QuarantineWork, thresholds: Thresholds = Thresholds()) {
        self.identities = identities
        self.merging = PersonMerging(merges: merges)
        self.quarantine = quarantine
        self.thresholds = thresholds
    }

    /// The delivery a link stores its record in: an undo removes what it holds.
    public static func deliveryName(_ quarantineID: Int64) -> String { "linkage #\(quarantineID)" }

    /// The actor of automatic links in the audit log.
    public static let system = Actor(username: "system:linkage", role: .steward, purpose: .dataQuality)

    /// Merges the persons of replaced numbers, then tries every open entry once; safe to run again
    /// (what was asked is not asked twice).
    public func resolve() async throws -> Report {
        var report = Report()
        var phase = Date()
        func lap(_ seconds: inout Double) {
            seconds += Date().timeIntervalSince(phase)
            phase = Date()
        }
        report.merged = try await merging.mergeReplacedNumbers()
        lap(&report.mergeSeconds)
        let unresolved = try await identities.unresolvedIdentities()
        report.candidates = unresolved.count
        guard !unresolved.isEmpty else { return report }
        var records: [LinkageRecord] = []
        var entries: [QuarantinedIdentity] = []
        for entry in unresolved {
            guard let record = Self.linkageRecord(entry) else {
                report.withoutIdentity += 1
                continue
            }
            records.append(record)
            entries.append(entry)
        }
        guard !records.isEmpty else { return report }
        phase = Date()
        // The register as the linker reads it, and each person's number: nothing more of it is held.
        var persons: [LinkageRecord] = []
        var numbers: [INSZ] = []
        try await identities.knownIdentities { chunk in
            for identity in chunk {
                persons.append(Self.linkageRecord(identity, id: "p\(persons.count)"))
                numbers.append(identity.insz)
            }
        }
        lap(&report.readSeconds)
        guard !persons.isEmpty else {
            report.unresolved += records.count
            return report
        }
        var options = Linker.Options()
        options.threshold = 0
        // A handful of quarantined records are too few to learn m from: the reference model, and
        // the expectation that most of them are persons Vangnet knows.
        // u is measured, blended with the reference for small registers; term frequencies are left
        // out (on a few thousand persons they say more about the sample than about the name).
        options.fixedM = LinkageModel.referenceM
        options.referenceU = LinkageModel.referenceU
        options.termFrequencyFields = []
        options.expectedShareOfAMatched = 0.9
        let linker = Linker(records, persons, options: options)
        persons = []
        let result = linker.run()
        var best: [Int: Linker.Link] = [:]
        for link in result.links where link.probability > (best[link.a]?.probability ?? -1) { best[link.a] = link }
        lap(&report.matchSeconds)
        let asked = try await identities.reviewedCandidates()
        var automatic: [LinkedRecord] = []
        for (index, entry) in entries.enumerated() {
            guard let link = best[index], link.probability >= thresholds.review else {
                try await identities.noteBestCandidate(quarantineID: entry.id, probability: best[index]?.probability)
                report.unresolved += 1
                continue
            }
            let proposal = ProposedLink(quarantineID: entry.id, candidate: numbers[link.b], probability: link.probability,
                                        explanation: linker.explain(link.a, link.b, model: result.model).terms.map(LinkTerm.init))
            if asked.contains(where: { $0.quarantineID == entry.id && $0.candidate == proposal.candidate && !$0.open }) {
                try await identities.noteBestCandidate(quarantineID: entry.id, probability: link.probability)
                report.unresolved += 1
            } else if link.probability >= thresholds.link {
                if let linked = try read(entry, proposal) {
                    automatic.append(linked)
                } else {
                    report.stillRejected += 1
                }
            } else if !asked.contains(where: { $0.quarantineID == entry.id && $0.open }) {
                try await identities.queueReview(proposal)
                try await identities.noteBestCandidate(quarantineID: entry.id, probability: link.probability)
                report.queued += 1
            } else {
                report.queued += 1
            }
        }
        try await identities.storeLinks(automatic, by: Self.system.username, audit: { AuditEntry(Self.system, .identityLinked($0)) })
        report.linked += automatic.count
        lap(&report.storeSeconds)
        return report
    }

    /// The steward's answer to a review.
    public func decide(_ reviewID: Int64, same: Bool, by actor: Actor) async throws -> Decision? {
        guard let review = try await identities.review(reviewID) else { return nil }
        guard review.status == "open" else { return .alreadyDecided }
        let steward = actor.acting(for: .dataQuality)
        guard same else {
            try await identities.rejectReview(reviewID, by: steward.username, audit: AuditEntry(steward, .identityRejected(review.quarantineID)))
            return .rejected
        }
        guard let kind = review.kind else { return .alreadyDecided }
        return try await store(QuarantinedIdentity(id: review.quarantineID, kind: kind, original: review.original, header: review.header),
                               review.link, by: steward)
    }

    /// Undoes a link the steward finds wrong; the person's decision and case follow at the next
    /// pipeline run. False when the entry is not linked.
    public func undo(_ quarantineID: Int64, by actor: Actor) async throws -> Bool {
        let steward = actor.acting(for: .dataQuality)
        return try await identities.undoLink(quarantineID: quarantineID, by: steward.username,
                                             audit: AuditEntry(steward, .identityUnlinked(quarantineID)))
    }

    /// The record with the candidate's INSZ, read through the same validation as an import; nil
    /// when it is still refused.
    private func read(_ entry: QuarantinedIdentity, _ proposal: ProposedLink) throws -> LinkedRecord? {
        guard let corrected = RecordText.replacing("insz", with: proposal.candidate.digits, in: entry.text),
              case .items(let items, let format) = try quarantine.read(corrected, kind: entry.kind) else { return nil }
        return LinkedRecord(items: items, format: format, link: proposal)
    }

    /// Stores the record with the candidate's INSZ, through the same validation as an import.
    private func store(_ entry: QuarantinedIdentity, _ proposal: ProposedLink, by actor: Actor) async throws -> Decision {
        guard let corrected = RecordText.replacing("insz", with: proposal.candidate.digits, in: entry.text) else {
            return .stillRejected([])
        }
        switch try await quarantine.store(corrected, kind: entry.kind, delivery: Self.deliveryName(entry.id)) {
        case .empty: return .stillRejected([])
        case .rejected(let rejections): return .stillRejected(rejections)
        case .stored:
            try await identities.recordLink(proposal, by: actor.username, audit: AuditEntry(actor, .identityLinked(entry.id)))
            return .linked
        }
    }

    /// The identity a quarantined record carries besides its INSZ, or nil without a name and a birth date.
    static func linkageRecord(_ entry: QuarantinedIdentity) -> LinkageRecord? {
        guard let fields = RecordText.fields(entry.text) else { return nil }
        func value(_ name: String) -> String? {
            let text = fields[name]?.trimmingCharacters(in: .whitespaces) ?? ""
            return text.isEmpty ? nil : text
        }
        guard value("last_name") != nil, value("first_name") != nil, let born = value("birth_date"),
              LinkageRecord.isReadableBirthDate(born) else { return nil }
        let sex: LinkageRecord.Sex? = switch value("sex")?.uppercased() { case "M": .male; case "F", "V": .female; default: nil }
        return LinkageRecord(id: "q\(entry.id)", nationalNumber: value("insz"), givenName: value("first_name"), surname: value("last_name"),
                             sex: sex, birthDate: born, street: value("street"), houseNumber: value("house_number"),
                             postcode: value("postcode"), city: value("municipality"))
    }

    static func linkageRecord(_ identity: KnownIdentity, id: String) -> LinkageRecord {
        let person = identity.person
        return LinkageRecord(id: id, nationalNumber: identity.insz.digits, givenName: person.firstName, surname: person.lastName,
                             sex: person.sex.map { $0 == .male ? .male : .female }, birthDate: person.birthDate?.iso,
                             street: person.street, houseNumber: person.houseNumber, postcode: person.postcode, city: person.municipality)
    }
}

extension QuarantinedIdentity {
    /// The record as the steward reads it: a JSON object as it is, a CSV line under its file's
    /// header (or, for entries from before headers were kept, the canonical one).
    public var text: String {
        if original.hasPrefix("{") { return original }
        return (header ?? ExchangeWriter.csvHeader(kind)) + "\n" + original
    }
}
