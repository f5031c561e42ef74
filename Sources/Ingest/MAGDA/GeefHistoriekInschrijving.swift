import Domain
import SWXMLHash

/// Onderwijs.GeefHistoriekInschrijving 02.01: the enrolment history of one person.
/// `Bron` LP (compulsory education, Discimus), HO (higher education) or VWO (adult education).
extension Context {
    func enrolment(_ element: XMLIndexer, number: Int, insz: INSZ) -> IngestItem {
        let location = "Inschrijving \(number)"
        let origin = element["Bron"].trimmedText ?? ""
        let institution = element["Instelling"]
        let schoolNumber = institution["Instellingsnummer"].trimmedText
        let schoolName = institution["OfficieleNaam"].trimmedText
        let postcode = element["OnderwijsLocatie"]["Adres"]["Gemeente"]["PostCode"].trimmedText
            ?? institution["Adres"]["Gemeente"]["PostCode"].trimmedText
        var recordID = element["Referte"].trimmedText
        func fail(_ reason: QuarantineReason, _ field: String, _ message: String, source: Source = .agodi) -> IngestItem {
            reject(reason, field, "\(field): \(message)", element, location: location, recordID: recordID, source: source)
        }
        guard let schoolNumber, let schoolName else {
            return fail(.missingField, "school_number", "the enrolment names no institution")
        }
        var source = Source.agodi
        let enrolment: Enrolment
        switch origin {
        case "LP":
            let lp = element["LeerplichtOnderwijs"]
            let group = lp["InschrijvingAdministratieveGroep"]
            recordID = group["Referte"].trimmedText ?? recordID
            let programme: Enrolment.Programme?
            switch lp["SoortProgramma"]["Code"].trimmedText {
            case "1": programme = .fulltime
            case "2": programme = .dbso
            case "5": programme = .apprenticeship; source = .syntra
            default: return fail(.unknownCode, "programme", "SoortProgramma is not 1, 2 or 5")
            }
            guard let start = MAGDADate.parse(group["Periode"]["Begin"].trimmedText)
                    ?? MAGDADate.parse(lp["DatumEersteLes"].trimmedText) else {
                return fail(.missingField, "start_date", "no period begin", source: source)
            }
            let end = MAGDADate.parse(group["Periode"]["Einde"].trimmedText)
            if let end, end < start { return fail(.reversedDates, "end_date", "ends before it starts", source: source) }
            let level: Enrolment.Level
            switch group["AdministratieveGroep"]["Niveau"]["Code"].trimmedText {
            case "1": level = .nursery
            case "2": level = .primary
            case "3", nil: level = .secondary
            default: return fail(.unknownCode, "level", "Niveau is not 1, 2 or 3", source: source)
            }
            let groupName = group["AdministratieveGroep"]["Naam"].trimmedText
            let special = group["AdministratieveGroep"]["SoortOnderwijs"]["Code"].trimmedText == "2"
            var exitReason: Enrolment.ExitReason?
            if let code = group["Uitschrijving"]["Aanleiding"]["Code"].trimmedText {
                guard let reason = Enrolment.ExitReason(rawValue: code) else {
                    return fail(.unknownCode, "exit_reason", "Aanleiding is not X, E, S or T", source: source)
                }
                exitReason = reason
            }
            var situation: Enrolment.SituationAfter?
            if let code = group["Uitschrijving"]["SituatieNa"]["Code"].trimmedText {
                guard let value = Enrolment.SituationAfter(rawValue: String(Int(code) ?? -1)) else {
                    return fail(.unknownCode, "situation_after", "SituatieNa code is not one Vangnet knows", source: source)
                }
                situation = value
            }
            let year = Int(lp["Schooljaar"].trimmedText ?? "").map(SchoolYear.init(startYear:))
            enrolment = Enrolment(
                schoolNumber: schoolNumber, schoolName: schoolName, schoolPostcode: postcode, level: level,
                programme: level == .secondary ? programme : nil,
                track: special ? .buso : Self.track(groupName: groupName, programme: programme),
                programmeName: groupName, specialEducationForm: special ? Self.specialForm(groupName) : nil,
                schoolYear: year, startDate: start, endDate: end, exitReason: exitReason, situationAfter: situation)
        case "HO", "VWO":
            let body = origin == "HO" ? element["HogerOnderwijs"] : element["Volwassenenonderwijs"]
            guard let start = MAGDADate.parse(body["DatumInschrijving"].trimmedText) else {
                return fail(.missingField, "start_date", "no DatumInschrijving")
            }
            var end = MAGDADate.parse(body["DatumUitschrijving"].trimmedText)
            if end == nil, origin == "HO", let year = Int(body["Academiejaar"].trimmedText ?? "") {
                // An academic year without an exit date ends with the academic year.
                end = LocalDate(year: year + 1, month: 8, day: 31)
            }
            if let end, end < start { return fail(.reversedDates, "end_date", "ends before it starts") }
            let name = body["Opleiding"]["VolledigeNaam"].trimmedText ?? body["Opleiding"]["Naam"].trimmedText
            enrolment = Enrolment(
                schoolNumber: schoolNumber, schoolName: schoolName, schoolPostcode: postcode,
                level: origin == "HO" ? .higher : .adult, programme: nil, programmeName: name,
                startDate: start, endDate: end)
        default:
            return fail(.unknownCode, "level", "Bron is not LP, HO or VWO")
        }
        guard let recordID else { return fail(.missingField, "record_id", "the enrolment has no Referte", source: source) }
        return .record(SourceRecord(source: source, recordID: recordID, insz: insz, recordedAt: respondedAt,
                                    body: .enrolment(enrolment)), location: location)
    }

    /// The track from the administrative group's name ("2e leerjaar in de 3e graad Kantoor BSO").
    static func track(groupName: String?, programme: Enrolment.Programme?) -> Enrolment.Track? {
        switch programme {
        case .dbso: return .dbso
        case .apprenticeship: return .apprenticeship
        default: break
        }
        guard let name = groupName else { return nil }
        let words = Set(name.split(separator: " ").map { $0.uppercased() })
        if words.contains("DBSO") { return .dbso }
        for (word, track) in [("ASO", Enrolment.Track.aso), ("TSO", .tso), ("KSO", .kso), ("BSO", .bso)] where words.contains(word) {
            return track
        }
        if name.hasPrefix("1ste leerjaar A") || name.hasPrefix("1e leerjaar A") { return .a }
        if name.hasPrefix("1ste leerjaar B") || name.hasPrefix("Beroepsvoorbereidend leerjaar") { return .b }
        return nil
    }

    /// BuSO training form from the group's name ("BuSO Opleidingsvorm 2 fase 2", "OV3 …").
    static func specialForm(_ groupName: String?) -> Enrolment.SpecialEducationForm? {
        guard let name = groupName?.lowercased() else { return nil }
        for digit in 1...4 where name.contains("opleidingsvorm \(digit)") || name.contains("ov\(digit)") {
            return Enrolment.SpecialEducationForm(rawValue: "ov\(digit)")
        }
        return nil
    }
}
