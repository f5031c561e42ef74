import Domain
import Foundation
import Storage
import Vapor

/// The team lead: caseload per consultant, unassigned and overdue cases of the province, and
/// reassignment in bulk.
struct TeamPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("team", use: overview)
        routes.post("team", "reassign", use: reassign)
    }

    struct CaseRow: Encodable {
        let id: Int64
        let number: String
        let name: String
        let status: String
        let consultant: String
        let due: String
        let overdue: Bool
    }

    struct Option: Encodable {
        let value: String
        let label: String
        let selected: Bool
    }

    struct TeamPage: Encodable {
        let t: TextTable
        let user: UserView?
        let csrf: String
        let province: String
        let provinces: [Option]
        let loads: [ConsultantLoad]
        let unassigned: [CaseRow]
        let overdue: [CaseRow]
        let others: [CaseRow]
        let canReassign: Bool
        let consultants: [Option]
        let flash: String?
    }

    func overview(request: Request) async throws -> View {
        let principal = try request.principal
        try principal.require(.reassignCases)
        let language = request.language
        let t = Texts.table(language)
        let context = request.context
        let today = context.today
        let mine = principal.actor.provinces
        guard let first = mine.first else { throw WebError.notFound }
        let province = (try? request.query.get(String.self, at: "province")).flatMap(Province.init(rawValue:)).flatMap {
            mine.contains($0) ? $0 : nil } ?? first
        let scope = CaseScope.provinces([province])
        var unassignedFilter = CaseFilter()
        unassignedFilter.unassigned = true
        var overdueFilter = CaseFilter()
        overdueFilter.overdueOnly = true
        let unassigned = try await context.store.caseList(scope: scope, filter: unassignedFilter, today: today, limit: 50)
        let overdue = try await context.store.caseList(scope: scope, filter: overdueFilter, today: today, limit: 50, overdueFirst: true)
        // The rest of the province's open cases, so that any case can be given to another consultant.
        let listed = Set((unassigned + overdue).map(\.summary.id))
        let others = try await context.store.caseList(scope: scope, filter: CaseFilter(), today: today, limit: 100)
            .filter { !listed.contains($0.summary.id) }
        let shown = unassigned + overdue + others
        let subjects = try await context.store.auditSubjects(cases: shown)
        let lead = principal.actor.acting(for: .teamManagement)
        try await context.audit.record(lead, shown.map { (.caseListed($0.summary.id), subject: subjects[$0.summary.id]) })
        let words = language.words
        let names = try await context.store.displayNames()
        func row(_ item: CaseListItem) -> CaseRow {
            CaseRow(id: item.summary.id, number: item.summary.number, name: item.name ?? "–",
                    status: words.status(item.summary.status), consultant: item.summary.consultant.map { names[$0] ?? $0 } ?? t["unassigned"]!,
                    due: item.summary.dueOn.map(words.shortDate) ?? "–", overdue: item.overdue)
        }
        let consultants = try await context.store.consultants(in: province)
        let flash = (try? request.query.get(Int.self, at: "moved")).map { $0 == 0 ? t["reassigned_none"]! : "\($0) \(t["reassigned"]!)" }
        return try await request.view.render("team", TeamPage(
            t: t, user: principal.view, csrf: principal.session?.csrfToken ?? "", province: province.name,
            provinces: mine.map { Option(value: $0.rawValue, label: $0.name, selected: $0 == province) },
            loads: try await context.store.consultantLoads(province: province, today: today),
            unassigned: unassigned.map(row), overdue: overdue.map(row), others: others.map(row), canReassign: !shown.isEmpty,
            consultants: consultants.map { Option(value: $0.username, label: $0.displayName, selected: false) }, flash: flash))
    }

    struct ReassignForm: Content {
        var consultant: String
        var cases: [Int64]?
    }

    func reassign(request: Request) async throws -> Response {
        let principal = try request.principal
        try principal.require(.reassignCases)
        let form = try request.content.decode(ReassignForm.self)
        let ids = form.cases ?? []
        guard !ids.isEmpty else { return request.redirect(to: "/team?moved=0") }
        let t = Texts.table(request.language)
        guard ids.count <= 500 else { throw WebError.badRequest(t["error_too_many_cases"]!) }
        let moved: Int
        do {
            guard let count = try await request.context.caseWork.reassign(ids, to: form.consultant, by: principal.actor)
            else { throw WebError.notFound }
            moved = count
        } catch let refused as CaseRuleViolation {
            // The form's own answer: back to the team page is not possible without the list, so a 400 that says why.
            throw WebError.badRequest(t["error_code_" + refused.code] ?? refused.description)
        }
        return request.redirect(to: "/team?moved=\(moved)")
    }
}
