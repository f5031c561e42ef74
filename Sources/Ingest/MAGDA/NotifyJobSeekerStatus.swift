import Domain
import SWXMLHash

/// KSZ `notifyJobSeekerStatus` v1: the crossroads bank for social security (Kruispuntbank van de
/// Sociale Zekerheid) tells the institutions that follow a person when a public employment service
/// registers or deregisters them as a job seeker (`notifyJobSeekerStatusV1.xsd`, elements
/// unqualified). After `sender`, `receiver`, `legalContext` and `sequenceNumber` come
/// `jobSeekers/jobSeeker`, one event each, and each becomes one job-seeker registration:
///
/// - `REGISTRATION` on `event/date`: registered from that day, open-ended;
/// - `DEREGISTRATION` on `event/date`: the registration that began on
///   `deregistrationDetails/registrationDate` ended that day, for `deregistrationDetails/reason`.
///
/// A registration at Actiris, Le Forem or ADG counts like one at VDAB. The rule is "already known
/// to VDAB: any job-seeker registration" (DESIGN.md §5, `filter.known-to-vdab` in docs/policy.md),
/// and it is there so that VDAB does not write to a young person whom a public employment service
/// already follows; where one registers is decided by where one lives, so a young person in
/// Brussels — who stays in Vangnet's target group — registers with Actiris. The domain has one
/// job-seeker source, so these are `vdab` records too; the record id names the service
/// (`ksz:actiris:…`), so the fact behind a decision still says where it came from.
extension Context {
    func jobSeekerStatus(_ element: XMLIndexer, number: Int) -> IngestItem {
        let location = "jobSeeker \(number)"
        do {
            let record = try jobSeekerRecord(element)
            return .record(record, location: location)
        } catch {
            return reject(error.reason, error.field, error.message, element, location: location, recordID: error.recordID)
        }
    }

    private func jobSeekerRecord(_ element: XMLIndexer) throws(Rejection) -> SourceRecord {
        func problem(_ reason: QuarantineReason, _ field: String, _ message: String) -> Rejection {
            Rejection(reason, field: field, message: "\(field): \(message)", location: "")
        }
        func day(_ node: XMLIndexer, _ field: String, _ name: String) throws(Rejection) -> LocalDate {
            guard let text = node.trimmedText else { throw problem(.missingField, field, "no \(name)") }
            guard let date = XSDDate.parse(text) else {
                throw problem(.invalidDate, field, "\(name) is not a date (YYYY-MM-DD)")
            }
            return date
        }

        let code = element.element?.attribute(by: "source")?.text.trimmingSpaces ?? ""
        guard !code.isEmpty else { throw problem(.missingField, "source", "the jobSeeker has no source attribute") }
        guard let office = EmploymentService(rawValue: code) else {
            throw problem(.unknownCode, "source", "not VDAB, ACTIRIS, FOREM or ADG")
        }

        let event = element["event"]
        let registration: JobSeekerRegistration
        switch event["type"].trimmedText {
        case "REGISTRATION":
            let start = try day(event["date"], "registration_date", "event date")
            registration = JobSeekerRegistration(registrationDate: start)
        case "DEREGISTRATION":
            let details = element["deregistrationDetails"]
            guard details.element != nil else {
                throw problem(.missingField, "registration_date",
                              "a DEREGISTRATION without deregistrationDetails cannot say which registration ended")
            }
            let start = try day(details["registrationDate"], "registration_date", "registrationDate")
            let end = try day(event["date"], "deregistration_date", "event date")
            let reason: JobSeekerRegistration.DeregistrationReason
            switch details["reason"].trimmedText {
            case "BACK_TO_SCHOOL": reason = .education
            case "BACK_TO_WORK": reason = .work
            case "OTHER_REASON": reason = .other
            case nil: throw problem(.missingField, "deregistration_reason", "no reason")
            default: throw problem(.unknownCode, "deregistration_reason", "not BACK_TO_SCHOOL, BACK_TO_WORK or OTHER_REASON")
            }
            registration = JobSeekerRegistration(registrationDate: start, deregistrationDate: end,
                                                 deregistrationReason: reason)
        case nil:
            throw problem(.missingField, "event_type", "the event has no type")
        default:
            throw problem(.unknownCode, "event_type", "not REGISTRATION or DEREGISTRATION")
        }

        // SsinWithCanceledAndReplacedByStatusType (CommonV3.xsd): the number, and whether the national
        // register cancelled it or replaced it by another. A registration under such a number would
        // sit on a person who no longer exists under it.
        let ssin = element["ssin"]
        let canceled = ssin.element?.attribute(by: "canceled")?.text.trimmingSpaces
        if canceled == "true" || canceled == "1" {
            throw problem(.invalidINSZ, "insz", "the SSIN is marked canceled; "
                          + "the service must notify the person's current number")
        }
        if let replacedBy = ssin.element?.attribute(by: "replacedBy")?.text.trimmingSpaces, !replacedBy.isEmpty {
            throw problem(.invalidINSZ, "insz", "the SSIN was replaced by another (replacedBy); "
                          + "the service must notify the person's current number")
        }
        let insz: INSZ = try self.insz(ssin.trimmedText)

        // Nothing but the service and the registration date links a DEREGISTRATION to the
        // REGISTRATION it ends (each event has its own `event/id`), so they, with the person, make
        // the record id: the deregistration is a later version of the same record and supersedes it.
        // The person is the keyed hash, as for the register's records, never the INSZ. Each version
        // is stamped with its event's date, which never decreases along one registration, so a
        // registration delivered again after its deregistration does not reopen it (on a same-day
        // registration and deregistration the later arrival wins).
        let recordID = "ksz:\(office.rawValue.lowercased()):\(reader.personKey(insz)):\(registration.registrationDate.iso)"
        if let end = registration.deregistrationDate, end < registration.registrationDate {
            var reversed = problem(.reversedDates, "deregistration_date", "the deregistration comes before the registration")
            reversed.recordID = recordID
            throw reversed
        }
        let recordedAt = (registration.deregistrationDate ?? registration.registrationDate).iso
        return SourceRecord(source: .vdab, recordID: recordID, insz: insz, recordedAt: recordedAt,
                            body: .jobseeker(registration))
    }
}

/// The public employment services (`PESValueType`), each for the people living in its region:
/// VDAB (Flanders), Actiris (Brussels), Le Forem (Wallonia), ADG (Arbeitsamt, German-speaking community).
private enum EmploymentService: String {
    case vdab = "VDAB"
    case actiris = "ACTIRIS"
    case forem = "FOREM"
    case adg = "ADG"
}

/// `xsd:date`: `YYYY-MM-DD`, which may carry a time zone (`Z`, `+01:00`) that a calendar date does
/// not need. `DD.MM.YYYY` is read as in the other MAGDA answers.
private enum XSDDate {
    static func parse(_ text: String) -> LocalDate? {
        var date = Substring(text)
        if date.hasSuffix("Z") {
            date = date.dropLast()
        } else if date.count == 16, let sign = date.dropFirst(10).first, sign == "+" || sign == "-" {
            date = date.prefix(10)
        }
        return MAGDADate.parse(String(date))
    }
}
