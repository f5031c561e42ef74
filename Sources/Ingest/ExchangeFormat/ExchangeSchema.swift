import Domain

/// Exchange format v1: the columns of each record type, in their canonical order. CSV files carry
/// them as a header row, JSON Lines as object keys; docs/exchange-format.md documents each one.
public enum ExchangeSchema {
    public struct Field: Sendable, Hashable {
        public let name: String
        public let required: Bool
        public let summary: String

        init(_ name: String, required: Bool = false, _ summary: String) {
            self.name = name
            self.required = required
            self.summary = summary
        }
    }

    static let common: [Field] = [
        Field("record_id", required: true, "The source's own id for the record; unique per source, stable across deliveries."),
        Field("insz", required: true, "National number (rijksregisternummer or BIS), 11 digits; dots, dashes and spaces allowed."),
    ]

    static let trailing: [Field] = [
        Field("source", "Which source delivers the record; defaults to the record type's only or first source."),
        Field("recorded_at", "When the source recorded this version (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS); the latest wins."),
    ]

    /// Who the record is about, besides the INSZ: optional on every type but persons, read only
    /// when the INSZ is missing or invalid, to find the person by linkage (docs/linkage.md).
    static let identity: [Field] = [
        Field("first_name", "The person's first name(s); only used to find the person when the INSZ is missing or invalid."),
        Field("last_name", "The person's last name; the same."),
        Field("birth_date", "The person's birth date; the same."),
        Field("sex", "M or F; the same."),
        Field("postcode", "Postcode of the person's address; the same."),
    ]

    public static func fields(_ kind: RecordKind) -> [Field] {
        kind == .person ? ownFields(kind) : ownFields(kind) + identity
    }

    private static func ownFields(_ kind: RecordKind) -> [Field] {
        switch kind {
        case .enrolment:
            common + [
                Field("source", "agodi (default) or syntra."),
                Field("school_number", required: true, "Institution number (instellingsnummer) or Syntra centre number."),
                Field("school_name", required: true, "Official name of the school or centre."),
                Field("school_postcode", "Postcode of the school's location, 4 digits."),
                Field("programme", "fulltime, dbso or apprenticeship; required for secondary education."),
                Field("special_education_type", "Empty, or ov1..ov4 for special secondary education (BuSO)."),
                Field("iac", "true if the pupil follows an individual adapted curriculum (IAC); default false."),
                Field("school_year", "YYYY-YYYY, e.g. 2025-2026."),
                Field("start_date", required: true, "First day of the enrolment."),
                Field("end_date", "Last day of the enrolment; empty while it lasts."),
                Field("exit_reason", "X end of school year, E pupil/parents, S school/CLB advice, T disciplinary."),
                Field("situation_after", "1 recognised training, 5 work, 9 other, 10 no information, 12 other Flemish school."),
                Field("level", "secondary (default), nursery, primary, higher or adult."),
                Field("track", "a, b (first grade), aso, tso, kso, bso, dbso, buso or apprenticeship."),
                Field("programme_name", "The class or course as the school names it."),
                Field("recorded_at", trailing[1].summary),
            ]
        case .qualification:
            common + [
                Field("certificate_type", required: true, "See the certificate types below."),
                Field("education_form", "The track the certificate was earned in (aso, tso, kso, bso, dbso, buso, …)."),
                Field("award_date", required: true, "Date of the certificate."),
                Field("status", "registered (default) or cancelled."),
                Field("title", "The LED's description of the certificate."),
                Field("institution_number", "Institution that awarded it."),
            ] + trailing
        case .person:
            common + [
                Field("first_name", required: true, "First name(s)."),
                Field("last_name", required: true, "Last name."),
                Field("birth_date", "Birth date, when the register has it."),
                Field("sex", "M or F."),
                Field("street", "Street of the main address."),
                Field("house_number", "House number."),
                Field("box", "Box number."),
                Field("postcode", "Postcode, 4 digits for a Belgian address."),
                Field("municipality", "Municipality."),
                Field("country", "ISO 3166 code of the main address: BE (default) or BEL, or another country."),
                Field("emigration_date", "Date of deregistration to abroad (status 992/99992)."),
                Field("death_date", "Date of death."),
                Field("valid_from", "From when this state of the register holds."),
                Field("previous_insz", "The number the register knew the person by before (a BIS number replaced by a national number): Vangnet merges the two persons."),
            ] + trailing
        case .jobseeker:
            common + [
                Field("registration_date", required: true, "Start of the registration as a job seeker."),
                Field("deregistration_date", "End of the registration."),
                Field("deregistration_reason", "work, education, training, abroad, illness, administrative or other."),
            ] + trailing
        case .employment:
            common + [
                Field("employer_number", required: true, "KBO number of the employer, 10 digits."),
                Field("start_date", required: true, "First day of employment."),
                Field("end_date", "Last day of employment; empty while it lasts."),
                Field("cancelled", "true if the DIMONA declaration was cancelled; default false."),
                Field("worker_type", "DIMONA kind of worker (STU student, OTH other, …)."),
                Field("joint_committee", "Joint committee (paritair comité)."),
            ] + trailing
        }
    }

    public static func names(_ kind: RecordKind) -> [String] { fields(kind).map(\.name) }

    /// The columns Vangnet writes (simulated files, exports, the canonical header of a quarantined
    /// line): the type's own, without the optional identity columns, which only a source adds.
    public static func writtenNames(_ kind: RecordKind) -> [String] { ownFields(kind).map(\.name) }

    /// The record type whose columns these are: all required columns present, no unknown ones.
    public static func detect(columns: [String]) -> Result<RecordKind, Rejection> {
        let set = Set(columns)
        let candidates = RecordKind.allCases.filter { kind in
            fields(kind).filter(\.required).allSatisfy { set.contains($0.name) }
        }
        // Several fit (an enrolment file with identity columns also has a person's required ones):
        // the one that knows every column.
        let fitting = candidates.count > 1 ? candidates.filter { kind in set.isSubset(of: names(kind)) } : candidates
        guard let kind = fitting.first, fitting.count == 1 else {
            if candidates.count > 1 {
                return .failure(Rejection(.missingHeader, message: "the header fits several record types; use --kind", location: "line 1"))
            }
            let known = Set(RecordKind.allCases.flatMap(names))
            let looksLikeAHeader = set.contains("record_id") || set.contains("insz")
            if looksLikeAHeader, let unknown = columns.first(where: { !known.contains($0) }) {
                return .failure(Rejection(.unknownHeader, field: unknown,
                                          message: "column '\(unknown)' is not in exchange format v1", location: "line 1"))
            }
            return .failure(Rejection(.missingHeader, message: "the first line is not a header of exchange format v1 "
                                      + "(expected record_id, insz and the columns of one record type)", location: "line 1"))
        }
        return .success(kind)
    }

    /// Checks the columns against a known kind.
    public static func check(columns: [String], for kind: RecordKind) -> Rejection? {
        if let missing = fields(kind).first(where: { $0.required && !columns.contains($0.name) }) {
            return Rejection(.missingHeader, field: missing.name,
                             message: "the header lacks the required \(kind.rawValue) column '\(missing.name)'", location: "line 1")
        }
        let known = Set(names(kind))
        if let unknown = columns.first(where: { !known.contains($0) }) {
            return Rejection(.unknownHeader, field: unknown,
                             message: "column '\(unknown)' is not a \(kind.rawValue) column of exchange format v1", location: "line 1")
        }
        var seen: Set<String> = []
        for column in columns where !seen.insert(column).inserted {
            return Rejection(.unknownHeader, field: column, message: "column '\(column)' appears twice", location: "line 1")
        }
        return nil
    }
}
