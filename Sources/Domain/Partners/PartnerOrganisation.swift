/// An organisation VDAB refers young people to (docs/partners.md): a tender partner under contract
/// for one or more lots, or a local actor (youth work, welfare, local government, a school) the
/// youth consultants network with.
public struct PartnerOrganisation: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case tenderPartner = "tender_partner"
        case localActor = "local_actor"
    }

    public var id: Int64
    /// A short stable name (`groep-horizon`): partner users and API tokens carry it.
    public var code: String
    public var name: String
    public var kind: Kind
    /// Who to reach there (a phone number, an e-mail address).
    public var contact: String
    /// Where it works.
    public var provinces: [Province]
    public var activeFrom: LocalDate
    public var activeUntil: LocalDate?

    public init(id: Int64, code: String, name: String, kind: Kind, contact: String, provinces: [Province], activeFrom: LocalDate,
                activeUntil: LocalDate?) {
        self.id = id
        self.code = code
        self.name = name
        self.kind = kind
        self.contact = contact
        self.provinces = provinces
        self.activeFrom = activeFrom
        self.activeUntil = activeUntil
    }

    public func isActive(on day: LocalDate) -> Bool {
        activeFrom <= day && (activeUntil.map { day <= $0 } ?? true)
    }

    /// Whether a case of `province` may be referred here on `day`.
    public func takes(_ province: Province?, on day: LocalDate) -> Bool {
        guard let province else { return false }
        return isActive(on: day) && provinces.contains(province)
    }

    /// A code: 2 to 40 lower-case letters, digits and dashes.
    public static func isValidCode(_ code: String) -> Bool {
        (2...40).contains(code.count) && code.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
    }
}

/// A tender partner's lot: a programme in some provinces, with a capacity per quarter, a contract
/// period and the agreed response times.
public struct PartnerLot: Sendable, Codable, Equatable {
    public var id: Int64
    public var organisationID: Int64
    public var programme: String
    public var provinces: [Province]
    /// Young people it takes per quarter.
    public var capacityPerQuarter: Int
    public var contractFrom: LocalDate
    public var contractUntil: LocalDate
    /// Working days within which the partner answers a referral (accepts or declines).
    public var responseWorkingDays: Int
    /// Working days within which the intake follows an accepted referral.
    public var intakeWorkingDays: Int

    public init(id: Int64, organisationID: Int64, programme: String, provinces: [Province], capacityPerQuarter: Int, contractFrom: LocalDate,
                contractUntil: LocalDate, responseWorkingDays: Int, intakeWorkingDays: Int) {
        self.id = id
        self.organisationID = organisationID
        self.programme = programme
        self.provinces = provinces
        self.capacityPerQuarter = capacityPerQuarter
        self.contractFrom = contractFrom
        self.contractUntil = contractUntil
        self.responseWorkingDays = responseWorkingDays
        self.intakeWorkingDays = intakeWorkingDays
    }

    public func runs(on day: LocalDate) -> Bool { contractFrom <= day && day <= contractUntil }
}

extension Array where Element == PartnerLot {
    /// The lot under which a referral of a case of `province` to `organisationID` goes on `day`:
    /// the first running lot of the organisation that covers the province (nil for a local actor,
    /// or outside every contract).
    public func serving(_ organisationID: Int64, province: Province?, on day: LocalDate) -> PartnerLot? {
        guard let province else { return nil }
        return first { $0.organisationID == organisationID && $0.runs(on: day) && $0.provinces.contains(province) }
    }
}
