import Domain
import Foundation
import Storage
import Vapor

/// The start page sends each role to its work; the figures page shows the funnel (counts only).
struct HomePages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: home)
        routes.get("reports", use: reports)
    }

    func home(request: Request) async throws -> Response {
        let principal = try request.principal
        switch principal.actor.role {
        case .consultant: return request.redirect(to: "/cases")
        case .partner: return request.redirect(to: "/partner")
        case .teamlead: return request.redirect(to: "/team")
        case .steward: return request.redirect(to: "/steward")
        case .analyst, .manager: return request.redirect(to: "/dashboard")
        default: return request.redirect(to: "/reports")
        }
    }

    struct FunnelRow: Encodable {
        let label: String
        let indent: Int
        let values: [Int]
    }

    struct ReportsPage: Encodable {
        let t: TextTable
        let user: UserView?
        let csrf: String
        let asOf: String
        let columns: [String]
        let rows: [FunnelRow]
    }

    func reports(request: Request) async throws -> View {
        let principal = try request.principal
        try principal.require(.readReports)
        let language = request.language
        let t = Texts.table(language)
        let funnel = try await request.context.store.funnel()
        let keys = Province.allCases.map(\.rawValue).filter { funnel.provinces[$0] != nil }
            + (funnel.provinces[Funnel.unknownProvince] != nil ? [Funnel.unknownProvince] : [])
        func row(_ label: String, _ indent: Int, _ value: (Funnel.Row) -> Int) -> FunnelRow {
            FunnelRow(label: label, indent: indent, values: ([funnel.total] + keys.map { funnel.provinces[$0] ?? Funnel.Row() }).map(value))
        }
        var lines = [row(t["leavers"]!, 0, \.leavers), row(t["unqualified"]!, 1, \.unqualified), row(t["pending"]!, 2, \.pending),
                     row(t["not_in_target_group"]!, 2, \.notInTargetGroupTotal)]
        for exclusion in Decision.Exclusion.allCases where funnel.total.notInTargetGroup[exclusion.rawValue] != nil {
            lines.append(row(language.words.exclusion(exclusion), 3, { $0.notInTargetGroup[exclusion.rawValue] ?? 0 }))
        }
        lines += [row(t["eligible"]!, 2, \.eligible), row(t["eligible_open"]!, 3, \.openCasesEligible),
                  row(t["eligible_closed"]!, 3, \.eligibleWithoutOpenCase),
                  row(t["open_cases"]!, 0, \.openCases), row(t["open_still_eligible"]!, 1, \.openCasesEligible),
                  row(t["open_no_longer_eligible"]!, 1, \.openCasesNoLongerEligible)]
        let words = language.words
        return try await request.view.render("reports", ReportsPage(
            t: t, user: principal.view, csrf: principal.session?.csrfToken ?? "",
            asOf: "\(t["funnel_period"]!) \(words.date(request.context.today)). \(t["funnel_explained"]!)",
            columns: [t["total"]!] + keys.map { Province(rawValue: $0)?.name ?? t["province_unknown"]! }, rows: lines))
    }
}
