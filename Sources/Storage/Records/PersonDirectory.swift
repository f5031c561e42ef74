import Foundation
import NIOConcurrencyHelpers
import Privacy

/// Person ids by blind index, remembered across the files of one import run (so the persons file
/// after the enrolment file needs no look-up at all). About 50 MB for all of Flanders.
public final class PersonDirectory: Sendable {
    private let ids = NIOLockedValueBox<[InszKey: Int64]>([:])

    public init() {}

    /// The persons whose id is already known, with it, and those still to look up or create —
    /// under one lock for the whole batch.
    func partition(_ persons: [RecordWriter.PreparedBatch.NewPerson])
        -> (known: [InszKey: Int64], unknown: [RecordWriter.PreparedBatch.NewPerson]) {
        ids.withLockedValue { directory in
            var known: [InszKey: Int64] = [:]
            var unknown: [RecordWriter.PreparedBatch.NewPerson] = []
            for person in persons {
                if let id = directory[person.key] { known[person.key] = id } else { unknown.append(person) }
            }
            return (known: known, unknown: unknown)
        }
    }

    func remember(_ found: [InszKey: Int64]) {
        ids.withLockedValue { $0.merge(found) { $1 } }
    }
}
