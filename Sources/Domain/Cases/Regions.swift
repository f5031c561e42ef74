/// How Flanders is divided among youth consultants: who covers which province, and where young
/// people living in Brussels are followed up. Read from a configuration file
/// (`VANGNET_REGIONS_FILE`); `Regions.demo` is the default.
public struct Regions: Hashable, Sendable, Codable {
    public var brusselsProvince: Province
    public var consultants: [Consultant]
    /// How the young people of each province reach their consultants (letters sign with it).
    public var offices: [Province: Office]
    /// The language of letters to a main address in Brussels (`fr` by default).
    public var brusselsLetterLanguage: LetterLanguage

    enum CodingKeys: String, CodingKey {
        case brusselsProvince = "brussels_province"
        case consultants, offices
        case brusselsLetterLanguage = "brussels_letter_language"
    }

    public init(brusselsProvince: Province, consultants: [Consultant], offices: [Province: Office] = Office.demo,
                brusselsLetterLanguage: LetterLanguage = .fr) {
        self.brusselsProvince = brusselsProvince
        self.consultants = consultants
        self.offices = offices
        self.brusselsLetterLanguage = brusselsLetterLanguage
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        brusselsProvince = try c.decode(Province.self, forKey: .brusselsProvince)
        consultants = try c.decode([Consultant].self, forKey: .consultants)
        let named = try c.decodeIfPresent([String: Office].self, forKey: .offices) ?? [:]
        var offices = Office.demo
        for (key, office) in named {
            guard let province = Province(rawValue: key) else {
                throw DecodingError.dataCorruptedError(forKey: .offices, in: c, debugDescription: "unknown province '\(key)'")
            }
            offices[province] = office
        }
        self.offices = offices
        brusselsLetterLanguage = try c.decodeIfPresent(LetterLanguage.self, forKey: .brusselsLetterLanguage) ?? .fr
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(brusselsProvince, forKey: .brusselsProvince)
        try c.encode(consultants, forKey: .consultants)
        try c.encode(Dictionary(uniqueKeysWithValues: offices.map { ($0.key.rawValue, $0.value) }), forKey: .offices)
        try c.encode(brusselsLetterLanguage, forKey: .brusselsLetterLanguage)
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

/// A province's youth-consultant office, as letters name it.
public struct Office: Hashable, Sendable, Codable {
    public var name: String
    public var street: String
    public var postcode: String
    public var municipality: String
    public var phone: String
    public var email: String

    public init(name: String, street: String, postcode: String, municipality: String, phone: String, email: String) {
        self.name = name
        self.street = street
        self.postcode = postcode
        self.municipality = municipality
        self.phone = phone
        self.email = email
    }

    /// Placeholder offices for the demo and tests (not VDAB's real addresses).
    public static let demo: [Province: Office] = [
        .antwerpen: Office(name: "VDAB Antwerpen – jongerenwerking", street: "Demostraat 1", postcode: "2000", municipality: "Antwerpen",
                           phone: "0800 30 700", email: "jongeren.antwerpen@vangnet.test"),
        .oostVlaanderen: Office(name: "VDAB Gent – jongerenwerking", street: "Demostraat 2", postcode: "9000", municipality: "Gent",
                                phone: "0800 30 700", email: "jongeren.oost-vlaanderen@vangnet.test"),
        .westVlaanderen: Office(name: "VDAB Brugge – jongerenwerking", street: "Demostraat 3", postcode: "8000", municipality: "Brugge",
                                phone: "0800 30 700", email: "jongeren.west-vlaanderen@vangnet.test"),
        .limburg: Office(name: "VDAB Hasselt – jongerenwerking", street: "Demostraat 4", postcode: "3500", municipality: "Hasselt",
                         phone: "0800 30 700", email: "jongeren.limburg@vangnet.test"),
        .vlaamsBrabant: Office(name: "VDAB Leuven – jongerenwerking", street: "Demostraat 5", postcode: "3000", municipality: "Leuven",
                               phone: "0800 30 700", email: "jongeren.vlaams-brabant@vangnet.test"),
    ]
}

/// The languages letters are written in.
public enum LetterLanguage: String, CaseIterable, Codable, Sendable {
    case nl, fr, en
}
