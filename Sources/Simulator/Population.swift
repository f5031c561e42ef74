import Domain

/// Generates pupils one by one, each with every record the five sources hold about them.
struct Population {
    let simulation: Simulation
    var random: SeededRandom
    let year: Int
    let start: LocalDate
    let endOfYear: LocalDate
    let windowEnd: LocalDate
    /// Serial numbers used per birth date, so every INSZ is unique.
    var serials: [Int: Int] = [:]
    var schools: [Province: [(number: String, name: String, place: Gazetteer.Place)]] = [:]
    var lastWasLeaver = false
    var lastWasUnqualified = false

    init(simulation: Simulation, random: SeededRandom) {
        self.simulation = simulation
        self.random = random
        year = simulation.schoolYear.startYear
        start = simulation.schoolYear.firstDay
        endOfYear = LocalDate(year: year + 1, month: 6, day: 30)!
        windowEnd = simulation.windowEnd
        var number = 30_000
        for province in Province.allCases {
            var list: [(String, String, Gazetteer.Place)] = []
            for place in Gazetteer.places[province]! {
                for prefix in Gazetteer.schoolPrefixes.prefix(4 + place.postcode.hashValueStable % 5) {
                    number += 17
                    list.append((String(number), "\(prefix) \(place.municipality)", place))
                }
            }
            schools[province] = list
        }
    }

    /// Shares of pupils per track (first grade A/B, then the tracks of the 2nd and 3rd grade).
    static let tracks: [(Enrolment.Track, Double)] = [
        (.a, 0.28), (.b, 0.05), (.aso, 0.22), (.tso, 0.19), (.bso, 0.15), (.kso, 0.02), (.dbso, 0.03), (.buso, 0.045),
        (.apprenticeship, 0.015),
    ]

    /// Share of leavers who leave without a qualification, per track (DESIGN.md §10).
    static let unqualifiedRate: [Enrolment.Track: Double] = [
        .aso: 0.03, .tso: 0.085, .bso: 0.19, .kso: 0.12, .dbso: 0.57, .buso: 0.20, .apprenticeship: 0.25, .a: 1, .b: 1,
    ]

    /// Where pupils in Flemish schools live.
    static let provinces: [(Province?, Double)] = [
        (.antwerpen, 0.28), (.oostVlaanderen, 0.23), (.westVlaanderen, 0.18), (.vlaamsBrabant, 0.165), (.limburg, 0.13),
        (nil, 0.015),
    ]

    mutating func date(from: LocalDate, to: LocalDate) -> LocalDate {
        guard to > from else { return from }
        return from.adding(days: random.below(from.days(until: to) + 1))
    }

    mutating func insz(born: LocalDate, sex: INSZ.Sex) -> INSZ {
        var serial = (serials[born.ordinal] ?? (simulation.serialBase + (sex == .male ? -1 : 0))) + 2
        if serial % 2 == (sex == .male ? 0 : 1) { serial += 1 }
        if serial > 997 { serial = 1 + random.below(400) * 2 + (sex == .male ? 0 : 1) }
        serials[born.ordinal] = serial
        return INSZ.make(birthDate: born, serial: serial, monthOffset: 60)
    }

    mutating func pupil(_ index: Int) -> [SourceRecord] {
        var records: [SourceRecord] = []
        lastWasLeaver = false
        lastWasUnqualified = false
        let track = random.weighted(Self.tracks)
        let grade: Int
        let baseAge: Int
        switch track {
        case .a, .b: grade = random.between(1, 2); baseAge = 11 + grade
        case .aso, .tso, .kso: grade = random.between(3, 6); baseAge = 11 + grade
        case .bso: grade = random.weighted([(3, 1.0), (4, 1.0), (5, 1.0), (6, 1.0), (7, 0.6)]); baseAge = 11 + grade
        case .dbso, .apprenticeship: grade = 0; baseAge = random.between(15, 18)
        case .buso: grade = 0; baseAge = random.between(12, 20)
        }
        let delay = random.weighted([(0, 0.72), (1, 0.2), (2, 0.08)])
        let age = baseAge + delay
        let born = date(from: LocalDate(year: year - age - 1, month: 9, day: 2)!, to: LocalDate(year: year - age, month: 9, day: 1)!)
        let sex: INSZ.Sex = random.chance(0.51) ? .male : .female
        let insz = insz(born: born, sex: sex)

        // Home: mostly Flanders, a few in Brussels or Wallonia.
        let province = random.weighted(Self.provinces)
        let place: Gazetteer.Place
        if let province {
            place = random.pick(Gazetteer.places[province]!)
        } else {
            place = random.chance(0.75) ? random.pick(Gazetteer.brussels) : random.pick(Gazetteer.wallonia)
        }
        let schoolProvince = province ?? .vlaamsBrabant
        let school = random.pick(schools[schoolProvince]!)
        let programme: Enrolment.Programme = track == .dbso ? .dbso : track == .apprenticeship ? .apprenticeship : .fulltime
        let source: Source = track == .apprenticeship ? .syntra : .agodi
        let special: Enrolment.SpecialEducationForm? = track == .buso ? random.weighted([(.ov1, 0.1), (.ov2, 0.2), (.ov3, 0.45), (.ov4, 0.25)]) : nil
        var enrolmentNumber = 0
        func enrolmentID() -> String {
            enrolmentNumber += 1
            return "\(source == .syntra ? "SY" : "AG")-\(year)-\(String(index).leftPadded(7))-\(enrolmentNumber)"
        }
        func enrolment(_ school: (number: String, name: String, place: Gazetteer.Place), from: LocalDate, to: LocalDate?,
                       exit: Enrolment.ExitReason?, situation: Enrolment.SituationAfter? = nil) -> SourceRecord {
            SourceRecord(source: source, recordID: enrolmentID(), insz: insz, recordedAt: (to ?? from).iso, body: .enrolment(Enrolment(
                schoolNumber: school.number, schoolName: school.name, schoolPostcode: school.place.postcode,
                programme: programme, track: track, programmeName: Self.programmeName(track: track, grade: grade, special: special),
                specialEducationForm: special, schoolYear: simulation.schoolYear, startDate: from, endDate: to,
                exitReason: exit, situationAfter: exit == nil ? nil : (situation ?? .unknown))))
        }

        // Does the pupil leave school this year, and with a qualification?
        let leaves: Double = switch track {
        case .aso, .tso, .kso: grade == 6 ? 0.97 : (age >= 16 ? 0.006 : 0.001)
        case .bso: grade == 7 ? 0.97 : grade == 6 ? 0.55 : (age >= 16 ? 0.015 : 0.003)
        case .dbso: age >= 17 ? 0.5 : 0.15
        case .apprenticeship: 0.35
        case .buso: (special == .ov3 || special == .ov4) && age >= 18 ? 0.55 : 0.02
        case .a, .b: age >= 15 ? 0.02 : 0.001
        }
        let leaver = random.chance(leaves)
        let finalYear = (grade == 6 && track != .bso) || grade == 7 || (track == .bso && grade == 6) || grade == 0
        let unqualified = leaver && (!finalYear || random.chance(Self.unqualifiedRate[track] ?? 0.2))

        var leftOn: LocalDate?
        if !leaver {
            // Still at school; a few change school during the year.
            if random.chance(0.02) {
                let end = date(from: start.adding(days: 30), to: endOfYear.adding(days: -60))
                records.append(enrolment(school, from: start, to: end, exit: .pupilOrParents, situation: .otherFlemishSchool))
                records.append(enrolment(random.pick(schools[schoolProvince]!), from: end.adding(days: random.between(1, 14)),
                                         to: nil, exit: nil))
            } else {
                records.append(enrolment(school, from: start, to: nil, exit: nil))
            }
        } else if !unqualified {
            leftOn = endOfYear
            records.append(enrolment(school, from: start, to: endOfYear, exit: .endOfSchoolYear))
            records.append(qualification(insz, index: index, type: Self.qualification(track: track, grade: grade, special: special),
                                         track: track, on: endOfYear, school: school.number))
        } else {
            // Left without a qualification: at the end of the year, or during it.
            let end: LocalDate
            let exit: Enrolment.ExitReason
            if random.chance(0.55) {
                end = endOfYear; exit = .endOfSchoolYear
            } else {
                end = date(from: start.adding(days: 30), to: endOfYear.adding(days: -30))
                exit = random.weighted([(.pupilOrParents, 0.85), (.schoolOrCLB, 0.1), (.disciplinary, 0.05)])
            }
            leftOn = end
            records.append(enrolment(school, from: start, to: end, exit: exit, situation: random.weighted([
                (.unknown, 0.6), (.work, 0.15), (.other, 0.15), (.recognisedTraining, 0.1)])))
            let roll = Double(random.below(1000)) / 1000
            if roll < 0.06 {
                // Changed school within the grace period: not a leaver after all.
                let other = random.pick(schools[schoolProvince]!)
                records.append(enrolment(other, from: end.adding(days: random.between(1, 25)), to: nil, exit: nil))
                leftOn = nil
            } else if roll < 0.09 {
                // Came back to school after the grace period.
                let back = end.adding(days: random.between(45, 90))
                if back < windowEnd {
                    records.append(enrolment(random.pick(schools[schoolProvince]!), from: back, to: nil, exit: nil))
                }
            } else if roll < 0.13 {
                // Obtained the qualification late (second session, exam commission).
                let award = date(from: end.adding(days: 60), to: windowEnd)
                records.append(qualification(insz, index: index, type: Self.qualification(track: track, grade: grade, special: special),
                                             track: track, on: award, school: school.number))
            } else if roll < 0.14 {
                // A certificate registered and then cancelled: two versions of one LED record.
                let first = qualification(insz, index: index, type: .secondaryDiploma, track: track, on: endOfYear, school: school.number)
                records.append(first)
                var cancelled = first
                if case .qualification(var q) = first.body {
                    q.status = .cancelled
                    cancelled.body = .qualification(q)
                    cancelled.recordedAt = date(from: endOfYear.adding(days: 20), to: endOfYear.adding(days: 60)).iso
                }
                records.append(cancelled)
            }
            if random.chance(0.25) {
                records.append(qualification(insz, index: index, type: random.chance(0.5) ? .partialCertificate : .attest,
                                             track: track, on: date(from: start.adding(days: 90), to: end), school: school.number,
                                             suffix: "p"))
            }
        }
        lastWasLeaver = leftOn != nil
        lastWasUnqualified = leftOn != nil && unqualified

        // The national register: one state per person; some moved abroad, very few died.
        var person = PersonRecord(
            firstName: random.pick(Gazetteer.firstNames[sex]!), lastName: random.pick(Gazetteer.lastNames), birthDate: born,
            sex: sex, street: random.pick(Gazetteer.streets), houseNumber: String(random.between(1, 250)),
            box: random.chance(0.15) ? String(random.between(1, 30)) : nil, postcode: place.postcode,
            municipality: place.municipality, country: "BE", validFrom: born)
        if let leftOn, random.chance(0.025) {
            let moved = date(from: leftOn.adding(days: 10), to: windowEnd.adding(days: -5))
            person.emigrationDate = moved
            person.validFrom = moved
            person.country = random.pick(["NL", "FR", "DE", "ES", "MA", "TR", "PL"])
            person.postcode = nil
            person.street = "Buitenland"
            person.houseNumber = nil
            person.box = nil
            person.municipality = nil
        } else if random.chance(0.0005) {
            person.deathDate = date(from: start, to: windowEnd.adding(days: -5))
            person.validFrom = person.deathDate
        }
        records.append(SourceRecord(source: .populationRegister, recordID: Self.registerRecordID(insz), insz: insz,
                                    body: .person(person)))

        // VDAB and DIMONA after leaving.
        if let leftOn {
            let known = unqualified ? simulation.unqualifiedKnownToVDAB : 0.18
            if random.chance(known) {
                let registered = date(from: leftOn, to: min(windowEnd, leftOn.adding(days: 90)))
                let leaves = random.chance(0.3)
                let deregistered = leaves ? date(from: registered.adding(days: 14), to: windowEnd) : nil
                records.append(SourceRecord(source: .vdab, recordID: "VDAB-\(year)-\(String(index).leftPadded(7))", insz: insz,
                                            body: .jobseeker(JobSeekerRegistration(
                                                registrationDate: registered, deregistrationDate: deregistered,
                                                deregistrationReason: deregistered == nil ? nil : random.pick([.work, .training, .other])))))
            }
            if random.chance(unqualified ? 0.12 : 0.35) {
                let from = date(from: leftOn.adding(days: 5), to: min(windowEnd, leftOn.adding(days: 100)))
                let to: LocalDate? = random.chance(0.5) ? nil : date(from: from.adding(days: 20), to: windowEnd.adding(days: 120))
                records.append(employment(insz, index: index, from: from, to: to, cancelled: random.chance(0.03)))
            }
        } else if age >= 16 && random.chance(0.12) {
            // A summer job.
            let from = LocalDate(year: year + 1, month: 7, day: random.between(1, 15))!
            records.append(employment(insz, index: index, from: from, to: from.adding(days: random.between(10, 40)),
                                      cancelled: false, workerType: "STU"))
        }
        // About one pupil in 89 came to Flanders without a national number: the schools know them by
        // the BIS number the social security gave them, the register by the national number that
        // replaced it (`previous_insz`), so Vangnet merges the two. Chosen by index, not drawn,
        // so that every other record of the simulation stays as it was.
        if index % 89 == 7, let serial = Int(insz.digits.dropFirst(6).prefix(3)) {
            let bis = INSZ.make(birthDate: born, serial: serial, monthOffset: 40)
            records = records.map { record in
                var record = record
                switch record.body {
                case .enrolment, .qualification: record.insz = bis
                case .person(var person):
                    person.previousINSZ = bis
                    record.body = .person(person)
                default: break
                }
                return record
            }
        }
        return records
    }

    mutating func qualification(_ insz: INSZ, index: Int, type: Qualification.CertificateType, track: Enrolment.Track,
                                on award: LocalDate, school: String, suffix: String = "") -> SourceRecord {
        let id = "LED-\(year)-\(String(index).leftPadded(7))\(suffix)"
        let form: Enrolment.Track? = [.aso, .tso, .kso, .bso, .dbso, .buso].contains(track) ? track : nil
        return SourceRecord(source: .ahovoks, recordID: id, insz: insz, recordedAt: award.adding(days: random.between(1, 12)).iso,
                            body: .qualification(Qualification(certificateType: type, educationForm: form, awardDate: award,
                                                               status: .registered, title: Self.title(type, track),
                                                               institutionNumber: school)))
    }

    mutating func employment(_ insz: INSZ, index: Int, from: LocalDate, to: LocalDate?, cancelled: Bool,
                             workerType: String = "OTH") -> SourceRecord {
        // Unique per school year (a later year's simulation is other people, and a job of theirs must
        // not read as a correction of someone else's): 7,0yy,iii,iii,i.
        let dimona = String(7_000_000_000 + (year % 100) * 10_000_000 + index * 7 + random.below(7))
        return SourceRecord(source: .dimona, recordID: dimona, insz: insz, recordedAt: from.iso, body: .employment(EmploymentPeriod(
            employerNumber: random.pick(Gazetteer.employers), startDate: from, endDate: to, cancelled: cancelled,
            workerType: workerType, jointCommittee: random.pick(["100", "118", "124", "140", "200", "302"]))))
    }

    static func qualification(track: Enrolment.Track, grade: Int, special: Enrolment.SpecialEducationForm?) -> Qualification.CertificateType {
        switch track {
        case .bso: grade == 6 ? .bsoStudyCertificate : .secondaryDiploma
        case .dbso: .dbsoCertificate
        case .apprenticeship: .apprenticeshipCertificate
        case .buso: special == .ov3 ? .busoOV3Certificate : .secondaryDiploma
        default: .secondaryDiploma
        }
    }

    static func title(_ type: Qualification.CertificateType, _ track: Enrolment.Track) -> String {
        switch type {
        case .secondaryDiploma: "Diploma secundair onderwijs \(track.rawValue.uppercased())"
        case .bsoStudyCertificate: "Studiegetuigschrift 2de leerjaar 3de graad BSO"
        case .dbsoCertificate: "Studiegetuigschrift DBSO"
        case .apprenticeshipCertificate: "Certificaat leertijd"
        case .busoOV3Certificate: "Getuigschrift BuSO opleidingsvorm 3"
        case .partialCertificate: "Deelcertificaat"
        case .attest: "Attest van verworven bekwaamheden"
        default: type.rawValue
        }
    }

    static func programmeName(track: Enrolment.Track, grade: Int, special: Enrolment.SpecialEducationForm?) -> String {
        switch track {
        case .a: "\(grade)e leerjaar A"
        case .b: "\(grade)e leerjaar B"
        case .dbso: "Hoeknaadlasser DBSO"
        case .apprenticeship: "Leertijd administratieve groep"
        case .buso: "BuSO Opleidingsvorm \(special.map { String($0.rawValue.dropFirst(2)) } ?? "3")"
        default:
            grade == 7 ? "3e leerjaar in de 3e graad \(track.rawValue.uppercased())"
                : "\((grade - 1) % 2 + 1)e leerjaar in de \((grade + 1) / 2)e graad \(track.rawValue.uppercased())"
        }
    }
}

extension String {
    /// A hash that is the same in every run (Swift's `hashValue` is seeded per process).
    var hashValueStable: Int { utf8.reduce(0) { ($0 &* 31 &+ Int($1)) & 0x7FFF_FFFF } }
}

extension Population {
    /// The register's record of a person: one per INSZ, as the MAGDA reader keys it (`rr:` and a
    /// keyed person key), so that the same INSZ in a later school year's files is a new version of
    /// the same record and two persons never share one. A 64-bit FNV-1a of the number stands in for
    /// the keyed key: the simulator holds no key, and the record id must not spell the INSZ.
    static func registerRecordID(_ insz: INSZ) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in ("register|" + insz.digits).utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return "RR-" + String(hash, radix: 16)
    }
}
