import Domain
import Foundation
import Storage
import Vapor

/// The auditor (the data protection officer): who consulted a person, what a user consulted, in a
/// period; the state of the hash chain; the person's own report. A person is looked up by INSZ in
/// a POSTed form, never in a URL, and the lookup itself is audited.
struct AuditPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("audit", use: byActor)
        routes.post("audit", "person", use: byPerson)
        routes.post("audit", "person", "report", use: report)
        routes.post("audit", "verify", use: verify)
    }

    struct EntryView: Encodable {
        let at: String
        let actor: String
        let role: String
        let purpose: String
        let action: String
        let outcome: String
        let denied: Bool
        let object: String
        let subject: String
    }

    struct AuditPage: Encodable {
        let t: TextTable
        let user: UserView?
        let csrf: String
        let actor: String
        let from: String
        let to: String
        let heading: String?
        let entries: [EntryView]
        let next: String?
        let chain: String?
        let chainBroken: Bool
        let error: String?
        let canExport: Bool
    }

    struct Period {
        var from: LocalDate?
        var to: LocalDate?
        var fromText: String
        var toText: String
    }

    /// A period from dates as people type them (`01/12/2026` or ISO); a wrong date is the user's
    /// mistake, answered with a 400 that says what is wrong, in the reader's language.
    func period(_ from: String?, _ to: String?, _ t: TextTable, _ words: any Vocabulary) throws -> Period {
        func read(_ text: String?, _ label: String) throws -> (LocalDate?, String) {
            let typed = (text ?? "").trimmingCharacters(in: .whitespaces)
            switch TypedDate(typed) {
            case .empty: return (nil, "")
            case .date(let date): return (date, typed)
            case .notADate: throw WebError.badRequest("\(label): \(t["invalid_date"]!)")
            case .noSuchDay(let day, let month, let year):
                throw WebError.badRequest("\(label): \(words.nonexistentDay(day: day, month: month, year: year)) \(t["does_not_exist"]!)")
            }
        }
        let (start, fromText) = try read(from, t["from"]!)
        let (end, toText) = try read(to, t["to"]!)
        return Period(from: start, to: end, fromText: fromText, toText: toText)
    }

    /// The entries in the reader's words: roles, purposes, actions and outcomes named, people by
    /// name, cases by number, times in Belgian time; the person only as the start of their key.
    func views(_ entries: [AuditRecord], _ words: any Vocabulary, names: [String: String]) -> [EntryView] {
        entries.map { e in
            let role = Role(rawValue: e.role).map(words.role) ?? (e.role == "-" ? "–" : e.role)
            let purpose = Purpose(rawValue: e.purpose).map(words.purpose) ?? e.purpose
            return EntryView(at: words.instant(e.at), actor: names[e.actor] ?? e.actor, role: role, purpose: purpose,
                             action: words.auditAction(e.action), outcome: words.auditOutcome(e.outcome), denied: e.outcome != "allowed",
                             object: object(e.entry, words), subject: e.subject.map { String($0.prefix(12)) } ?? "")
        }
    }

    func object(_ e: AuditEntry, _ words: any Vocabulary) -> String {
        let nl = words.language == .nl
        switch e.objectType {
        case "case": return e.objectID.flatMap { Int64($0) }.map { (nl ? "Dossier " : "Case ") + CaseNumber.format($0) } ?? ""
        case "quarantine": return (nl ? "Quarantaine nr. " : "Quarantine no. ") + (e.objectID ?? "")
        case "person": return nl ? "Persoon" : "Person"
        case "route": return (nl ? "Pagina " : "Page ") + (e.objectID?.split(separator: " ").last.map(String.init) ?? "")
        default: return e.objectType.map { "\($0) \(e.objectID ?? "")" } ?? ""
        }
    }

    func render(_ request: Request, _ principal: Principal, period: Period, actor: String, heading: String?, entries: [AuditRecord],
                chain: AuditVerification? = nil, error: String? = nil, next: String? = nil) async throws -> View {
        let t = Texts.table(request.language)
        let names = try await request.context.store.displayNames()
        let chainText = chain.map { c in
            c.intact ? "\(t["chain_intact"]!): \(c.entries) — \(c.lastHash)"
                : "\(t["chain_broken"]!) \(c.firstBroken ?? 0): \(c.problem ?? "")"
        }
        return try await request.view.render("audit", AuditPage(
            t: t, user: principal.view, csrf: principal.session?.csrfToken ?? "", actor: actor, from: period.fromText, to: period.toText,
            heading: heading, entries: views(entries, request.language.words, names: names), next: next, chain: chainText, chainBroken: chain.map { !$0.intact } ?? false, error: error,
            canExport: Permissions.allows(.exportPerson, for: principal.actor.role)))
    }

    /// What user Y consulted (or, without a user, the latest entries), in a period.
    func byActor(request: Request) async throws -> View {
        let principal = try request.principal
        try principal.require(.readAudit)
        let actor = ((try? request.query.get(String.self, at: "actor")) ?? "").trimmingCharacters(in: .whitespaces)
        let t = Texts.table(request.language)
        let period = try period(try? request.query.get(String.self, at: "from"), try? request.query.get(String.self, at: "to"), t,
                                request.language.words)
        let before = try? request.query.get(Int64.self, at: "before")
        let pageSize = 50
        let entries = try await request.context.store.auditEntries(actor: actor.isEmpty ? nil : actor, from: period.from, to: period.to,
                                                                   before: before, limit: pageSize)
        var query = request.url.query.map { $0.split(separator: "&").filter { !$0.hasPrefix("before=") }.joined(separator: "&") } ?? ""
        if !query.isEmpty { query += "&" }
        let next = entries.count == pageSize ? entries.last.map { "/audit?\(query)before=\($0.seq)" } : nil
        return try await render(request, principal, period: period, actor: actor,
                                heading: actor.isEmpty ? t["audit_latest"]! : "\(t["audit_actor"]!): \(actor)", entries: entries, next: next)
    }

    struct PersonForm: Content {
        var insz: String
        var from: String?
        var to: String?
        var purpose: String?
        /// The language of the person's report: nl, fr or en (the page's language by default).
        var language: String?
    }

    func person(_ request: Request, _ form: PersonForm) throws -> INSZ? {
        try? INSZ(form.insz, allowTestNumbers: request.context.settings.allowsTestData, today: request.context.today)
    }

    /// Who consulted person X, in a period. The auditor's own look-up is audited too.
    func byPerson(request: Request) async throws -> View {
        let principal = try request.principal
        try principal.require(.readAudit)
        let form = try request.content.decode(PersonForm.self)
        let period = try period(form.from, form.to, Texts.table(request.language), request.language.words)
        let t = Texts.table(request.language)
        guard let insz = try person(request, form) else {
            return try await render(request, principal, period: period, actor: "", heading: nil, entries: [], error: t["invalid_insz"]!)
        }
        let store = request.context.store
        let subject = store.keyring.auditSubject(insz)
        let auditor = principal.actor.acting(for: .audit)
        try await request.context.audit.record(auditor, .auditRead, subject: subject)
        let entries = try await store.auditEntries(subject: subject, from: period.from, to: period.to, limit: 500)
        return try await render(request, principal, period: period, actor: "", heading: t["audit_person"]!, entries: entries)
    }

    /// The person's own report as a file (HTML to read or print, or JSON), for a subject access request.
    func report(request: Request) async throws -> Response {
        let principal = try request.principal
        try principal.require(.exportPerson)
        let form = try request.content.decode(PersonForm.self)
        guard let insz = try person(request, form) else { throw WebError.badRequest(Texts.table(request.language)["invalid_insz"]!) }
        let actor = principal.actor.acting(for: .subjectAccessRequest)
        guard let report = try await request.context.store.personReport(insz, actor: actor) else {
            throw WebError.badRequest(Texts.table(request.language)["person_unknown"]!)
        }
        let html = (try? request.content.get(String.self, at: "format")) != "json"
        let policy = request.context.settings.policy
        let names = try await request.context.store.displayNames()
        let language = form.language.flatMap(Language.init(rawValue:)) ?? request.language
        let response = Response(status: .ok, body: .init(string: html ? PersonReportRenderer.html(report, policy: policy, language: language,
                                                                                                  names: names)
                                                          : try PersonReportRenderer.json(report, policy: policy)))
        response.headers.contentType = html ? .html : .json
        // The file name carries no personal data; the report's date is enough to tell versions apart.
        let name = "vangnet-persoonsrapport-\(request.context.today.iso).\(html ? "html" : "json")"
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name)\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// Checks the whole hash chain now and shows the result.
    func verify(request: Request) async throws -> View {
        let principal = try request.principal
        try principal.require(.readAudit)
        let store = request.context.store
        let result = try await store.verifyAudit()
        let auditor = principal.actor.acting(for: .audit)
        try await request.context.audit.record(auditor, .auditVerified, outcome: result.intact ? .allowed : .broken)
        return try await render(request, principal, period: Period(fromText: "", toText: ""), actor: "", heading: nil, entries: [], chain: result)
    }
}
