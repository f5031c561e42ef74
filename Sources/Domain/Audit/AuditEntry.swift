/// One line of the audit log: who did what to whose data, when, why — never the data itself.
/// Made from an `Actor` and a typed `AuditAction`; the fields are the log's stored text.
public struct AuditEntry: Sendable, Equatable, Codable {
    public var at: String
    public var actor: String
    public var role: String
    /// Why: a code the user picks or the route implies (`case-work`, `data-quality`, `audit`, …).
    public var purpose: String
    /// What: `case.read`, `case.update`, `person.export`, `quarantine.read`, …
    public var action: String
    /// `allowed`, `denied`, … (`AuditOutcome`).
    public var outcome: String
    /// The person, as a keyed hash (`Keyring.auditSubject`).
    public var subject: String?
    public var objectType: String?
    public var objectID: String?
    public var requestID: String?

    /// A new entry: `actor` (with their role and purpose) did `action`, about `subject`.
    public init(_ actor: Actor, _ action: AuditAction, outcome: AuditOutcome = .allowed, subject: String? = nil) {
        // A partner's entries name their organisation with the role: `partner:groep-horizon`.
        let role = actor.role == .partner ? "partner:" + (actor.organisation ?? "-") : actor.role.rawValue
        self.init(stored: "", actor: actor.username, role: role, purpose: actor.purpose.rawValue, action: action.code,
                  outcome: outcome.rawValue, subject: subject, objectType: action.objectType, objectID: action.objectID,
                  requestID: actor.requestID)
    }

    /// A login attempt: `name` is the account, or for a name that is no account a keyed index of
    /// what was typed; `role` the account's, if any.
    public init(login name: String, role: Role?, _ action: AuditAction, outcome: AuditOutcome = .allowed, requestID: String?) {
        self.init(stored: "", actor: name, role: role?.rawValue ?? "-", purpose: Purpose.login.rawValue, action: action.code,
                  outcome: outcome.rawValue, subject: nil, objectType: action.objectType, objectID: action.objectID, requestID: requestID)
    }

    /// An entry as stored, read back from the log (any historical value is kept as it was).
    /// `at` is empty for an entry not yet written: the store stamps it by its clock.
    public init(stored at: String, actor: String, role: String, purpose: String, action: String, outcome: String,
                subject: String?, objectType: String?, objectID: String?, requestID: String?) {
        self.at = at
        self.actor = actor
        self.role = role
        self.purpose = purpose
        self.action = action
        self.outcome = outcome
        self.subject = subject
        self.objectType = objectType
        self.objectID = objectID
        self.requestID = requestID
    }

    public enum CodingKeys: String, CodingKey {
        case at, actor, role, purpose, action, outcome, subject
        case objectType = "object_type"
        case objectID = "object_id"
        case requestID = "request_id"
    }
}
