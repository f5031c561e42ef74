import Domain
import Foundation
import NIOConcurrencyHelpers

/// What a case list shows of each young person — name, age, municipality, school and the
/// audit subject — kept between requests, so that a caseload page opens and decodes only the
/// records of persons whose records changed since they were last listed. Reading those records was
/// the largest part of a caseload page's CPU once the rendering was made lighter (15 % under the
/// workspace benchmark's load after one school year, more as people gather records over the years).
///
/// An entry is used only while the person's records are the ones it was made from — the sequence
/// numbers of all their records, read on every request in the same statement as the sealed
/// records (so the two agree), without opening any. Sequence numbers are never reused, so a record
/// added, corrected, linked, unlinked, moved by a merge or its undo, or erased changes the set. And
/// only on the day it was made, since the register record in force depends on the date. Every list
/// still audits each person it shows.
///
/// Bounded, because it holds personal data: at most `capacity` persons, and none kept longer than
/// `lifetime` after it was made — expired entries are swept at least once a minute while lists are
/// read, so what a list showed of someone whose case closed or whose records were erased does not
/// stay in memory either. Each server process has its own; nothing depends on it.
final class CaseListPeople: Sendable {
    /// The sequence numbers of all the person's records, in order.
    struct Stamp: Equatable, Sendable {
        let sequences: [Int64]
    }

    struct Person: Sendable {
        let stamp: Stamp
        let day: LocalDate
        let name: String?
        /// On `day`: an entry serves that day only.
        let age: Int?
        let municipality: String?
        let school: String?
        let subject: String?
    }

    private struct Entry {
        let person: Person
        let madeAt: ContinuousClock.Instant
    }

    let capacity: Int
    let lifetime: Duration
    private let state = NIOLockedValueBox<(entries: [Int64: Entry], swept: ContinuousClock.Instant, made: Int)>(
        ([:], ContinuousClock.now, 0))

    init(capacity: Int = 20_000, lifetime: Duration = .seconds(600)) {
        self.capacity = capacity
        self.lifetime = lifetime
    }

    /// The persons of `stamps` whose entry still holds: same records, same day, not expired.
    func current(_ stamps: [Int64: Stamp], on day: LocalDate) -> [Int64: Person] {
        let now = ContinuousClock.now
        return state.withLockedValue { state in
            sweep(&state, now)
            var found: [Int64: Person] = [:]
            for (id, stamp) in stamps {
                guard let entry = state.entries[id] else { continue }
                if entry.person.stamp == stamp, entry.person.day == day, now - entry.madeAt < lifetime {
                    found[id] = entry.person
                } else {
                    state.entries[id] = nil
                }
            }
            return found
        }
    }

    func keep(_ people: [Int64: Person]) {
        guard !people.isEmpty else { return }
        let now = ContinuousClock.now
        state.withLockedValue { state in
            sweep(&state, now)
            // A full table starts again rather than grow.
            if state.entries.count + people.count > capacity { state.entries.removeAll(keepingCapacity: true) }
            for (id, person) in people { state.entries[id] = Entry(person: person, madeAt: now) }
            state.made += people.count
        }
    }

    /// Expired entries go, once a minute (or once a lifetime, if that is shorter).
    private func sweep(_ state: inout (entries: [Int64: Entry], swept: ContinuousClock.Instant, made: Int), _ now: ContinuousClock.Instant) {
        guard now - state.swept >= min(.seconds(60), lifetime) else { return }
        state.entries = state.entries.filter { now - $0.value.madeAt < lifetime }
        state.swept = now
    }

    /// Persons made from their records so far (what the tests count to see the entries used).
    var made: Int { state.withLockedValue { $0.made } }

    /// Persons held now.
    var held: Int { state.withLockedValue { $0.entries.count } }
}
