import Domain

/// Writes records in exchange format v1 (the simulator's output, the example files in docs/).
public enum ExchangeWriter {
    /// The record's fields by column name.
    public static func fields(_ record: SourceRecord) -> [String: String] {
        var f: [String: String] = ["record_id": record.recordID, "insz": record.insz.digits, "source": record.source.rawValue]
        if let recordedAt = record.recordedAt { f["recorded_at"] = recordedAt }
        func put(_ name: String, _ value: String?) { if let value, !value.isEmpty { f[name] = value } }
        switch record.body {
        case .enrolment(let e):
            put("school_number", e.schoolNumber); put("school_name", e.schoolName); put("school_postcode", e.schoolPostcode)
            put("programme", e.programme?.rawValue); put("special_education_type", e.specialEducationForm?.rawValue)
            put("iac", e.iac ? "true" : "false"); put("school_year", e.schoolYear?.description)
            put("start_date", e.startDate.iso); put("end_date", e.endDate?.iso); put("exit_reason", e.exitReason?.rawValue)
            put("situation_after", e.situationAfter?.rawValue)
            if e.level != .secondary { put("level", e.level.rawValue) }
            put("track", e.track?.rawValue); put("programme_name", e.programmeName)
        case .qualification(let q):
            put("certificate_type", q.certificateType.rawValue); put("education_form", q.educationForm?.rawValue)
            put("award_date", q.awardDate.iso); put("status", q.status.rawValue); put("title", q.title)
            put("institution_number", q.institutionNumber)
        case .person(let p):
            put("first_name", p.firstName); put("last_name", p.lastName); put("birth_date", p.birthDate?.iso)
            put("sex", p.sex?.rawValue); put("street", p.street); put("house_number", p.houseNumber); put("box", p.box)
            put("postcode", p.postcode); put("municipality", p.municipality); put("country", p.country)
            put("emigration_date", p.emigrationDate?.iso); put("death_date", p.deathDate?.iso); put("valid_from", p.validFrom?.iso)
            put("previous_insz", p.previousINSZ?.digits)
        case .jobseeker(let j):
            put("registration_date", j.registrationDate.iso); put("deregistration_date", j.deregistrationDate?.iso)
            put("deregistration_reason", j.deregistrationReason?.rawValue)
        case .employment(let e):
            put("employer_number", e.employerNumber); put("start_date", e.startDate.iso); put("end_date", e.endDate?.iso)
            put("cancelled", e.cancelled ? "true" : "false"); put("worker_type", e.workerType)
            put("joint_committee", e.jointCommittee)
        }
        return f
    }

    public static func csvHeader(_ kind: RecordKind) -> String {
        ExchangeSchema.writtenNames(kind).joined(separator: ",")
    }

    public static func csvLine(_ record: SourceRecord) -> String {
        let values = fields(record)
        return ExchangeSchema.writtenNames(record.kind).map { csvEscape(values[$0] ?? "") }.joined(separator: ",")
    }

    public static func csvEscape(_ field: String) -> String {
        guard field.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D })
        else { return field }
        return "\"" + field.replacingAll("\"", with: "\"\"") + "\""
    }

    /// One JSON object on one line, keys in canonical order.
    public static func jsonLine(_ record: SourceRecord) -> String {
        let values = fields(record)
        let parts = ExchangeSchema.names(record.kind).compactMap { name in
            values[name].map { "\"\(name)\":\(jsonString($0))" }
        }
        return "{" + parts.joined(separator: ",") + "}"
    }

    public static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += "\\u" + String(String(scalar.value, radix: 16)).leftPad(4)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension String {
    func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
