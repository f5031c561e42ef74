import Domain

/// A stream of source records as they would arrive during a day: young people who just left school
/// without a qualification (their enrolment ended more than the grace period ago, and the register's
/// address), and follow-ups for them — a job, a VDAB registration, a late certificate, a return to
/// school. Young men and women alike, each with a name the feed has not used yet, at schools in the
/// province they live in. Deterministic per seed; the demo posts each record as a CloudEvent.
public struct LiveFeed: Sendable {
    var random: SeededRandom
    let today: LocalDate
    var sequence = 0
    /// Who was announced and has not had a follow-up yet.
    var followUps: [Announced] = []
    /// The last serial number used per birth date and sex (`serialKey`).
    var serials: [Int: Int] = [:]
    var femaleNames: NameDeck
    var maleNames: NameDeck
    var lastNames: NameDeck
    /// Full names given so far: a second "Emma Peeters" only once every combination has been used.
    var givenNames: Set<String> = []

    struct Announced: Sendable {
        let insz: INSZ
        let province: Province
    }

    struct School: Sendable {
        let number: String
        let name: String
        let postcode: String
    }

    public init(seed: UInt64, today: LocalDate) {
        var random = SeededRandom(seed: seed &* 0x9E37_79B9 &+ 17)
        // Each deck draws from its own sub-stream, so a name drawn never shifts a date or a school.
        femaleNames = NameDeck(Gazetteer.firstNames[.female]!, random: random.fork())
        maleNames = NameDeck(Gazetteer.firstNames[.male]!, random: random.fork())
        lastNames = NameDeck(Gazetteer.lastNames, random: random.fork())
        self.random = random
        self.today = today
    }

    /// The next few records (one arrival: a leaver's enrolment and register entry, or a follow-up).
    public mutating func next() -> [SourceRecord] {
        sequence += 1
        if !followUps.isEmpty, random.chance(0.35) {
            let announced = followUps.remove(at: random.below(followUps.count))
            return [followUp(announced)]
        }
        return newLeaver()
    }

    mutating func newLeaver() -> [SourceRecord] {
        let age = random.between(18, 22)
        let born = LocalDate(year: today.year - age, month: random.between(1, 12), day: random.between(1, 28))!
        let sex: INSZ.Sex = random.chance(0.51) ? .male : .female
        let insz = INSZ.make(birthDate: born, serial: serial(born: born, sex: sex), monthOffset: 60)
        let province = random.weighted([(Province.antwerpen, 0.31), (.oostVlaanderen, 0.23), (.westVlaanderen, 0.16),
                                        (.limburg, 0.13), (.vlaamsBrabant, 0.17)])
        let place = random.pick(Gazetteer.places[province]!)
        let left = today.adding(days: -random.between(32, 120))
        let track = random.weighted([(Enrolment.Track.bso, 0.4), (.dbso, 0.25), (.tso, 0.2), (.aso, 0.1), (.kso, 0.05)])
        let school = random.pick(Self.schools[province]!)
        let (firstName, lastName) = name(sex)
        let id = "LIVE-\(today.iso)-\(sequence)"
        followUps.append(Announced(insz: insz, province: province))
        return [
            SourceRecord(source: .agodi, recordID: id + "-E", insz: insz, recordedAt: left.iso, body: .enrolment(Enrolment(
                schoolNumber: school.number, schoolName: school.name, schoolPostcode: school.postcode,
                programme: track == .dbso ? .dbso : .fulltime, track: track, schoolYear: SchoolYear(containing: left),
                startDate: SchoolYear(containing: left).firstDay, endDate: left, exitReason: .pupilOrParents, situationAfter: .unknown))),
            SourceRecord(source: .populationRegister, recordID: id + "-P", insz: insz, body: .person(PersonRecord(
                firstName: firstName, lastName: lastName, birthDate: born, sex: sex,
                street: random.pick(Gazetteer.streets), houseNumber: String(random.between(1, 200)), postcode: place.postcode,
                municipality: place.municipality, validFrom: born))),
        ]
    }

    mutating func followUp(_ announced: Announced) -> SourceRecord {
        let insz = announced.insz
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
            // Back to (part-time) school: one near home, as young people do.
            let school = random.pick(Self.schools[announced.province]!)
            return SourceRecord(source: .agodi, recordID: id, insz: insz, recordedAt: today.iso, body: .enrolment(Enrolment(
                schoolNumber: school.number, schoolName: school.name, schoolPostcode: school.postcode,
                programme: .dbso, track: .dbso, startDate: today.adding(days: -2), endDate: nil)))
        }
    }

    /// A serial number for a birth date: odd for a man, even for a woman (the INSZ rule), from
    /// 700 up — above the serials the simulated population uses on a day — and a new one for each
    /// person born that day. The first of a day starts at a random place in the range, so that
    /// feeds of other days (other seeds) rarely give the same number to someone else.
    mutating func serial(born: LocalDate, sex: INSZ.Sex) -> Int {
        let parity = sex == .male ? 1 : 0
        let key = born.ordinal * 2 + parity
        var serial: Int
        if let previous = serials[key] {
            serial = previous + 2
        } else {
            serial = 700 + parity + 2 * random.below(100)
        }
        // The register's serials end at 997; past that (some 150 of one sex on one birth date),
        // start again at the bottom of the range.
        if serial > 997 { serial = 700 + parity }
        serials[key] = serial
        return serial
    }

    /// A first name of the person's sex and a last name, each dealt from its deck (every name once
    /// before any comes again), and a full name not given before while another is left.
    mutating func name(_ sex: INSZ.Sex) -> (String, String) {
        let first = sex == .male ? maleNames.deal() : femaleNames.deal()
        var last = lastNames.deal()
        var tries = 1
        while givenNames.contains(first + " " + last), tries < Gazetteer.lastNames.count {
            last = lastNames.deal()
            tries += 1
        }
        givenNames.insert(first + " " + last)
        return (first, last)
    }

    /// The simulated population's schools (`Population`), numbered and named the same way, so a
    /// young person of the feed goes to a school that the simulated files also know.
    static let schools: [Province: [School]] = {
        var number = 30_000
        var table: [Province: [School]] = [:]
        for province in Province.allCases {
            var list: [School] = []
            for place in Gazetteer.places[province]! {
                for prefix in Gazetteer.schoolPrefixes.prefix(4 + place.postcode.hashValueStable % 5) {
                    number += 17
                    list.append(School(number: String(number), name: "\(prefix) \(place.municipality)", postcode: place.postcode))
                }
            }
            table[province] = list
        }
        return table
    }()
}

/// Names dealt like cards: every name of the list once, in a random order, before any comes again —
/// and never the same one twice in a row across a reshuffle.
struct NameDeck: Sendable {
    let names: [String]
    var random: SeededRandom
    var left: [String] = []
    var last: String?

    init(_ names: [String], random: SeededRandom) {
        precondition(!names.isEmpty)
        self.names = names
        self.random = random
    }

    mutating func deal() -> String {
        if left.isEmpty { left = names }
        var index = random.below(left.count)
        if left[index] == last, left.count > 1 {
            index = (index + 1 + random.below(left.count - 1)) % left.count
        }
        let name = left.remove(at: index)
        last = name
        return name
    }
}
