import Domain
import Foundation
import Storage
import Vapor

/// Early warning for schools (docs/monitoring.md, "Schools"): per school number and track, the
/// share of its leavers who left without a qualification over the last three school years, with a
/// 95% interval and the track's Flemish share, and its course over up to ten school years — for
/// the analyst, the manager and the team lead (own province), from the statistics store only. Aggregates: no pupil is scored.
struct SchoolPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("schools", use: page)
    }

    struct Row: Encodable {
        let school: String
        let track: String
        let years: [String]
        let pooled: String
        let flemish: String
        let signal: String
        /// The course over up to ten school years, as inline SVG (`Sparkline`).
        let course: String
    }

    struct SchoolsPage: Encodable {
        let t: TextTable
        let user: UserView?
        let csrf: String
        let scope: String?
        let years: [String]
        /// The first and the last school year of the course.
        let courseFrom: String
        let courseTo: String
        let rows: [Row]
        let shown: Int
        let total: Int
    }

    static let limit = 200

    func page(request: Request) async throws -> View {
        let principal = try request.principal
        try principal.require(.readStatistics)
        let scoped = Permissions.scope(.readStatistics, for: principal.actor.role) == .ownProvinces
        let counts = scoped && principal.actor.provinces.isEmpty ? []
            : try await request.context.store.schoolLeaverCounts(provinces: scoped ? principal.actor.provinces : [])
        let warning = SchoolWarning(counts)
        let t = Texts.table(request.language)
        let words = request.language.words
        let language = request.language
        func percent(_ v: Double) -> String { FigureFormat.percent(v, language) }
        func rate(_ r: SchoolWarning.Rate?) -> String {
            guard let r else { return "–" }
            return "\(percent(r.value)) (\(percent(r.low)) – \(percent(r.high)))"
        }
        let historyYears = warning.historyYears.map { "\($0)–\($0 + 1)" }
        let rows = warning.lines.prefix(Self.limit).enumerated().map { index, line in
            let track = Enrolment.Track(rawValue: line.track).map { words.track($0) } ?? t["dash_unknown"]!
            return Row(school: line.school, track: track,
                       years: line.years(t: t, percent: percent),
                       pooled: line.pooledUnqualified + " " + t["schools_of"]! + " " + line.pooledLeavers + (line.pooled.map { " · " + rate($0) } ?? ""),
                       flemish: line.flemish.map { percent($0.value) } ?? "–",
                       signal: line.above ? t["schools_above"]! : line.direction > 0 ? t["schools_rising"]! : line.direction < 0 ? t["schools_falling"]! : "",
                       course: Sparkline.svg(id: "course-\(index)", title: t["schools_course_title"]! + " " + line.school + ", " + track,
                                             years: historyYears, rates: line.history.map { $0?.value }, reference: line.flemish?.value,
                                             format: percent, missing: { line.historyHasLeavers[$0] ? t["schools_no_rate"]! : t["schools_no_leavers"]! },
                                             referenceLabel: t["schools_flemish"]!))
        }
        return try await request.view.render("schools", SchoolsPage(
            t: t, user: principal.view, csrf: principal.session?.csrfToken ?? "",
            scope: scoped ? principal.actor.provinces.map(\.name).joined(separator: ", ") : nil,
            years: warning.years.map { "\($0)–\($0 + 1)" }, courseFrom: historyYears.first ?? "", courseTo: historyYears.last ?? "", rows: Array(rows), shown: rows.count, total: warning.lines.count))
    }
}

extension SchoolWarning.Line {
    /// "12 van 140 (8,6 %)" per school year.
    func years(t: TextTable, percent: (Double) -> String) -> [String] {
        leavers.indices.map { i in
            leavers[i] == "0" ? "–" : unqualified[i] + " " + t["schools_of"]! + " " + leavers[i] + (rates[i].map { " (\(percent($0.value)))" } ?? "")
        }
    }
}
