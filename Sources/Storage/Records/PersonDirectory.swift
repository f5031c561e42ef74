import Foundation
import NIOConcurrencyHelpers
import Privacy

/// Person ids by blind index, remembered across the files of one import run (so the persons file
/// after the enrolment file needs no look-up at all). About 20 MB for all of Flanders.
public final class PersonDirectory: Sendable {
    private let ids = NIOLockedValueBox<[InszKey: Int64]>([:])

    public init() {}

    /// The id of each of `persons` that is already known, nil for those still to look up or
    /// create — under one lock for the whole batch.
    func known(_ persons: [InszKey]) -> [Int64?] {
        ids.withLockedValue { directory in persons.map { directory[$0] } }
    }

    /// Remembers the ids found for `persons` (aligned), where `before` (from `known`) had none.
    func remember(_ persons: [InszKey], ids found: [Int64], before: [Int64?]) {
        ids.withLockedValue { directory in
            for position in persons.indices where before[position] == nil { directory[persons[position]] = found[position] }
        }
    }
}
