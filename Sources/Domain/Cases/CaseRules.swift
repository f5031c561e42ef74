/// Rules about a case's dates and texts.
public enum CaseRules {
    /// First contact is due within 5 working days of the case being opened.
    public static let firstContactWorkingDays = 5

    /// Working days as the consultants work them: no weekends, no Belgian public holidays, no 11 July.
    public static func firstContactDue(openedOn: LocalDate, calendar: HolidayCalendar = .flanders) -> LocalDate {
        openedOn.adding(workingDays: firstContactWorkingDays, calendar: calendar)
    }

    /// After this many contact attempts in a row that reached nobody, the case suggests "cannot be
    /// contacted" — the consultant decides; Vangnet never closes a case for it.
    public static let failedContactsBeforeUnreachable = 3

    /// The names Vangnet itself acts under in a case's history (the pipeline, the letter batch, the
    /// registration worker); any other actor is a person.
    public static let systemActors: Set<String> = ["pipeline", "vangnet"]

    /// The name the young person acts under in a case's history (the answer page: no account).
    public static let youngPersonActor = "young-person"

    /// A case counts as acted on once a person did something on it — any event in its history by
    /// someone other than Vangnet (a consultant, a team lead, the young person answering) — or a
    /// letter of it was handed over to the mail house, or its registration was requested from
    /// VDAB's job-seeker system. Until then Vangnet may withdraw it (`Case.withdrawing`).
    public static func actedOn(eventActors: some Sequence<String>, letterHandedOver: Bool, registrationRequested: Bool = false) -> Bool {
        letterHandedOver || registrationRequested || eventActors.contains { !systemActors.contains($0) }
    }

    /// Notes and contact summaries: at most this many characters.
    public static let noteMaximumLength = 4_000
    /// The next action as typed: at most this many characters.
    public static let nextActionMaximumLength = 200
}

/// The codes of the next actions Vangnet plans by itself; a consultant may type any other text.
public enum NextAction {
    public static let firstContact = "first_contact"
    public static let registrationFollowUp = "registration_follow_up"
    /// The young person answered on the answer page: follow it up.
    public static let answerFollowUp = "answer_follow_up"
    /// A referral was declined, revoked or its consent withdrawn: look for another offer.
    public static let referralFollowUp = "referral_follow_up"
    /// A letter came back undeliverable: find another address or another way to reach them.
    public static let addressUnknown = "address_unknown"

    /// What a new case's first step is, by the policy's action.
    public static func initial(for action: CaseAction) -> String {
        switch action {
        case .invite: firstContact
        case .autoRegister: registrationFollowUp
        }
    }
}

/// Which cases a caseload shows when the user has not chosen: a consultant sees their own cases,
/// a team lead (and anyone else allowed to list cases) the province's.
public enum CaseloadDefault {
    public static func showsOwnCasesOnly(role: Role, askedForAll: Bool) -> Bool {
        role == .consultant && !askedForAll
    }
}
