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
                DecisionView(outcome: d.outcome.code, explanation: Explanation.outcome(d.outcome, .nl), decidedOn: d.decidedOn.iso,
                             policyVersion: d.policyVersion, reasons: d.reasons.map { r in
                    Reason(rule: r.rule.rawValue, explanation: Explanation.reason(r, policy: policy, .nl),
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

    public static func html(_ report: PersonReport, policy: Policy) -> String {
        let document = Document(report, policy: policy)
        func e(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        var out = """
            <!DOCTYPE html><html lang="nl-BE"><head><meta charset="utf-8"><title>Uw gegevens in Vangnet</title>
            <style>body{font:16px/1.5 system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
            table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}th,td{border-bottom:1px solid #b1b4b6;padding:.3rem;text-align:left;vertical-align:top}
            h2{margin-top:2rem}.muted{color:#4f4f4f}</style></head><body>
            <h1>Uw gegevens in Vangnet</h1>
            <p>Dit overzicht toont alle gegevens die VDAB in Vangnet over u bewaart, waar ze vandaan komen, wat Vangnet daarmee besliste,
            en wie ze wanneer heeft ingekeken. Rijksregisternummer: <strong>\(e(document.insz))</strong>.
            <span class="muted">Opgemaakt op \(e(document.generatedAt)).</span></p>
            <table><tbody><tr><th scope="row">Naam</th><td>\(e(document.name ?? "–"))</td></tr>
            <tr><th scope="row">Geboren</th><td>\(e(document.birthDate ?? "–"))</td></tr>
            <tr><th scope="row">Adres</th><td>\(e(document.address ?? "–"))</td></tr></tbody></table>
            <p>Klopt er iets niet? Neem contact op met uw jongerenconsulent of met de functionaris voor gegevensbescherming van VDAB.</p>
            <h2>Wat Vangnet besliste</h2>
            """
        if let decision = document.decision {
            out += "<p><strong>\(e(decision.explanation))</strong> <span class=\"muted\">(op \(e(decision.decidedOn)))</span></p><ol>"
            for reason in decision.reasons {
                out += "<li>\(e(reason.explanation))" + (reason.facts.isEmpty ? "" : " <span class=\"muted\">Bron: \(e(reason.facts.joined(separator: ", ")))</span>") + "</li>"
            }
            out += "</ol>"
        } else {
            out += "<p>Geen beslissing.</p>"
        }
        out += "<h2>Gegevens die we ontvingen</h2><table><thead><tr><th>Bron</th><th>Soort</th><th>Gegevens</th></tr></thead><tbody>"
        for record in document.records {
            let fields = record.fields.keys.sorted().filter { $0 != "record_id" && $0 != "source" }.map { "\($0): \(record.fields[$0]!)" }
            out += "<tr><td>\(e(record.sourceName))<br><span class=\"muted\">\(e(record.recordID))</span></td><td>\(e(record.kind))</td><td>\(e(fields.joined(separator: "; ")))</td></tr>"
        }
        out += "</tbody></table><h2>Uw dossier</h2>"
        if document.cases.isEmpty { out += "<p>Geen dossier.</p>" }
        for c in document.cases {
            out += "<p>Dossier \(e(c.number)): \(e(c.status)), geopend op \(e(c.openedOn))" + (c.closedOn.map { ", afgesloten op \(e($0))" } ?? "") + ".</p><ul>"
            for event in c.events {
                out += "<li>\(e(event["at"] ?? "")) — \(e(event["kind"] ?? ""))" + (event["note"].map { ": \(e($0))" } ?? "") + "</li>"
            }
            out += "</ul>"
        }
        out += "<h2>Wie uw gegevens inkeek</h2><table><thead><tr><th>Wanneer</th><th>Rol</th><th>Waarom</th><th>Wat</th></tr></thead><tbody>"
        for c in document.consultations {
            out += "<tr><td>\(e(c.at))</td><td>\(e(c.role))</td><td>\(e(c.purpose))</td><td>\(e(c.action))</td></tr>"
        }
        return out + "</tbody></table></body></html>"
    }
}

/// The exchange-format fields of a record (as a source would send them).
enum ExchangeFields {
    static func of(_ record: SourceRecord) -> [String: String] { ExchangeWriter.fields(record) }
}
