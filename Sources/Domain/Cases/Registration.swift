/// Why a registration request to VDAB's job-seeker system got stuck (policy action `auto-register`).
public enum RegistrationProblem: String, Codable, Sendable, CaseIterable {
    /// No answer, a time-out or a server error, every time until the attempts ran out.
    case unreachable
    /// The system refused the request (it says why; the steward sees it).
    case refused
}

/// How the registration requests are retried: exponential backoff with jitter, then stuck.
public enum RegistrationRules {
    /// Attempts before a request counts as stuck (configurable: `VANGNET_REGISTRATION_MAX_ATTEMPTS`).
    public static let defaultMaximumAttempts = 8
    /// The wait after the first failed attempt; doubled after each further one, at most `maximumDelay`.
    public static let baseDelay: Double = 2
    public static let maximumDelay: Double = 3_600

    /// Seconds to wait after `attempts` failed attempts: "full jitter" (AWS Architecture Blog,
    /// "Exponential Backoff And Jitter") — a random share of the exponential bound, so that many
    /// requests that failed together do not come back together. `random` is in 0..<1.
    public static func delay(afterAttempts attempts: Int, random: Double) -> Double {
        let bound = min(maximumDelay, baseDelay * Double(1 << min(max(attempts - 1, 0), 20)))
        return max(1, bound * random)
    }

    /// What follows a failed attempt of an outbox message (a registration request, a partner's
    /// webhook): another attempt after a backoff, or stuck once the attempts ran out.
    public enum AfterFailure: Equatable, Sendable {
        case retry(afterSeconds: Double)
        case stuck
    }

    public static func afterFailure(attempts: Int, maximumAttempts: Int, random: Double) -> AfterFailure {
        attempts >= maximumAttempts ? .stuck : .retry(afterSeconds: delay(afterAttempts: attempts, random: random))
    }

    /// The gateways' time-out per outbox message (registration request, webhook notice).
    public static let attemptTimeout: Double = 10

    /// How many outbox messages a worker claims at once: as many as it can try within their lease
    /// at the gateway's time-out each (at most 50), so that a live worker's claims do not expire
    /// while it still works on them, and a killed worker holds few.
    public static func batchSize(lease: Double) -> Int { max(1, min(50, Int(lease / attemptTimeout))) }
}

/// What Vangnet asks VDAB's job-seeker system to do for a young person (policy action
/// `auto-register`): the outgoing call documented in the OpenAPI document
/// (`RegistrationRequestBody`). Written into the outbox in the same transaction as the case, and
/// sent as it was written on every attempt.
public struct RegistrationRequestBody: Codable, Sendable, Equatable {
    public struct Address: Codable, Sendable, Equatable {
        public var street: String?
        public var number: String?
        public var box: String?
        public var postcode: String?
        public var municipality: String?
        public var country: String
    }

    /// The idempotency key: the same on every attempt, never reused for another request.
    public var requestID: String
    public var caseNumber: String
    public var insz: String
    public var firstName: String?
    public var lastName: String?
    public var birthDate: String?
    public var address: Address?
    public var leftSchoolOn: String?
    public var schoolSource: String?
    public var province: String?
    public var policyVersion: String

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id", caseNumber = "case_number", insz, firstName = "first_name", lastName = "last_name"
        case birthDate = "birth_date", address, leftSchoolOn = "left_school_on", schoolSource = "school_source", province
        case policyVersion = "policy_version"
    }

    public init(requestID: String, caseNumber: String, insz: INSZ, person: PersonRecord?, decision: Decision) {
        self.requestID = requestID
        self.caseNumber = caseNumber
        self.insz = insz.digits
        self.firstName = person?.firstName
        self.lastName = person?.lastName
        self.birthDate = person?.birthDate?.iso
        self.address = person.map {
            Address(street: $0.street, number: $0.houseNumber, box: $0.box, postcode: $0.postcode, municipality: $0.municipality, country: $0.country)
        }
        self.leftSchoolOn = decision.leftSchoolOn?.iso
        self.schoolSource = decision.schoolSource?.rawValue
        self.province = decision.province?.rawValue
        self.policyVersion = decision.policyVersion
    }
}
