/// Rules about a case's dates and texts.
public enum CaseRules {
    /// First contact is due within 5 working days of the case being opened.
    public static let firstContactWorkingDays = 5

    public static func firstContactDue(openedOn: LocalDate) -> LocalDate {
        openedOn.adding(workingDays: firstContactWorkingDays)
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
