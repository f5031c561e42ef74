import Domain
import TestSupport
import Testing

@Suite struct RecordCodecTests {
    @Test func everyKindSurvivesTheRoundTrip() throws {
        let person = PersonBuilder(born: "2006-03-14")
            .enrolled(from: "2025-09-01", to: "2026-06-30", special: .ov3, exit: .disciplinary)
            .qualified(.attest, on: "2026-06-30", recordedAt: "2026-07-01T10:00:00")
            .lives(postcode: "2000", emigrated: "2026-09-01")
            .registeredAtVDAB(on: "2026-07-01", until: "2026-08-01")
            .employed(from: "2026-08-01", cancelled: true)
        for fact in person.facts {
            #expect(try RecordCodec.decode(RecordCodec.encode(fact.record)) == fact.record)
        }
    }

    @Test func separatorsAndBackslashesInsideFieldsAreEscaped() throws {
        var record = PersonBuilder(born: "2006-03-14").lives().facts[0].record
        record.body = .person(PersonRecord(firstName: "A\u{1F}B\\C", lastName: "D\\u", country: "BE"))
        #expect(try RecordCodec.decode(RecordCodec.encode(record)) == record)
    }
}
