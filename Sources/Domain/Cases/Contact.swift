/// Ways of reaching a young person, for the contact log.
public enum ContactChannel: String, CaseIterable, Codable, Sendable {
    case letter, phone, email, homeVisit = "home_visit", viaPartner = "via_partner", sms, office
}

/// What a contact attempt gave.
public enum ContactOutcome: String, CaseIterable, Codable, Sendable {
    case reached, noAnswer = "no_answer", wrongNumber = "wrong_number", messageLeft = "message_left", appointment, declined

    /// Whether the consultant actually spoke with the young person.
    public var isSuccessful: Bool {
        switch self {
        case .reached, .appointment, .declined: true
        case .noAnswer, .wrongNumber, .messageLeft: false
        }
    }
}
