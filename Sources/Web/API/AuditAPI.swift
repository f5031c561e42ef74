import Domain
import Foundation
import Storage
import Vapor

/// The auditor's API: entries by user and period, who consulted a person, and the person's own
/// report. A person is named by INSZ in the request body, never in the URL.
struct AuditAPI: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("audit", use: entries)
        routes.post("audit", "person", use: person)
        routes.post("persons", "report", use: report)
    }

    struct EntryList: Content {
        let items: [AuditRecord]
    }

    /// A date as the document's `format: date` has it (`YYYY-MM-DD`, a real day); nil when absent
    /// (or null in a body). An empty text is no date: a 400 like any other.
    static func date(_ text: String?, _ field: String) throws -> LocalDate? {
        guard let text else { return nil }
        guard let date = LocalDate(iso: text) else { throw WebError.badRequest("\(field): not a date (YYYY-MM-DD)") }
        return date
    }

    func entries(request: Request) async throws -> EntryList {
        let principal = try request.principal
        try principal.require(.readAudit)
        let actor = try request.queryNonEmpty("actor")
        let from = try Self.date(request.queryText("from"), "from")
        let to = try Self.date(request.queryText("to"), "to")
        let limit = try request.queryInteger("limit", in: 1...1000, default: 200)
        let rows = try await request.context.store.auditEntries(actor: actor, from: from, to: to, limit: limit)
        return EntryList(items: rows)
    }

    struct PersonBody: Content {
        let insz: String
        let from: String?
        let to: String?
    }

    func insz(_ body: PersonBody, _ request: Request) throws -> INSZ {
        do { return try INSZ(body.insz, allowTestNumbers: request.context.settings.allowsTestData, today: request.context.today) } catch let invalid as INSZ.Invalid {
            throw WebError.badRequest("insz: \(invalid.description)")
        }
    }

    /// Who consulted this person; the look-up itself is audited.
    func person(request: Request) async throws -> EntryList {
        let principal = try request.principal
        try principal.require(.readAudit)
        let body = try request.decodeJSON(PersonBody.self)
        let insz = try insz(body, request)
        let from = try Self.date(body.from, "from")
        let to = try Self.date(body.to, "to")
        let store = request.context.store
        let subject = store.keyring.auditSubject(insz)
        try await request.context.audit.record(principal.actor, .auditRead, subject: subject)
        let rows = try await store.auditEntries(subject: subject, from: from, to: to, limit: 1000)
        return EntryList(items: rows)
    }

    /// The person's own report: JSON, or readable HTML with `?format=html`.
    func report(request: Request) async throws -> Response {
        let principal = try request.principal
        try principal.require(.exportPerson)
        let body = try request.decodeJSON(PersonBody.self)
        let insz = try insz(body, request)
        let format = request.queryText("format") ?? "json"
        guard format == "json" || format == "html" else { throw WebError.badRequest("format: json or html") }
        let actor = principal.actor.acting(for: .subjectAccessRequest)
        guard let report = try await request.context.store.personReport(insz, actor: actor) else { throw WebError.notFound }
        let policy = request.context.settings.policy
        let response = Response(status: .ok, body: .init(string: format == "html" ? PersonReportRenderer.html(report, policy: policy)
                                                          : try PersonReportRenderer.json(report, policy: policy)))
        response.headers.contentType = format == "html" ? .html : .json
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}

extension AuditRecord: Content {}
