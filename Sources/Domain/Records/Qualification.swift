/// A certificate registered in the LED (AHOVOKS).
public struct Qualification: Hashable, Sendable {
    /// The kind of certificate. The first five are the qualifications of the statistiekvlaanderen
    /// definition of an early school leaver; the policy decides which kinds count (by default those).
    public enum CertificateType: String, CaseIterable, Codable, Sendable {
        /// Diploma secundair onderwijs.
        case secondaryDiploma = "secondary_diploma"
        /// Studiegetuigschrift van het 2de leerjaar van de 3de graad BSO.
        case bsoStudyCertificate = "bso_study_certificate"
        /// Eindgetuigschrift / studiegetuigschrift DBSO.
        case dbsoCertificate = "dbso_certificate"
        /// Certificaat leertijd (Syntra).
        case apprenticeshipCertificate = "apprenticeship_certificate"
        /// Getuigschrift BuSO opleidingsvorm 3.
        case busoOV3Certificate = "buso_ov3_certificate"
        /// Deelcertificaat: one part of a training.
        case partialCertificate = "partial_certificate"
        /// Attest (of a year or a module, of competences acquired).
        case attest
        /// Getuigschrift of a completed grade (e.g. 1st or 2nd grade of secondary education).
        case gradeCertificate = "grade_certificate"
        /// Bachelor, master or graduate degree.
        case higherEducationDegree = "higher_education_degree"
        /// A certificate of adult education (CVO).
        case adultEducationCertificate = "adult_education_certificate"
        /// Ervaringsbewijs: recognition of work experience.
        case experienceCertificate = "experience_certificate"
        /// Gelijkwaardigheid: equivalence of a foreign certificate.
        case equivalence
        case other

        /// The five kinds that DESIGN.md §3 counts as a qualification.
        public static let statistiekVlaanderenQualifications: Set<CertificateType> = [
            .secondaryDiploma, .bsoStudyCertificate, .dbsoCertificate, .apprenticeshipCertificate, .busoOV3Certificate,
        ]
    }

    /// Status in the LED (`BewijsstatusLed`: 1 registered, 10 cancelled).
    public enum Status: String, CaseIterable, Codable, Sendable {
        case registered, cancelled
    }

    public var certificateType: CertificateType
    /// The education form the certificate was obtained in (aso, tso, bso, …), when the LED says.
    public var educationForm: Enrolment.Track?
    public var awardDate: LocalDate
    public var status: Status
    /// The LED's own description of the certificate.
    public var title: String?
    public var institutionNumber: String?

    public init(certificateType: CertificateType, educationForm: Enrolment.Track? = nil, awardDate: LocalDate,
                status: Status = .registered, title: String? = nil, institutionNumber: String? = nil) {
        self.certificateType = certificateType
        self.educationForm = educationForm
        self.awardDate = awardDate
        self.status = status
        self.title = title
        self.institutionNumber = institutionNumber
    }
}
