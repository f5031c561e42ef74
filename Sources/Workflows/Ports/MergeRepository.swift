import Domain

/// What merging two persons into one needs from storage (docs/linkage.md, "Merges"): the numbers
/// the population register says were replaced, the persons behind an INSZ or a case, and the
/// merge and its undo — each one transaction with its audit entry, after which the persons
/// concerned are due to be decided again.
public protocol MergeRepository: Sendable {
    /// The numbers population-register records said they replace, stored after `position` (at most
    /// `limit`), as the persons of the new and the old number (created when not known yet); with the
    /// position reached.
    func replacedNumbers(after position: Int64, limit: Int) async throws -> (replacements: [NumberReplacement], reached: Int64)
    /// How far `replacedNumbers` has been read (kept by `setMergePosition`).
    func mergePosition() async throws -> Int64
    func setMergePosition(_ position: Int64) async throws
    /// One registration as the choice of survivor needs it; its person as merges have made it.
    func mergeSide(person: Int64) async throws -> PersonMerge.Side
    /// The person's latest population-register record (who the steward compares), if any.
    func registerIdentity(person: Int64) async throws -> KnownIdentity?
    /// Makes `absorbed` part of `survivor` (both taken as merges have made them): its records,
    /// cases and links go to the survivor, the later of two open cases is closed as merged, the
    /// survivor is due to be decided again. Nil when they already are one person.
    func merge(absorbed: Int64, into survivor: Int64, reason: PersonMerge.Reason, probability: Double?, explanation: [LinkTerm],
               by actor: String, audit: @escaping @Sendable (Int64) -> AuditEntry) async throws -> Int64?
    /// Merges the register's replacements of a run (each absorbed into its survivor), exactly as
    /// `merge` would one after the other, with one audit entry each; returns the merges made.
    func mergeReplacements(_ replacements: [NumberReplacement], by actor: String,
                           audit: @escaping @Sendable (Int64) -> AuditEntry) async throws -> Int
    /// Undoes a merge exactly: the records of the absorbed person's numbers, the cases it moved, the
    /// case it closed go back; both persons are due to be decided again.
    func undoMerge(_ id: Int64, by actor: String, audit: AuditEntry) async throws -> MergeUndo
    func merge(_ id: Int64) async throws -> PersonMerge?
    /// A merge with both registrations as they were before it (each number's own records), for the
    /// steward who checks it before undoing it.
    func mergeDetail(_ id: Int64) async throws -> MergeDetail?
    /// The latest merges, newest first, with the case numbers of both sides (for the steward).
    func recentMerges(limit: Int) async throws -> [MergeListing]
}

/// A register record saying that the number of `survivor` replaces the number of `absorbed`.
public struct NumberReplacement: Sendable, Equatable {
    public var survivor: Int64
    public var absorbed: Int64

    public init(survivor: Int64, absorbed: Int64) {
        self.survivor = survivor
        self.absorbed = absorbed
    }
}

public enum MergeUndo: Sendable, Equatable {
    case undone
    /// Not a merge, or undone before.
    case notActive
    /// The survivor was merged into a third person later: that merge is to be undone first.
    case laterMergeFirst(Int64)
}

/// A merge as the steward's list shows it.
public struct MergeListing: Sendable, Equatable {
    public var merge: PersonMerge
    /// The latest case of each side, when it has one.
    public var survivorCase: Int64?
    public var absorbedCase: Int64?

    public init(merge: PersonMerge, survivorCase: Int64?, absorbedCase: Int64?) {
        self.merge = merge
        self.survivorCase = survivorCase
        self.absorbedCase = absorbedCase
    }
}

/// A merge and the two registrations it joined.
public struct MergeDetail: Sendable {
    /// One side: its number and the latest population-register record under that number.
    public struct Registration: Sendable {
        public var insz: INSZ?
        public var identity: PersonRecord?

        public init(insz: INSZ?, identity: PersonRecord?) {
            self.insz = insz
            self.identity = identity
        }
    }

    public var listing: MergeListing
    public var survivor: Registration
    public var absorbed: Registration

    public init(listing: MergeListing, survivor: Registration, absorbed: Registration) {
        self.listing = listing
        self.survivor = survivor
        self.absorbed = absorbed
    }
}
