/// Vangnet's words in French (fr-BE), at B1 level where the reader is the young person. The
/// young person is addressed in the person's report (`vous`); here the words stay neutral where
/// French allows it (nouns rather than participles that would need a gender).
public struct French: Vocabulary {
    public init() {}
    public var language: Language { .fr }

    public func status(_ status: CaseStatus) -> String {
        switch status {
        case .new: "Nouveau"
        case .invited: "Invitation envoyée"
        case .registered: "Inscription au VDAB"
        case .contacted: "Contact pris"
        case .inGuidance: "En accompagnement"
        case .referred: "Orientation vers un partenaire"
        case .reopened: "Rouvert"
        case .inWork: "Au travail"
        case .inEducation: "À l’école ou en formation"
        case .declined: "Ne souhaite pas d’accompagnement"
        case .unreachable: "Injoignable"
        case .unknown: "Situation inconnue"
        case .notInTargetGroup: "Hors du groupe cible"
        case .movedAbroad: "Départ à l’étranger"
        case .deceased: "Décès"
        case .withdrawn: "Retiré par Vangnet"
        case .merged: "Fusionné avec un autre dossier"
        }
    }

    public func caseAction(_ action: CaseAction) -> String {
        switch action {
        case .invite: "Invitation"
        case .autoRegister: "Inscription automatique"
        }
    }

    public func nextAction(_ code: String) -> String {
        switch code {
        case NextAction.firstContact: "Premier contact"
        case NextAction.registrationFollowUp: "Suivi de l’inscription"
        case NextAction.answerFollowUp: "Suivre la réponse du jeune"
        case NextAction.addressUnknown: "Adresse inconnue : chercher une autre adresse ou un autre canal"
        case NextAction.referralFollowUp: "L\u{2019}orientation n\u{2019}a pas abouti : chercher une autre offre"
        default: code
        }
    }

    public func channel(_ channel: ContactChannel) -> String {
        switch channel {
        case .letter: "Lettre"
        case .phone: "Téléphone"
        case .email: "E-mail"
        case .homeVisit: "Visite à domicile"
        case .viaPartner: "Via un partenaire"
        case .sms: "SMS"
        case .office: "Au bureau"
        }
    }

    public func contactOutcome(_ outcome: ContactOutcome) -> String {
        switch outcome {
        case .reached: "Personne jointe"
        case .noAnswer: "Pas de réponse"
        case .wrongNumber: "Coordonnées erronées"
        case .messageLeft: "Message laissé"
        case .appointment: "Rendez-vous fixé"
        case .declined: "Refuse"
        }
    }

    public func suggestion(_ suggestion: Suggestion) -> String {
        switch suggestion {
        case .startedWork: "A commencé à travailler"
        case .reEnrolled: "A une nouvelle inscription dans une école"
        case .qualified: "A obtenu une qualification"
        case .emigrated: "A déménagé à l’étranger"
        case .deceased: "Décès"
        case .registeredAtVDAB: "S’est inscrit comme demandeur d’emploi"
        case .outOfTargetGroup: "Ne fait plus partie du groupe cible"
        case .noContact: "Pas de contact après plusieurs tentatives"
        case .declinedContact: "Ne souhaite pas être contacté (réponse à la lettre)"
        }
    }

    public func eventTitle(_ event: CaseEvent) -> String {
        switch event {
        case .opened: "Dossier ouvert"
        case .assigned: "Attribué à"
        case .reopened: "Rouvert"
        case .suggestion: "Suggestion"
        case .withdrawn: "Retiré"
        case .factArrived: "Nouvelle donnée"
        case .statusChanged: "Statut modifié"
        case .contact: "Contact"
        case .note: "Note"
        case .nextActionSet: "Prochaine action"
        case .closingUndone: "Clôture annulée"
        case .merged: "Fusionné avec un second enregistrement"
        case .mergeUndone: "Fusion annulée"
        case .letter: "Lettre"
        case .registrationRequested: "Inscription demandée"
        case .registrationConfirmed: "Inscrit comme demandeur d\u{2019}emploi"
        case .registrationFailed: "L\u{2019}inscription échoue"
        case .letterReturned: "Lettre revenue"
        case .reportHandled: "Signalement traité par le gestionnaire des données"
        case .referral: "Orientation"
        case .referralProgress: "Suivi chez le partenaire"
        case .letterResendRequested: "Lettre à renvoyer"
        case .answered: "Réponse du jeune"
        }
    }

    public func eventDetail(_ event: CaseEvent, person: (String) -> String) -> String {
        switch event {
        case .opened(let action, _, _): caseAction(action)
        case .assigned(let consultant, _): person(consultant)
        case .reopened(let from, _): "Avant : \(status(from))"
        case .suggestion(let suggestion, _): self.suggestion(suggestion)
        case .withdrawn(let reason, _): "\(self.suggestion(reason)), avant que quiconque ne contacte le jeune"
        case .factArrived(let source, _, let kind, _): "\(recordKind(kind).capitalizedFirst) (source : \(self.source(source)))"
        case .statusChanged(let from, let to): "\(status(from)) → \(status(to))"
        case .contact(let channel, let outcome): "\(self.channel(channel)) : \(contactOutcome(outcome))"
        case .note: ""
        case .nextActionSet(let action, let due): "\(nextAction(action)), au plus tard le \(date(due))"
        case .closingUndone(let from, let to): "\(status(from)) → \(status(to))"
        case .merged(let other, let closed):
            if closed { other.map { "Se poursuit dans le dossier \(CaseNumber.format($0))" } ?? "Se poursuit dans un autre dossier" }
            else { other.map { "Le dossier \(CaseNumber.format($0)) se poursuit ici" } ?? "Les données d'un second INSZ appartiennent désormais à ce dossier" }
        case .mergeUndone(let other): other.map { "De nouveau séparé du dossier \(CaseNumber.format($0))" } ?? ""
        case .letter(let kind, let reference): "\(letterKind(kind)) (\(reference))"
        case .registrationRequested: "Le système d\u{2019}inscription du VDAB a reçu la demande"
        case .registrationConfirmed(let number): "numéro VDAB \(number)"
        case .registrationFailed(let problem): registrationProblem(problem)
        case .letterReturned(let reference, let reason): "\(reference): \(returnReason(reason))"
        case .reportHandled: ""
        case .referral(let status, let organisation): "vers \(organisation): \(referralStatus(status))"
        case .referralProgress(let organisation): organisation
        case .letterResendRequested(let kind): letterKind(kind).capitalizedFirst
        case .answered(let choice): answerChoice(choice)
        }
    }

    public func returnReason(_ reason: LetterReturnReason) -> String {
        switch reason {
        case .addressUnknown: "adresse inconnue"
        case .moved: "déménagé"
        case .incompleteAddress: "adresse incomplète"
        case .refused: "refusée"
        case .notCollected: "non réclamée"
        case .deceased: "décédé"
        case .other: "autre raison"
        }
    }

    public func registrationProblem(_ problem: RegistrationProblem) -> String {
        switch problem {
        case .unreachable: "le système d\u{2019}inscription du VDAB ne répond pas"
        case .refused: "le système d\u{2019}inscription du VDAB refuse la demande"
        }
    }

    public func referralStatus(_ status: ReferralStatus) -> String {
        switch status {
        case .proposed: "proposée, pas envoyée"
        case .pending: "envoyée, en attente de réponse"
        case .accepted: "acceptée"
        case .declined: "refusée"
        case .done: "terminée"
        case .revoked: "retirée par le conseiller"
        case .consentWithdrawn: "consentement retiré"
        }
    }

    public func letterKind(_ kind: LetterKind) -> String {
        switch kind {
        case .invitation: "invitation"
        case .reminder: "rappel"
        case .registrationNotice: "avis d’inscription"
        }
    }

    public func answerChoice(_ choice: AnswerChoice) -> String {
        switch choice {
        case .wantsHelp: "Je voudrais de l’aide pour trouver un emploi ou une formation"
        case .alreadyWorks: "Je travaille déjà"
        case .backToSchool: "Je suis retourné à l’école"
        case .noContactWanted: "Je ne souhaite pas être contacté"
        case .somethingWrong: "Quelque chose ne va pas dans cette lettre"
        }
    }

    public func source(_ source: Source) -> String {
        switch source {
        case .agodi: "AGODI (inscriptions dans l’enseignement)"
        case .syntra: "Syntra (apprentissage)"
        case .ahovoks: "AHOVOKS (diplômes et certificats)"
        case .populationRegister: "Registre national"
        case .vdab: "VDAB (demandeurs d’emploi)"
        case .dimona: "DIMONA (emploi)"
        }
    }

    public func recordKind(_ kind: RecordKind) -> String {
        switch kind {
        case .enrolment: "inscription dans une école ou une formation"
        case .qualification: "diplôme ou certificat"
        case .person: "données du registre national"
        case .jobseeker: "inscription comme demandeur d’emploi"
        case .employment: "emploi"
        }
    }

    public func track(_ track: Enrolment.Track?) -> String {
        guard let track else { return "–" }
        return switch track {
        case .a: "1er degré, filière A"
        case .b: "1er degré, filière B"
        case .aso: "ASO (enseignement général)"
        case .tso: "TSO (enseignement technique)"
        case .kso: "KSO (enseignement artistique)"
        case .bso: "BSO (enseignement professionnel)"
        case .dbso: "DBSO"
        case .buso: "Enseignement secondaire spécialisé"
        case .apprenticeship: "Apprentissage"
        }
    }

    public func programme(_ programme: Enrolment.Programme) -> String {
        switch programme {
        case .fulltime: "temps plein"
        case .dbso: "temps partiel"
        case .apprenticeship: "apprentissage"
        }
    }

    public func exitReason(_ reason: Enrolment.ExitReason) -> String {
        switch reason {
        case .endOfSchoolYear: "fin de l’année scolaire"
        case .pupilOrParents: "à la demande de l’élève ou des parents"
        case .schoolOrCLB: "sur avis de l’école ou du CLB"
        case .disciplinary: "exclusion définitive"
        }
    }

    public func situationAfter(_ situation: Enrolment.SituationAfter) -> String {
        switch situation {
        case .recognisedTraining: "une formation reconnue"
        case .work: "un emploi"
        case .other: "autre chose"
        case .unknown: "inconnue"
        case .otherFlemishSchool: "une autre école flamande"
        }
    }

    public func certificate(_ type: Qualification.CertificateType) -> String {
        switch type {
        case .secondaryDiploma: "Diplôme de l’enseignement secondaire"
        case .bsoStudyCertificate: "Certificat d’études de la 2e année du 3e degré BSO"
        case .dbsoCertificate: "Certificat de fin d’études DBSO"
        case .apprenticeshipCertificate: "Certificat d’apprentissage"
        case .busoOV3Certificate: "Certificat de l’enseignement secondaire spécialisé (forme d’enseignement 3)"
        case .partialCertificate: "Certificat partiel"
        case .attest: "Attestation"
        case .gradeCertificate: "Certificat d’un degré"
        case .higherEducationDegree: "Diplôme de l’enseignement supérieur"
        case .adultEducationCertificate: "Certificat de l’enseignement pour adultes"
        case .experienceCertificate: "Titre de compétence"
        case .equivalence: "Équivalence d’un diplôme étranger"
        case .other: "Autre certificat"
        }
    }

    public func fact(_ record: SourceRecord) -> String {
        switch record.body {
        case .enrolment(let e):
            let kind = e.programme.map(programme) ?? level(e.level)
            var text = "Inscription (\(kind), \(track(e.effectiveTrack))) à \(e.schoolName), "
                + (e.endDate.map { "du \(date(e.startDate)) au \(date($0))" } ?? "depuis le \(date(e.startDate)), toujours en cours")
            if let exit = e.exitReason { text += " ; désinscription : \(exitReason(exit))" }
            if let after = e.situationAfter { text += " ; ensuite : \(situationAfter(after))" }
            return text
        case .qualification(let q):
            return (q.title ?? certificate(q.certificateType)) + ", date d’obtention : \(date(q.awardDate))"
                + (q.status == .cancelled ? " (document annulé)" : "")
        case .person(let p):
            var text = p.addressLine.isEmpty ? "Pas d’adresse connue" : "Adresse : \(p.addressLine)"
            if let e = p.emigrationDate { text += " ; départ pour l’étranger le \(date(e))" }
            if let d = p.deathDate { text += " ; décès le \(date(d))" }
            return text
        case .jobseeker(let j):
            return "Inscription comme demandeur d’emploi "
                + (j.deregistrationDate.map { "du \(date(j.registrationDate)) au \(date($0))" } ?? "depuis le \(date(j.registrationDate))")
        case .employment(let e):
            return "Emploi " + (e.endDate.map { "du \(date(e.startDate)) au \(date($0))" } ?? "depuis le \(date(e.startDate))")
                + (e.cancelled ? " (déclaration annulée)" : "")
        }
    }

    func level(_ level: Enrolment.Level) -> String {
        switch level {
        case .nursery: "enseignement maternel"
        case .primary: "enseignement primaire"
        case .secondary: "enseignement secondaire"
        case .higher: "enseignement supérieur"
        case .adult: "enseignement pour adultes"
        }
    }

    public func quarantineReason(_ reason: QuarantineReason) -> String {
        switch reason {
        case .emptyFile: "Le fichier est vide"
        case .missingHeader: "La ligne d’en-tête manque"
        case .unknownHeader: "Colonne inconnue dans la ligne d’en-tête"
        case .wrongColumnCount: "Nombre de colonnes incorrect"
        case .missingField: "Un champ obligatoire est vide"
        case .unknownField: "Champ inconnu"
        case .invalidINSZ: "Numéro de registre national non valable"
        case .invalidDate: "Date non valable"
        case .reversedDates: "La date de fin est avant la date de début"
        case .unknownCode: "Code inconnu"
        case .invalidValue: "Valeur non valable"
        case .invalidEncoding: "Texte non valable (UTF-8)"
        case .recordTooLong: "Enregistrement trop long"
        case .truncatedRecord: "Enregistrement coupé"
        case .malformedJSON: "JSON non valable"
        case .malformedXML: "XML non valable"
        case .magdaException: "MAGDA a répondu par une erreur"
        case .invalidEvent: "Message non valable (CloudEvent)"
        }
    }

    static let fields: [String: String] = [
        "award_date": "date de délivrance", "birth_date": "date de naissance", "box": "boîte", "cancelled": "annulé",
        "certificate_type": "type de certificat", "country": "pays", "death_date": "date du décès",
        "deregistration_date": "date de désinscription", "deregistration_reason": "motif de la désinscription",
        "education_form": "forme d’enseignement", "emigration_date": "date du départ pour l’étranger",
        "employer_number": "numéro d’entreprise de l’employeur", "end_date": "date de fin", "exit_reason": "motif de la désinscription",
        "first_name": "prénom", "house_number": "numéro de maison", "iac": "programme individuel adapté",
        "institution_number": "numéro d’établissement", "insz": "numéro de registre national", "joint_committee": "commission paritaire",
        "last_name": "nom de famille", "level": "niveau d’enseignement", "municipality": "commune", "postcode": "code postal",
        "programme": "type d’enseignement", "programme_name": "nom de la formation", "record_id": "numéro d’enregistrement",
        "recorded_at": "moment de l’enregistrement", "registration_date": "date d’inscription", "school_name": "nom de l’école",
        "school_number": "numéro de l’école", "school_postcode": "code postal de l’école", "school_year": "année scolaire", "sex": "sexe",
        "situation_after": "situation après la désinscription", "source": "source", "special_education_type": "type d’enseignement spécialisé",
        "start_date": "date de début", "status": "statut", "street": "rue", "title": "titre", "track": "filière",
        "valid_from": "valable à partir du", "worker_type": "type de travailleur", "specversion": "version CloudEvents", "type": "type de message",
        "id": "numéro du message", "data": "contenu du message", "datacontenttype": "type de contenu",
    ]

    public func field(_ name: String) -> String { Self.fields[name] ?? name }

    public func location(_ stored: String) -> String {
        if stored == "file" || stored.isEmpty { return "tout le fichier" }
        if stored.hasPrefix("line ") { return "ligne " + stored.dropFirst(5) }
        if stored.hasPrefix("event ") { return "message " + stored.dropFirst(6) }
        if stored.hasPrefix("element ") { return "élément " + stored.dropFirst(8) }
        return stored
    }

    public func ago(hours: Double) -> String {
        if hours < 1 { return "il y a moins d’une heure" }
        if hours < 2 { return "il y a 1 heure" }
        if hours < 48 { return "il y a \(Int(hours)) heures" }
        return "il y a \(Int(hours / 24)) jours"
    }

    public func quarantineStatus(_ code: String) -> String {
        switch code {
        case "open": "Ouvert"
        case "reprocessed": "Traité à nouveau"
        case "dismissed": "Clôturé sans traitement"
        case "linked": "Lié à une personne connue"
        default: code
        }
    }

    public func decisionOutcome(_ outcome: Decision.Outcome) -> String {
        switch outcome {
        case .notALeaver: "N’a pas quitté l’école sans qualification"
        case .pending(let until): "Pas encore de décision : nouvel examen le \(date(until))"
        case .notInTargetGroup(let e): "Hors du groupe cible : \(exclusion(e))"
        case .eligible: "A quitté l’école sans qualification : prendre contact"
        }
    }

    public func exclusion(_ exclusion: Decision.Exclusion) -> String {
        switch exclusion {
        case .deceased: "décès"
        case .abroad: "habite à l’étranger"
        case .outsideFlanders: "habite en dehors de la Flandre et de Bruxelles"
        case .tooOld: "a dépassé l’âge du groupe cible"
        case .birthDateUnknown: "date de naissance inconnue (à vérifier)"
        case .knownToVDAB: "a déjà un dossier au VDAB"
        case .atWork: "travaille"
        }
    }

    public func reason(_ reason: Reason, policy: Policy) -> String {
        let day = reason.date.map(date) ?? ""
        return switch reason.rule {
        case .noQualifyingEnrolment: "Aucune inscription dans l’enseignement secondaire qualifiant."
        case .stillEnrolled: "A encore une inscription dans une école ou une formation."
        case .leftSchool: "La dernière inscription a pris fin le \(day)."
        case .gracePeriod: "Une nouvelle inscription peut encore suivre ; décision à partir du \(day)."
        case .qualified: "A une qualification (diplôme ou certificat équivalent)."
        case .unqualified: "N’a pas de qualification valable."
        case .cancelledQualification: "Un certificat enregistré plus tôt a été annulé."
        case .deceased: "Décès selon le registre national."
        case .abroad: "Habite à l’étranger selon le registre national."
        case .outsideFlanders: "Résidence principale en dehors de la Flandre et de Bruxelles."
        case .tooOld: "A eu \(policy.maximumAge) ans le \(day)."
        case .birthDateUnknown: "Date de naissance inconnue : impossible de connaître l’âge et l’obligation scolaire."
        case .knownToVDAB: "Inscription comme demandeur d’emploi au VDAB."
        case .atWork: "Travaille (DIMONA)."
        case .compulsoryEducation: "Obligation scolaire jusqu’au \(day)."
        case .eligible: policy.action == .invite ? "Reçoit une invitation d’un conseiller jeunes."
            : "Inscription automatique comme demandeur d’emploi."
        }
    }

    public func role(_ role: Role) -> String {
        switch role {
        case .consultant: "Conseiller jeunes"
        case .teamlead: "Chef d’équipe"
        case .partner: "Organisation partenaire"
        case .analyst: "Analyste des politiques"
        case .manager: "Responsable"
        case .steward: "Gestionnaire des données"
        case .auditor: "Auditeur"
        case .admin: "Administrateur"
        }
    }

    public func purpose(_ purpose: Purpose) -> String {
        switch purpose {
        case .caseWork: "Accompagnement du jeune"
        case .caseReview: "Vérification d’un dossier"
        case .teamManagement: "Répartition des dossiers"
        case .dataQuality: "Amélioration des données des sources"
        case .audit: "Contrôle des consultations"
        case .subjectAccessRequest: "Demande de la personne pour voir ses données"
        case .retention: "Suppression des données trop anciennes"
        case .intake: "Réception des données des sources"
        case .login: "Connexion"
        case .ownAccess: "Accès du jeune à ses propres données (page de réponse)"
        case .policyAnalysis: "Analyse de politique (simulation, sans noms)"
        }
    }

    public func auditAction(_ code: String) -> String {
        switch code {
        case "case.read": "Dossier consulté"
        case "caseload.read": "Dossier affiché dans une liste"
        case "case.search": "Dossier recherché"
        case "case.update": "Statut modifié"
        case "case.contact": "Contact enregistré"
        case "case.note": "Note ajoutée"
        case "case.plan": "Prochaine action planifiée"
        case "case.reassign": "Dossier attribué"
        case "case.undo-close": "Clôture annulée"
        case "purpose.refused": "But non autorisé pour ce rôle"
        case "letter.make": "Lettre créée"
        case "letters.download": "Série de lettres téléchargée"
        case "letters.hand-over": "Série de lettres remise au service postal"
        case "answer.view": "Page de réponse ouverte par le jeune"
        case "answer.give": "Réponse donnée par le jeune"
        case "answer.refused": "Code ou date de naissance non reconnus"
        case "person.export": "Document pour la personne créé"
        case "audit.read": "Consultations vérifiées"
        case "audit.verify": "Chaîne d’audit contrôlée"
        case "quarantine.read": "Enregistrement en quarantaine consulté"
        case "quarantine.reprocess": "Enregistrement traité à nouveau"
        case "quarantine.dismiss": "Enregistrement clôturé sans traitement"
        case "identity.link": "Identité liée à une personne connue"
        case "identity.reject": "Lien proposé refusé : pas la même personne"
        case "identity.review": "Lien proposé consulté"
        case "identity.unlink": "Lien annulé : l’enregistrement est de nouveau en quarantaine"
        case "person.merge": "Deux enregistrements de la même personne fusionnés"
        case "person.unmerge": "Fusion annulée"
        case "person.compare": "Deux personnes comparées en vue d’une fusion"
        case "person.merge-read": "Fusion consultée, avec les deux enregistrements"
        case "login": "Connexion"
        case "logout": "Déconnexion"
        case "policy.simulate": "Autre politique simulée"
        case "partners.change": "Organisations partenaires modifiées"
        case "letters.mail-house-file": "Fichier du service postal traité"
        case "registration.retry": "Demande d\u{2019}inscription renvoyée"
        case "webhook.retry": "Message à un partenaire renvoyé"
        case "letter.read": "Lettre consultée à nouveau"
        case "letter.resend": "Lettre à renvoyer"
        case "answer-report.read": "Signalement d\u{2019}un jeune lu"
        case "answer-report.handle": "Signalement d\u{2019}un jeune traité"
        case "referral.change": "Orientation modifiée"
        case "referral.progress": "Suivi d\u{2019}une orientation"
        case "referral.read": "Orientation consultée par le partenaire"
        case "retention.run": "Données trop anciennes supprimées"
        case "retention.dry-run": "Essai : données trop anciennes comptées"
        default: Permission(rawValue: code).map { "Page ou fonction ouverte (\(permission($0)))" } ?? code
        }
    }

    func permission(_ permission: Permission) -> String {
        switch permission {
        case .listCases: "liste des dossiers"
        case .readCase: "dossier"
        case .workCase: "travail sur un dossier"
        case .reassignCases: "attribution des dossiers"
        case .undoClosing: "annulation d’une clôture"
        case .handleLetters: "lettres pour le service courrier"
        case .readQuarantine: "quarantaine"
        case .reprocessQuarantine: "traitement de la quarantaine"
        case .readReports: "chiffres"
        case .readAudit: "audit"
        case .exportPerson: "document pour la personne"
        case .administer: "administration"
        case .deliverEvents: "livraison de données"
        case .handleReferrals: "orientations du partenaire"
        case .monitorPartners: "suivi des partenaires"
        case .readStatistics: "statistiques"
        case .readStatusReport: "rapport de situation"
        case .simulatePolicy: "simulation de politique"
        case .readExactFigures: "chiffres exacts"
        }
    }

    public func auditOutcome(_ code: String) -> String {
        switch code {
        case "allowed": "Autorisé"
        case "denied": "Refusé"
        case "locked": "Bloqué après trop de tentatives"
        case "not_found": "Personne inconnue"
        case "broken": "Chaîne rompue"
        default: code
        }
    }

    static let months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                         "septembre", "octobre", "novembre", "décembre"]

    public func month(year: Int, month: Int) -> String { "\(Self.months[month - 1]) \(year)" }

    public func date(_ date: LocalDate) -> String {
        let (y, m, d) = date.components
        return "\(d) \(Self.months[m - 1]) \(y)"
    }

    public func instant(_ stored: String) -> String {
        guard let (day, time) = belgianParts(stored) else { return stored }
        return "\(date(day)) à \(time)"
    }

    /// French counts 0 and 1 in the singular: `0 an`, `1 an`, `2 ans`.
    public func years(_ count: Int) -> String { abs(count) < 2 ? "\(count) an" : "\(count) ans" }
}
