import Domain

/// The consultant's and the team lead's work on cases: each use case checks the scope, applies
/// the case's own rule (Domain), and writes the new state, its event and its audit entry in one
/// transaction through the repository. A case outside the scope is not found (nil) and the
/// attempt is audited as denied.
public struct CaseWork: Sendable {
    let cases: any CaseRepository
    let audit: AuditRecorder
    let clock: Clock

    public init(cases: any CaseRepository, audit: any AuditSink, clock: Clock) {
        self.cases = cases
        self.audit = AuditRecorder(audit)
        self.clock = clock
    }

    /// Logs a contact attempt with an optional summary.
    @discardableResult
    public func logContact(_ id: Int64, channel: ContactChannel, outcome: ContactOutcome, note: String?, by actor: Actor) async throws -> Case? {
        let note = try CaseNote.cleaned(note)
        return try await changeOne(id, actor, .contactLogged(id)) { state in
            guard state.current.isOpen else { throw CaseRuleViolation.closed }
            let (updated, event) = state.current.loggingContact(channel, outcome, failedInARowBefore: state.failedContactsInARow)
            return CaseChange(updated: updated, event: event, note: note, audit: [AuditEntry(actor, .contactLogged(id), subject: state.subject)])
        }
    }

    /// Asks for a letter to go again with the next batch (logged on the case).
    @discardableResult
    public func requestLetterAgain(_ id: Int64, kind: LetterKind, by actor: Actor) async throws -> Case? {
        try await changeOne(id, actor, .letterResendRequested(id)) { state in
            let (updated, event) = try state.current.requestingLetterAgain(kind)
            return CaseChange(updated: updated, event: event, audit: [AuditEntry(actor, .letterResendRequested(id), subject: state.subject)])
        }
    }

    /// Adds a note; an empty note is refused.
    @discardableResult
    public func addNote(_ id: Int64, note: String, by actor: Actor) async throws -> Case? {
        guard let note = try CaseNote.cleaned(note) else { throw CaseRuleViolation.emptyNote }
        return try await changeOne(id, actor, .noteAdded(id)) { state in
            guard state.current.isOpen else { throw CaseRuleViolation.closed }
            return CaseChange(updated: state.current, event: .note, note: note, audit: [AuditEntry(actor, .noteAdded(id), subject: state.subject)])
        }
    }

    /// Changes the status along the state machine (`Case.changingStatus`), with a note; closing a
    /// case needs one (why it closes).
    @discardableResult
    public func changeStatus(_ id: Int64, to status: CaseStatus, note: String?, by actor: Actor) async throws -> Case? {
        let note = try CaseNote.cleaned(note)
        if !status.isOpen, note == nil { throw CaseRuleViolation.reasonRequired }
        let today = clock.today()
        return try await changeOne(id, actor, .caseStatusChanged(id)) { state in
            let (updated, event) = try state.current.changingStatus(to: status, on: today,
                                                                    personHasAnotherOpenCase: state.personHasAnotherOpenCase)
            return CaseChange(updated: updated, event: event, note: note,
                              audit: [AuditEntry(actor, .caseStatusChanged(id), subject: state.subject)])
        }
    }

    /// Undoes a closing made by mistake (a team lead, with a reason): the case goes back to the open
    /// status it had before it was closed.
    @discardableResult
    public func undoClosing(_ id: Int64, reason: String?, by actor: Actor) async throws -> Case? {
        guard let reason = try CaseNote.cleaned(reason) else { throw CaseRuleViolation.reasonRequired }
        switch try await cases.update([id], scope: actor.scope(for: .undoClosing), { states in
            try states.map { state in
                let (updated, event) = try state.current.undoingClosing(backTo: state.statusBeforeLastChange,
                                                                        personHasAnotherOpenCase: state.personHasAnotherOpenCase)
                return CaseChange(updated: updated, event: event, note: reason, audit: [AuditEntry(actor, .closingUndone(id), subject: state.subject)])
            }
        }) {
        case .updated(let updated): return updated.first
        case .outOfScope:
            try await audit.denied(actor, [.closingUndone(id)])
            return nil
        }
    }

    /// Plans the next action and its date.
    @discardableResult
    public func planNextAction(_ id: Int64, action: String, due: LocalDate, by actor: Actor) async throws -> Case? {
        try await changeOne(id, actor, .nextActionPlanned(id)) { state in
            let (updated, event) = try state.current.planning(action, due: due)
            return CaseChange(updated: updated, event: event, audit: [AuditEntry(actor, .nextActionPlanned(id), subject: state.subject)])
        }
    }

    /// Gives open cases to a consultant of their province, all or nothing. If any case is outside
    /// the scope or closed, nothing moves, each such case is audited as denied, and the answer is
    /// nil (a 404). A consultant who does not work in a case's province is refused
    /// (`CaseRuleViolation.consultantOutsideProvince`), not silently skipped. Returns how many moved.
    public func reassign(_ ids: [Int64], to username: String, by actor: Actor) async throws -> Int? {
        guard let consultant = try await cases.activeConsultant(username) else { throw CaseRuleViolation.unknownConsultant(username) }
        let ids = Array(Set(ids)).sorted()
        guard !ids.isEmpty else { return 0 }
        do {
            let result = try await cases.update(ids, scope: actor.scope(for: .reassignCases)) { states in
                let closed = states.filter { !$0.current.isOpen }.map(\.current.id)
                guard closed.isEmpty else { throw NotWorkable(ids: closed) }
                return try states.compactMap { state in
                    guard let (updated, event) = try state.current.reassigning(to: consultant.username, workingIn: consultant.provinces)
                    else { return nil }
                    return CaseChange(updated: updated, event: event, audit: [AuditEntry(actor, .caseReassigned(updated.id), subject: state.subject)])
                }
            }
            switch result {
            case .updated(let moved): return moved.count
            case .outOfScope(let outside):
                try await audit.denied(actor, outside.map(AuditAction.caseReassigned))
                return nil
            }
        } catch let closed as NotWorkable {
            try await audit.denied(actor, closed.ids.map(AuditAction.caseReassigned))
            return nil
        }
    }

    /// Closed cases in a reassignment: answered like cases outside the scope.
    struct NotWorkable: Error { let ids: [Int64] }

    /// One case: the change, or nil and a denied audit entry when it is outside the scope.
    func changeOne(_ id: Int64, _ actor: Actor, _ action: AuditAction,
                   _ change: @escaping @Sendable (CaseState) throws -> CaseChange) async throws -> Case? {
        switch try await cases.update([id], scope: actor.scope(for: .workCase), { states in try states.map(change) }) {
        case .updated(let updated): return updated.first
        case .outOfScope:
            try await audit.denied(actor, [action])
            return nil
        }
    }
}
