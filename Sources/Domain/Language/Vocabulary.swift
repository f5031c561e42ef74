import Foundation

/// Languages of Vangnet's words: Dutch (Belgium) first, English available, French (Belgium) for
/// what the young person reads (their own report). The web pages speak only the `interface` languages.
public enum Language: String, CaseIterable, Codable, Sendable {
    case nl, en, fr

    /// The languages of the user interface (the web pages): every one has a table of texts there.
    public static let interface: [Language] = [.nl, .en]

    /// Every word of this language.
    public var words: any Vocabulary {
        switch self {
        case .nl: Dutch()
        case .en: English()
        case .fr: French()
        }
    }
}

/// The words for every concept Vangnet shows a person — staff on its pages, the young person in
/// their report — in one language, one type per language (`Dutch`, `English`). A concept without a
/// word in some language does not compile. Codes (rule ids, enum values) are never shown instead;
/// where a specialist needs one it is shown beside the words.
public protocol Vocabulary: Sendable {
    var language: Language { get }

    // Cases
    func status(_ status: CaseStatus) -> String
    func caseAction(_ action: CaseAction) -> String
    /// A planned next action: the words for Vangnet's own codes, else what the consultant typed.
    func nextAction(_ code: String) -> String
    func channel(_ channel: ContactChannel) -> String
    func contactOutcome(_ outcome: ContactOutcome) -> String
    func suggestion(_ suggestion: Suggestion) -> String
    func letterKind(_ kind: LetterKind) -> String
    func answerChoice(_ choice: AnswerChoice) -> String
    /// The title of an event in the case history.
    /// Why the mail house brought a letter back.
    func returnReason(_ reason: LetterReturnReason) -> String
    /// Why a registration request to VDAB got stuck.
    func registrationProblem(_ problem: RegistrationProblem) -> String
    /// Where a referral stands.
    func referralStatus(_ status: ReferralStatus) -> String
    func eventTitle(_ event: CaseEvent) -> String
    /// What the event says beyond its title; `person` names a user by display name.
    func eventDetail(_ event: CaseEvent, person: (String) -> String) -> String

    // Records and sources
    func source(_ source: Source) -> String
    func recordKind(_ kind: RecordKind) -> String
    func track(_ track: Enrolment.Track?) -> String
    func programme(_ programme: Enrolment.Programme) -> String
    func exitReason(_ reason: Enrolment.ExitReason) -> String
    func situationAfter(_ situation: Enrolment.SituationAfter) -> String
    func certificate(_ type: Qualification.CertificateType) -> String
    /// One line per fact: what the record says, in words.
    func fact(_ record: SourceRecord) -> String
    func quarantineReason(_ reason: QuarantineReason) -> String
    /// A field of the exchange format (`start_date`), in words; an unknown name as it is.
    func field(_ name: String) -> String
    /// Where in a delivery (`line 327`, `file`, `event 3`), in words.
    func location(_ stored: String) -> String
    /// How long ago, from a number of hours: `3 uur geleden`, `2 dagen geleden`.
    func ago(hours: Double) -> String
    /// `open`, `reprocessed`, `dismissed`.
    func quarantineStatus(_ code: String) -> String

    // Decisions
    func decisionOutcome(_ outcome: Decision.Outcome) -> String
    func exclusion(_ exclusion: Decision.Exclusion) -> String
    func reason(_ reason: Reason, policy: Policy) -> String

    // Access and audit
    func role(_ role: Role) -> String
    func purpose(_ purpose: Purpose) -> String
    /// A stored audit action code (`case.read`, …), in words; an unknown code as it is.
    func auditAction(_ code: String) -> String
    /// A stored audit outcome (`allowed`, `denied`, …), in words.
    func auditOutcome(_ code: String) -> String

    // Dates and times
    /// `1 december 2026`.
    func date(_ date: LocalDate) -> String
    /// `01-12-2026`, for tables.
    func shortDate(_ date: LocalDate) -> String
    /// `december 2026`: a month of a year (the dashboard's rows).
    func month(year: Int, month: Int) -> String
    /// A stored UTC instant in Belgian time: `1 december 2026 om 08:58`.
    func instant(_ stored: String) -> String
    func years(_ count: Int) -> String
}

/// The Gregorian calendar in Belgian time, made once (a case page names the time of every event).
private let belgianCalendar: Calendar = {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "Europe/Brussels") ?? TimeZone(secondsFromGMT: 3600)!
    return calendar
}()

extension Vocabulary {
    /// A stored instant (`2026-12-01T07:58:05.088Z`) as a date and a time in Belgium.
    func belgianParts(_ stored: String) -> (date: LocalDate, time: String)? {
        guard let instant = parseStoredTimestamp(stored) ?? ISO8601DateFormatter().date(from: stored) else { return nil }
        let parts = belgianCalendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        guard let date = LocalDate(year: parts.year!, month: parts.month!, day: parts.day!) else { return nil }
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return (date, "\(two(parts.hour!)):\(two(parts.minute!))")
    }

    public func shortDate(_ date: LocalDate) -> String {
        let (y, m, d) = date.components
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(two(d))-\(two(m))-\(y)"
    }

    /// "30 februari 2026": a day that does not exist, named as the reader would (the month in words).
    public func nonexistentDay(day: Int, month: Int, year: Int) -> String {
        let named = date(LocalDate(year: year, month: month, day: 1)!)
        let monthName = named.split(separator: " ").dropFirst().first.map(String.init) ?? String(month)
        return "\(day) \(monthName) \(year)"
    }
}
