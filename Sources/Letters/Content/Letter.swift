import Domain

/// Everything one letter says, before it is laid out: who it goes to (for the window envelope),
/// who signs it and how to reach them, the answer code, and the paragraphs of the template
/// version it was made from (recorded with the letter).
public struct Letter: Sendable, Equatable {
    public var kind: LetterKind
    public var language: LetterLanguage
    /// `invitation.nl.1`: the template and its version.
    public var template: String
    /// Printed on the letter and in the manifest: `VN-000042-1` (case number and letter number).
    public var reference: String
    public var date: LocalDate
    /// The address block, as the post reads it: name, street and number, postcode and municipality, country.
    public var addressLines: [String]
    public var salutation: String
    public var paragraphs: [String]
    /// The consultant's name and the office's contact lines.
    public var signature: [String]
    public var code: AnswerCode
    public var answerAddress: String
    /// Labels in the letter's language.
    public var labels: LetterLabels
}

public struct LetterLabels: Sendable, Equatable {
    public var date: String
    public var reference: String
    public var code: String
    public var answerHere: String
}

/// The person the letter goes to, from the national register.
public struct LetterRecipient: Sendable, Equatable {
    public var firstName: String
    public var lastName: String
    public var addressLines: [String]

    public init(firstName: String, lastName: String, addressLines: [String]) {
        self.firstName = firstName
        self.lastName = lastName
        self.addressLines = addressLines
    }

    /// The register's state of the person; nil without an address in Belgium (no letter can be sent).
    public init?(_ person: PersonRecord) {
        guard let street = person.street, !street.isEmpty, let postcode = person.postcode, !postcode.isEmpty,
              let municipality = person.municipality, ["BE", "BEL"].contains(person.country.uppercased()) else { return nil }
        let number = [person.houseNumber, person.box.map { "bus \($0)" }].compactMap { $0 }.joined(separator: " ")
        self.init(firstName: person.firstName, lastName: person.lastName,
                  addressLines: [person.fullName, number.isEmpty ? street : "\(street) \(number)", "\(postcode) \(municipality)"])
    }

    /// The structured address for the mail house: name, street, number, box, postcode, municipality, country.
    public static func structured(_ person: PersonRecord) -> [String: String] {
        ["name": person.fullName, "street": person.street ?? "", "number": person.houseNumber ?? "", "box": person.box ?? "",
         "postcode": person.postcode ?? "", "municipality": person.municipality ?? "", "country": "BE"]
    }

    /// A structured address as one comparable key — street, number, box and postcode, in lower
    /// case with single spaces — so that a letter that came back marks the address itself, whatever
    /// the name on the envelope or the municipality's spelling.
    public static func addressKey(_ address: [String: String]) -> String {
        ["street", "number", "box", "postcode"].map { field in
            (address[field] ?? "").lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }.joined(separator: "|")
    }
}

extension LetterLanguage {
    /// The language of a letter to someone whose main address has `postcode`: Dutch in Flanders,
    /// the regions' choice in Brussels.
    public static func forAddress(postcode: String?, regions: Regions) -> LetterLanguage {
        guard let code = postcode.flatMap({ Int($0) }), case .brussels? = PostcodeArea(postcode: code) else { return .nl }
        return regions.brusselsLetterLanguage
    }
}
