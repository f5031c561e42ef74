import Domain
import PropertyBased
import TestSupport
import Testing

/// The same records in any order, any number of times, give the same decision.
@Suite struct DecisionPropertyTests {
    static let decider = Decider(policy: .default)

    static let people: [PersonBuilder] = [
        PersonBuilder(born: "2006-03-14")
            .enrolled(from: "2025-09-01", to: "2026-02-10", exit: .pupilOrParents, id: "E1")
            .enrolled(from: "2026-02-25", to: "2026-06-30", programme: .dbso, id: "E2")
            .lives(postcode: "9000", id: "P1")
            .employed(from: "2026-07-01", to: "2026-08-31", id: "D1", recordedAt: "2026-07-01")
            .employed(from: "2026-07-01", to: "2026-12-31", id: "D1", recordedAt: "2026-07-05")
            .qualified(.secondaryDiploma, on: "2026-06-30", id: "Q1", recordedAt: "2026-07-01")
            .qualified(.secondaryDiploma, on: "2026-06-30", status: .cancelled, id: "Q1", recordedAt: "2026-09-01"),
        PersonBuilder(born: "2008-12-01")
            .enrolled(from: "2025-09-01", to: "2026-06-30", id: "E1", recordedAt: "2026-06-01")
            .enrolled(from: "2025-09-01", to: "2026-03-31", exit: .schoolOrCLB, id: "E1", recordedAt: "2026-04-02")
            .lives(postcode: "8000", id: "P1")
            .registeredAtVDAB(on: "2027-01-15"),
    ]

    @Test func shuffledAndRepeatedRecordsGiveTheSameDecision() async {
        for person in Self.people {
            let expected = Self.decider.decide(person.timeline, on: date("2026-11-29"))
            await propertyCheck(count: 200, input: Gen.int(in: 0...Int(Int32.max)), Gen.int(in: 0...3)) { seed, copies in
                var generator = SplitMix(seed: UInt64(seed))
                var versions = person.facts
                for _ in 0..<copies { versions += person.facts.shuffled(using: &generator).prefix(3) }
                versions.shuffle(using: &generator)
                // Arrival order decides the sequence numbers; a repeat keeps its first arrival.
                var seen: [String: Int64] = [:]
                var arrived: [Fact] = []
                for fact in versions {
                    let key = RecordCodec.encode(fact.record)
                    if seen[key] != nil { continue }
                    var copy = fact
                    copy.reference.sequence = Int64(arrived.count + 1)
                    seen[key] = copy.reference.sequence
                    arrived.append(copy)
                }
                let decision = Self.decider.decide(PersonTimeline(insz: person.insz, versions: arrived), on: date("2026-11-29"))
                #expect(decision.outcome == expected.outcome)
                #expect(decision.reviewOn == expected.reviewOn)
                #expect(decision.reasons.map(\.rule) == expected.reasons.map(\.rule))
                #expect(decision.reasons.map { $0.facts.map(\.recordID) } == expected.reasons.map { $0.facts.map(\.recordID) })
            }
        }
    }
}

/// A small deterministic generator for shuffles driven by the property's seed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
