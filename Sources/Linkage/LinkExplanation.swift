import Foundation

/// Why a pair is, or is not, the same person: the weight each field contributed, in words.
public struct LinkExplanation: Sendable {
    public struct Term: Sendable {
        public var field: LinkageField
        public var level: ComparisonLevel
        /// log2(m/u) of the level.
        public var weight: Double
        /// Extra weight for agreeing on a rare value (or less for a common one).
        public var termFrequencyAdjustment: Double
        /// The surname weighed as within a household (`LinkageModel.householdSurnameU`).
        public var household = false
        public var total: Double { weight + termFrequencyAdjustment }

        public init(field: LinkageField, level: ComparisonLevel, weight: Double, termFrequencyAdjustment: Double, household: Bool = false) {
            self.field = field
            self.level = level
            self.weight = weight
            self.termFrequencyAdjustment = termFrequencyAdjustment
            self.household = household
        }
    }

    public var priorWeight: Double
    public var terms: [Term]

    public init(priorWeight: Double, terms: [Term]) {
        self.priorWeight = priorWeight
        self.terms = terms
    }

    public var matchWeight: Double { terms.reduce(priorWeight) { $0 + $1.total } }
    public var probability: Double { 1 / (1 + exp2(-matchWeight)) }

    /// From this weight on a field speaks for the link (twice as likely among matches).
    public static let supportingWeight = 1.0

    /// The fields that spoke for the link, strongest first ("identity by name, birth date and address").
    public var supportingFields: [LinkageField] {
        terms.filter { $0.total > Self.supportingWeight }.sorted { $0.total > $1.total }.map(\.field)
    }

    public func lines(_ language: LinkageLanguage) -> [String] {
        terms.map { Self.line($0.field, $0.level, weight: $0.total, household: $0.household, language) }
    }

    /// "birth date: day and month swapped (+5.8)", or in Dutch "geboortedatum: dag en maand omgewisseld (+5,8)".
    public static func line(_ field: LinkageField, _ level: ComparisonLevel, weight: Double, household: Bool, _ language: LinkageLanguage) -> String {
        let sign = weight >= 0 ? "+" : "−"
        let amount = String(format: "%.1f", abs(weight)).replacingOccurrences(of: ".", with: language == .dutch ? "," : ".")
        let note = !household ? "" : language == .dutch ? ", op hetzelfde adres: broers en zussen delen die ook" : ", at the same address: siblings share it too"
        return "\(language.name(field)): \(language.name(level))\(note) (\(sign)\(amount))"
    }
}

/// The words for fields and levels, for a data steward (Dutch) or the command line (English).
public enum LinkageLanguage: Sendable {
    case dutch, english

    public func name(_ field: LinkageField) -> String {
        switch (self, field) {
        case (.dutch, .nationalNumber): "rijksregisternummer"
        case (.dutch, .givenName): "voornaam"
        case (.dutch, .surname): "familienaam"
        case (.dutch, .birthDate): "geboortedatum"
        case (.dutch, .sex): "geslacht"
        case (.dutch, .address): "adres"
        case (.english, .nationalNumber): "national number"
        case (.english, .givenName): "given name"
        case (.english, .surname): "surname"
        case (.english, .birthDate): "birth date"
        case (.english, .sex): "sex"
        case (.english, .address): "address"
        }
    }

    public func name(_ level: ComparisonLevel) -> String {
        switch self {
        case .dutch:
            switch level {
            case .missing: "ontbreekt aan één kant"
            case .exact: "gelijk"
            case .exactButChecksumFails: "gelijk, maar het controlegetal klopt niet"
            case .oneEdit: "één teken verschilt"
            case .transposition: "twee tekens omgewisseld"
            case .sameBirthOtherKind: "BIS- en rijksregisternummer van dezelfde geboortedatum"
            case .firstGivenName: "eerste voornaam gelijk"
            case .veryClose: "bijna gelijk"
            case .close: "gelijkend"
            case .swapped: "omgewisseld met de andere naam"
            case .initial: "alleen de initiaal"
            case .somewhatClose: "enigszins gelijkend"
            case .dayMonthSwapped: "dag en maand omgewisseld"
            case .oneDigit: "één cijfer verschilt"
            case .sameYear: "alleen het jaar gelijk"
            case .sameAddress: "zelfde adres"
            case .nearlySameAddress: "zelfde adres, op een tikfout of toevoeging na"
            case .sameStreet: "zelfde straat, ander huisnummer"
            case .samePlace: "zelfde gemeente"
            case .samePlaceStreetUnknown: "zelfde postcode (straat niet gekend)"
            case .sameRegion: "zelfde streek"
            case .different: "verschillend"
            }
        case .english:
            switch level {
            case .missing: "missing on one side"
            case .exact: "identical"
            case .exactButChecksumFails: "identical, but the check digits fail"
            case .oneEdit: "one character differs"
            case .transposition: "two characters swapped"
            case .sameBirthOtherKind: "BIS and national number of the same birth date"
            case .firstGivenName: "same first given name"
            case .veryClose: "nearly identical"
            case .close: "similar"
            case .swapped: "swapped with the other name"
            case .initial: "initial only"
            case .somewhatClose: "somewhat similar"
            case .dayMonthSwapped: "day and month swapped"
            case .oneDigit: "one digit differs"
            case .sameYear: "same year only"
            case .sameAddress: "same address"
            case .nearlySameAddress: "same address but for a typo or a suffix"
            case .sameStreet: "same street, another house number"
            case .samePlace: "same municipality"
            case .samePlaceStreetUnknown: "same postcode (street not known)"
            case .sameRegion: "same region"
            case .different: "different"
            }
        }
    }
}
