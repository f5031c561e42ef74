import Domain
import SWXMLHash

/// LED.GeefBewijs 02.00: certificates registered in the LED (AHOVOKS).
extension Context {
    func qualification(_ element: XMLIndexer, number: Int) -> IngestItem {
        let location = "Bewijs \(number)"
        let recordID = element["BewijsrefertesLed"]["Bewijsreferte"].trimmedText
        func fail(_ reason: QuarantineReason, _ field: String, _ message: String) -> IngestItem {
            reject(reason, field, "\(field): \(message)", element, location: location, recordID: recordID)
        }
        guard let recordID else { return fail(.missingField, "record_id", "no Bewijsreferte") }
        let insz: INSZ
        do { insz = try self.insz(element["PersoonUitgereikt"]["INSZ"].trimmedText) } catch {
            return fail(error.reason, "insz", String(error.message.dropFirst("insz: ".count)))
        }
        let status: Qualification.Status
        switch element["BewijsstatusLed"]["Code"].trimmedText {
        case "1", nil: status = .registered
        case "10": status = .cancelled
        default: return fail(.unknownCode, "status", "BewijsstatusLed is not 1 or 10")
        }
        let basis = element["Basis"]
        let award = basis["Uitreikingsdatum"]
        // A certificate with only a year (or year and month) counts from the earliest day it can
        // mean: a qualified young person is never contacted by mistake.
        guard let awardDate = MAGDADate.earliest(year: Int(award["Jaar"].trimmedText ?? ""),
                                                 month: Int(award["Maand"].trimmedText ?? ""),
                                                 day: Int(award["Dag"].trimmedText ?? "")) else {
            return fail(.invalidDate, "award_date", "Uitreikingsdatum is missing or impossible")
        }
        let category = basis["Categorie"]["Naam"].trimmedText ?? ""
        let type = basis["Bewijstype"]["Naam"].trimmedText ?? ""
        let grade = basis["Graad"]["Naam"].trimmedText ?? ""
        let form = basis["Onderwijsvorm"]["Naam"].trimmedText ?? ""
        let title = element["Basis"]["BijkomendeInformaties"]["BijkomendeInformatie"].all
            .first { $0["Naam"].trimmedText == "Bewijs omschrijving" }?["Inhoud"].trimmedText
            ?? basis["VolledigeNaam"].trimmedText
        guard let certificate = Self.certificateType(category: category, type: type, grade: grade, form: form,
                                                     title: title ?? "") else {
            return fail(.unknownCode, "certificate_type", "Bewijstype '\(type)' in category '\(category)' is not one Vangnet knows")
        }
        let recordedAt: String?
        if let date = MAGDADate.parse(element["BewijsstatusLed"]["DatumModificatie"]["Datum"].trimmedText) {
            let time = element["BewijsstatusLed"]["DatumModificatie"]["Tijd"].trimmedText ?? ""
            recordedAt = RecordValidator.normaliseTimestamp(date.iso + "T" + time) ?? date.iso
        } else {
            recordedAt = respondedAt
        }
        let qualification = Qualification(
            certificateType: certificate, educationForm: Enrolment.Track(rawValue: form.lowercased()),
            awardDate: awardDate, status: status, title: title,
            institutionNumber: basis["Instelling"]["Nummer"].trimmedText)
        return .record(SourceRecord(source: .ahovoks, recordID: recordID, insz: insz, recordedAt: recordedAt,
                                    body: .qualification(qualification)), location: location)
    }

    /// The LED's category, type, grade and form mapped to Vangnet's certificate types; the five
    /// qualifications follow the statistiekvlaanderen definition (DESIGN.md §3).
    static func certificateType(category: String, type: String, grade: String, form: String, title: String)
        -> Qualification.CertificateType? {
        let lowerTitle = title.lowercased()
        switch (category, type) {
        case ("Secundair onderwijs", "Diploma"): return .secondaryDiploma
        case ("Secundair onderwijs", "Studiegetuigschrift"):
            if form == "DBSO" || lowerTitle.contains("deeltijds beroepssecundair") { return .dbsoCertificate }
            if form == "BSO" && grade.hasPrefix("3de graad") { return .bsoStudyCertificate }
            return .gradeCertificate
        case ("Secundair onderwijs", "Getuigschrift"):
            return grade == "OV3" ? .busoOV3Certificate : .gradeCertificate
        case (_, "Attest"): return .attest
        case (_, "Deelcertificaat"): return .partialCertificate
        case (_, "Gelijkwaardigheid"): return .equivalence
        case ("Ondernemersopleidingen", _):
            return lowerTitle.contains("leertijd") ? .apprenticeshipCertificate : .other
        case ("Hoger onderwijs", "Diploma"), ("Hoger beroepsonderwijs", "Diploma"): return .higherEducationDegree
        case ("Ervaringsbewijzen", _): return .experienceCertificate
        case (_, "Getuigschrift"), (_, "Wettelijk certificaat"), (_, "Certificaat"): return .other
        default: return nil
        }
    }
}
