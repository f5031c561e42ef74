import Domain

/// Turns the text fields of one exchange-format record into a `SourceRecord`, or says precisely
/// which field is wrong and why. Used for CSV rows, JSON Lines objects and CloudEvents data alike.
public struct RecordValidator: Sendable {
    public let kind: RecordKind
    public let allowTestNumbers: Bool
    /// The date of reading: an INSZ cannot encode a birth after it.
    public let today: LocalDate

    public init(kind: RecordKind, allowTestNumbers: Bool, today: LocalDate) {
        self.kind = kind
        self.allowTestNumbers = allowTestNumbers
        self.today = today
    }

    /// `value(name)` returns the field's raw text, or nil when the column is absent.
    public func validate(location: String, original: @autoclosure () -> [UInt8],
                         _ value: (String) -> String?) -> IngestItem {
        withoutActuallyEscaping(value) { value in
            var fields = Fields(value: value, kind: kind, location: location)
            do throws(Rejection) {
                return .record(try record(&fields), location: location)
            } catch {
                var rejection = error
                rejection.original = original()
                rejection.recordID = fields.recordID
                rejection.source = rejection.source ?? fields.source
                return .rejected(rejection)
            }
        }
    }

    struct Fields {
        let value: (String) -> String?
        let kind: RecordKind
        let location: String
        var recordID: String?
        var source: Source?

        func text(_ name: String) -> String? {
            guard let raw = value(name) else { return nil }
            let trimmed = raw.trimmingSpaces
            return trimmed.isEmpty ? nil : trimmed
        }

        func fail(_ reason: QuarantineReason, _ name: String, _ message: String) -> Rejection {
            Rejection(reason, field: name, message: "\(name): \(message)", location: location, kind: kind, source: source)
        }

        func required(_ name: String) throws(Rejection) -> String {
            guard let text = text(name) else { throw fail(.missingField, name, "required, but empty") }
            return text
        }

        func date(_ name: String) throws(Rejection) -> LocalDate? {
            guard let text = text(name) else { return nil }
            guard let date = LocalDate(iso: text), (1900...2100).contains(date.year) else {
                throw fail(.invalidDate, name, "not an existing date in the form YYYY-MM-DD")
            }
            return date
        }

        func requiredDate(_ name: String) throws(Rejection) -> LocalDate {
            guard let date = try date(name) else { throw fail(.missingField, name, "required, but empty") }
            return date
        }

        func code<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type, lowercased: Bool = true)
            throws(Rejection) -> T? where T.RawValue == String {
            guard let text = text(name) else { return nil }
            guard let value = T(rawValue: lowercased ? text.lowercased() : text.uppercased()) else {
                let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
                throw fail(.unknownCode, name, "unknown code; expected one of \(allowed)")
            }
            return value
        }

        func flag(_ name: String) throws(Rejection) -> Bool {
            guard let text = text(name)?.lowercased() else { return false }
            switch text {
            case "true", "1", "yes", "ja", "y", "j": return true
            case "false", "0", "no", "nee", "n": return false
            default: throw fail(.invalidValue, name, "expected true or false")
            }
        }

        func digits(_ name: String, count: ClosedRange<Int>) throws(Rejection) -> String? {
            guard let text = text(name) else { return nil }
            let compact = text.filter { $0 != "." && $0 != " " }
            guard count.contains(compact.count), compact.allSatisfy(\.isASCIIDigit) else {
                throw fail(.invalidValue, name, "expected \(count.lowerBound == count.upperBound ? "\(count.lowerBound)" : "\(count.lowerBound) to \(count.upperBound)") digits")
            }
            return compact
        }

        func ordered(_ start: LocalDate?, _ end: LocalDate?, _ endName: String) throws(Rejection) {
            if let start, let end, end < start {
                throw fail(.reversedDates, endName, "ends before it starts")
            }
        }
    }

    func record(_ f: inout Fields) throws(Rejection) -> SourceRecord {
        let recordID = try f.required("record_id")
        guard recordID.utf8.count <= 128, !recordID.unicodeScalars.contains(where: { $0.value < 32 }) else {
            throw f.fail(.invalidValue, "record_id", "at most 128 characters, no control characters")
        }
        f.recordID = recordID
        let source: Source
        if let text = f.text("source") {
            guard let named = Source(rawValue: text.lowercased()), kind.sources.contains(named) else {
                throw f.fail(.unknownCode, "source", "expected \(kind.sources.map(\.rawValue).joined(separator: " or "))")
            }
            source = named
        } else {
            source = kind.sources[0]
        }
        f.source = source
        let inszText = try f.required("insz")
        let insz: INSZ
        do {
            insz = try INSZ(inszText, allowTestNumbers: allowTestNumbers, today: today)
        } catch {
            throw f.fail(.invalidINSZ, "insz", error.description)
        }
        var recordedAt: String?
        if let text = f.text("recorded_at") {
            guard let normalised = RecordValidator.normaliseTimestamp(text) else {
                throw f.fail(.invalidDate, "recorded_at", "expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS")
            }
            recordedAt = normalised
        }
        return SourceRecord(source: source, recordID: recordID, insz: insz, recordedAt: recordedAt, body: try body(&f))
    }

    func body(_ f: inout Fields) throws(Rejection) -> SourceRecord.Body {
        switch kind {
        case .enrolment:
            let level = try f.code("level", Enrolment.Level.self) ?? .secondary
            let programme = try f.code("programme", Enrolment.Programme.self)
            if level == .secondary && programme == nil {
                throw f.fail(.missingField, "programme", "required for secondary education")
            }
            var schoolYear: SchoolYear?
            if let text = f.text("school_year") {
                guard let year = SchoolYear(text) else { throw f.fail(.invalidValue, "school_year", "expected YYYY-YYYY") }
                schoolYear = year
            }
            let start = try f.requiredDate("start_date")
            let end = try f.date("end_date")
            try f.ordered(start, end, "end_date")
            let schoolNumber = try f.required("school_number")
            guard schoolNumber.count <= 20 else { throw f.fail(.invalidValue, "school_number", "at most 20 characters") }
            return .enrolment(Enrolment(
                schoolNumber: schoolNumber, schoolName: try f.required("school_name"),
                schoolPostcode: try f.digits("school_postcode", count: 4...4), level: level, programme: programme,
                track: try f.code("track", Enrolment.Track.self), programmeName: f.text("programme_name"),
                specialEducationForm: try f.code("special_education_type", Enrolment.SpecialEducationForm.self),
                iac: try f.flag("iac"), schoolYear: schoolYear, startDate: start, endDate: end,
                exitReason: try f.code("exit_reason", Enrolment.ExitReason.self, lowercased: false),
                situationAfter: try f.code("situation_after", Enrolment.SituationAfter.self)))
        case .qualification:
            guard let type = try f.code("certificate_type", Qualification.CertificateType.self) else {
                throw f.fail(.missingField, "certificate_type", "required, but empty")
            }
            return .qualification(Qualification(
                certificateType: type, educationForm: try f.code("education_form", Enrolment.Track.self),
                awardDate: try f.requiredDate("award_date"),
                status: try f.code("status", Qualification.Status.self) ?? .registered,
                title: f.text("title"), institutionNumber: f.text("institution_number")))
        case .person:
            let country = (f.text("country") ?? "BE").uppercased()
            guard (2...3).contains(country.count), country.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                throw f.fail(.invalidValue, "country", "expected an ISO 3166 code such as BE")
            }
            let inBelgium = country == "BE" || country == "BEL"
            let postcode = inBelgium ? try f.digits("postcode", count: 4...4) : f.text("postcode")
            let birth = try f.date("birth_date")
            let emigration = try f.date("emigration_date")
            let death = try f.date("death_date")
            try f.ordered(birth, emigration, "emigration_date")
            try f.ordered(birth, death, "death_date")
            var sex: INSZ.Sex?
            if let text = f.text("sex") {
                guard let value = INSZ.Sex(rawValue: text.uppercased()) else { throw f.fail(.unknownCode, "sex", "expected M or F") }
                sex = value
            }
            var previous: INSZ?
            if let text = f.text("previous_insz") {
                do {
                    previous = try INSZ(text, allowTestNumbers: allowTestNumbers, today: today)
                } catch {
                    throw f.fail(.invalidValue, "previous_insz", error.description)
                }
            }
            return .person(PersonRecord(
                firstName: try f.required("first_name"), lastName: try f.required("last_name"), birthDate: birth, sex: sex,
                street: f.text("street"), houseNumber: f.text("house_number"), box: f.text("box"), postcode: postcode,
                municipality: f.text("municipality"), country: country, emigrationDate: emigration, deathDate: death,
                validFrom: try f.date("valid_from"), previousINSZ: previous))
        case .jobseeker:
            let start = try f.requiredDate("registration_date")
            let end = try f.date("deregistration_date")
            try f.ordered(start, end, "deregistration_date")
            return .jobseeker(JobSeekerRegistration(
                registrationDate: start, deregistrationDate: end,
                deregistrationReason: try f.code("deregistration_reason", JobSeekerRegistration.DeregistrationReason.self)))
        case .employment:
            guard let employer = try f.digits("employer_number", count: 10...10) else {
                throw f.fail(.missingField, "employer_number", "required, but empty")
            }
            let start = try f.requiredDate("start_date")
            let end = try f.date("end_date")
            try f.ordered(start, end, "end_date")
            return .employment(EmploymentPeriod(
                employerNumber: employer, startDate: start, endDate: end, cancelled: try f.flag("cancelled"),
                workerType: f.text("worker_type")?.uppercased(), jointCommittee: f.text("joint_committee")))
        }
    }

    /// `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS[.fff][Z]` → the same text, checked, so that versions
    /// compare as strings.
    public static func normaliseTimestamp(_ text: String) -> String? {
        let datePart = text.prefix(10)
        guard LocalDate(iso: datePart) != nil else { return nil }
        if text.count == 10 { return text }
        let rest = text.dropFirst(10)
        guard rest.first == "T" || rest.first == " " else { return nil }
        let time = rest.dropFirst()
        let clock = time.prefix(8)
        let parts = clock.split(separator: ":")
        guard parts.count == 3, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCIIDigit) }),
              let h = Int(parts[0]), let m = Int(parts[1]), let s = Int(parts[2]), h < 24, m < 60, s < 61 else { return nil }
        var fraction = time.dropFirst(8)
        if fraction.last == "Z" { fraction = fraction.dropLast() }
        if !fraction.isEmpty {
            guard fraction.first == ".", fraction.dropFirst().allSatisfy(\.isASCIIDigit), fraction.count <= 10 else { return nil }
        }
        return String(datePart) + "T" + String(clock) + String(fraction)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension String {
    /// Without leading and trailing spaces, tabs, carriage returns and non-breaking spaces.
    var trimmingSpaces: String {
        // Fast path: nothing to trim at either end (the common case, checked on bytes).
        if let first = utf8.first, let last = utf8.last, first > 0x20, first < 0x80, last > 0x20, last < 0x80 { return self }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        if first == scalars.startIndex && last == scalars.index(before: scalars.endIndex) { return self }
        return String(scalars[first...last])
    }
}
