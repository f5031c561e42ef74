import Domain
import Storage

/// Every text of the user interface, in Dutch (nl-BE, B1 level) and English. Pages get the table
/// of the reader's language as `t`.
enum Texts {
    static func table(_ language: Language) -> [String: String] {
        language == .en ? en : nl
    }

    static let nl: [String: String] = [
        "lang": "nl-BE", "other_lang": "en", "other_lang_name": "English",
        "skip": "Naar de inhoud", "product": "Vangnet", "logout": "Afmelden", "logged_in_as": "Aangemeld als",
        "nav_cases": "Mijn dossiers", "nav_team": "Team", "nav_steward": "Bronnen en quarantaine", "nav_reports": "Cijfers",
        "login_title": "Aanmelden", "username": "Gebruikersnaam", "password": "Wachtwoord", "login_button": "Aanmelden",
        "login_failed": "De gebruikersnaam of het wachtwoord klopt niet.",
        "login_locked": "Te veel mislukte pogingen. Probeer het later opnieuw.",
        "error_summary": "Er is een probleem",
        "cases_title": "Mijn dossiers", "cases_team_title": "Dossiers van de provincie",
        "overdue_title": "Te laat", "overdue_none": "Geen dossiers te laat.", "newest_title": "Open dossiers, nieuwste eerst",
        "filter": "Filteren", "filter_status": "Status", "filter_province": "Provincie", "filter_source": "Bron",
        "filter_track": "Onderwijsvorm", "filter_overdue": "Enkel te laat", "search": "Zoeken op dossiernummer of rijksregisternummer",
        "apply": "Toepassen", "search_button": "Zoeken", "search_not_found": "Geen dossier gevonden met dat nummer.",
        "nav_audit": "Audit", "audit_title": "Wie raadpleegde wat", "audit_person": "Wie raadpleegde deze persoon",
        "audit_actor": "Wat raadpleegde deze gebruiker", "from": "Van (JJJJ-MM-DD)", "to": "Tot en met (JJJJ-MM-DD)",
        "show": "Tonen", "report_button": "Overzicht voor de persoon (HTML)", "when": "Wanneer", "role": "Rol", "purpose": "Doel",
        "what": "Wat", "object": "Object", "no_entries": "Geen raadplegingen gevonden.", "chain": "Keten",
        "audit_latest": "Laatste registraties", "subject": "Persoon (sleutel)", "invalid_insz": "Dat is geen geldig rijksregisternummer.",
        "person_unknown": "Vangnet bewaart geen gegevens over deze persoon.", "verify_button": "Keten nu controleren",
        "chain_help": "Controleert elke registratie sinds het begin (of sinds het laatste bewaarde anker) tegen haar voorganger.",
        "chain_intact": "De auditketen is intact", "chain_broken": "De auditketen is gebroken bij", "clear": "Wissen", "any": "Alle", "next_page": "Volgende pagina", "first_page": "Eerste pagina",
        "col_case": "Dossier", "col_name": "Naam", "col_age": "Leeftijd", "col_place": "Woonplaats", "col_school": "School",
        "col_status": "Status", "col_due": "Volgende actie tegen", "col_consultant": "Consulent", "no_cases": "Geen dossiers gevonden.",
        "years": "jaar", "overdue_badge": "Te laat", "unassigned": "Niet toegewezen",
        "case_title": "Dossier", "who": "Wie", "why": "Waarom in Vangnet", "timeline": "Tijdlijn", "contacts": "Contacten en notities", "history": "Geschiedenis van het dossier",
        "name": "Naam", "insz": "Rijksregisternummer", "birth": "Geboren", "age": "Leeftijd", "address": "Adres",
        "school": "Laatste school", "track": "Onderwijsvorm", "consultant": "Consulent", "province": "Provincie",
        "opened": "Geopend", "status": "Status", "action": "Actie", "next_action": "Volgende actie", "due": "Tegen",
        "decision": "Beslissing", "decided_on": "beslist op", "policy": "beleid", "source_fact": "Bron",
        "suggestion_title": "Nieuwe gegevens", "suggestion_text": "Er zijn nieuwe gegevens over deze jongere. Misschien kan het dossier afgesloten worden als:",
        "log_contact": "Contact registreren", "channel": "Kanaal", "outcome": "Resultaat", "note": "Notitie", "save": "Opslaan",
        "add_note": "Notitie toevoegen", "change_status": "Status wijzigen", "new_status": "Nieuwe status",
        "plan": "Volgende actie plannen", "due_date": "Datum (JJJJ-MM-DD)", "no_events": "Nog niets geregistreerd.",
        "event_opened": "Dossier geopend", "event_assigned": "Toegewezen aan", "event_status": "Status gewijzigd", "event_contact": "Contact",
        "event_note": "Notitie", "event_fact": "Nieuw gegeven", "event_suggestion": "Suggestie", "event_reopened": "Heropend",
        "event_next_action": "Volgende actie", "by": "door",
        "saved": "Opgeslagen.", "status_changed": "De status is gewijzigd.", "contact_logged": "Het contact is geregistreerd.",
        "note_added": "De notitie is toegevoegd.", "plan_saved": "De volgende actie is gepland.",
        "removal": "Bewaring", "removal_text": "Deze gegevens worden verwijderd",
        "team_title": "Team", "team_loads": "Dossiers per consulent", "open": "Open", "overdue": "Te laat",
        "unassigned_title": "Niet toegewezen dossiers", "reassign": "Toewijzen aan", "reassign_button": "Geselecteerde dossiers toewijzen",
        "select": "Kies", "reassigned": "dossier(s) toegewezen.",
        "steward_title": "Bronnen en quarantaine", "sources": "Bronnen", "last_delivery": "Laatste levering", "deliveries": "Leveringen",
        "records": "Records", "accepted": "Aanvaard", "quarantined": "In quarantaine", "open_quarantine": "Open in quarantaine",
        "lag": "Uren geleden", "never": "nooit", "quarantine": "Quarantaine", "reason": "Reden", "field": "Veld",
        "location": "Plaats", "delivery": "Levering", "received": "Ontvangen", "message": "Melding", "original": "Origineel",
        "reprocess": "Opnieuw verwerken na correctie", "corrected": "Gecorrigeerde record (CSV met kopregel, of JSON)",
        "reprocess_button": "Opnieuw verwerken", "dismiss_button": "Afsluiten zonder verwerking", "reprocessed": "De record is verwerkt.",
        "dismissed": "De melding is afgesloten.", "still_rejected": "De gecorrigeerde record wordt nog geweigerd",
        "no_quarantine": "Geen records in quarantaine.", "all_reasons": "Alle redenen", "all_sources": "Alle bronnen",
        "reports_title": "Cijfers", "funnel": "Van schoolverlaters tot open dossiers", "total": "Totaal",
        "leavers": "Schoolverlaters", "unqualified": "zonder kwalificatie", "pending": "nog af te wachten",
        "not_in_target_group": "niet in de doelgroep", "eligible": "te bereiken", "open_cases": "Open dossiers",
        "error_title": "Er ging iets mis", "error_404": "Deze pagina bestaat niet, of u hebt er geen toegang toe.",
        "error_403": "U hebt geen toegang tot deze pagina.", "error_400": "Het verzoek is niet correct.",
        "error_409": "Dit kan niet in de huidige toestand van het dossier.", "error_413": "Het verzoek is te groot.", "error_429": "Te veel verzoeken. Wacht even en probeer opnieuw.",
        "error_500": "Er ging iets mis aan onze kant. Probeer het later opnieuw.", "error_reference": "Referentie voor de helpdesk",
        "back_home": "Terug naar het begin", "csrf_failed": "Uw formulier is verlopen. Probeer het opnieuw.",
        "invalid_date": "Geef een datum in als JJJJ-MM-DD.", "required": "Dit veld is verplicht.",
        "not_allowed": "Deze statuswijziging is niet toegestaan.",
        "second_open_case": "Deze jongere heeft al een ander open dossier. Werk verder in dat dossier.",
        "too_long": "De tekst is te lang: maximaal 4.000 tekens.",
    ]

    static let en: [String: String] = [
        "lang": "en", "other_lang": "nl", "other_lang_name": "Nederlands",
        "skip": "Skip to content", "product": "Vangnet", "logout": "Log out", "logged_in_as": "Logged in as",
        "nav_cases": "My cases", "nav_team": "Team", "nav_steward": "Sources and quarantine", "nav_reports": "Figures",
        "login_title": "Log in", "username": "Username", "password": "Password", "login_button": "Log in",
        "login_failed": "The username or password is not correct.",
        "login_locked": "Too many failed attempts. Try again later.",
        "error_summary": "There is a problem",
        "cases_title": "My cases", "cases_team_title": "Cases of the province",
        "overdue_title": "Overdue", "overdue_none": "No overdue cases.", "newest_title": "Open cases, newest first",
        "filter": "Filter", "filter_status": "Status", "filter_province": "Province", "filter_source": "Source",
        "filter_track": "Track", "filter_overdue": "Overdue only", "search": "Search by case number or national number",
        "apply": "Apply", "search_button": "Search", "search_not_found": "No case found with that number.",
        "nav_audit": "Audit", "audit_title": "Who consulted what", "audit_person": "Who consulted this person",
        "audit_actor": "What did this user consult", "from": "From (YYYY-MM-DD)", "to": "Until (YYYY-MM-DD)",
        "show": "Show", "report_button": "Report for the person (HTML)", "when": "When", "role": "Role", "purpose": "Purpose",
        "what": "What", "object": "Object", "no_entries": "No consultations found.", "chain": "Chain",
        "audit_latest": "Latest entries", "subject": "Person (key)", "invalid_insz": "That is not a valid national number.",
        "person_unknown": "Vangnet holds no data about this person.", "verify_button": "Check the chain now",
        "chain_help": "Checks every entry since the start (or since the last retained anchor) against the one before it.",
        "chain_intact": "The audit chain is intact", "chain_broken": "The audit chain is broken at", "clear": "Clear", "any": "Any", "next_page": "Next page", "first_page": "First page",
        "col_case": "Case", "col_name": "Name", "col_age": "Age", "col_place": "Lives in", "col_school": "School",
        "col_status": "Status", "col_due": "Next action due", "col_consultant": "Consultant", "no_cases": "No cases found.",
        "years": "years", "overdue_badge": "Overdue", "unassigned": "Unassigned",
        "case_title": "Case", "who": "Who", "why": "Why in Vangnet", "timeline": "Timeline", "contacts": "Contacts and notes", "history": "History of the case",
        "name": "Name", "insz": "National number", "birth": "Born", "age": "Age", "address": "Address",
        "school": "Last school", "track": "Track", "consultant": "Consultant", "province": "Province",
        "opened": "Opened", "status": "Status", "action": "Action", "next_action": "Next action", "due": "Due",
        "decision": "Decision", "decided_on": "decided on", "policy": "policy", "source_fact": "Source",
        "suggestion_title": "New information", "suggestion_text": "New information arrived about this young person. The case could perhaps be closed as:",
        "log_contact": "Log a contact", "channel": "Channel", "outcome": "Outcome", "note": "Note", "save": "Save",
        "add_note": "Add a note", "change_status": "Change the status", "new_status": "New status",
        "plan": "Plan the next action", "due_date": "Date (YYYY-MM-DD)", "no_events": "Nothing recorded yet.",
        "event_opened": "Case opened", "event_assigned": "Assigned to", "event_status": "Status changed", "event_contact": "Contact",
        "event_note": "Note", "event_fact": "New information", "event_suggestion": "Suggestion", "event_reopened": "Reopened",
        "event_next_action": "Next action", "by": "by",
        "saved": "Saved.", "status_changed": "The status was changed.", "contact_logged": "The contact was logged.",
        "note_added": "The note was added.", "plan_saved": "The next action was planned.",
        "removal": "Retention", "removal_text": "This data will be removed",
        "team_title": "Team", "team_loads": "Cases per consultant", "open": "Open", "overdue": "Overdue",
        "unassigned_title": "Unassigned cases", "reassign": "Assign to", "reassign_button": "Assign the selected cases",
        "select": "Select", "reassigned": "case(s) assigned.",
        "steward_title": "Sources and quarantine", "sources": "Sources", "last_delivery": "Last delivery", "deliveries": "Deliveries",
        "records": "Records", "accepted": "Accepted", "quarantined": "Quarantined", "open_quarantine": "Open in quarantine",
        "lag": "Hours ago", "never": "never", "quarantine": "Quarantine", "reason": "Reason", "field": "Field",
        "location": "Where", "delivery": "Delivery", "received": "Received", "message": "Message", "original": "Original",
        "reprocess": "Process again after correction", "corrected": "Corrected record (CSV with a header line, or JSON)",
        "reprocess_button": "Process again", "dismiss_button": "Close without processing", "reprocessed": "The record was processed.",
        "dismissed": "The entry was closed.", "still_rejected": "The corrected record is still rejected",
        "no_quarantine": "No records in quarantine.", "all_reasons": "All reasons", "all_sources": "All sources",
        "reports_title": "Figures", "funnel": "From school leavers to open cases", "total": "Total",
        "leavers": "School leavers", "unqualified": "without a qualification", "pending": "pending",
        "not_in_target_group": "not in the target group", "eligible": "to be reached", "open_cases": "Open cases",
        "error_title": "Something went wrong", "error_404": "This page does not exist, or you have no access to it.",
        "error_403": "You have no access to this page.", "error_400": "The request is not correct.",
        "error_409": "This is not possible in the current state of the case.", "error_413": "The request is too large.", "error_429": "Too many requests. Wait a moment and try again.",
        "error_500": "Something went wrong on our side. Try again later.", "error_reference": "Reference for the help desk",
        "back_home": "Back to the start", "csrf_failed": "Your form has expired. Please try again.",
        "invalid_date": "Enter a date as YYYY-MM-DD.", "required": "This field is required.",
        "not_allowed": "This status change is not allowed.",
        "second_open_case": "This young person already has another open case. Continue in that case.",
        "too_long": "The text is too long: at most 4,000 characters.",
    ]

    static func status(_ status: CaseStatus, _ language: Language) -> String {
        switch (status, language) {
        case (.new, .nl): "Nieuw"
        case (.new, .en): "New"
        case (.invited, .nl): "Uitgenodigd"
        case (.invited, .en): "Invited"
        case (.registered, .nl): "Ingeschreven bij VDAB"
        case (.registered, .en): "Registered with VDAB"
        case (.contacted, .nl): "Contact gehad"
        case (.contacted, .en): "Contacted"
        case (.inGuidance, .nl): "In begeleiding"
        case (.inGuidance, .en): "In guidance"
        case (.referred, .nl): "Doorverwezen naar partner"
        case (.referred, .en): "Referred to a partner"
        case (.reopened, .nl): "Heropend"
        case (.reopened, .en): "Reopened"
        case (.inWork, .nl): "Aan het werk"
        case (.inWork, .en): "In work"
        case (.inEducation, .nl): "In onderwijs of opleiding"
        case (.inEducation, .en): "In education or training"
        case (.declined, .nl): "Wil geen begeleiding"
        case (.declined, .en): "Declined"
        case (.unreachable, .nl): "Niet te bereiken"
        case (.unreachable, .en): "Cannot be contacted"
        case (.unknown, .nl): "Situatie onbekend"
        case (.unknown, .en): "Situation unknown"
        case (.notInTargetGroup, .nl): "Niet in de doelgroep"
        case (.notInTargetGroup, .en): "Not in the target group"
        case (.movedAbroad, .nl): "Naar het buitenland"
        case (.movedAbroad, .en): "Moved abroad"
        case (.deceased, .nl): "Overleden"
        case (.deceased, .en): "Deceased"
        }
    }

    static func channel(_ channel: ContactChannel, _ language: Language) -> String {
        let nl: [ContactChannel: String] = [.letter: "Brief", .phone: "Telefoon", .email: "E-mail", .homeVisit: "Huisbezoek",
                                            .viaPartner: "Via partner", .sms: "Sms", .office: "Op kantoor"]
        let en: [ContactChannel: String] = [.letter: "Letter", .phone: "Phone", .email: "E-mail", .homeVisit: "Home visit",
                                            .viaPartner: "Via a partner", .sms: "Text message", .office: "At the office"]
        return (language == .nl ? nl : en)[channel]!
    }

    static func outcome(_ outcome: ContactOutcome, _ language: Language) -> String {
        let nl: [ContactOutcome: String] = [.reached: "Bereikt", .noAnswer: "Geen antwoord", .wrongNumber: "Verkeerde gegevens",
                                            .messageLeft: "Bericht achtergelaten", .appointment: "Afspraak gemaakt", .declined: "Weigert"]
        let en: [ContactOutcome: String] = [.reached: "Reached", .noAnswer: "No answer", .wrongNumber: "Wrong details",
                                            .messageLeft: "Message left", .appointment: "Appointment made", .declined: "Declined"]
        return (language == .nl ? nl : en)[outcome]!
    }

    static func suggestion(_ suggestion: Suggestion, _ language: Language) -> String {
        let nl: [Suggestion: String] = [.startedWork: "Is beginnen werken", .reEnrolled: "Is opnieuw ingeschreven in een school",
                                        .qualified: "Heeft een kwalificatie behaald", .emigrated: "Is naar het buitenland verhuisd",
                                        .deceased: "Is overleden", .registeredAtVDAB: "Is ingeschreven als werkzoekende",
                                        .outOfTargetGroup: "Valt niet meer in de doelgroep"]
        let en: [Suggestion: String] = [.startedWork: "Started work", .reEnrolled: "Enrolled in a school again",
                                        .qualified: "Obtained a qualification", .emigrated: "Moved abroad", .deceased: "Deceased",
                                        .registeredAtVDAB: "Registered as a job seeker", .outOfTargetGroup: "No longer in the target group"]
        return (language == .nl ? nl : en)[suggestion]!
    }

    static func track(_ track: Enrolment.Track?) -> String {
        guard let track else { return "–" }
        switch track {
        case .a: return "1e graad A"
        case .b: return "1e graad B"
        case .apprenticeship: return "Leertijd"
        default: return track.rawValue.uppercased()
        }
    }
}
