import Domain

/// A stream of source records as they would arrive during a day: young people who just left school
/// without a qualification (their enrolment ended more than the grace period ago, and the register's
/// address), and follow-ups for them — a job, a VDAB registration, a late certificate, a return to
/// school. Deterministic per seed; the demo posts each record as a CloudEvent.
public struct LiveFeed: Sendable {
    var random: SeededRandom
    let today: LocalDate
    var sequence = 0
    var followUps: [INSZ] = []
    var serials: [Int: Int] = [:]

    public init(seed: UInt64, today: LocalDate) {
        random = SeededRandom(seed: seed &* 0x9E37_79B9 &+ 17)
        self.today = today
    }

    /// The next few records (one arrival: a leaver's enrolment and register entry, or a follow-up).
    public mutating func next() -> [SourceRecord] {
        sequence += 1
        if !followUps.isEmpty, random.chance(0.35) {
            let insz = followUps.remove(at: random.below(followUps.count))
            return [followUp(insz)]
        }
        return newLeaver()
    }

    mutating func newLeaver() -> [SourceRecord] {
        let age = random.between(18, 22)
        let born = LocalDate(year: today.year - age, month: random.between(1, 12), day: random.between(1, 28))!
        var serial = (serials[born.ordinal] ?? 700) + 2
        if serial > 997 { serial = 701 + random.below(100) * 2 }
        serials[born.ordinal] = serial
        let insz = INSZ.make(birthDate: born, serial: serial, monthOffset: 60)
        let province = random.weighted([(Province.antwerpen, 0.31), (.oostVlaanderen, 0.23), (.westVlaanderen, 0.16),
                                        (.limburg, 0.13), (.vlaamsBrabant, 0.17)])
        let place = random.pick(Gazetteer.places[province]!)
        let left = today.adding(days: -random.between(32, 120))
        let track = random.weighted([(Enrolment.Track.bso, 0.4), (.dbso, 0.25), (.tso, 0.2), (.aso, 0.1), (.kso, 0.05)])
        let school = "\(random.pick(Gazetteer.schoolPrefixes)) \(random.pick(Gazetteer.places[province]!).municipality)"
        let sex: INSZ.Sex = serial % 2 == 1 ? .male : .female
        let id = "LIVE-\(today.iso)-\(sequence)"
        followUps.append(insz)
        return [
            SourceRecord(source: .agodi, recordID: id + "-E", insz: insz, recordedAt: left.iso, body: .enrolment(Enrolment(
                schoolNumber: String(40_000 + random.below(9000)), schoolName: school, schoolPostcode: place.postcode,
                programme: track == .dbso ? .dbso : .fulltime, track: track, schoolYear: SchoolYear(containing: left),
                startDate: SchoolYear(containing: left).firstDay, endDate: left, exitReason: .pupilOrParents, situationAfter: .unknown))),
            SourceRecord(source: .populationRegister, recordID: id + "-P", insz: insz, body: .person(PersonRecord(
                firstName: random.pick(Gazetteer.firstNames[sex]!), lastName: random.pick(Gazetteer.lastNames), birthDate: born, sex: sex,
                street: random.pick(Gazetteer.streets), houseNumber: String(random.between(1, 200)), postcode: place.postcode,
                municipality: place.municipality, validFrom: born))),
        ]
    }

    mutating func followUp(_ insz: INSZ) -> SourceRecord {
        let id = "LIVE-\(today.iso)-\(sequence)-F"
        switch random.below(4) {
        case 0:
            return SourceRecord(source: .dimona, recordID: String(8_000_000_000 + sequence), insz: insz, recordedAt: today.iso,
                                body: .employment(EmploymentPeriod(employerNumber: random.pick(Gazetteer.employers),
                                                                   startDate: today.adding(days: -random.between(0, 5)))))
        case 1:
            return SourceRecord(source: .vdab, recordID: id, insz: insz, body: .jobseeker(JobSeekerRegistration(registrationDate: today)))
        case 2:
            return SourceRecord(source: .ahovoks, recordID: id, insz: insz, recordedAt: today.iso, body: .qualification(Qualification(
                certificateType: .secondaryDiploma, awardDate: today.adding(days: -3), title: "Diploma secundair onderwijs (examencommissie)")))
        default:
            return SourceRecord(source: .agodi, recordID: id, insz: insz, recordedAt: today.iso, body: .enrolment(Enrolment(
                schoolNumber: String(40_000 + random.below(9000)), schoolName: "\(random.pick(Gazetteer.schoolPrefixes)) Gent",
                schoolPostcode: "9000", programme: .dbso, track: .dbso, startDate: today.adding(days: -2), endDate: nil)))
        }
    }
}
