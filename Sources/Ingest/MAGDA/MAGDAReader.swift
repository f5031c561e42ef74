import Domain
import Foundation
import SWXMLHash

/// Reads MAGDA responses as the platform delivers them (DESIGN.md §9) and turns them into the
/// same records as exchange format v1:
///
/// - Onderwijs.GeefHistoriekInschrijving 02.01 → enrolments (AGODI, Syntra)
/// - LED.GeefBewijs 02.00 → qualifications (AHOVOKS)
/// - Persoon.GeefPersoon 02.02 → person records (national register)
/// - Werk.GeefWerkrelaties 02.00 → employment periods (DIMONA)
/// - KSZ notifyJobSeekerStatus v1 → job-seeker registrations (VDAB, Actiris, Le Forem, ADG)
///
/// Responses come as they are: namespaced or not, with untrimmed whitespace, DD.MM.YYYY dates next
/// to ISO ones, partial dates, odd codes and exception answers (`Uitzondering`). What is valid is
/// read; the rest is rejected with a reason. Nothing is dropped without a trace.
public struct MAGDAReader: Sendable {
    public enum Service: String, CaseIterable, Sendable {
        case geefHistoriekInschrijving = "GeefHistoriekInschrijving"
        case geefBewijs = "GeefBewijs"
        case geefPersoon = "GeefPersoon"
        case geefWerkrelaties = "GeefWerkrelaties"
        /// The crossroads bank's (KSZ) notification of job-seeker (de)registrations at a public
        /// employment service (schema among MAGDA's `Bronnen/KSZ`).
        case notifyJobSeekerStatus = "notifyJobSeekerStatus"

        var kind: RecordKind {
            switch self {
            case .geefHistoriekInschrijving: .enrolment
            case .geefBewijs: .qualification
            case .geefPersoon: .person
            case .geefWerkrelaties: .employment
            case .notifyJobSeekerStatus: .jobseeker
            }
        }

        /// The document's root element: `<Service>Response` for a MAGDA answer; a KSZ notification
        /// is not an answer to a question, its root is the service's own name.
        var rootElement: String {
            self == .notifyJobSeekerStatus ? rawValue : rawValue + "Response"
        }
    }

    public let allowTestNumbers: Bool
    /// The date of reading: an INSZ cannot encode a birth after it.
    public let today: LocalDate
    /// A stable, non-identifying key for a person (a keyed hash of the INSZ), for records that
    /// have no id of their own: the national register's snapshot of a person.
    public let personKey: @Sendable (INSZ) -> String

    public init(allowTestNumbers: Bool, today: LocalDate, personKey: @escaping @Sendable (INSZ) -> String) {
        self.allowTestNumbers = allowTestNumbers
        self.today = today
        self.personKey = personKey
    }

    /// Reads one response. `fileName` supplies the INSZ for GeefHistoriekInschrijving, whose answer
    /// does not repeat it (the request carried it): such files are named `<INSZ>.xml`.
    public func read(_ bytes: [UInt8], fileName: String) -> [IngestItem] {
        func rejectFile(_ reason: QuarantineReason, _ message: String, kind: RecordKind? = nil) -> [IngestItem] {
            [.rejected(Rejection(reason, message: message, location: "file", kind: kind, original: bytes))]
        }
        guard !bytes.isEmpty else { return rejectFile(.emptyFile, "the file is empty") }
        let document = XMLHash.config {
            $0.shouldProcessNamespaces = true
            $0.detectParsingErrors = true
        }.parse(Data(bytes))
        if case .parsingError(let error) = document {
            return rejectFile(.malformedXML, "not well-formed XML (line \(error.line), column \(error.column))")
        }
        guard let root = document.children.first, let rootName = root.element?.name else {
            return rejectFile(.malformedXML, "no XML root element")
        }
        guard let service = Service.allCases.first(where: { rootName == $0.rootElement }) else {
            return rejectFile(.malformedXML, "'\(rootName)' is not a MAGDA response Vangnet reads "
                              + "(GeefHistoriekInschrijving, GeefBewijs, GeefPersoon, GeefWerkrelaties, "
                              + "notifyJobSeekerStatus)")
        }
        if service == .notifyJobSeekerStatus {
            // No Repliek, Antwoorden or Uitzonderingen: the job seekers sit right under the root.
            let jobSeekers = root["jobSeekers"]["jobSeeker"].all
            guard !jobSeekers.isEmpty else {
                return rejectFile(.emptyFile, "the notification has no jobSeeker", kind: .jobseeker)
            }
            let context = Context(reply: root, bytes: bytes, service: service, reader: self)
            return jobSeekers.enumerated().map { context.jobSeekerStatus($0.element, number: $0.offset + 1) }
        }
        let reply = root["Repliek"]
        let context = Context(reply: reply, bytes: bytes, service: service, reader: self)
        let answers = reply["Antwoorden"]["Antwoord"].all
        let content = answers.map { $0["Inhoud"] }.filter { $0.element != nil }
        if content.isEmpty {
            let exceptions = (reply["Uitzonderingen"]["Uitzondering"].all
                + answers.flatMap { $0["Uitzonderingen"]["Uitzondering"].all })
            if let first = exceptions.first {
                let code = first["Identificatie"].trimmedText ?? "?"
                let diagnosis = first["Diagnose"].trimmedText ?? "no diagnosis"
                return rejectFile(.magdaException, "MAGDA exception \(code): \(diagnosis)", kind: service.kind)
            }
            return rejectFile(.missingField, "the answer has neither content (Inhoud) nor an exception", kind: service.kind)
        }
        switch service {
        case .geefHistoriekInschrijving:
            let digits = (fileName as NSString).lastPathComponent.prefix { $0.isNumber }
            guard digits.count == 11 else {
                return rejectFile(.missingField, "GeefHistoriekInschrijving answers do not carry the INSZ: "
                                  + "name the file after it (<INSZ>.xml)", kind: .enrolment)
            }
            let insz: INSZ
            do { insz = try INSZ(digits, allowTestNumbers: allowTestNumbers, today: today) } catch {
                return rejectFile(.invalidINSZ, "the INSZ in the file name: \(error.description)", kind: .enrolment)
            }
            return content.flatMap { $0["Inschrijvingen"]["Inschrijving"].all }.enumerated().map {
                context.enrolment($0.element, number: $0.offset + 1, insz: insz)
            }
        case .geefBewijs:
            return content.flatMap { $0["Bewijzen"]["Bewijs"].all }.enumerated().map {
                context.qualification($0.element, number: $0.offset + 1)
            }
        case .geefPersoon:
            return content.flatMap { $0["Persoon"].all }.enumerated().map {
                context.person($0.element, number: $0.offset + 1)
            }
        case .geefWerkrelaties:
            return content.flatMap { $0["Contracten"]["Contract"].all }.enumerated().map {
                context.employment($0.element, number: $0.offset + 1)
            }
        case .notifyJobSeekerStatus:
            return []  // read above, before the answer's Repliek is looked for
        }
    }

    /// Recognises a MAGDA response by its root element, for format detection.
    public static func looksLikeMAGDA(_ prefix: [UInt8]) -> Bool {
        let text = String(decoding: prefix.prefix(4096), as: UTF8.self)
        return Service.allCases.contains { text.contains($0.rootElement) }
    }
}

/// What every record of one response shares.
struct Context {
    let reply: XMLIndexer
    let bytes: [UInt8]
    let service: MAGDAReader.Service
    let reader: MAGDAReader

    /// The response's time (`Context/Bericht/Tijdstip`), the version stamp of its records.
    var respondedAt: String? {
        guard let date = MAGDADate.parse(reply["Context"]["Bericht"]["Tijdstip"]["Datum"].trimmedText) else { return nil }
        let time = reply["Context"]["Bericht"]["Tijdstip"]["Tijd"].trimmedText ?? ""
        return RecordValidator.normaliseTimestamp(date.iso + "T" + time) ?? date.iso
    }

    func reject(_ reason: QuarantineReason, _ field: String?, _ message: String, _ element: XMLIndexer,
                location: String, recordID: String? = nil, source: Source? = nil) -> IngestItem {
        .rejected(Rejection(reason, field: field, message: message, location: location, kind: service.kind,
                            source: source ?? service.kind.sources[0], recordID: recordID,
                            original: Array((element.element?.xmlText ?? "").utf8)))
    }

    func insz(_ text: String?) throws(Rejection) -> INSZ {
        guard let text else { throw Rejection(.missingField, field: "insz", message: "insz: no INSZ in the answer", location: "") }
        do { return try INSZ(text, allowTestNumbers: reader.allowTestNumbers, today: reader.today) } catch {
            throw Rejection(.invalidINSZ, field: "insz", message: "insz: \(error.description)", location: "")
        }
    }
}

/// MAGDA writes dates as `YYYY-MM-DD`, as `DD.MM.YYYY`, and with `00` for an unknown month or day.
enum MAGDADate {
    static func parse(_ text: String?) -> LocalDate? {
        guard let text else { return nil }
        if let date = LocalDate(iso: text) { return date }
        let parts = text.split(separator: ".")
        if parts.count == 3, let d = Int(parts[0]), let m = Int(parts[1]), let y = Int(parts[2]) {
            return LocalDate(year: y, month: m, day: d)
        }
        return nil
    }

    /// A date with an unknown day or month (`2000-00-00`): the earliest day it can mean.
    static func earliest(year: Int?, month: Int?, day: Int?) -> LocalDate? {
        guard let year else { return nil }
        let m = (month ?? 0) == 0 ? 1 : month!
        let d = (day ?? 0) == 0 ? 1 : day!
        return LocalDate(year: year, month: m, day: d)
    }
}

extension XMLIndexer {
    /// The element's text with runs of white space folded to one space; nil when absent or empty.
    var trimmedText: String? {
        guard let text = element?.text else { return nil }
        let folded = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        return folded.isEmpty ? nil : folded
    }
}

extension XMLElement {
    /// The element re-serialised, as the original text of a rejected record.
    var xmlText: String { description }
}
