/// A youth consultant who can be given cases.
public struct Consultant: Hashable, Sendable, Codable {
    /// The login name, e.g. `consultant-antwerpen`.
    public var username: String
    public var displayName: String
    public var provinces: [Province]

    enum CodingKeys: String, CodingKey {
        case username
        case displayName = "display_name"
        case provinces
    }

    public init(username: String, displayName: String, provinces: [Province]) {
        self.username = username
        self.displayName = displayName
        self.provinces = provinces
    }
}

/// Assigns new cases to the least-loaded consultant of the case's province. Ties go to the
/// consultant whose username sorts first, so the same inputs always give the same assignment.
public struct CaseAssigner: Sendable {
    private var consultantsByProvince: [Province: [String]]
    /// Open cases per consultant, updated as cases are assigned.
    public private(set) var load: [String: Int]

    public init(consultants: [Consultant], openCases: [String: Int]) {
        var byProvince: [Province: [String]] = [:]
        for consultant in consultants {
            for province in consultant.provinces { byProvince[province, default: []].append(consultant.username) }
        }
        consultantsByProvince = byProvince.mapValues { $0.sorted() }
        load = [:]
        for consultant in consultants { load[consultant.username] = openCases[consultant.username] ?? 0 }
    }

    /// The consultant for a new case in `province`, or nil when nobody covers it (the case stays
    /// unassigned for the team lead).
    public mutating func assign(in province: Province?) -> String? {
        guard let province, let candidates = consultantsByProvince[province], !candidates.isEmpty else { return nil }
        var best = candidates[0]
        for candidate in candidates.dropFirst() where load[candidate, default: 0] < load[best, default: 0] {
            best = candidate
        }
        load[best, default: 0] += 1
        return best
    }
}
