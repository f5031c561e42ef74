/// Vangnet's words in Dutch (nl-BE), at B1 level where the reader is the young person.
public struct Dutch: Vocabulary {
    public init() {}
    public var language: Language { .nl }

    public func status(_ status: CaseStatus) -> String {
        switch status {
        case .new: "Nieuw"
        case .invited: "Uitgenodigd"
        case .registered: "Ingeschreven bij VDAB"
        case .contacted: "Contact gehad"
        case .inGuidance: "In begeleiding"
        case .referred: "Doorverwezen naar partner"
        case .reopened: "Heropend"
        case .inWork: "Aan het werk"
        case .inEducation: "In onderwijs of opleiding"
        case .declined: "Wil geen begeleiding"
        case .unreachable: "Niet te bereiken"
        case .unknown: "Situatie onbekend"
        case .notInTargetGroup: "Niet in de doelgroep"
        case .movedAbroad: "Naar het buitenland"
        case .deceased: "Overleden"
        case .withdrawn: "Ingetrokken door Vangnet"
        case .merged: "Samengevoegd met een ander dossier"
        }
    }

    public func caseAction(_ action: CaseAction) -> String {
        switch action {
        case .invite: "Uitnodiging"
        case .autoRegister: "Automatische inschrijving"
        }
    }

    public func nextAction(_ code: String) -> String {
        switch code {
        case NextAction.firstContact: "Eerste contact"
        case NextAction.registrationFollowUp: "Opvolging inschrijving"
        case NextAction.answerFollowUp: "Antwoord van de jongere opvolgen"
        case NextAction.addressUnknown: "Adres onbekend: zoek een ander adres of kanaal"
        case NextAction.referralFollowUp: "Doorverwijzing liep niet: bekijk een ander aanbod"
        default: code
        }
    }

    public func channel(_ channel: ContactChannel) -> String {
        switch channel {
        case .letter: "Brief"
        case .phone: "Telefoon"
        case .email: "E-mail"
        case .homeVisit: "Huisbezoek"
        case .viaPartner: "Via partner"
        case .sms: "Sms"
        case .office: "Op kantoor"
        }
    }

    public func contactOutcome(_ outcome: ContactOutcome) -> String {
        switch outcome {
        case .reached: "Bereikt"
        case .noAnswer: "Geen antwoord"
        case .wrongNumber: "Verkeerde gegevens"
        case .messageLeft: "Bericht achtergelaten"
        case .appointment: "Afspraak gemaakt"
        case .declined: "Weigert"
        }
    }

    public func suggestion(_ suggestion: Suggestion) -> String {
        switch suggestion {
        case .startedWork: "Is beginnen werken"
        case .reEnrolled: "Is opnieuw ingeschreven in een school"
        case .qualified: "Heeft een kwalificatie behaald"
        case .emigrated: "Is naar het buitenland verhuisd"
        case .deceased: "Is overleden"
        case .registeredAtVDAB: "Is ingeschreven als werkzoekende"
        case .outOfTargetGroup: "Valt niet meer in de doelgroep"
        case .noContact: "Is na meerdere pogingen niet bereikt"
        case .declinedContact: "Wil niet gecontacteerd worden (antwoord op de brief)"
        }
    }

    public func eventTitle(_ event: CaseEvent) -> String {
        switch event {
        case .opened: "Dossier geopend"
        case .assigned: "Toegewezen aan"
        case .reopened: "Heropend"
        case .suggestion: "Suggestie"
        case .withdrawn: "Ingetrokken"
        case .factArrived: "Nieuw gegeven"
        case .statusChanged: "Status gewijzigd"
        case .contact: "Contact"
        case .note: "Notitie"
        case .nextActionSet: "Volgende actie"
        case .closingUndone: "Afsluiting ongedaan gemaakt"
        case .merged: "Samengevoegd met een tweede registratie"
        case .mergeUndone: "Samenvoeging ongedaan gemaakt"
        case .letter: "Brief"
        case .registrationRequested: "Inschrijving gevraagd"
        case .registrationConfirmed: "Ingeschreven als werkzoekende"
        case .registrationFailed: "Inschrijving lukt niet"
        case .letterReturned: "Brief teruggekomen"
        case .reportHandled: "Melding afgehandeld door de gegevensbeheerder"
        case .referral: "Doorverwijzing"
        case .referralProgress: "Voortgang bij de partner"
        case .letterResendRequested: "Brief opnieuw versturen"
        case .answered: "Antwoord van de jongere"
        }
    }

    public func eventDetail(_ event: CaseEvent, person: (String) -> String) -> String {
        switch event {
        case .opened(let action, _, _): caseAction(action)
        case .assigned(let consultant, _): person(consultant)
        case .reopened(let from, _): "Was: \(status(from))"
        case .suggestion(let suggestion, _): self.suggestion(suggestion)
        case .withdrawn(let reason, _): "\(self.suggestion(reason)), nog voor iemand de jongere benaderde"
        case .factArrived(let source, _, let kind, _): "\(recordKind(kind).capitalizedFirst) van \(self.source(source))"
        case .statusChanged(let from, let to): "\(status(from)) → \(status(to))"
        case .contact(let channel, let outcome): "\(self.channel(channel)): \(contactOutcome(outcome))"
        case .note: ""
        case .nextActionSet(let action, let due): "\(nextAction(action)), tegen \(date(due))"
        case .closingUndone(let from, let to): "\(status(from)) → \(status(to))"
        case .merged(let other, let closed):
            if closed { other.map { "Loopt verder in dossier \(CaseNumber.format($0))" } ?? "Loopt verder in een ander dossier" }
            else { other.map { "Dossier \(CaseNumber.format($0)) loopt hier verder" } ?? "De gegevens van een tweede INSZ horen nu bij dit dossier" }
        case .mergeUndone(let other): other.map { "Weer los van dossier \(CaseNumber.format($0))" } ?? ""
        case .letter(let kind, let reference): "\(letterKind(kind)) (\(reference))"
        case .registrationRequested: "Het inschrijvingssysteem van VDAB kreeg de vraag"
        case .registrationConfirmed(let number): "VDAB-nummer \(number)"
        case .registrationFailed(let problem): registrationProblem(problem)
        case .letterReturned(let reference, let reason): "\(reference): \(returnReason(reason))"
        case .reportHandled: ""
        case .referral(let status, let organisation): "naar \(organisation): \(referralStatus(status))"
        case .referralProgress(let organisation): organisation
        case .letterResendRequested(let kind): letterKind(kind).capitalizedFirst
        case .answered(let choice): answerChoice(choice)
        }
    }

    public func returnReason(_ reason: LetterReturnReason) -> String {
        switch reason {
        case .addressUnknown: "adres onbekend"
        case .moved: "verhuisd"
        case .incompleteAddress: "adres onvolledig"
        case .refused: "geweigerd"
        case .notCollected: "niet afgehaald"
        case .deceased: "overleden"
        case .other: "andere reden"
        }
    }

    public func registrationProblem(_ problem: RegistrationProblem) -> String {
        switch problem {
        case .unreachable: "het inschrijvingssysteem van VDAB antwoordt niet"
        case .refused: "het inschrijvingssysteem van VDAB weigert de vraag"
        }
    }

    public func referralStatus(_ status: ReferralStatus) -> String {
        switch status {
        case .proposed: "voorgesteld, nog niet verstuurd"
        case .pending: "verstuurd, wacht op antwoord"
        case .accepted: "aanvaard"
        case .declined: "geweigerd"
        case .done: "afgerond"
        case .revoked: "ingetrokken door de consulent"
        case .consentWithdrawn: "toestemming ingetrokken"
        }
    }

    public func letterKind(_ kind: LetterKind) -> String {
        switch kind {
        case .invitation: "uitnodiging"
        case .reminder: "herinnering"
        case .registrationNotice: "bericht van inschrijving"
        }
    }

    public func answerChoice(_ choice: AnswerChoice) -> String {
        switch choice {
        case .wantsHelp: "Ik wil hulp bij het zoeken naar werk of een opleiding"
        case .alreadyWorks: "Ik werk al"
        case .backToSchool: "Ik ga weer naar school"
        case .noContactWanted: "Ik wil niet gecontacteerd worden"
        case .somethingWrong: "Er klopt iets niet in deze brief"
        }
    }

    public func source(_ source: Source) -> String {
        switch source {
        case .agodi: "AGODI (inschrijvingen in het onderwijs)"
        case .syntra: "Syntra (leertijd)"
        case .ahovoks: "AHOVOKS (diploma's en getuigschriften)"
        case .populationRegister: "Rijksregister"
        case .vdab: "VDAB (werkzoekenden)"
        case .dimona: "DIMONA (tewerkstelling)"
        }
    }

    public func recordKind(_ kind: RecordKind) -> String {
        switch kind {
        case .enrolment: "inschrijving in een school of opleiding"
        case .qualification: "diploma of getuigschrift"
        case .person: "gegevens uit het rijksregister"
        case .jobseeker: "inschrijving als werkzoekende"
        case .employment: "tewerkstelling"
        }
    }

    public func track(_ track: Enrolment.Track?) -> String {
        guard let track else { return "–" }
        return switch track {
        case .a: "1e graad A-stroom"
        case .b: "1e graad B-stroom"
        case .aso: "ASO"
        case .tso: "TSO"
        case .kso: "KSO"
        case .bso: "BSO"
        case .dbso: "DBSO"
        case .buso: "Buitengewoon secundair onderwijs"
        case .apprenticeship: "Leertijd"
        }
    }

    public func programme(_ programme: Enrolment.Programme) -> String {
        switch programme {
        case .fulltime: "voltijds"
        case .dbso: "deeltijds"
        case .apprenticeship: "leertijd"
        }
    }

    public func exitReason(_ reason: Enrolment.ExitReason) -> String {
        switch reason {
        case .endOfSchoolYear: "einde van het schooljaar"
        case .pupilOrParents: "op vraag van de leerling of de ouders"
        case .schoolOrCLB: "op advies van de school of het CLB"
        case .disciplinary: "definitief uitgesloten"
        }
    }

    public func situationAfter(_ situation: Enrolment.SituationAfter) -> String {
        switch situation {
        case .recognisedTraining: "een erkende opleiding"
        case .work: "werk"
        case .other: "iets anders"
        case .unknown: "niet gekend"
        case .otherFlemishSchool: "een andere Vlaamse school"
        }
    }

    public func certificate(_ type: Qualification.CertificateType) -> String {
        switch type {
        case .secondaryDiploma: "Diploma secundair onderwijs"
        case .bsoStudyCertificate: "Studiegetuigschrift tweede leerjaar derde graad BSO"
        case .dbsoCertificate: "Eindgetuigschrift DBSO"
        case .apprenticeshipCertificate: "Getuigschrift leertijd"
        case .busoOV3Certificate: "Getuigschrift buitengewoon secundair onderwijs (opleidingsvorm 3)"
        case .partialCertificate: "Deelcertificaat"
        case .attest: "Attest"
        case .gradeCertificate: "Getuigschrift van een graad"
        case .higherEducationDegree: "Diploma hoger onderwijs"
        case .adultEducationCertificate: "Certificaat volwassenenonderwijs"
        case .experienceCertificate: "Ervaringsbewijs"
        case .equivalence: "Gelijkwaardigheid van een buitenlands diploma"
        case .other: "Ander getuigschrift"
        }
    }

    public func fact(_ record: SourceRecord) -> String {
        switch record.body {
        case .enrolment(let e):
            let kind = e.programme.map(programme) ?? level(e.level)
            var text = "Ingeschreven (\(kind), \(track(e.effectiveTrack))) in \(e.schoolName), van \(date(e.startDate))"
                + (e.endDate.map { " tot \(date($0))" } ?? ", nog ingeschreven")
            if let exit = e.exitReason { text += "; uitgeschreven: \(exitReason(exit))" }
            if let after = e.situationAfter { text += "; daarna: \(situationAfter(after))" }
            return text
        case .qualification(let q):
            return (q.title ?? certificate(q.certificateType)) + ", behaald op \(date(q.awardDate))"
                + (q.status == .cancelled ? " (geannuleerd)" : "")
        case .person(let p):
            var text = p.addressLine.isEmpty ? "Geen adres gekend" : "Woont in \(p.addressLine)"
            if let e = p.emigrationDate { text += "; vertrokken naar het buitenland op \(date(e))" }
            if let d = p.deathDate { text += "; overleden op \(date(d))" }
            return text
        case .jobseeker(let j):
            return "Ingeschreven als werkzoekende sinds \(date(j.registrationDate))"
                + (j.deregistrationDate.map { ", tot \(date($0))" } ?? "")
        case .employment(let e):
            return "Aan het werk sinds \(date(e.startDate))" + (e.endDate.map { ", tot \(date($0))" } ?? "")
                + (e.cancelled ? " (aangifte geannuleerd)" : "")
        }
    }

    func level(_ level: Enrolment.Level) -> String {
        switch level {
        case .nursery: "kleuteronderwijs"
        case .primary: "lager onderwijs"
        case .secondary: "secundair onderwijs"
        case .higher: "hoger onderwijs"
        case .adult: "volwassenenonderwijs"
        }
    }

    public func quarantineReason(_ reason: QuarantineReason) -> String {
        switch reason {
        case .emptyFile: "Het bestand is leeg"
        case .missingHeader: "De kopregel ontbreekt"
        case .unknownHeader: "Onbekende kolom in de kopregel"
        case .wrongColumnCount: "Verkeerd aantal kolommen"
        case .missingField: "Een verplicht veld is leeg"
        case .unknownField: "Onbekend veld"
        case .invalidINSZ: "Ongeldig rijksregisternummer"
        case .invalidDate: "Ongeldige datum"
        case .reversedDates: "Einddatum ligt voor de begindatum"
        case .unknownCode: "Onbekende code"
        case .invalidValue: "Ongeldige waarde"
        case .invalidEncoding: "Geen geldige tekst (UTF-8)"
        case .recordTooLong: "Record te lang"
        case .truncatedRecord: "Record afgebroken"
        case .malformedJSON: "Geen geldige JSON"
        case .malformedXML: "Geen geldige XML"
        case .magdaException: "MAGDA antwoordde met een fout"
        case .invalidEvent: "Ongeldig bericht (CloudEvent)"
        }
    }

    static let fields: [String: String] = [
        "award_date": "datum van uitreiking", "birth_date": "geboortedatum", "box": "bus", "cancelled": "geannuleerd",
        "certificate_type": "soort getuigschrift", "country": "land", "death_date": "datum van overlijden",
        "deregistration_date": "datum van uitschrijving", "deregistration_reason": "reden van uitschrijving",
        "education_form": "onderwijsvorm", "emigration_date": "datum van vertrek naar het buitenland",
        "employer_number": "ondernemingsnummer van de werkgever", "end_date": "einddatum", "exit_reason": "reden van uitschrijving",
        "first_name": "voornaam", "house_number": "huisnummer", "iac": "individueel aangepast curriculum",
        "institution_number": "instellingsnummer", "insz": "rijksregisternummer", "joint_committee": "paritair comité",
        "last_name": "achternaam", "level": "onderwijsniveau", "municipality": "gemeente", "postcode": "postcode",
        "programme": "soort onderwijs", "programme_name": "naam van de opleiding", "record_id": "recordnummer",
        "recorded_at": "tijdstip van registratie", "registration_date": "datum van inschrijving", "school_name": "naam van de school",
        "school_number": "schoolnummer", "school_postcode": "postcode van de school", "school_year": "schooljaar", "sex": "geslacht",
        "situation_after": "situatie na de uitschrijving", "source": "bron", "special_education_type": "type buitengewoon onderwijs",
        "start_date": "begindatum", "status": "status", "street": "straat", "title": "titel", "track": "onderwijsvorm",
        "valid_from": "geldig vanaf", "worker_type": "soort werknemer", "specversion": "CloudEvents-versie", "type": "soort bericht",
        "id": "berichtnummer", "data": "inhoud van het bericht", "datacontenttype": "soort inhoud",
    ]

    public func field(_ name: String) -> String { Self.fields[name] ?? name }

    public func location(_ stored: String) -> String {
        if stored == "file" || stored.isEmpty { return "het hele bestand" }
        if stored.hasPrefix("line ") { return "regel " + stored.dropFirst(5) }
        if stored.hasPrefix("event ") { return "bericht " + stored.dropFirst(6) }
        if stored.hasPrefix("element ") { return "element " + stored.dropFirst(8) }
        return stored
    }

    public func ago(hours: Double) -> String {
        if hours < 1 { return "minder dan een uur geleden" }
        if hours < 48 { return "\(Int(hours)) uur geleden" }
        return "\(Int(hours / 24)) dagen geleden"
    }

    public func quarantineStatus(_ code: String) -> String {
        switch code {
        case "open": "Open"
        case "reprocessed": "Opnieuw verwerkt"
        case "dismissed": "Afgesloten zonder verwerking"
        case "linked": "Gekoppeld aan een gekende persoon"
        default: code
        }
    }

    public func decisionOutcome(_ outcome: Decision.Outcome) -> String {
        switch outcome {
        case .notALeaver: "Geen vroegtijdige schoolverlater"
        case .pending(let until): "Nog geen beslissing: opnieuw bekeken op \(date(until))"
        case .notInTargetGroup(let e): "Niet in de doelgroep: \(exclusion(e))"
        case .eligible: "Vroegtijdige schoolverlater: contact opnemen"
        }
    }

    public func exclusion(_ exclusion: Decision.Exclusion) -> String {
        switch exclusion {
        case .deceased: "overleden"
        case .abroad: "woont in het buitenland"
        case .outsideFlanders: "woont buiten Vlaanderen en Brussel"
        case .tooOld: "te oud voor de doelgroep"
        case .birthDateUnknown: "geboortedatum onbekend (na te kijken)"
        case .knownToVDAB: "al gekend bij VDAB"
        case .atWork: "aan het werk"
        }
    }

    public func reason(_ reason: Reason, policy: Policy) -> String {
        let day = reason.date.map(date) ?? ""
        return switch reason.rule {
        case .noQualifyingEnrolment: "Nooit ingeschreven in kwalificerend secundair onderwijs."
        case .stillEnrolled: "Is nog ingeschreven in een school of opleiding."
        case .leftSchool: "Laatste inschrijving eindigde op \(day)."
        case .gracePeriod: "Een nieuwe inschrijving kan nog volgen; beslissing vanaf \(day)."
        case .qualified: "Heeft een kwalificatie (diploma of gelijkwaardig getuigschrift)."
        case .unqualified: "Heeft geen geldige kwalificatie."
        case .cancelledQualification: "Een eerder geregistreerd getuigschrift werd geannuleerd."
        case .deceased: "Overleden volgens het rijksregister."
        case .abroad: "Woont in het buitenland volgens het rijksregister."
        case .outsideFlanders: "Hoofdverblijfplaats buiten Vlaanderen en Brussel."
        case .tooOld: "Werd \(policy.maximumAge) jaar op \(day)."
        case .birthDateUnknown: "Geboortedatum onbekend: leeftijd en leerplicht niet te bepalen."
        case .knownToVDAB: "Is ingeschreven als werkzoekende bij VDAB."
        case .atWork: "Is aan het werk (DIMONA)."
        case .compulsoryEducation: "Nog leerplichtig tot \(day)."
        case .eligible: policy.action == .invite ? "Krijgt een uitnodiging van een jongerenconsulent."
            : "Wordt automatisch ingeschreven als werkzoekende."
        }
    }

    public func role(_ role: Role) -> String {
        switch role {
        case .consultant: "Jongerenconsulent"
        case .teamlead: "Teamleider"
        case .partner: "Partnerorganisatie"
        case .analyst: "Beleidsanalist"
        case .manager: "Leidinggevende"
        case .steward: "Databeheerder"
        case .auditor: "Auditor"
        case .admin: "Beheerder"
        }
    }

    public func purpose(_ purpose: Purpose) -> String {
        switch purpose {
        case .caseWork: "Begeleiding van de jongere"
        case .caseReview: "Nazicht van een dossier"
        case .teamManagement: "Verdeling van dossiers"
        case .dataQuality: "Verbetering van brongegevens"
        case .audit: "Controle van raadplegingen"
        case .subjectAccessRequest: "Vraag van de persoon om inzage"
        case .retention: "Verwijderen van verouderde gegevens"
        case .intake: "Ontvangst van brongegevens"
        case .login: "Aanmelden"
        case .ownAccess: "Eigen inzage door de jongere (antwoordpagina)"
        case .policyAnalysis: "Beleidsanalyse (simulatie, zonder namen)"
        }
    }

    public func auditAction(_ code: String) -> String {
        switch code {
        case "case.read": "Dossier bekeken"
        case "caseload.read": "Dossier in een lijst getoond"
        case "case.search": "Dossier gezocht"
        case "case.update": "Status gewijzigd"
        case "case.contact": "Contact geregistreerd"
        case "case.note": "Notitie toegevoegd"
        case "case.plan": "Volgende actie gepland"
        case "case.reassign": "Dossier toegewezen"
        case "case.undo-close": "Afsluiting ongedaan gemaakt"
        case "purpose.refused": "Doel niet toegestaan voor deze rol"
        case "letter.make": "Brief gemaakt"
        case "letters.download": "Brievenreeks gedownload"
        case "letters.hand-over": "Brievenreeks aan de postdienst gegeven"
        case "answer.view": "Antwoordpagina geopend door de jongere"
        case "answer.give": "Antwoord gegeven door de jongere"
        case "answer.refused": "Code of geboortedatum niet herkend"
        case "person.export": "Overzicht voor de persoon gemaakt"
        case "audit.read": "Raadplegingen bekeken"
        case "audit.verify": "Auditketen gecontroleerd"
        case "quarantine.read": "Record in quarantaine bekeken"
        case "quarantine.reprocess": "Record opnieuw verwerkt"
        case "quarantine.dismiss": "Record afgesloten zonder verwerking"
        case "identity.link": "Identiteit gekoppeld aan een gekende persoon"
        case "identity.reject": "Voorgestelde koppeling afgewezen: niet dezelfde persoon"
        case "identity.review": "Voorgestelde koppeling bekeken"
        case "identity.unlink": "Koppeling ongedaan gemaakt: het record staat terug in quarantaine"
        case "person.merge": "Twee registraties van dezelfde persoon samengevoegd"
        case "person.unmerge": "Samenvoeging ongedaan gemaakt"
        case "person.compare": "Twee personen vergeleken om samen te voegen"
        case "person.merge-read": "Samenvoeging bekeken, met beide registraties"
        case "login": "Aangemeld"
        case "logout": "Afgemeld"
        case "policy.simulate": "Ander beleid gesimuleerd"
        case "partners.change": "Partnerorganisaties gewijzigd"
        case "letters.mail-house-file": "Bestand van de postdienst verwerkt"
        case "registration.retry": "Inschrijvingsvraag opnieuw verstuurd"
        case "webhook.retry": "Bericht aan een partner opnieuw verstuurd"
        case "letter.read": "Brief opnieuw bekeken"
        case "letter.resend": "Brief opnieuw te versturen"
        case "answer-report.read": "Melding van een jongere gelezen"
        case "answer-report.handle": "Melding van een jongere afgehandeld"
        case "referral.change": "Doorverwijzing gewijzigd"
        case "referral.progress": "Voortgang van een doorverwijzing"
        case "referral.read": "Doorverwijzing bekeken door de partner"
        case "retention.run": "Verouderde gegevens verwijderd"
        case "retention.dry-run": "Proef: verouderde gegevens geteld"
        default: Permission(rawValue: code).map { "Pagina of functie geopend (\(permission($0)))" } ?? code
        }
    }

    func permission(_ permission: Permission) -> String {
        switch permission {
        case .listCases: "dossierlijst"
        case .readCase: "dossier"
        case .workCase: "werken aan een dossier"
        case .reassignCases: "dossiers toewijzen"
        case .undoClosing: "afsluiting ongedaan maken"
        case .handleLetters: "brieven voor de postdienst"
        case .readQuarantine: "quarantaine"
        case .reprocessQuarantine: "quarantaine verwerken"
        case .readReports: "cijfers"
        case .readAudit: "audit"
        case .exportPerson: "overzicht voor de persoon"
        case .administer: "beheer"
        case .deliverEvents: "gegevens aanleveren"
        case .handleReferrals: "doorverwijzingen van de partner"
        case .monitorPartners: "opvolging van de partners"
        case .readStatistics: "statistieken"
        case .readStatusReport: "statusrapport"
        case .simulatePolicy: "beleid simuleren"
        case .readExactFigures: "exacte cijfers"
        }
    }

    public func auditOutcome(_ code: String) -> String {
        switch code {
        case "allowed": "Toegestaan"
        case "denied": "Geweigerd"
        case "locked": "Geblokkeerd na te veel pogingen"
        case "not_found": "Persoon niet gekend"
        case "broken": "Keten gebroken"
        default: code
        }
    }

    static let months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
                         "september", "oktober", "november", "december"]

    public func month(year: Int, month: Int) -> String { "\(Self.months[month - 1]) \(year)" }

    public func date(_ date: LocalDate) -> String {
        let (y, m, d) = date.components
        return "\(d) \(Self.months[m - 1]) \(y)"
    }

    public func instant(_ stored: String) -> String {
        guard let (day, time) = belgianParts(stored) else { return stored }
        return "\(date(day)) om \(time)"
    }

    public func years(_ count: Int) -> String { "\(count) jaar" }
}

extension String {
    /// The first letter as a capital.
    public var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
