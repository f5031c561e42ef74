/// How Flanders is divided among youth consultants: who covers which province, and where young
/// people living in Brussels are followed up. Read from a configuration file
/// (`VANGNET_REGIONS_FILE`); `Regions.demo` is the default.
public struct Regions: Hashable, Sendable, Codable {
    public var brusselsProvince: Province
    public var consultants: [Consultant]

    enum CodingKeys: String, CodingKey {
        case brusselsProvince = "brussels_province"
        case consultants
    }

    public init(brusselsProvince: Province, consultants: [Consultant]) {
        self.brusselsProvince = brusselsProvince
        self.consultants = consultants
    }

    /// One consultant per province, named after it (`consultant-antwerpen`, …); Brussels is followed
    /// up from Vlaams-Brabant.
    public static let demo = Regions(
        brusselsProvince: .vlaamsBrabant,
        consultants: Province.allCases.map {
            Consultant(username: "consultant-\($0.rawValue)", displayName: "Jongerenconsulent \($0.name)", provinces: [$0])
        })

    public enum Invalid: Error, CustomStringConvertible {
        case value(String)
        public var description: String { if case .value(let text) = self { text } else { "" } }
    }

    public func validated() throws(Invalid) -> Regions {
        var seen: Set<String> = []
        for consultant in consultants {
            guard !consultant.username.isEmpty else { throw .value("a consultant without a username") }
            guard seen.insert(consultant.username).inserted else { throw .value("consultant '\(consultant.username)' appears twice") }
            guard !consultant.provinces.isEmpty else { throw .value("consultant '\(consultant.username)' covers no province") }
        }
        return self
    }
}
