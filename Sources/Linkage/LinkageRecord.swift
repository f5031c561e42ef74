/// One record to link, as a source has it: every field optional, spelled as the source spells it.
/// The engine folds case, accents and notation itself (`Folding`), so callers pass raw text.
public struct LinkageRecord: Sendable, Equatable {
    public enum Sex: String, Sendable { case male = "M", female = "F" }

    public var id: String
    /// A national number (INSZ, BIS) or any other person number, in any notation: compared on its digits.
    public var nationalNumber: String?
    public var givenName: String?
    public var surname: String?
    public var sex: Sex?
    /// YYYY-MM-DD, YYYYMMDD, or a year alone.
    public var birthDate: String?
    public var street: String?
    public var houseNumber: String?
    public var postcode: String?
    public var city: String?

    public init(id: String, nationalNumber: String? = nil, givenName: String? = nil, surname: String? = nil,
                sex: Sex? = nil, birthDate: String? = nil, street: String? = nil, houseNumber: String? = nil,
                postcode: String? = nil, city: String? = nil) {
        self.id = id
        self.nationalNumber = nationalNumber
        self.givenName = givenName
        self.surname = surname
        self.sex = sex
        self.birthDate = birthDate
        self.street = street
        self.houseNumber = houseNumber
        self.postcode = postcode
        self.city = city
    }

    /// True when no field could be compared: such a record is never paired.
    public var isEmpty: Bool {
        func blank(_ text: String?) -> Bool { text?.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 } ?? true }
        return sex == nil && blank(nationalNumber) && blank(givenName) && blank(surname) && blank(birthDate)
            && blank(street) && blank(houseNumber) && blank(postcode) && blank(city)
    }
}

extension LinkageRecord {
    /// True for a birth date the engine can compare: YYYY-MM-DD, YYYYMMDD or a year alone.
    public static func isReadableBirthDate(_ text: String) -> Bool { RecordEncoder.birthDate(text) != 0 }
}
