import Domain
import Foundation
import Linkage
import Storage
import Vapor
import Workflows

/// The steward merges the persons of two cases that turn out to be one young person (two numbers:
/// a BIS number and a national number, a number typed wrong at a school), after comparing both
/// identities with what each field says; and undoes a merge that was wrong (docs/linkage.md,
/// "Merges"). The comparison shows personal data of both and is audited.
struct MergePages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("steward", "merges", "compare", use: compare)
        routes.post("steward", "merges", use: merge)
        routes.get("steward", "merges", ":id", use: detail)
        routes.post("steward", "merges", ":id", "undo", use: undo)
    }

    struct DetailPage: Encodable {
        let t: TextTable
        let user: UserView?
        let csrf: String
        let id: Int64
        let reason: String
        let at: String
        let by: String
        let status: String
        let probability: String?
        let survivorCase: String?
        let absorbedCase: String?
        let rows: [FieldComparison]
        let active: Bool
        let flash: String?
    }

    /// A merge with both registrations as they were, and its undo.
    func detail(request: Request) async throws -> View {
        let principal = try request.principal
        try principal.require(.readQuarantine)
        guard let id = request.parameters.get("id").flatMap(Int64.init),
              let detail = try await request.context.store.mergeDetail(id) else { throw WebError.notFound }
        try await request.context.store.audit(AuditEntry(principal.actor.acting(for: .dataQuality), .mergeRead(id)))
        let t = Texts.table(request.language)
        let words = request.language.words
        let language: LinkageLanguage = request.language == .en ? .english : .dutch
        let merge = detail.listing.merge
        let rows = [FieldComparison(.nationalNumber, FieldComparison.number(detail.survivor.insz, t), FieldComparison.number(detail.absorbed.insz, t),
                                    terms: [], language)]
            + FieldComparison.identityRows(detail.survivor.identity, detail.absorbed.identity, terms: [], request.language)
        let by = merge.mergedBy == IdentityWork.system.username ? t["merge_by_vangnet"]! : (try await request.context.store.displayNames()[merge.mergedBy] ?? merge.mergedBy)
        return try await request.view.render("merge-detail", DetailPage(
            t: t, user: principal.view, csrf: principal.session?.csrfToken ?? "", id: id,
            reason: t["merge_reason_" + merge.reason.rawValue] ?? merge.reason.rawValue, at: words.instant(merge.mergedAt), by: by,
            status: merge.undoneAt.map { t["merges_undone"]!.replacingOccurrences(of: "{at}", with: words.instant($0)) } ?? t["merge_active"]!,
            probability: merge.probability.map { FigureFormat.percent($0, request.language) },
            survivorCase: detail.listing.survivorCase.map(CaseNumber.format), absorbedCase: detail.listing.absorbedCase.map(CaseNumber.format),
            rows: rows, active: merge.isActive, flash: (try? request.query.get(String.self, at: "done")).flatMap { t[$0] }))
    }

    struct Page: Encodable {
        let t: TextTable
        let user: UserView?
        let csrf: String
        let first: String
        let second: String
        let survivorCase: String
        let absorbedCase: String
        let goesOn: String
        let probability: String?
        let rows: [FieldComparison]
        let samePerson: Bool
        let unknownIdentity: Bool
        /// The fields speak against one person: said before the button, not hidden behind it.
        let unlikely: Bool
    }

    /// The two cases of a form or query, by number; nil when one is missing or unknown, or both are the same.
    func cases(_ request: Request, first: String?, second: String?) async throws -> (Case, Case)? {
        guard let a = first.flatMap(CaseNumber.parse), let b = second.flatMap(CaseNumber.parse), a != b,
              let one = try await request.context.store.caseSummary(a, scope: .all),
              let other = try await request.context.store.caseSummary(b, scope: .all) else { return nil }
        return (one, other)
    }

    func compare(request: Request) async throws -> Response {
        let principal = try request.principal
        try principal.require(.readQuarantine)
        let first = try? request.query.get(String.self, at: "first")
        let second = try? request.query.get(String.self, at: "second")
        guard let (one, other) = try await cases(request, first: first, second: second) else {
            return request.redirect(to: "/steward?done=merge_cases_unknown#merges-title")
        }
        try await request.context.store.audit(AuditEntry(principal.actor.acting(for: .dataQuality), .mergeCompared(one.id)))
        let comparison = try await request.context.personMerging.compare(one, other)
        let t = Texts.table(request.language)
        let language: LinkageLanguage = request.language == .en ? .english : .dutch
        // Which case is whose: the survivor's is the case of the person that goes on.
        let (survivorCase, absorbedCase) = comparison.survivor.person == other.personID ? (other, one) : (one, other)
        let terms = comparison.explanation
        let rows = [FieldComparison(.nationalNumber, FieldComparison.number(comparison.survivor.insz, t), FieldComparison.number(comparison.absorbed.insz, t),
                                    terms: terms, language)]
            + FieldComparison.identityRows(comparison.survivorIdentity?.person, comparison.absorbedIdentity?.person, terms: terms, request.language)
        let page = Page(
            t: t, user: principal.view, csrf: principal.session?.csrfToken ?? "", first: CaseNumber.format(one.id), second: CaseNumber.format(other.id),
            survivorCase: CaseNumber.format(survivorCase.id), absorbedCase: CaseNumber.format(absorbedCase.id),
            goesOn: t["merge_goes_on_text"]!.replacingOccurrences(of: "{case}", with: CaseNumber.format(survivorCase.id)),
            probability: comparison.probability.map { FigureFormat.percent($0, request.language) }, rows: rows,
            samePerson: comparison.samePerson, unknownIdentity: comparison.survivorIdentity == nil || comparison.absorbedIdentity == nil,
            unlikely: comparison.pointsToTwoPersons)
        return try await request.view.render("merge", page).encodeResponse(for: request)
    }

    func merge(request: Request) async throws -> Response {
        let principal = try request.principal
        try principal.require(.reprocessQuarantine)
        struct Form: Content { var first: String?; var second: String? }
        let form = try? request.content.decode(Form.self)
        guard let (one, other) = try await cases(request, first: form?.first, second: form?.second) else {
            return request.redirect(to: "/steward?done=merge_cases_unknown#merges-title")
        }
        guard try await request.context.personMerging.merge(one, other, by: principal.actor) != nil else {
            return request.redirect(to: "/steward?done=merge_already_one#merges-title")
        }
        request.context.pipeline.poke()
        return request.redirect(to: "/steward?done=persons_merged#merges-title")
    }

    func undo(request: Request) async throws -> Response {
        let principal = try request.principal
        try principal.require(.reprocessQuarantine)
        guard let id = request.parameters.get("id").flatMap(Int64.init) else { throw WebError.notFound }
        switch try await request.context.personMerging.undo(id, by: principal.actor) {
        case .undone:
            request.context.pipeline.poke()
            return request.redirect(to: "/steward/merges/\(id)?done=merge_undone")
        case .notActive: return request.redirect(to: "/steward/merges/\(id)?done=merge_not_active")
        case .laterMergeFirst: return request.redirect(to: "/steward/merges/\(id)?done=merge_later_first")
        }
    }
}
