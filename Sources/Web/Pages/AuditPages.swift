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
        let t: [String: String]
        let user: UserView?
        let csrf: String
        let actor: String
        let from: String
        let to: String
        let heading: String?
        let entries: [EntryView]
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

    /// A period from optional ISO dates; a wrong date is the user's mistake, answered with a 400.
    func period(_ from: String?, _ to: String?) throws -> Period {
        let fromText = (from ?? "").trimmingCharacters(in: .whitespaces)
        let toText = (to ?? "").trimmingCharacters(in: .whitespaces)
        let start = fromText.isEmpty ? nil : LocalDate(iso: fromText)
        let end = toText.isEmpty ? nil : LocalDate(iso: toText)
        if !fromText.isEmpty && start == nil { throw WebError.badRequest("from: not a date (YYYY-MM-DD)") }
        if !toText.isEmpty && end == nil { throw WebError.badRequest("to: not a date (YYYY-MM-DD)") }
        return Period(from: start, to: end, fromText: fromText, toText: toText)
    }

    func views(_ entries: [AuditRecord]) -> [EntryView] {
        entries.map { e in
            EntryView(at: String(e.at.prefix(19)).replacingOccurrences(of: "T", with: " "), actor: e.actor, role: e.role, purpose: e.purpose,
                      action: e.action, outcome: e.outcome, denied: e.outcome != "allowed",
                      object: e.objectType.map { "\($0) \(e.objectID ?? "")" } ?? "", subject: e.subject.map { String($0.prefix(12)) } ?? "")
        }
    }

    func render(_ request: Request, _ principal: Principal, period: Period, actor: String, heading: String?, entries: [AuditRecord],
                chain: AuditVerification? = nil, error: String? = nil) async throws -> View {
        let t = Texts.table(request.language)
        let chainText = chain.map { c in
            c.intact ? "\(t["chain_intact"]!): \(c.entries) — \(c.lastHash)"
                : "\(t["chain_broken"]!) \(c.firstBroken ?? 0): \(c.problem ?? "")"
        }
        return try await request.view.render("audit", AuditPage(
            t: t, user: principal.view, csrf: principal.session?.csrfToken ?? "", actor: actor, from: period.fromText, to: period.toText,
            heading: heading, entries: views(entries), chain: chainText, chainBroken: chain.map { !$0.intact } ?? false, error: error,
            canExport: Permissions.allows(.exportPerson, for: principal.actor.role)))
    }

    /// What user Y consulted (or, without a user, the latest entries), in a period.
    func byActor(request: Request) async throws -> View {
        let principal = try request.principal
        try principal.require(.readAudit)
        let actor = ((try? request.query.get(String.self, at: "actor")) ?? "").trimmingCharacters(in: .whitespaces)
        let period = try period(try? request.query.get(String.self, at: "from"), try? request.query.get(String.self, at: "to"))
        let entries = try await request.context.store.auditEntries(actor: actor.isEmpty ? nil : actor, from: period.from, to: period.to, limit: 500)
        let t = Texts.table(request.language)
        return try await render(request, principal, period: period, actor: actor,
                                heading: actor.isEmpty ? t["audit_latest"]! : "\(t["audit_actor"]!): \(actor)", entries: entries)
    }

    struct PersonForm: Content {
        var insz: String
        var from: String?
        var to: String?
        var purpose: String?
    }

    func person(_ request: Request, _ form: PersonForm) throws -> INSZ? {
        try? INSZ(form.insz, allowTestNumbers: request.context.settings.allowsTestData, today: request.context.today)
    }

    /// Who consulted person X, in a period. The auditor's own look-up is audited too.
    func byPerson(request: Request) async throws -> View {
        let principal = try request.principal
        try principal.require(.readAudit)
        let form = try request.content.decode(PersonForm.self)
        let period = try period(form.from, form.to)
        let t = Texts.table(request.language)
        guard let insz = try person(request, form) else {
            return try await render(request, principal, period: period, actor: "", heading: nil, entries: [], error: t["invalid_insz"]!)
        }
        let store = request.context.store
        let subject = store.keyring.auditSubject(insz)
        var auditor = principal.actor
        auditor.purpose = .audit
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
        var actor = principal.actor
        actor.purpose = .subjectAccessRequest
        guard let report = try await request.context.store.personReport(insz, actor: actor) else {
            throw WebError.badRequest(Texts.table(request.language)["person_unknown"]!)
        }
        let html = (try? request.content.get(String.self, at: "format")) != "json"
        let policy = request.context.settings.policy
        let names = try await request.context.store.displayNames()
        let response = Response(status: .ok, body: .init(string: html ? PersonReportRenderer.html(report, policy: policy, language: request.language,
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
        var auditor = principal.actor
        auditor.purpose = .audit
        try await request.context.audit.record(auditor, .auditVerified, outcome: result.intact ? .allowed : .broken)
        return try await render(request, principal, period: Period(fromText: "", toText: ""), actor: "", heading: nil, entries: [], chain: result)
    }
}
