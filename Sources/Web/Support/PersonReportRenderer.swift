import Domain
import Foundation
import Ingest
import Storage

/// A person's own report as JSON (for systems) and as a readable HTML document in Dutch (for the
/// young person: print it or save it as PDF from the browser).
public enum PersonReportRenderer {
    public static func json(_ report: PersonReport, policy: Policy) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(Document(report, policy: policy)), as: UTF8.self)
    }

    struct Document: Encodable {
        struct Record: Encodable {
            let source: String
            let sourceName: String
            let recordID: String
            let kind: String
            let receivedAsVersion: Int64
            let recordedAt: String?
            let fields: [String: String]
            enum CodingKeys: String, CodingKey {
                case source, kind, fields
                case sourceName = "source_name"
                case recordID = "record_id"
                case receivedAsVersion = "sequence"
                case recordedAt = "recorded_at"
            }
        }

        struct Reason: Encodable {
            let rule: String
            let explanation: String
            let facts: [String]
        }

        struct DecisionView: Encodable {
            let outcome: String
            let explanation: String
            let decidedOn: String
            let policyVersion: String
            let reasons: [Reason]
            enum CodingKeys: String, CodingKey {
                case outcome, explanation, reasons
                case decidedOn = "decided_on"
                case policyVersion = "policy_version"
            }
        }

        struct CaseView: Encodable {
            let number: String
            let status: String
            let openedOn: String
            let closedOn: String?
            let consultant: String?
            let events: [[String: String]]
            enum CodingKeys: String, CodingKey {
                case number, status, consultant, events
                case openedOn = "opened_on"
                case closedOn = "closed_on"
            }
        }

        struct Consultation: Encodable {
            let at: String
            let role: String
            let purpose: String
            let action: String
            let outcome: String
        }

        let insz: String
        let name: String?
        let birthDate: String?
        let address: String?
        let generatedAt: String
        let records: [Record]
        let decision: DecisionView?
        let decisionHistory: [[String: String]]
        let cases: [CaseView]
        let consultations: [Consultation]

        enum CodingKeys: String, CodingKey {
            case insz, name, address, records, decision, cases, consultations
            case birthDate = "birth_date"
            case generatedAt = "generated_at"
            case decisionHistory = "decision_history"
        }

        init(_ report: PersonReport, policy: Policy) {
            insz = report.insz.formatted
            // Who, as the national register last described them.
            let register = PersonTimeline(insz: report.insz, versions: report.records).personRecord(on: LocalDate(ordinal: .max / 2))?.1
            name = register?.fullName
            birthDate = (register?.birthDate ?? report.insz.birthDate)?.iso
            address = register?.addressLine
            generatedAt = report.generatedAt
            records = report.records.map { fact in
                var fields = ExchangeFields.of(fact.record)
                fields.removeValue(forKey: "insz")
                return Record(source: fact.record.source.rawValue, sourceName: fact.record.source.displayName, recordID: fact.record.recordID,
                              kind: fact.record.kind.rawValue, receivedAsVersion: fact.reference.sequence, recordedAt: fact.record.recordedAt,
                              fields: fields)
            }
            decision = report.decision.map { d in
                DecisionView(outcome: d.outcome.code, explanation: Dutch().decisionOutcome(d.outcome), decidedOn: d.decidedOn.iso,
                             policyVersion: d.policyVersion, reasons: d.reasons.map { r in
                    Reason(rule: r.rule.rawValue, explanation: Dutch().reason(r, policy: policy),
                           facts: r.facts.map { "\($0.source.rawValue) \($0.recordID)" })
                })
            }
            decisionHistory = report.decisionHistory.map {
                ["decided_on": $0.decidedOn, "outcome": $0.outcome, "exclusion": $0.exclusion ?? "", "policy_version": $0.policyVersion]
            }
            cases = report.cases.map { c in
                CaseView(number: c.summary.number, status: c.summary.status.rawValue, openedOn: c.summary.openedOn.iso,
                         closedOn: c.summary.closedOn?.iso, consultant: c.summary.consultant, events: c.events.map { e in
                    var entry = ["at": e.at, "kind": e.kind]
                    for (key, value) in e.data { entry[key] = value }
                    if let note = e.note { entry["note"] = note }
                    return entry
                })
            }
            consultations = report.consultations.map {
                Consultation(at: $0.at, role: $0.role, purpose: $0.purpose, action: $0.action, outcome: $0.outcome)
            }
        }
    }

    /// The report as a letter the young person can read: plain words at B1 level, every field
    /// named, every code explained, dates as "1 december 2026", times in Belgian time. `names`
    /// gives staff members' display names.
    public static func html(_ report: PersonReport, policy: Policy, language: Language = .nl, names: [String: String] = [:]) -> String {
        let words = language.words
        let t = ReportTexts.table(language)
        let e = HTML.escape
        let register = PersonTimeline(insz: report.insz, versions: report.records).personRecord(on: LocalDate(ordinal: .max / 2))?.1
        let birth = register?.birthDate ?? report.insz.birthDate
        var out = """
            <!DOCTYPE html><html lang="\(ReportTexts.lang(language))"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>\(t["title"]!)</title>
            <style>body{font:16px/1.5 system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
            table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}th,td{border-bottom:1px solid #b1b4b6;padding:.3rem;text-align:left;vertical-align:top}
            h2{margin-top:2rem}.muted{color:#4f4f4f}td,p,li{overflow-wrap:anywhere}</style></head><body>
            <h1>\(t["title"]!)</h1>
            <p>\(t["intro"]!)</p>
            <p class="muted">\(t["made_on"]!) \(e(words.instant(report.generatedAt))).</p>
            <h2>\(t["about_you"]!)</h2>
            <table><tbody>
            <tr><th scope="row">\(t["name"]!)</th><td>\(e(register?.fullName ?? "–"))</td></tr>
            <tr><th scope="row">\(t["insz"]!)</th><td>\(e(report.insz.formatted))</td></tr>
            <tr><th scope="row">\(t["born"]!)</th><td>\(e(birth.map(words.date) ?? "–"))</td></tr>
            <tr><th scope="row">\(t["address"]!)</th><td>\(e(register.map(\.addressLine).flatMap { $0.isEmpty ? nil : $0 } ?? "–"))</td></tr>
            </tbody></table>
            <p>\(t["correct"]!)</p>
            <h2>\(t["decision_title"]!)</h2>
            """
        if let decision = report.decision {
            out += "<p>\(e(personal(decision.outcome, t, words)))"
            // A case opened on an earlier decision stays open until a consultant closes it.
            if decision.outcome != .eligible, report.cases.contains(where: \.summary.isOpen) { out += " " + t["case_still_open"]! }
            out += "</p><p>\(t["because"]!)</p><ul>"
            for reason in decision.reasons { out += "<li>\(e(words.reason(reason, policy: policy)))</li>" }
            out += "</ul><p class=\"muted\">\(t["decided_on"]!) \(e(words.date(decision.decidedOn))).</p>"
        } else {
            out += "<p>\(t["no_decision"]!)</p>"
        }
        out += "<h2>\(t["records_title"]!)</h2><p>\(t["records_intro"]!)</p>"
        out += "<table><thead><tr><th scope=\"col\">\(t["from"]!)</th><th scope=\"col\">\(t["what"]!)</th></tr></thead><tbody>"
        for fact in report.records {
            out += "<tr><td>\(e(words.source(fact.record.source)))</td><td>\(e(words.fact(fact.record)))</td></tr>"
        }
        out += "</tbody></table><h2>\(t["case_title"]!)</h2>"
        if report.cases.isEmpty { out += "<p>\(t["no_case"]!)</p>" }
        for c in report.cases {
            let consultant = c.summary.consultant.map { names[$0] ?? $0 }
            out += "<p>\(t["case"]!) \(e(c.summary.number))\(t["colon"]!) <strong>\(e(words.status(c.summary.status)))</strong>. "
                + "\(t["opened_on"]!) \(e(words.date(c.summary.openedOn)))"
                + (c.summary.closedOn.map { ", \(t["closed_on"]!) \(e(words.date($0)))" } ?? "") + "."
                + (consultant.map { " \(t["your_consultant"]!)\(t["colon"]!) \(e($0))." } ?? "") + "</p><ul>"
            for entry in c.events {
                let detail = words.eventDetail(entry.event) { names[$0] ?? $0 }
                out += "<li>\(e(words.instant(entry.at)))\(t["colon"]!) \(e(words.eventTitle(entry.event)))" + (detail.isEmpty ? "" : " — \(e(detail))")
                    + (entry.note.map { "<br>\(e($0))" } ?? "") + "</li>"
            }
            out += "</ul>"
        }
        out += "<h2>\(t["consulted_title"]!)</h2><p>\(t["consulted_intro"]!)</p>"
        out += "<table><thead><tr><th scope=\"col\">\(t["when"]!)</th><th scope=\"col\">\(t["who"]!)</th><th scope=\"col\">\(t["why"]!)</th><th scope=\"col\">\(t["what_done"]!)</th></tr></thead><tbody>"
        for c in report.consultations {
            let role = Role(rawValue: c.role).map(words.role) ?? c.role
            let purpose = Purpose(rawValue: c.purpose).map(words.purpose) ?? c.purpose
            out += "<tr><td>\(e(words.instant(c.at)))</td><td>\(e(role))</td><td>\(e(purpose))</td><td>\(e(words.auditAction(c.action)))"
                + (c.outcome == "allowed" ? "" : " (\(e(words.auditOutcome(c.outcome))))") + "</td></tr>"
        }
        return out + "</tbody></table><p>\(t["questions"]!)</p></body></html>"
    }

    /// What the decision means for the young person, in their words.
    static func personal(_ outcome: Decision.Outcome, _ t: [String: String], _ words: any Vocabulary) -> String {
        switch outcome {
        case .eligible: t["outcome_eligible"]!
        case .notALeaver: t["outcome_not_a_leaver"]!
        case .pending(let until): t["outcome_pending"]! + " " + words.date(until) + "."
        case .notInTargetGroup(let exclusion): t["outcome_not_in_target_group"]! + " (" + words.exclusion(exclusion) + ")."
        }
    }
}

/// The sentences of the person's own report, one table per language (the words of the domain
/// come from the `Vocabulary`).
enum ReportTexts {
    static func table(_ language: Language) -> [String: String] {
        switch language {
        case .nl: nl
        case .en: en
        case .fr: fr
        }
    }

    /// The report's `<html lang>`.
    static func lang(_ language: Language) -> String {
        switch language {
        case .nl: "nl-BE"
        case .en: "en"
        case .fr: "fr-BE"
        }
    }

    static let nl: [String: String] = [
        "title": "Uw gegevens in Vangnet",
        "intro": "VDAB helpt jongeren die de school verlaten zonder diploma. Daarvoor gebruikt VDAB het systeem Vangnet. In dit overzicht staan alle gegevens die Vangnet over u bewaart. U ziet ook waar die gegevens vandaan komen, wat Vangnet ermee besliste en wie ze heeft bekeken.",
        "made_on": "Dit overzicht werd gemaakt op", "about_you": "Over u", "name": "Naam", "insz": "Rijksregisternummer",
        "born": "Geboren op", "address": "Adres",
        "correct": "Klopt er iets niet? Vraag het aan uw jongerenconsulent of aan de functionaris voor gegevensbescherming van VDAB. U hebt het recht om foute gegevens te laten verbeteren.",
        "decision_title": "Wat Vangnet besliste", "because": "Waarom:", "decided_on": "Beslist op", "no_decision": "Vangnet heeft nog niets beslist.",
        "outcome_eligible": "U hebt de school verlaten zonder diploma of getuigschrift. Een jongerenconsulent van VDAB neemt contact met u op om u te helpen.",
        "outcome_not_a_leaver": "U bent geen jongere die de school verliet zonder diploma. VDAB hoeft niets te doen.",
        "outcome_pending": "Vangnet wacht nog even met een beslissing. Het kijkt opnieuw op",
        "outcome_not_in_target_group": "VDAB neemt geen contact met u op via Vangnet",
        "case_still_open": "Uw dossier blijft open tot uw jongerenconsulent het afsluit.",
        "records_title": "Gegevens die Vangnet ontving",
        "records_intro": "Deze gegevens kreeg Vangnet van de scholen, het rijksregister en andere diensten. Een oudere versie van een gegeven staat er ook bij.",
        "from": "Van", "what": "Wat er staat",
        "case_title": "Uw dossier", "no_case": "Er is geen dossier over u.", "case": "Dossier", "opened_on": "Geopend op",
        "closed_on": "afgesloten op", "your_consultant": "Uw jongerenconsulent",
        "consulted_title": "Wie uw gegevens bekeek",
        "consulted_intro": "Elke keer dat iemand uw gegevens bekijkt of wijzigt, schrijft Vangnet dat op. Zo ziet u wie het deed, wanneer en waarom.",
        "colon": ":", "when": "Wanneer", "who": "Wie", "why": "Waarom", "what_done": "Wat",
        "questions": "Hebt u vragen? Neem contact op met VDAB: bel gratis 0800 30 700 of kijk op vdab.be.",
    ]

    static let en: [String: String] = [
        "title": "Your data in Vangnet",
        "intro": "VDAB helps young people who leave school without a diploma. To do so, VDAB uses a system called Vangnet. This overview shows all the data Vangnet keeps about you. You also see where the data came from, what Vangnet decided with it and who looked at it.",
        "made_on": "This overview was made on", "about_you": "About you", "name": "Name", "insz": "National number",
        "born": "Born on", "address": "Address",
        "correct": "Is something wrong? Ask your youth consultant or VDAB's data protection officer. You have the right to have wrong data corrected.",
        "decision_title": "What Vangnet decided", "because": "Why:", "decided_on": "Decided on", "no_decision": "Vangnet has not decided anything yet.",
        "outcome_eligible": "You left school without a diploma or certificate. A youth consultant of VDAB will contact you to help you.",
        "outcome_not_a_leaver": "You are not a young person who left school without a diploma. VDAB does not need to do anything.",
        "outcome_pending": "Vangnet waits a little before it decides. It looks again on",
        "outcome_not_in_target_group": "VDAB does not contact you through Vangnet",
        "case_still_open": "Your case stays open until your youth consultant closes it.",
        "records_title": "Data Vangnet received",
        "records_intro": "Vangnet received this data from the schools, the national register and other services. Older versions of a record are shown too.",
        "from": "From", "what": "What it says",
        "case_title": "Your case", "no_case": "There is no case about you.", "case": "Case", "opened_on": "Opened on",
        "closed_on": "closed on", "your_consultant": "Your youth consultant",
        "consulted_title": "Who looked at your data",
        "consulted_intro": "Every time someone looks at or changes your data, Vangnet writes it down. So you see who did it, when and why.",
        "colon": ":", "when": "When", "who": "Who", "why": "Why", "what_done": "What",
        "questions": "Any questions? Contact VDAB: call 0800 30 700 free of charge or see vdab.be.",
    ]

    static let fr: [String: String] = [
        "title": "Vos données dans Vangnet",
        "intro": "Le VDAB aide les jeunes qui quittent l’école sans diplôme. Pour cela, le VDAB utilise le système Vangnet. Dans ce document, vous trouvez toutes les données que Vangnet garde sur vous. Vous voyez aussi d’où viennent ces données, ce que Vangnet a décidé avec elles et qui les a consultées.",
        "made_on": "Ce document a été fait le", "about_you": "À propos de vous", "name": "Nom", "insz": "Numéro de registre national",
        "born": "Date de naissance", "address": "Adresse",
        "correct": "Quelque chose n’est pas correct ? Demandez à votre conseiller jeunes ou au délégué à la protection des données du VDAB. Vous avez le droit de faire corriger des données fausses.",
        "decision_title": "Ce que Vangnet a décidé", "because": "Pourquoi :", "decided_on": "Décision prise le", "no_decision": "Vangnet n’a encore rien décidé.",
        "outcome_eligible": "Vous avez quitté l’école sans diplôme ni certificat. Un conseiller jeunes du VDAB va prendre contact avec vous pour vous aider.",
        "outcome_not_a_leaver": "Selon Vangnet, vous n’avez pas quitté l’école sans diplôme. Le VDAB ne doit rien faire.",
        "outcome_pending": "Vangnet attend encore un peu avant de décider. Il regardera à nouveau votre situation le",
        "outcome_not_in_target_group": "Le VDAB ne prend pas contact avec vous via Vangnet",
        "case_still_open": "Votre dossier reste ouvert jusqu’à ce que votre conseiller jeunes le clôture.",
        "records_title": "Les données que Vangnet a reçues",
        "records_intro": "Vangnet a reçu ces données des écoles, du registre national et d’autres services. Quand une donnée a changé, l’ancienne version est aussi dans la liste.",
        "from": "Source", "what": "Ce qui est écrit",
        "case_title": "Votre dossier", "no_case": "Il n’y a pas de dossier à votre nom.", "case": "Dossier", "opened_on": "Ouvert le",
        "closed_on": "clôturé le", "your_consultant": "Votre conseiller jeunes",
        "consulted_title": "Qui a consulté vos données",
        "consulted_intro": "Chaque fois que quelqu’un regarde ou modifie vos données, Vangnet le note. Ainsi, vous voyez qui l’a fait, quand et pourquoi.",
        "colon": "\u{202F}:", "when": "Quand", "who": "Qui", "why": "Pourquoi", "what_done": "Quoi",
        "questions": "Vous avez des questions ? Contactez le VDAB : appelez gratuitement le 0800 30 700 ou allez sur vdab.be.",
    ]
}

/// The exchange-format fields of a record (as a source would send them).
enum ExchangeFields {
    static func of(_ record: SourceRecord) -> [String: String] { ExchangeWriter.fields(record) }
}
