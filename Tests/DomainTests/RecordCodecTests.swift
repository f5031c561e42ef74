import Domain
import TestSupport
import Testing

/// A record of every kind.
let everyKindOfRecord = PersonBuilder(born: "2006-03-14")
    .enrolled(from: "2025-09-01", to: "2026-06-30", special: .ov3, exit: .disciplinary)
    .qualified(.attest, on: "2026-06-30", recordedAt: "2026-07-01T10:00:00")
    .lives(postcode: "2000", emigrated: "2026-09-01")
    .registeredAtVDAB(on: "2026-07-01", until: "2026-08-01")
    .employed(from: "2026-08-01", cancelled: true)
    .facts.map(\.record)

@Suite struct RecordCodecTests {
    @Test func everyKindSurvivesTheRoundTrip() throws {
        for record in everyKindOfRecord {
            #expect(try RecordCodec.decode(RecordCodec.encode(record)) == record)
        }
    }

    @Test func separatorsAndBackslashesInsideFieldsAreEscaped() throws {
        var record = PersonBuilder(born: "2006-03-14").lives().facts[0].record
        record.body = .person(PersonRecord(firstName: "A\u{1F}B\\C", lastName: "D\\u", country: "BE"))
        #expect(try RecordCodec.decode(RecordCodec.encode(record)) == record)
    }
}

/// The stored text is what a record's content hash is taken over: records stored before must keep
/// their text. `encodedBytes` writes it field by field; `joinedText` is how it was made before (a
/// list of fields, each escaped, joined), kept here as the reference.
@Suite struct RecordCodecTextTests {
    static func joinedText(_ record: SourceRecord) -> String {
        var fields: [String] = ["1", record.kind.rawValue, record.source.rawValue, record.recordID, record.insz.digits, record.recordedAt ?? ""]
        switch record.body {
        case .enrolment(let e):
            fields += [e.schoolNumber, e.schoolName, e.schoolPostcode ?? "", e.level.rawValue, e.programme?.rawValue ?? "",
                       e.track?.rawValue ?? "", e.programmeName ?? "", e.specialEducationForm?.rawValue ?? "", e.iac ? "1" : "0",
                       e.schoolYear?.description ?? "", e.startDate.iso, e.endDate?.iso ?? "", e.exitReason?.rawValue ?? "",
                       e.situationAfter?.rawValue ?? ""]
        case .qualification(let q):
            fields += [q.certificateType.rawValue, q.educationForm?.rawValue ?? "", q.awardDate.iso, q.status.rawValue, q.title ?? "",
                       q.institutionNumber ?? ""]
        case .person(let p):
            fields += [p.firstName, p.lastName, p.birthDate?.iso ?? "", p.sex?.rawValue ?? "", p.street ?? "", p.houseNumber ?? "",
                       p.box ?? "", p.postcode ?? "", p.municipality ?? "", p.country, p.emigrationDate?.iso ?? "",
                       p.deathDate?.iso ?? "", p.validFrom?.iso ?? ""]
            if let previous = p.previousINSZ { fields.append(previous.digits) }
        case .jobseeker(let j):
            fields += [j.registrationDate.iso, j.deregistrationDate?.iso ?? "", j.deregistrationReason?.rawValue ?? ""]
        case .employment(let e):
            fields += [e.employerNumber, e.startDate.iso, e.endDate?.iso ?? "", e.cancelled ? "1" : "0", e.workerType ?? "",
                       e.jointCommittee ?? ""]
        }
        return fields.map { field in
            field.unicodeScalars.reduce(into: "") { out, scalar in
                switch scalar {
                case "\\": out += "\\\\"
                case "\u{1F}": out += "\\u"
                default: out.unicodeScalars.append(scalar)
                }
            }
        }.joined(separator: "\u{1F}")
    }

    @Test func everyKindIsWrittenAsBefore() {
        #expect(Set(everyKindOfRecord.map(\.kind)).count == RecordKind.allCases.count)
        for record in everyKindOfRecord {
            #expect(RecordCodec.encode(record) == Self.joinedText(record))
            #expect(RecordCodec.encodedBytes(record) == Array(Self.joinedText(record).utf8))
        }
    }

    @Test func escapesAndTextsBeyondASCIIAreWrittenAsBefore() {
        var record = PersonBuilder(born: "2006-03-14").lives().facts[0].record
        for (first, last) in [("A\u{1F}B\\C", "D\\u"), ("Zoë", "Ünal-Ça\u{1F}\u{1F}"), ("", "\\"), ("林", "Ⅻ\\\u{1F}é")] {
            record.body = .person(PersonRecord(firstName: first, lastName: last, birthDate: LocalDate(year: 2006, month: 3, day: 4),
                                               country: "BE", validFrom: LocalDate(ordinal: 0)))
            #expect(RecordCodec.encode(record) == Self.joinedText(record))
        }
    }

    @Test func aDateIsWrittenAsItsISOText() {
        for ordinal in [-719_162, -1, 0, 1, 20_000, 2_932_896] {
            var bytes: [UInt8] = []
            LocalDate(ordinal: ordinal).appendISO(to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == LocalDate(ordinal: ordinal).iso)
        }
    }
}
