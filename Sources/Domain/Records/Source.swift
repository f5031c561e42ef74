/// The organisations that deliver records to Vangnet.
public enum Source: String, CaseIterable, Codable, Sendable, Comparable {
    /// AGODI (Discimus): enrolments in regular and part-time secondary education.
    case agodi
    /// Syntra Vlaanderen: apprenticeships (leertijd).
    case syntra
    /// AHOVOKS: qualifications in the LED (Leer- en Ervaringsbewijzen) database.
    case ahovoks
    /// The national register (rijksregister): name, address, emigration, death.
    case populationRegister = "population_register"
    /// VDAB's job-seeker registry.
    case vdab
    /// DIMONA declarations of employment (RSZ).
    case dimona

    public var displayName: String {
        switch self {
        case .agodi: "AGODI"
        case .syntra: "Syntra"
        case .ahovoks: "AHOVOKS (LED)"
        case .populationRegister: "Rijksregister"
        case .vdab: "VDAB"
        case .dimona: "DIMONA (RSZ)"
        }
    }

    public static func < (lhs: Source, rhs: Source) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The five record types of exchange format v1, one per kind of source.
public enum RecordKind: String, CaseIterable, Codable, Sendable {
    case enrolment
    case qualification
    case person
    case jobseeker
    case employment

    /// The sources that may deliver this kind; the first is the default when a file names none.
    public var sources: [Source] {
        switch self {
        case .enrolment: [.agodi, .syntra]
        case .qualification: [.ahovoks]
        case .person: [.populationRegister]
        case .jobseeker: [.vdab]
        case .employment: [.dimona]
        }
    }
}
