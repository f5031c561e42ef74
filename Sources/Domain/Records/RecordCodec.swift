/// The store's own text form of a `SourceRecord`: fields separated by U+001F, versioned by its first
/// field. It is independent of the exchange format, so that the exchange format can change without
/// migrating stored records, and it is several times faster to read back than JSON — the pipeline
/// reads every fact of every person it decides.
public enum RecordCodec {
    static let separator: UInt8 = 0x1F
    static let version = "1"

    public enum Failure: Error, Equatable { case malformed(String) }

    public static func encode(_ record: SourceRecord) -> String {
        String(decoding: encodedBytes(record), as: UTF8.self)
    }

    /// The same text as `encode`, as its UTF-8 bytes: what the import hashes and seals. Written
    /// field by field into one buffer (a list of fields joined afterwards cost the import 0.8 s of
    /// its 2.9 s of sealing for a school year's enrolments).
    public static func encodedBytes(_ record: SourceRecord) -> [UInt8] {
        var out = Writer()
        out.first(version)
        out.field(record.kind.rawValue)
        out.field(record.source.rawValue)
        out.field(record.recordID)
        out.field(record.insz.digits)
        out.field(record.recordedAt)
        switch record.body {
        case .enrolment(let e):
            out.field(e.schoolNumber); out.field(e.schoolName); out.field(e.schoolPostcode); out.field(e.level.rawValue)
            out.field(e.programme?.rawValue); out.field(e.track?.rawValue); out.field(e.programmeName)
            out.field(e.specialEducationForm?.rawValue); out.field(e.iac ? "1" : "0"); out.field(e.schoolYear?.description)
            out.field(e.startDate); out.field(e.endDate); out.field(e.exitReason?.rawValue); out.field(e.situationAfter?.rawValue)
        case .qualification(let q):
            out.field(q.certificateType.rawValue); out.field(q.educationForm?.rawValue); out.field(q.awardDate)
            out.field(q.status.rawValue); out.field(q.title); out.field(q.institutionNumber)
        case .person(let p):
            out.field(p.firstName); out.field(p.lastName); out.field(p.birthDate); out.field(p.sex?.rawValue)
            out.field(p.street); out.field(p.houseNumber); out.field(p.box); out.field(p.postcode)
            out.field(p.municipality); out.field(p.country); out.field(p.emigrationDate); out.field(p.deathDate)
            out.field(p.validFrom)
            // Only when there is one: records stored before keep their text (and content hash).
            if let previous = p.previousINSZ { out.field(previous.digits) }
        case .jobseeker(let j):
            out.field(j.registrationDate); out.field(j.deregistrationDate); out.field(j.deregistrationReason?.rawValue)
        case .employment(let e):
            out.field(e.employerNumber); out.field(e.startDate); out.field(e.endDate); out.field(e.cancelled ? "1" : "0")
            out.field(e.workerType); out.field(e.jointCommittee)
        }
        return out.bytes
    }

    /// Fields separated by U+001F, an absent value as an empty field; inside a field `\` is written
    /// `\\` and U+001F `\u`, so the separator never appears inside one.
    private struct Writer {
        var bytes: [UInt8] = []

        init() { bytes.reserveCapacity(256) }

        mutating func first(_ text: String) { append(text) }

        mutating func field(_ text: String?) {
            bytes.append(separator)
            if let text { append(text) }
        }

        mutating func field(_ date: LocalDate?) {
            bytes.append(separator)
            if let date { date.appendISO(to: &bytes) }
        }

        private mutating func append(_ text: String) {
            var text = text
            text.withUTF8 { utf8 in
                guard utf8.contains(where: { $0 == separator || $0 == UInt8(ascii: "\\") }) else {
                    bytes.append(contentsOf: utf8)
                    return
                }
                for byte in utf8 {
                    switch byte {
                    case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "\\"))
                    case separator: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "u"))
                    default: bytes.append(byte)
                    }
                }
            }
        }
    }

    public static func decode(_ text: String) throws(Failure) -> SourceRecord {
        let fields = split(text)
        guard fields.count >= 6, fields[0] == version else { throw .malformed("version") }
        guard let kind = RecordKind(rawValue: fields[1]) else { throw .malformed("kind") }
        guard let source = Source(rawValue: fields[2]) else { throw .malformed("source") }
        guard let insz = try? INSZ(stored: fields[4]) else { throw .malformed("insz") }
        let f = Array(fields.dropFirst(6))
        func opt(_ i: Int) -> String? { f[i].isEmpty ? nil : f[i] }
        func date(_ i: Int) throws(Failure) -> LocalDate {
            guard let d = LocalDate(iso: f[i]) else { throw .malformed("date") }
            return d
        }
        func optDate(_ i: Int) throws(Failure) -> LocalDate? { f[i].isEmpty ? nil : try date(i) }
        let body: SourceRecord.Body
        switch kind {
        case .enrolment:
            guard f.count == 14, let level = Enrolment.Level(rawValue: f[3]) else { throw .malformed("enrolment") }
            body = .enrolment(Enrolment(
                schoolNumber: f[0], schoolName: f[1], schoolPostcode: opt(2), level: level,
                programme: opt(4).flatMap(Enrolment.Programme.init(rawValue:)),
                track: opt(5).flatMap(Enrolment.Track.init(rawValue:)), programmeName: opt(6),
                specialEducationForm: opt(7).flatMap(Enrolment.SpecialEducationForm.init(rawValue:)),
                iac: f[8] == "1", schoolYear: opt(9).flatMap { SchoolYear($0) },
                startDate: try date(10), endDate: try optDate(11),
                exitReason: opt(12).flatMap(Enrolment.ExitReason.init(rawValue:)),
                situationAfter: opt(13).flatMap(Enrolment.SituationAfter.init(rawValue:))))
        case .qualification:
            guard f.count == 6, let type = Qualification.CertificateType(rawValue: f[0]),
                  let status = Qualification.Status(rawValue: f[3]) else { throw .malformed("qualification") }
            body = .qualification(Qualification(
                certificateType: type, educationForm: opt(1).flatMap(Enrolment.Track.init(rawValue:)),
                awardDate: try date(2), status: status, title: opt(4), institutionNumber: opt(5)))
        case .person:
            guard f.count == 13 || f.count == 14 else { throw .malformed("person") }
            var previous: INSZ?
            if f.count == 14 {
                guard let number = try? INSZ(stored: f[13]) else { throw .malformed("previous insz") }
                previous = number
            }
            body = .person(PersonRecord(
                firstName: f[0], lastName: f[1], birthDate: try optDate(2), sex: opt(3).flatMap(INSZ.Sex.init(rawValue:)),
                street: opt(4), houseNumber: opt(5), box: opt(6), postcode: opt(7), municipality: opt(8),
                country: f[9], emigrationDate: try optDate(10), deathDate: try optDate(11), validFrom: try optDate(12),
                previousINSZ: previous))
        case .jobseeker:
            guard f.count == 3 else { throw .malformed("jobseeker") }
            body = .jobseeker(JobSeekerRegistration(
                registrationDate: try date(0), deregistrationDate: try optDate(1),
                deregistrationReason: opt(2).flatMap(JobSeekerRegistration.DeregistrationReason.init(rawValue:))))
        case .employment:
            guard f.count == 6 else { throw .malformed("employment") }
            body = .employment(EmploymentPeriod(
                employerNumber: f[0], startDate: try date(1), endDate: try optDate(2), cancelled: f[3] == "1",
                workerType: opt(4), jointCommittee: opt(5)))
        }
        return SourceRecord(source: source, recordID: fields[3], insz: insz,
                            recordedAt: fields[5].isEmpty ? nil : fields[5], body: body)
    }

    static func split(_ text: String) -> [String] {
        var fields: [String] = []
        fields.reserveCapacity(24)
        var utf8 = text.utf8[...]
        while true {
            if let index = utf8.firstIndex(of: separator) {
                fields.append(unescape(Substring(utf8[..<index])))
                utf8 = utf8[utf8.index(after: index)...]
            } else {
                fields.append(unescape(Substring(utf8)))
                return fields
            }
        }
    }

    static func unescape(_ field: Substring) -> String {
        guard field.utf8.contains(UInt8(ascii: "\\")) else { return String(field) }
        var out = ""
        var escaping = false
        for scalar in field.unicodeScalars {
            if escaping {
                out.unicodeScalars.append(scalar == "u" ? "\u{1F}" : scalar)
                escaping = false
            } else if scalar == "\\" {
                escaping = true
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
