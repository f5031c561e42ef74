/// The five Flemish provinces, the regions youth consultants work in.
public enum Province: String, CaseIterable, Codable, Sendable, Comparable {
    case antwerpen
    case oostVlaanderen = "oost-vlaanderen"
    case westVlaanderen = "west-vlaanderen"
    case limburg
    case vlaamsBrabant = "vlaams-brabant"

    /// The Dutch name, as on letters and screens.
    public var name: String {
        switch self {
        case .antwerpen: "Antwerpen"
        case .oostVlaanderen: "Oost-Vlaanderen"
        case .westVlaanderen: "West-Vlaanderen"
        case .limburg: "Limburg"
        case .vlaamsBrabant: "Vlaams-Brabant"
        }
    }

    public static func < (lhs: Province, rhs: Province) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Where a Belgian postcode lies (DESIGN.md §10): a Flemish province, Brussels, or Wallonia.
public enum PostcodeArea: Hashable, Sendable {
    case flanders(Province)
    case brussels
    case wallonia

    /// Nil for anything that is not a Belgian postcode (1000-9999).
    public init?(postcode: Int) {
        switch postcode {
        case 1000...1299: self = .brussels
        case 1300...1499: self = .wallonia
        case 1500...1999: self = .flanders(.vlaamsBrabant)
        case 2000...2999: self = .flanders(.antwerpen)
        case 3000...3499: self = .flanders(.vlaamsBrabant)
        case 3500...3999: self = .flanders(.limburg)
        case 4000...7999: self = .wallonia
        case 8000...8999: self = .flanders(.westVlaanderen)
        case 9000...9999: self = .flanders(.oostVlaanderen)
        default: return nil
        }
    }

    public init?(postcode: String?) {
        guard let postcode, postcode.utf8.count == 4, let value = Int(postcode) else { return nil }
        self.init(postcode: value)
    }
}
