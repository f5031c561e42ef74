import Domain
import SWXMLHash

/// Werk.GeefWerkrelaties 02.00: employment relations as declared through DIMONA.
extension Context {
    func employment(_ element: XMLIndexer, number: Int) -> IngestItem {
        let location = "Contract \(number)"
        let declaration = element["Aangifte"]
        let recordID = declaration["DimonaNummer"].trimmedText
        func fail(_ reason: QuarantineReason, _ field: String, _ message: String) -> IngestItem {
            reject(reason, field, "\(field): \(message)", element, location: location, recordID: recordID)
        }
        guard let recordID else { return fail(.missingField, "record_id", "no DimonaNummer") }
        let insz: INSZ
        do { insz = try self.insz(element["Relatie"]["Werknemer"]["INSZ"].trimmedText) } catch {
            return fail(error.reason, "insz", String(error.message.dropFirst("insz: ".count)))
        }
        let employer = element["Relatie"]["Werkgever"]["Ondernemingsnummer"].trimmedText
            ?? element["Relatie"]["Werkgever"]["RSZNummer"].trimmedText
        guard let employer, employer.count == 10, employer.allSatisfy(\.isASCIIDigit) else {
            return fail(.invalidValue, "employer_number", "no 10-digit enterprise number")
        }
        let cancelled = declaration["Geannuleerd"].trimmedText == "1"
        let period = declaration["PeriodeTijdstip"]
        let start = MAGDADate.parse(period["Begin"]["Datum"].trimmedText)
        let end = MAGDADate.parse(period["Einde"]["Datum"].trimmedText)
        // A cancelled declaration may carry no period: it never counts as work, but it is a fact
        // (it cancels an earlier version of the same declaration).
        guard let start = start ?? (cancelled ? LocalDate(year: 1900, month: 1, day: 1) : nil) else {
            return fail(.missingField, "start_date", "no period begin")
        }
        if let end, end < start { return fail(.reversedDates, "end_date", "ends before it starts") }
        let modified = declaration.element?.attribute(by: "DatumTijdstipModificatie")?.text
        let recordedAt = modified.flatMap(RecordValidator.normaliseTimestamp) ?? respondedAt
        let period_ = EmploymentPeriod(
            employerNumber: employer, startDate: start, endDate: end, cancelled: cancelled,
            workerType: declaration["AardWerknemer"].trimmedText,
            jointCommittee: declaration["ParitairComite"].trimmedText)
        return .record(SourceRecord(source: .dimona, recordID: recordID, insz: insz, recordedAt: recordedAt,
                                    body: .employment(period_)), location: location)
    }
}
