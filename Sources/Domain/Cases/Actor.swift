import Foundation

/// The roles of DESIGN.md §8.
public enum Role: String, CaseIterable, Codable, Sendable {
    case consultant, teamlead, partner, analyst, manager, steward, auditor, admin
}

/// Who is acting, for access checks and the audit log.
public struct Actor: Sendable, Hashable {
    public var username: String
    public var role: Role
    /// The provinces a consultant or team lead works in.
    public var provinces: [Province]
    /// A partner's organisation.
    public var organisation: String?
    /// Why the data is consulted.
    public var purpose: Purpose
    /// Ties audit entries to the request that made them.
    public var requestID: String?

    public init(username: String, role: Role, provinces: [Province] = [], organisation: String? = nil,
                purpose: Purpose, requestID: String? = nil) {
        self.username = username
        self.role = role
        self.provinces = provinces
        self.organisation = organisation
        self.purpose = purpose
        self.requestID = requestID
    }
}

/// A case number as people write it: `VN-000042`.
public enum CaseNumber {
    public static func format(_ id: Int64) -> String {
        let digits = String(id)
        return "VN-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// Accepts `VN-000042`, `vn-42` or `42`.
    public static func parse(_ text: String) -> Int64? {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        if rest.uppercased().hasPrefix("VN-") { rest = rest.dropFirst(3) }
        guard !rest.isEmpty, rest.allSatisfy(\.isNumber), let id = Int64(rest), id > 0 else { return nil }
        return id
    }
}

/// Why personal data is consulted: the codes the audit log records. A user picks one where it is
/// not implied by the route (the API's `X-Purpose` header); anything else is refused.
public enum Purpose: String, CaseIterable, Sendable {
    /// Guiding a young person: the consultant's and team lead's daily work.
    case caseWork = "case-work"
    /// Looking at a case for review or supervision (also the operator's `vangnet case show`).
    case caseReview = "case-review"
    /// Distributing and reassigning cases.
    case teamManagement = "team-management"
    /// Correcting rejected source records.
    case dataQuality = "data-quality"
    /// Checking who consulted what.
    case audit
    /// Answering a person's request for their own data (GDPR art. 15).
    case subjectAccessRequest = "subject-access-request"
    /// Purging data past its retention period.
    case retention
    /// Delivering source events.
    case intake
    /// Signing in and out.
    case login
    /// The young person's own access, on the answer page.
    case ownAccess = "own-access"
    /// Trying an alternative policy over the stored history (counts and anonymised examples only);
    /// recorded by `vangnet policy simulate`, never named in a request.
    case policyAnalysis = "policy-analysis"

    /// The purpose a role's work implies when the user did not pick one.
    public static func implied(by role: Role) -> Purpose {
        switch role {
        case .auditor, .admin: .audit
        case .steward: .dataQuality
        case .teamlead: .teamManagement
        case .consultant, .partner, .analyst, .manager: .caseWork
        }
    }
}
