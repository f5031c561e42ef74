import Domain
import Foundation
import Ingest
import Linkage
import Storage
import Vapor
import Workflows

/// The steward's review queue of proposed identities (docs/linkage.md): a record quarantined for
/// its INSZ and the known person it probably is, side by side with what each field weighed; the
/// steward decides "the same person" (linked) or "not the same" (remembered). Reading a proposal
/// shows personal data of both and is audited.
struct IdentityPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("steward", "identities", "run", use: run)
        routes.get("steward", "identities", ":id", use: detail)
        routes.post("steward", "identities", ":id", "decide", use: decide)
    }

    /// One row of the comparison: the field, both values, and the field's level and weight in words.
    struct Row: Encodable {
        let field: String
        let record: String
        let known: String
        let verdict: String
        let supports: Bool
    }

    struct Page: Encodable {
        let t: [String: String]
        let user: UserView?
        let csrf: String
        let id: Int64
        let quarantineID: Int64
        let kind: String
        let probability: String
        let rows: [Row]
        let open: Bool
        let status: String
        let flash: String?
    }

    func detail(request: Request) async throws -> View {
        let principal = try request.principal
        try principal.require(.readQuarantine)
        guard let id = request.parameters.get("id").flatMap(Int64.init),
              let review = try await request.context.store.review(id) else { throw WebError.notFound }
        try await request.context.store.audit(AuditEntry(principal.actor.acting(for: .dataQuality), .identityReviewRead(review.quarantineID)))
        let t = Texts.table(request.language)
        let words = request.language.words
        let language: LinkageLanguage = request.language == .en ? .english : .dutch
        let fields = review.kind.map { QuarantinedIdentity(id: review.quarantineID, kind: $0, original: review.original, header: review.header) }
            .flatMap { RecordText.fields($0.text) } ?? [:]
        func value(_ name: String) -> String { fields[name]?.trimmingCharacters(in: .whitespaces) ?? "" }
        let person = review.candidate?.person
        let terms = Dictionary(review.link.explanation.map { ($0.field, $0) }, uniquingKeysWith: { first, _ in first })
        func verdict(_ field: LinkageField) -> (String, Bool) {
            guard let term = terms["\(field)"] else { return ("–", false) }
            return (term.verdict(language), term.supports)
        }
        func row(_ field: LinkageField, _ record: String, _ known: String) -> Row {
            let (text, supports) = verdict(field)
            return Row(field: language.name(field).capitalizedFirst, record: record.isEmpty ? "–" : record,
                       known: known.isEmpty ? "–" : known, verdict: text, supports: supports)
        }
        let knownAddress = [person?.street, person?.houseNumber, person?.postcode, person?.municipality].compactMap { $0 }.joined(separator: " ")
        let recordAddress = [value("street"), value("house_number"), value("postcode"), value("municipality")].filter { !$0.isEmpty }
            .joined(separator: " ")
        let rows = [
            row(.nationalNumber, value("insz"), review.candidate?.insz.formatted ?? ""),
            row(.givenName, value("first_name"), person?.firstName ?? ""),
            row(.surname, value("last_name"), person?.lastName ?? ""),
            row(.birthDate, LocalDate(iso: value("birth_date")).map(words.date) ?? value("birth_date"), person?.birthDate.map(words.date) ?? ""),
            row(.sex, t["sex_" + value("sex").uppercased()] ?? value("sex"), person?.sex.map { t["sex_" + $0.rawValue] ?? $0.rawValue } ?? ""),
            row(.address, recordAddress, knownAddress),
        ]
        return try await request.view.render("identity", Page(
            t: t, user: principal.view, csrf: principal.session?.csrfToken ?? "", id: review.id, quarantineID: review.quarantineID,
            kind: (review.kind.map(words.recordKind) ?? "–").capitalizedFirst, probability: FigureFormat.percent(review.link.probability, request.language),
            rows: rows, open: review.status == "open", status: t["identity_status_" + review.status] ?? review.status,
            flash: (try? request.query.get(String.self, at: "done")).flatMap { t[$0] }))
    }

    func decide(request: Request) async throws -> Response {
        let principal = try request.principal
        try principal.require(.reprocessQuarantine)
        struct Form: Content { var same: String }
        guard let id = request.parameters.get("id").flatMap(Int64.init),
              let form = try? request.content.decode(Form.self), ["yes", "no"].contains(form.same) else { throw WebError.notFound }
        switch try await request.context.identityWork.decide(id, same: form.same == "yes", by: principal.actor) {
        case nil: throw WebError.notFound
        case .linked?:
            request.context.pipeline.poke()
            return request.redirect(to: "/steward/identities/\(id)?done=identity_linked")
        case .rejected?: return request.redirect(to: "/steward/identities/\(id)?done=identity_rejected")
        case .alreadyDecided?: return request.redirect(to: "/steward/identities/\(id)?done=identity_already")
        case .stillRejected?: return request.redirect(to: "/steward/identities/\(id)?done=identity_still_rejected")
        }
    }

    /// Looks again for the person behind every record quarantined for its INSZ.
    func run(request: Request) async throws -> Response {
        let principal = try request.principal
        try principal.require(.reprocessQuarantine)
        let report = try await request.context.identityWork.resolve()
        if report.linked > 0 { request.context.pipeline.poke() }
        return request.redirect(to: "/steward?done=identity_run#identities-title")
    }
}
