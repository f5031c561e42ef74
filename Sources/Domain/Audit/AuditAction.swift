/// What an audit entry records: the audit log's vocabulary, one case per thing done. `code` is
/// the stored action (stable: auditors query it), `objectType`/`objectID` what it was done to.
public enum AuditAction: Sendable, Equatable {
    /// Opened a case page or the case in the API.
    case caseRead(Int64)
    /// Saw a case in a list (the caseload, the team page): names and ages are personal data.
    case caseListed(Int64)
    /// Looked a case up by number, INSZ or name.
    case caseSearched(Int64)
    /// Changed the status.
    case caseStatusChanged(Int64)
    case contactLogged(Int64)
    case noteAdded(Int64)
    case nextActionPlanned(Int64)
    case caseReassigned(Int64)
    /// A team lead undid a closing made by mistake.
    case closingUndone(Int64)
    /// A letter to the young person was made (their name and address read).
    case letterMade(Int64)
    /// A letter's text was shown again on the case page (the young person's name is in it).
    case letterRead(Int64)
    /// The data steward read a young person's "something is wrong" report, or dealt with it.
    case answerReportRead(Int64)
    case answerReportHandled(Int64)
    /// A consultant asked for a letter to go again.
    case letterResendRequested(Int64)
    /// A batch of letters was downloaded (names and addresses of many people).
    case letterBatchDownloaded(Int64)
    /// The steward confirmed that the mail house took a batch (its PDF is then removed).
    case letterBatchHandedOver(Int64)
    /// A mail-house file (acknowledgement or returns) was imported: letters handed over or
    /// returned, addresses marked as not to be used.
    case mailHouseFileImported(Int64)
    /// A referral of the case was proposed, sent, answered, revoked, done, or its consent withdrawn.
    case referralChanged(Int64)
    /// A partner logged progress on a referral.
    case referralProgress(Int64)
    /// An alternative policy was tried over the stored history; `persons` were read.
    case policySimulated(persons: Int)
    /// The admin added or changed a partner organisation or lot.
    case partnersChanged
    /// A partner opened a referral (the young person's name and contact details).
    case referralRead(Int64)
    /// The steward sent a stuck registration request again.
    case registrationRetried(Int64)
    /// The steward sent a stuck notice to a partner's system again (the id is the referral's case).
    case webhookRetried(Int64)
    /// The young person opened the answer page with their code and birth date.
    case answerViewed(Int64)
    /// The young person answered.
    case answerGiven(Int64)
    /// A code and birth date that did not match, or too many attempts (no case named).
    case answerRefused
    /// A person's own report (GDPR art. 15).
    case personExported
    /// Who consulted a person's data (the auditor's look-up).
    case auditRead
    case auditVerified
    case quarantineRead(Int64)
    case quarantineReprocessed(Int64)
    case quarantineDismissed(Int64)
    /// A quarantined record was linked to a known person by linkage (automatically or by the steward).
    case identityLinked(Int64)
    /// The steward decided a proposed link is not the same person.
    case identityRejected(Int64)
    /// A proposed link was shown to the steward, with both records.
    case identityReviewRead(Int64)
    /// A link was undone: the record is back in quarantine, its person decided again.
    case identityUnlinked(Int64)
    /// Two persons were merged into one (the id is the merge's), automatically or by the steward.
    case personsMerged(Int64)
    /// A merge was undone: two persons again, both decided again.
    case mergeUndone(Int64)
    /// The steward looked at a merge, with both registrations (the id is the merge's).
    case mergeRead(Int64)
    /// The steward compared two persons to merge (both identities shown); the id is the first case's.
    case mergeCompared(Int64)
    case login
    case logout
    case retentionRun(dryRun: Bool)
    /// A route the role has no access to (always with outcome `denied`).
    case route(Permission, method: String, path: String)
    /// A purpose the role may not name (`Permissions.purposes`), asked for on a route (always with
    /// outcome `denied`; the entry's purpose is the one refused).
    case purposeRefused(Purpose, method: String, path: String)

    public var code: String {
        switch self {
        case .caseRead: "case.read"
        case .caseListed: "caseload.read"
        case .caseSearched: "case.search"
        case .caseStatusChanged: "case.update"
        case .contactLogged: "case.contact"
        case .noteAdded: "case.note"
        case .nextActionPlanned: "case.plan"
        case .caseReassigned: "case.reassign"
        case .closingUndone: "case.undo-close"
        case .letterMade: "letter.make"
        case .letterRead: "letter.read"
        case .answerReportRead: "answer-report.read"
        case .answerReportHandled: "answer-report.handle"
        case .letterResendRequested: "letter.resend"
        case .letterBatchDownloaded: "letters.download"
        case .letterBatchHandedOver: "letters.hand-over"
        case .mailHouseFileImported: "letters.mail-house-file"
        case .answerViewed: "answer.view"
        case .registrationRetried: "registration.retry"
        case .webhookRetried: "webhook.retry"
        case .referralChanged: "referral.change"
        case .referralProgress: "referral.progress"
        case .referralRead: "referral.read"
        case .partnersChanged: "partners.change"
        case .policySimulated: "policy.simulate"
        case .answerGiven: "answer.give"
        case .answerRefused: "answer.refused"
        case .personExported: "person.export"
        case .auditRead: "audit.read"
        case .auditVerified: "audit.verify"
        case .quarantineRead: "quarantine.read"
        case .quarantineReprocessed: "quarantine.reprocess"
        case .quarantineDismissed: "quarantine.dismiss"
        case .identityLinked: "identity.link"
        case .identityRejected: "identity.reject"
        case .identityReviewRead: "identity.review"
        case .identityUnlinked: "identity.unlink"
        case .personsMerged: "person.merge"
        case .mergeUndone: "person.unmerge"
        case .mergeCompared: "person.compare"
        case .mergeRead: "person.merge-read"
        case .login: "login"
        case .logout: "logout"
        case .retentionRun(let dryRun): dryRun ? "retention.dry-run" : "retention.run"
        case .route(let permission, _, _): permission.rawValue
        case .purposeRefused: "purpose.refused"
        }
    }

    public var objectType: String? {
        switch self {
        case .caseRead, .caseListed, .caseSearched, .caseStatusChanged, .contactLogged, .noteAdded, .nextActionPlanned, .caseReassigned,
             .closingUndone, .letterMade, .answerViewed, .answerGiven, .registrationRetried, .webhookRetried, .letterRead, .letterResendRequested,
             .answerReportRead, .answerReportHandled, .referralChanged, .referralProgress, .referralRead:
            "case"
        case .personExported, .auditRead: "person"
        case .personsMerged, .mergeUndone, .mergeRead: "person_merge"
        case .mergeCompared: "case"
        case .quarantineRead, .quarantineReprocessed, .quarantineDismissed, .identityLinked, .identityRejected, .identityReviewRead, .identityUnlinked: "quarantine"
        case .letterBatchDownloaded, .letterBatchHandedOver: "letter_batch"
        case .mailHouseFileImported: "mail_house_file"
        case .route, .purposeRefused: "route"
        case .auditVerified, .login, .logout, .retentionRun, .answerRefused, .partnersChanged: nil
        case .policySimulated: "persons"
        }
    }

    public var objectID: String? {
        switch self {
        case .caseRead(let id), .caseListed(let id), .caseSearched(let id), .caseStatusChanged(let id), .contactLogged(let id),
             .noteAdded(let id), .nextActionPlanned(let id), .caseReassigned(let id), .closingUndone(let id), .letterMade(let id),
             .answerViewed(let id), .answerGiven(let id), .registrationRetried(let id), .webhookRetried(let id), .letterRead(let id), .letterResendRequested(let id),
             .answerReportRead(let id), .answerReportHandled(let id), .referralChanged(let id), .referralProgress(let id), .referralRead(let id),
             .letterBatchDownloaded(let id), .letterBatchHandedOver(let id), .mailHouseFileImported(let id), .quarantineRead(let id),
             .quarantineReprocessed(let id), .quarantineDismissed(let id), .identityLinked(let id), .identityRejected(let id),
             .identityReviewRead(let id), .identityUnlinked(let id), .personsMerged(let id), .mergeUndone(let id), .mergeCompared(let id), .mergeRead(let id):
            String(id)
        case .route(_, let method, let path), .purposeRefused(_, let method, let path): "\(method) \(path)"
        case .personExported, .auditRead, .auditVerified, .login, .logout, .retentionRun, .answerRefused, .partnersChanged: nil
        case .policySimulated(let persons): String(persons)
        }
    }
}

/// How an audited attempt ended.
public enum AuditOutcome: String, Sendable, CaseIterable {
    case allowed
    /// Outside the actor's role or scope: nothing was shown or changed.
    case denied
    /// A login refused because the account or address is locked out.
    case locked
    /// The subject is not known (a person's report for someone Vangnet holds nothing about).
    case notFound = "not_found"
    /// The audit chain did not verify.
    case broken
}
