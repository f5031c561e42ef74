import Domain
import Foundation
import Linkage

/// Two persons that turn out to be one young person, merged (docs/linkage.md, "Merges"):
/// - automatically when a population-register record names the number it replaces (a BIS number
///   replaced by a national number): `mergeReplacedNumbers`, after every import;
/// - by the data steward, who compares the persons of two cases — both identities side by side,
///   with what each field says for or against — and confirms: `compare`, `merge`.
/// A merge can be undone, exactly; after either, both persons are decided again by the pipeline.
public struct PersonMerging: Sendable {
    let merges: any MergeRepository

    public init(merges: any MergeRepository) {
        self.merges = merges
    }

    /// Merges the replacements the register told of since the last run; returns the merges made.
    /// A replacement whose old number Vangnet has not seen yet is merged all the same: records that
    /// arrive later under the old number go to the person at once.
    @discardableResult
    public func mergeReplacedNumbers() async throws -> Int {
        var position = try await merges.mergePosition()
        var made = 0
        let system = IdentityWork.system
        while true {
            let (replacements, reached) = try await merges.replacedNumbers(after: position, limit: 2000)
            made += try await merges.mergeReplacements(replacements, by: system.username, audit: { AuditEntry(system, .personsMerged($0)) })
            guard reached > position else { break }
            position = reached
            try await merges.setMergePosition(position)
        }
        return made
    }

    /// Two registrations side by side, as the steward decides on them.
    public struct Comparison: Sendable {
        public var survivor: PersonMerge.Side
        public var absorbed: PersonMerge.Side
        public var survivorIdentity: KnownIdentity?
        public var absorbedIdentity: KnownIdentity?
        /// What each field says, when both are known to the population register.
        public var explanation: [LinkTerm]
        public var probability: Double?
        public var samePerson: Bool { survivor.person == absorbed.person }
        /// The fields speak against one person (below even odds): the steward is warned before merging.
        public var pointsToTwoPersons: Bool { (probability ?? 1) < 0.5 }
    }

    /// The prior of the steward's comparison: a pair someone suspects is far likelier to be one
    /// person than a random pair, but the fields are to speak for it.
    public static let comparisonPrior = 0.001

    /// Compares the persons behind two cases (their persons as merges have made them).
    public func compare(_ first: Case, _ second: Case) async throws -> Comparison {
        let a = try await merges.mergeSide(person: first.personID)
        let b = try await merges.mergeSide(person: second.personID)
        let (survivor, absorbed) = PersonMerge.order(a, b)
        let survivorIdentity = try await merges.registerIdentity(person: survivor.person)
        let absorbedIdentity = try await merges.registerIdentity(person: absorbed.person)
        var comparison = Comparison(survivor: survivor, absorbed: absorbed, survivorIdentity: survivorIdentity,
                                    absorbedIdentity: absorbedIdentity, explanation: [], probability: nil)
        if let one = survivorIdentity, let other = absorbedIdentity, !comparison.samePerson {
            var options = Linker.Options()
            options.termFrequencyFields = []
            let linker = Linker([IdentityWork.linkageRecord(one, id: "s")], [IdentityWork.linkageRecord(other, id: "a")], options: options)
            let explanation = linker.explain(0, 0, model: .reference(prior: Self.comparisonPrior))
            comparison.explanation = explanation.terms.map(LinkTerm.init)
            comparison.probability = explanation.probability
        }
        return comparison
    }

    /// The steward's merge of two cases' persons: the one `PersonMerge.order` puts first goes on.
    /// Nil when they already are one person.
    public func merge(_ first: Case, _ second: Case, by actor: Actor) async throws -> Int64? {
        let comparison = try await compare(first, second)
        guard !comparison.samePerson else { return nil }
        let steward = actor.acting(for: .dataQuality)
        return try await merges.merge(absorbed: comparison.absorbed.person, into: comparison.survivor.person, reason: .steward,
                                      probability: comparison.probability, explanation: comparison.explanation, by: steward.username,
                                      audit: { AuditEntry(steward, .personsMerged($0)) })
    }

    public func undo(_ id: Int64, by actor: Actor) async throws -> MergeUndo {
        let steward = actor.acting(for: .dataQuality)
        return try await merges.undoMerge(id, by: steward.username, audit: AuditEntry(steward, .mergeUndone(id)))
    }
}
