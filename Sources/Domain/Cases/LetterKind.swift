/// The letters Vangnet writes to a young person.
public enum LetterKind: String, CaseIterable, Codable, Sendable {
    /// When a case opens under the policy action `invite`.
    case invitation
    /// When there has been no answer and no contact that reached the young person for a while.
    case reminder
    /// When a case opens under `auto-register`: the young person was registered as a job seeker.
    case registrationNotice = "registration_notice"
}
