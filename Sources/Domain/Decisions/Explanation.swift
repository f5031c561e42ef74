/// Languages of the user interface: Dutch (Belgium) first, English available.
public enum Language: String, CaseIterable, Codable, Sendable {
    case nl, en
}

/// Plain-language sentences for decisions and their rules (B1 level in Dutch), for the case page,
/// `vangnet case show` and letters. The wording lives here, next to the rules it explains.
public enum Explanation {
    public static func outcome(_ outcome: Decision.Outcome, _ language: Language) -> String {
        switch (outcome, language) {
        case (.notALeaver, .nl): "Geen vroegtijdige schoolverlater"
        case (.notALeaver, .en): "Not an early school leaver"
        case (.pending(let until), .nl): "Nog geen beslissing: opnieuw bekeken op \(dutch(until))"
        case (.pending(let until), .en): "Pending: decided again on \(until.iso)"
        case (.notInTargetGroup(let e), .nl): "Niet in de doelgroep: \(exclusion(e, .nl))"
        case (.notInTargetGroup(let e), .en): "Not in the target group: \(exclusion(e, .en))"
        case (.eligible, .nl): "Vroegtijdige schoolverlater: contact opnemen"
        case (.eligible, .en): "Unqualified school leaver: to be contacted"
        }
    }

    public static func exclusion(_ exclusion: Decision.Exclusion, _ language: Language) -> String {
        switch (exclusion, language) {
        case (.deceased, .nl): "overleden"
        case (.deceased, .en): "deceased"
        case (.abroad, .nl): "woont in het buitenland"
        case (.abroad, .en): "lives abroad"
        case (.outsideFlanders, .nl): "woont buiten Vlaanderen en Brussel"
        case (.outsideFlanders, .en): "lives outside Flanders and Brussels"
        case (.tooOld, .nl): "te oud voor de doelgroep"
        case (.tooOld, .en): "above the age limit"
        case (.birthDateUnknown, .nl): "geboortedatum onbekend (na te kijken)"
        case (.birthDateUnknown, .en): "birth date unknown (to be reviewed)"
        case (.knownToVDAB, .nl): "al gekend bij VDAB"
        case (.knownToVDAB, .en): "already known to VDAB"
        case (.atWork, .nl): "aan het werk"
        case (.atWork, .en): "at work"
        }
    }

    /// One sentence per reason.
    public static func reason(_ reason: Reason, policy: Policy, _ language: Language) -> String {
        let date = reason.date.map { language == .nl ? dutch($0) : $0.iso } ?? ""
        switch (reason.rule, language) {
        case (.noQualifyingEnrolment, .nl): return "Nooit ingeschreven in kwalificerend secundair onderwijs."
        case (.noQualifyingEnrolment, .en): return "Never enrolled in qualifying secondary education."
        case (.stillEnrolled, .nl): return "Is nog ingeschreven in een school of opleiding."
        case (.stillEnrolled, .en): return "Is still enrolled in a school or training."
        case (.leftSchool, .nl): return "Laatste inschrijving eindigde op \(date)."
        case (.leftSchool, .en): return "Last enrolment ended on \(date)."
        case (.gracePeriod, .nl): return "Een nieuwe inschrijving kan nog volgen; beslissing vanaf \(date)."
        case (.gracePeriod, .en): return "A new enrolment may still follow; decided from \(date)."
        case (.qualified, .nl): return "Heeft een kwalificatie (diploma of gelijkwaardig getuigschrift)."
        case (.qualified, .en): return "Holds a qualification (diploma or equivalent certificate)."
        case (.unqualified, .nl): return "Heeft geen geldige kwalificatie."
        case (.unqualified, .en): return "Holds no valid qualification."
        case (.cancelledQualification, .nl): return "Een eerder geregistreerd getuigschrift werd geannuleerd."
        case (.cancelledQualification, .en): return "A previously registered certificate was cancelled."
        case (.deceased, .nl): return "Overleden volgens het rijksregister."
        case (.deceased, .en): return "Deceased according to the national register."
        case (.abroad, .nl): return "Woont in het buitenland volgens het rijksregister."
        case (.abroad, .en): return "Lives abroad according to the national register."
        case (.outsideFlanders, .nl): return "Hoofdverblijfplaats buiten Vlaanderen en Brussel."
        case (.outsideFlanders, .en): return "Main address outside Flanders and Brussels."
        case (.tooOld, .nl): return "Werd \(policy.maximumAge) jaar op \(date)."
        case (.tooOld, .en): return "Turned \(policy.maximumAge) on \(date)."
        case (.birthDateUnknown, .nl): return "Geboortedatum onbekend: leeftijd en leerplicht niet te bepalen."
        case (.birthDateUnknown, .en): return "Birth date unknown: age and compulsory education cannot be determined."
        case (.knownToVDAB, .nl): return "Is ingeschreven als werkzoekende bij VDAB."
        case (.knownToVDAB, .en): return "Is registered as a job seeker with VDAB."
        case (.atWork, .nl): return "Is aan het werk (DIMONA)."
        case (.atWork, .en): return "Is at work (DIMONA)."
        case (.compulsoryEducation, .nl): return "Nog leerplichtig tot \(date)."
        case (.compulsoryEducation, .en): return "In compulsory education until \(date)."
        case (.eligible, .nl):
            return policy.action == .invite ? "Krijgt een uitnodiging van een jongerenconsulent."
                : "Wordt automatisch ingeschreven als werkzoekende."
        case (.eligible, .en):
            return policy.action == .invite ? "Gets an invitation from a youth consultant."
                : "Is registered as a job seeker automatically."
        }
    }

    public static let dutchMonths = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
                                     "september", "oktober", "november", "december"]

    /// `1 oktober 2026`.
    public static func dutch(_ date: LocalDate) -> String {
        let (y, m, d) = date.components
        return "\(d) \(dutchMonths[m - 1]) \(y)"
    }
}
