import Domain

/// Builds a person's facts in a few readable lines:
///
///     let person = PersonBuilder(born: "2006-03-14")
///         .enrolled(from: "2023-09-01", to: "2025-03-10", exit: .pupilOrParents)
///         .lives(postcode: "2000")
public struct PersonBuilder: Sendable {
    public var insz: INSZ
    public private(set) var facts: [Fact] = []
    private var sequence: Int64 = 0

    public init(born: String, serial: Int = 101) {
        insz = INSZ.make(birthDate: date(born), serial: serial, monthOffset: 60)
    }

    public init(insz: INSZ) { self.insz = insz }

    public var timeline: PersonTimeline { PersonTimeline(insz: insz, versions: facts) }

    public func adding(_ body: SourceRecord.Body, source: Source, id: String? = nil, recordedAt: String? = nil) -> PersonBuilder {
        var copy = self
        copy.sequence += 1
        // Default ids are unique per person (a digest of the number, never the number itself).
        let personTag = String(insz.digits.utf8.reduce(7) { ($0 &* 31 &+ Int($1)) & 0xFFFFFF }, radix: 36)
        let recordID = id ?? "\(source.rawValue)-\(personTag)-\(copy.sequence)"
        let record = SourceRecord(source: source, recordID: recordID, insz: insz, recordedAt: recordedAt, body: body)
        copy.facts.append(Fact(reference: FactReference(source: source, recordID: recordID, sequence: copy.sequence),
                               record: record))
        return copy
    }

    public func enrolled(from start: String, to end: String? = nil, programme: Enrolment.Programme = .fulltime,
                         track: Enrolment.Track? = .bso, level: Enrolment.Level = .secondary,
                         special: Enrolment.SpecialEducationForm? = nil, iac: Bool = false,
                         exit: Enrolment.ExitReason? = nil, postcode: String = "2000", source: Source = .agodi,
                         id: String? = nil, recordedAt: String? = nil) -> PersonBuilder {
        adding(.enrolment(Enrolment(
            schoolNumber: "12345", schoolName: "Testschool", schoolPostcode: postcode, level: level,
            programme: level == .secondary ? programme : nil, track: track, specialEducationForm: special, iac: iac,
            startDate: date(start), endDate: end.map(date), exitReason: exit)), source: source, id: id, recordedAt: recordedAt)
    }

    public func qualified(_ type: Qualification.CertificateType = .secondaryDiploma, on award: String,
                          status: Qualification.Status = .registered, id: String? = nil, recordedAt: String? = nil) -> PersonBuilder {
        adding(.qualification(Qualification(certificateType: type, awardDate: date(award), status: status)),
               source: .ahovoks, id: id, recordedAt: recordedAt)
    }

    public func lives(postcode: String = "2000", country: String = "BE", emigrated: String? = nil, died: String? = nil,
                      validFrom: String? = nil, born: String? = nil, id: String? = nil) -> PersonBuilder {
        adding(.person(PersonRecord(
            firstName: "Test", lastName: "Persoon", birthDate: born.map(date), street: "Teststraat", houseNumber: "1",
            postcode: postcode, municipality: "Gemeente", country: country, emigrationDate: emigrated.map(date),
            deathDate: died.map(date), validFrom: validFrom.map(date))), source: .populationRegister, id: id)
    }

    public func registeredAtVDAB(on start: String, until end: String? = nil) -> PersonBuilder {
        adding(.jobseeker(JobSeekerRegistration(registrationDate: date(start), deregistrationDate: end.map(date))),
               source: .vdab)
    }

    public func employed(from start: String, to end: String? = nil, cancelled: Bool = false, id: String? = nil,
                         recordedAt: String? = nil) -> PersonBuilder {
        adding(.employment(EmploymentPeriod(employerNumber: "0123456749", startDate: date(start), endDate: end.map(date),
                                            cancelled: cancelled)), source: .dimona, id: id, recordedAt: recordedAt)
    }
}

/// `YYYY-MM-DD` to a date; a typo in a fixture stops the test at once.
public func date(_ text: String) -> LocalDate {
    guard let date = LocalDate(iso: text) else { preconditionFailure("bad fixture date \(text)") }
    return date
}
