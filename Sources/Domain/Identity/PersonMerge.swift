/// Two persons that turn out to be one young person: a BIS number the national register replaced
/// by a national number, or two registrations a data steward found to be the same person. The
/// absorbed person's records (and the records that arrive later under its INSZ) belong to the
/// survivor from then on; the survivor is decided again, with the facts of both, and its case goes
/// on. A merge is kept as it was made, so that it can be undone exactly (docs/linkage.md, "Merges").
public struct PersonMerge: Sendable, Equatable, Identifiable {
    public enum Reason: String, Sendable, CaseIterable {
        /// A population-register record names the number it replaces (`previous_insz`).
        case replacedNumber = "replaced_number"
        /// The data steward compared the two and decided they are the same person.
        case steward
    }

    public var id: Int64
    public var absorbed: Int64
    public var survivor: Int64
    public var reason: Reason
    /// The linkage probability the steward saw, when there was one.
    public var probability: Double?
    public var mergedBy: String
    public var mergedAt: String
    public var undoneBy: String?
    public var undoneAt: String?

    public init(id: Int64, absorbed: Int64, survivor: Int64, reason: Reason, probability: Double?, mergedBy: String, mergedAt: String,
                undoneBy: String? = nil, undoneAt: String? = nil) {
        self.id = id
        self.absorbed = absorbed
        self.survivor = survivor
        self.reason = reason
        self.probability = probability
        self.mergedBy = mergedBy
        self.mergedAt = mergedAt
        self.undoneBy = undoneBy
        self.undoneAt = undoneAt
    }

    public var isActive: Bool { undoneAt == nil }

    /// One registration of a person, as the choice of survivor needs it.
    public struct Side: Sendable, Equatable {
        public var person: Int64
        public var insz: INSZ?
        /// The population register has a record of this INSZ.
        public var inRegister: Bool

        public init(person: Int64, insz: INSZ?, inRegister: Bool) {
            self.person = person
            self.insz = insz
            self.inRegister = inRegister
        }
    }

    /// Which of two registrations goes on: a national number before a BIS number (the register's
    /// number replaces the social security's), then the one the population register knows, then
    /// the one Vangnet knew first. Returns (survivor, absorbed).
    public static func order(_ a: Side, _ b: Side) -> (survivor: Side, absorbed: Side) {
        func rank(_ side: Side) -> (Int, Int, Int64) {
            (side.insz?.kind == .bis ? 1 : 0, side.inRegister ? 0 : 1, side.person)
        }
        return rank(a) <= rank(b) ? (a, b) : (b, a)
    }

    /// Of two open cases of the persons merged, the one that goes on: the one opened first (the
    /// consultant who found the young person first keeps them); the other is closed as merged.
    public static func caseGoingOn(_ a: Case, _ b: Case) -> Case {
        (a.openedOn, a.id) <= (b.openedOn, b.id) ? a : b
    }
}
