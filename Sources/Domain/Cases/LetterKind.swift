/// The letters Vangnet writes to a young person.
public enum LetterKind: String, CaseIterable, Codable, Sendable {
    /// When a case opens under the policy action `invite`.
    case invitation
    /// When there has been no answer and no contact that reached the young person for a while.
    case reminder
    /// When a case opens under `auto-register`: the young person was registered as a job seeker.
    case registrationNotice = "registration_notice"
}

/// Why the mail house brought a letter back (its return file; docs/outreach.md).
public enum LetterReturnReason: String, CaseIterable, Codable, Sendable {
    /// Nobody of that name lives there, or the address does not exist.
    case addressUnknown = "address_unknown"
    /// The young person moved.
    case moved
    /// The address is incomplete (no number, no box…).
    case incompleteAddress = "incomplete_address"
    /// Refused by the recipient.
    case refused
    /// Not collected at the post office.
    case notCollected = "not_collected"
    /// The recipient died.
    case deceased
    case other
}
