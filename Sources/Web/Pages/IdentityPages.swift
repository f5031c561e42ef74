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

    struct Page: Encodable {
        let t: TextTable
        let user: UserView?
        let csrf: String
        let id: Int64
        let quarantineID: Int64
        let kind: String
        let probability: String
        let rows: [FieldComparison]
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
        let terms = review.link.explanation
        // The record's own identity columns, read as a register state (one way to write an address).
        let record = PersonRecord(firstName: value("first_name"), lastName: value("last_name"),
                                  birthDate: LocalDate(iso: value("birth_date")), sex: INSZ.Sex(rawValue: value("sex").uppercased() == "V" ? "F" : value("sex").uppercased()),
                                  street: value("street"), houseNumber: value("house_number"), postcode: value("postcode"),
                                  municipality: value("municipality"))
        var rows = [FieldComparison(.nationalNumber, value("insz"), review.candidate?.insz.formatted, terms: terms, language)]
        rows += FieldComparison.identityRows(record, person, terms: terms, request.language)
        // A birth date the record wrote in a way the register does not: as it was written.
        if record.birthDate == nil, !value("birth_date").isEmpty {
            rows[3] = FieldComparison(.birthDate, value("birth_date"), person?.birthDate.map(words.date), terms: terms, language)
        }
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
