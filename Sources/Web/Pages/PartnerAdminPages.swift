import Domain
import Foundation
import Storage
import Vapor

/// The admin's partner organisations and lots (as `vangnet partner …` does): a list, a form to add
/// or change an organisation by its code, and one to add a lot to a tender partner.
struct PartnerAdminPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("admin", "partners", use: list)
        routes.post("admin", "partners", use: saveOrganisation)
        routes.post("admin", "partners", "lots", use: addLot)
    }

    struct OrganisationRow: Encodable {
        let code: String
        let name: String
        let kind: String
        let contact: String
        let provinces: String
        let active: String
        let lots: [String]
    }

    struct Option: Encodable {
        let value: String
        let label: String
        let selected: Bool
    }

    struct Page: Encodable {
        let t: TextTable
        let user: UserView?
        let csrf: String
        let organisations: [OrganisationRow]
        let tenderCodes: [Option]
        let provinces: [Option]
        let kinds: [Option]
        let flash: String?
        let error: String?
        /// Where the error summary links to: the field of the form that was refused (`#org-code`).
        let errorLink: String
        let typed: [String: String]
    }

    func page(_ request: Request, error: String? = nil, typed: [String: String] = [:]) async throws -> View {
        let principal = try request.principal
        try principal.require(.administer)
        let t = Texts.table(request.language)
        let words = request.language.words
        let store = request.context.store
        let organisations = try await store.partnerOrganisations()
        let lots = try await store.partnerLots()
        let rows = organisations.map { o in
            OrganisationRow(code: o.code, name: o.name, kind: t["org_" + o.kind.rawValue]!, contact: o.contact,
                            provinces: o.provinces.map(\.name).joined(separator: ", "),
                            active: words.date(o.activeFrom) + (o.activeUntil.map { " – " + words.date($0) } ?? ""),
                            lots: lots.filter { $0.organisationID == o.id }.map {
                                "\($0.programme): \($0.capacityPerQuarter) \(t["admin_per_quarter"]!), \(words.date($0.contractFrom)) – \(words.date($0.contractUntil))"
                            })
        }
        return try await request.view.render("admin-partners", Page(
            t: t, user: principal.view, csrf: principal.session?.csrfToken ?? "", organisations: rows,
            tenderCodes: organisations.filter { $0.kind == .tenderPartner }.map { Option(value: $0.code, label: $0.name, selected: $0.code == typed["lot_code"]) },
            provinces: Province.allCases.map { Option(value: $0.rawValue, label: $0.name, selected: typed["province_" + $0.rawValue] != nil) },
            kinds: PartnerOrganisation.Kind.allCases.map { Option(value: $0.rawValue, label: t["org_" + $0.rawValue]!, selected: $0.rawValue == typed["kind"]) },
            flash: (try? request.query.get(String.self, at: "done")).flatMap { t[$0] }, error: error,
            errorLink: typed["lot_code"] != nil ? "#lot-code" : "#org-code", typed: typed))
    }

    func list(request: Request) async throws -> View { try await page(request) }

    struct OrganisationForm: Content {
        var code: String?
        var name: String?
        var kind: String?
        var contact: String?
        var provinces: [String]?
        var from: String?
        var until: String?
    }

    func saveOrganisation(request: Request) async throws -> Response {
        let principal = try request.principal
        try principal.require(.administer)
        let form = (try? request.content.decode(OrganisationForm.self)) ?? OrganisationForm()
        let t = Texts.table(request.language)
        var typed: [String: String] = ["code": form.code ?? "", "name": form.name ?? "", "kind": form.kind ?? "", "contact": form.contact ?? "",
                                       "from": form.from ?? "", "until": form.until ?? ""]
        for province in form.provinces ?? [] { typed["province_" + province] = "1" }
        func refuse(_ key: String) async throws -> Response {
            try await page(request, error: t[key], typed: typed).encodeResponse(status: .unprocessableEntity, for: request)
        }
        let code = (form.code ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        guard PartnerOrganisation.isValidCode(code) else { return try await refuse("admin_error_code") }
        guard let name = form.name?.trimmingCharacters(in: .whitespaces), !name.isEmpty, name.count <= 200 else { return try await refuse("admin_error_name") }
        guard let kind = form.kind.flatMap(PartnerOrganisation.Kind.init(rawValue:)) else { return try await refuse("admin_error_kind") }
        let provinces = (form.provinces ?? []).compactMap(Province.init(rawValue:))
        guard !provinces.isEmpty else { return try await refuse("admin_error_provinces") }
        let from = (form.from ?? "").isEmpty ? request.context.today : TypedDate(form.from ?? "").date
        let until = (form.until ?? "").isEmpty ? nil : TypedDate(form.until ?? "").date
        guard let from, (form.until ?? "").isEmpty || until != nil, until.map({ $0 >= from }) ?? true else { return try await refuse("admin_error_dates") }
        try await request.context.store.savePartnerOrganisation(code: code, name: name, kind: kind, contact: String((form.contact ?? "").prefix(200)),
                                                                provinces: provinces, activeFrom: from, activeUntil: until)
        try await request.context.audit.record(principal.actor, .partnersChanged)
        return request.redirect(to: "/admin/partners?done=admin_saved")
    }

    struct LotForm: Content {
        var lot_code: String?
        var programme: String?
        var capacity: String?
        var from: String?
        var until: String?
        var response_days: String?
        var intake_days: String?
    }

    func addLot(request: Request) async throws -> Response {
        let principal = try request.principal
        try principal.require(.administer)
        let form = (try? request.content.decode(LotForm.self)) ?? LotForm()
        let t = Texts.table(request.language)
        let typed = ["lot_code": form.lot_code ?? "", "programme": form.programme ?? "", "capacity": form.capacity ?? "", "lot_from": form.from ?? "",
                     "lot_until": form.until ?? "", "response_days": form.response_days ?? "5", "intake_days": form.intake_days ?? "10"]
        let store = request.context.store
        guard let organisation = try await store.partnerOrganisations().first(where: { $0.code == form.lot_code && $0.kind == .tenderPartner }),
              let programme = form.programme?.trimmingCharacters(in: .whitespaces), !programme.isEmpty, programme.count <= 200,
              let capacity = form.capacity.flatMap({ Int($0) }), capacity > 0,
              let from = TypedDate(form.from ?? "").date, let until = TypedDate(form.until ?? "").date, from <= until,
              let response = Int(form.response_days ?? "5"), (1...60).contains(response), let intake = Int(form.intake_days ?? "10"), (1...120).contains(intake)
        else {
            return try await page(request, error: t["admin_error_lot"], typed: typed).encodeResponse(status: .unprocessableEntity, for: request)
        }
        try await store.addPartnerLot(organisationID: organisation.id, programme: programme, provinces: organisation.provinces, capacityPerQuarter: capacity,
                                      contractFrom: from, contractUntil: until, responseWorkingDays: response, intakeWorkingDays: intake)
        try await request.context.audit.record(principal.actor, .partnersChanged)
        return request.redirect(to: "/admin/partners?done=admin_lot_saved")
    }
}
