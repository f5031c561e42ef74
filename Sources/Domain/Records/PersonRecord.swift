/// What the national register says of a person at a moment: name, main address, emigration, death.
public struct PersonRecord: Hashable, Sendable {
    public var firstName: String
    public var lastName: String
    public var birthDate: LocalDate?
    public var sex: INSZ.Sex?
    public var street: String?
    public var houseNumber: String?
    public var box: String?
    public var postcode: String?
    public var municipality: String?
    /// ISO 3166 country code of the main address (`BE`, or `BEL` as MAGDA writes it).
    public var country: String
    public var emigrationDate: LocalDate?
    public var deathDate: LocalDate?
    /// From when this state of the register holds.
    public var validFrom: LocalDate?
    /// The number the register knew the person by before this one: a BIS number replaced by a
    /// national number, a number corrected. Vangnet merges the two (`PersonMerge`).
    public var previousINSZ: INSZ?

    public init(firstName: String, lastName: String, birthDate: LocalDate? = nil, sex: INSZ.Sex? = nil,
                street: String? = nil, houseNumber: String? = nil, box: String? = nil, postcode: String? = nil,
                municipality: String? = nil, country: String = "BE", emigrationDate: LocalDate? = nil,
                deathDate: LocalDate? = nil, validFrom: LocalDate? = nil, previousINSZ: INSZ? = nil) {
        self.firstName = firstName
        self.lastName = lastName
        self.birthDate = birthDate
        self.sex = sex
        self.street = street
        self.houseNumber = houseNumber
        self.box = box
        self.postcode = postcode
        self.municipality = municipality
        self.country = country
        self.emigrationDate = emigrationDate
        self.deathDate = deathDate
        self.validFrom = validFrom
        self.previousINSZ = previousINSZ
    }

    public var livesInBelgium: Bool { ["BE", "BEL"].contains(country.uppercased()) }

    /// Where the main address lies; nil when abroad or the postcode is unknown.
    public var area: PostcodeArea? { livesInBelgium ? PostcodeArea(postcode: postcode) : nil }

    public var fullName: String { "\(firstName) \(lastName)" }

    /// One line: street, number, box, postcode, municipality.
    public var addressLine: String {
        var street = [self.street, houseNumber].compactMap { $0 }.joined(separator: " ")
        if let box, !box.isEmpty { street += " bus \(box)" }
        let place = [postcode, municipality].compactMap { $0 }.joined(separator: " ")
        return [street, place, livesInBelgium ? nil : country].compactMap { $0 }.filter { !$0.isEmpty }
            .joined(separator: ", ")
    }
}
