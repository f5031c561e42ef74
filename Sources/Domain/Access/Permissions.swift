/// What a role may do, and on which objects: DESIGN.md §8 written as data, in one place. Every
/// route, API operation, export and download asks this table; stores apply the scope inside their
/// queries, so an object outside it is simply not found (a 404, audited as denied).
public enum Permission: String, CaseIterable, Sendable {
    /// See a list of cases (caseload, team overview).
    case listCases = "cases.list"
    /// Open a case: the person's data, the decision, the timeline.
    case readCase = "case.read"
    /// Log contacts, add notes, change the status.
    case workCase = "case.work"
    /// Give cases to another consultant.
    case reassignCases = "cases.reassign"
    /// Undo the closing of a case closed by mistake (a team lead; audited, with a reason).
    case undoClosing = "case.undo-close"
    /// Make letter batches, download them for the mail house (audited), confirm their hand-over.
    case handleLetters = "letters.handle"
    /// Sources, deliveries, quarantine (with the original records).
    case readQuarantine = "quarantine.read"
    /// Put a corrected record back through the import.
    case reprocessQuarantine = "quarantine.reprocess"
    /// Counts without names or INSZ (the funnel).
    case readReports = "reports.read"
    /// The audit log.
    case readAudit = "audit.read"
    /// A person's own report (subject access request).
    case exportPerson = "person.export"
    /// Accounts, tokens, sources' secrets.
    case administer = "admin"
    /// Deliver events (sources' API clients).
    case deliverEvents = "events.write"
    /// Answer and follow up the referrals made to one's organisation (partners).
    case handleReferrals = "referrals.handle"
    /// The tender partners' figures (team leads, managers).
    case monitorPartners = "partners.monitor"
    /// The dashboard and the status report, from the pseudonymised statistics store only.
    case readStatistics = "statistics.read"
    /// The status report, for Flanders as a whole.
    case readStatusReport = "statistics.report"
    /// Decide everyone again with an alternative policy, counts and anonymised examples only (audited).
    case simulatePolicy = "policy.simulate"
    /// Figures without disclosure control (a manager's own pages; exports are always protected).
    case readExactFigures = "statistics.exact"
}

/// On which objects a permission holds.
public enum PermissionScope: Sendable, Equatable {
    /// Nothing.
    case none
    /// Cases of the actor's own province(s).
    case ownProvinces
    /// Cases referred to the actor's organisation (partners).
    case ownOrganisation
    /// Everything of its kind.
    case all
}

public enum Permissions {
    /// The table. A role missing from a permission's row has no access.
    public static let table: [Role: [Permission: PermissionScope]] = [
        .consultant: [.listCases: .ownProvinces, .readCase: .ownProvinces, .workCase: .ownProvinces, .readReports: .all],
        .teamlead: [.listCases: .ownProvinces, .readCase: .ownProvinces, .workCase: .ownProvinces,
                    .reassignCases: .ownProvinces, .undoClosing: .ownProvinces, .readReports: .all, .monitorPartners: .ownProvinces,
                    .readStatistics: .ownProvinces],
        .partner: [.listCases: .ownOrganisation, .readCase: .ownOrganisation, .workCase: .ownOrganisation, .handleReferrals: .ownOrganisation],
        .analyst: [.monitorPartners: .all, .readStatistics: .all, .readStatusReport: .all, .simulatePolicy: .all],
        .manager: [.monitorPartners: .all, .readStatistics: .all, .readStatusReport: .all, .simulatePolicy: .all, .readExactFigures: .all],
        .steward: [.readQuarantine: .all, .reprocessQuarantine: .all, .handleLetters: .all, .readReports: .all],
        .auditor: [.readAudit: .all, .exportPerson: .all, .readReports: .all],
        .admin: [.administer: .all, .readReports: .all],
    ]

    public static func scope(_ permission: Permission, for role: Role) -> PermissionScope {
        table[role]?[permission] ?? .none
    }

    public static func allows(_ permission: Permission, for role: Role) -> Bool {
        scope(permission, for: role) != .none
    }

    /// Why each role may consult personal data: the purposes it may name (the API's `X-Purpose`)
    /// besides the one its work implies (`Purpose.implied(by:)`), which is always allowed. A
    /// consultant may review a case but not purge it; only an auditor answers a subject access
    /// request; `intake` and `login` are never named, the system records them itself.
    public static let purposes: [Role: Set<Purpose>] = [
        .consultant: [.caseWork, .caseReview],
        .teamlead: [.caseWork, .caseReview, .teamManagement],
        .partner: [.caseWork],
        .analyst: [],
        .manager: [],
        .steward: [.dataQuality],
        .auditor: [.audit, .subjectAccessRequest],
        .admin: [.audit, .retention],
    ]

    public static func allows(_ purpose: Purpose, for role: Role) -> Bool {
        purpose == Purpose.implied(by: role) || purposes[role]?.contains(purpose) == true
    }

    /// The purposes `role` may name, in the order of `Purpose.allCases`.
    public static func allowedPurposes(for role: Role) -> [Purpose] {
        Purpose.allCases.filter { allows($0, for: role) }
    }

    /// The purposes some role may name: the codes `X-Purpose` accepts at all (the others are a 400,
    /// a code the token's role may not name a 403).
    public static var nameablePurposes: [Purpose] {
        Purpose.allCases.filter { purpose in Role.allCases.contains { allows(purpose, for: $0) } }
    }
}
