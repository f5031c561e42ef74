import Domain
import Foundation
import Storage
import Vapor

/// The status report on a page and as downloads (PDF, Markdown, HTML), for Flanders as a whole:
/// the analyst and the manager (a team lead's dashboard is their province; this report is not).
struct StatusReportPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("reports", "status", use: page)
        routes.get("reports", "status", ":format", use: download)
    }

    struct StatusReportPage: Encodable {
        let t: TextTable
        let user: UserView?
        let csrf: String
        let from: String
        let to: String
        let error: String?
        let report: String?
        let query: String
    }

    /// The period asked for; by default the last twelve months up to today.
    func period(_ request: Request) -> (from: LocalDate, to: LocalDate, typed: (String, String), error: String?) {
        let today = request.context.today
        let fromText = (try? request.query.get(String.self, at: "from")) ?? ""
        let toText = (try? request.query.get(String.self, at: "to")) ?? ""
        let from = TypedDate(fromText), to = TypedDate(toText)
        let defaultFrom = today.adding(months: -12).adding(days: 1)
        let start = from == .empty ? defaultFrom : from.date
        let end = to == .empty ? today : to.date
        guard let start, let end, start <= end else {
            return (defaultFrom, today, (fromText, toText), Texts.table(request.language)["sr_error_period"])
        }
        return (start, end, (fromText, toText), nil)
    }

    func require(_ request: Request) throws -> Principal {
        let principal = try request.principal
        try principal.require(.readStatusReport)
        return principal
    }

    func page(request: Request) async throws -> View {
        let principal = try require(request)
        let period = period(request)
        let t = Texts.table(request.language)
        var html: String?
        if period.error == nil {
            let report = try await request.context.store.statusReport(from: period.from, to: period.to, today: request.context.today)
            html = StatusReportRenderer(report: report, language: request.language).html
        }
        return try await request.view.render("status-report", StatusReportPage(
            t: t, user: principal.view, csrf: principal.session?.csrfToken ?? "",
            from: period.typed.0.isEmpty ? period.from.typed : period.typed.0, to: period.typed.1.isEmpty ? period.to.typed : period.typed.1,
            error: period.error, report: html, query: "?from=\(period.from.iso)&to=\(period.to.iso)"))
    }

    /// `/reports/status/pdf|md|html?from=…&to=…`.
    func download(request: Request) async throws -> Response {
        _ = try require(request)
        let period = period(request)
        guard period.error == nil else { throw Abort(.badRequest) }
        let report = try await request.context.store.statusReport(from: period.from, to: period.to, today: request.context.today)
        let renderer = StatusReportRenderer(report: report, language: request.language)
        let name = "vangnet-statusrapport-\(period.from.iso)-\(period.to.iso)"
        let response: Response
        switch request.parameters.get("format") {
        case "pdf":
            response = Response(status: .ok, body: .init(data: Data(renderer.pdf(created: request.context.settings.clock.now()))))
            response.headers.contentType = HTTPMediaType(type: "application", subType: "pdf")
            response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name).pdf\"")
        case "md":
            response = Response(status: .ok, body: .init(string: renderer.markdown))
            response.headers.contentType = HTTPMediaType(type: "text", subType: "markdown", parameters: ["charset": "utf-8"])
            response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name).md\"")
        case "html":
            response = Response(status: .ok, body: .init(string: renderer.standaloneHTML))
            response.headers.contentType = .html
            response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name).html\"")
        default:
            throw Abort(.notFound)
        }
        return response
    }
}
