import Domain

/// The one way to write the audit log: `audit.record(actor, .caseRead(id), subject: …)`. The
/// actor carries the role, the purpose and the request; the action is typed (`AuditAction`).
public struct AuditRecorder: Sendable {
    let sink: any AuditSink

    public init(_ sink: any AuditSink) { self.sink = sink }

    public func record(_ actor: Actor, _ action: AuditAction, outcome: AuditOutcome = .allowed, subject: String? = nil) async throws {
        try await sink.append([AuditEntry(actor, action, outcome: outcome, subject: subject)])
    }

    /// One entry per action, in one append (a list page: one entry per young person shown).
    public func record(_ actor: Actor, _ actions: [(AuditAction, subject: String?)], outcome: AuditOutcome = .allowed) async throws {
        guard !actions.isEmpty else { return }
        try await sink.append(actions.map { AuditEntry(actor, $0.0, outcome: outcome, subject: $0.subject) })
    }

    /// Attempts outside the actor's scope: one denied entry each.
    public func denied(_ actor: Actor, _ actions: [AuditAction]) async throws {
        guard !actions.isEmpty else { return }
        try await sink.append(actions.map { AuditEntry(actor, $0, outcome: .denied) })
    }

    /// A login attempt (the actor is not known yet).
    public func login(_ name: String, role: Role?, _ action: AuditAction, outcome: AuditOutcome = .allowed, requestID: String?) async throws {
        try await sink.append([AuditEntry(login: name, role: role, action, outcome: outcome, requestID: requestID)])
    }
}
