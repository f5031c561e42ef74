import Domain
import Foundation
import Storage
import Vapor

/// The dashboard (docs/monitoring.md): for the analyst, the manager and the team lead (own
/// provinces), read from the pseudonymised statistics store only. Every table is a chart with its
/// data table next to it, server-rendered (no scripts under the CSP), each downloadable as CSV.
/// Small counts are protected (`Disclosure`) on every page but the manager's, and in every CSV.
struct DashboardPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("dashboard", use: page)
        routes.get("dashboard", ":table", use: csv)
    }

    struct Selection {
        var filter: StatisticsFilter
        var split: StatisticsSplit
        var typed: (from: String, to: String)
        var error: String?
        /// The selection as a query string for the CSV links.
        var query: String
    }

    /// The filter as asked for, within the reader's scope (a team lead: their own provinces).
    func selection(_ request: Request, principal: Principal) -> Selection {
        let t = Texts.table(request.language)
        let fromText = (try? request.query.get(String.self, at: "from")) ?? ""
        let toText = (try? request.query.get(String.self, at: "to")) ?? ""
        let from = TypedDate(fromText), to = TypedDate(toText)
        var error: String?
        if (from != .empty && from.date == nil) || (to != .empty && to.date == nil) { error = t["monitoring_error_date"] }
        if let f = from.date, let e = to.date, e < f { error = t["monitoring_error_order"] }
        let asked = (try? request.query.get(String.self, at: "province")).flatMap(Province.init(rawValue:))
        var provinces = asked.map { [$0] } ?? []
        if Permissions.scope(.readStatistics, for: principal.actor.role) == .ownProvinces {
            let own = principal.actor.provinces
            provinces = provinces.filter(own.contains)
            if provinces.isEmpty { provinces = own.isEmpty ? [] : own }
        }
        let source = (try? request.query.get(String.self, at: "source")).flatMap(Source.init(rawValue:))
        let track = (try? request.query.get(String.self, at: "track")).flatMap(Enrolment.Track.init(rawValue:))
        let split = (try? request.query.get(String.self, at: "split")).flatMap(StatisticsSplit.init(rawValue:)) ?? .month
        let filter = StatisticsFilter(from: error == nil ? from.date : nil, to: error == nil ? to.date : nil, provinces: provinces, source: source, track: track)
        let query = [filter.from.map { "from=" + $0.iso }, filter.to.map { "to=" + $0.iso }, asked.map { "province=" + $0.rawValue },
                     source.map { "source=" + $0.rawValue }, track.map { "track=" + $0.rawValue }, "split=" + split.rawValue]
            .compactMap { $0 }.joined(separator: "&")
        return Selection(filter: filter, split: split, typed: (fromText, toText), error: error, query: "?" + query)
    }

    func dashboard(_ request: Request, _ principal: Principal, _ selection: Selection, exact: Bool) async throws -> Dashboard {
        let filter = selection.filter
        // A team lead without provinces sees nothing rather than everything.
        if Permissions.scope(.readStatistics, for: principal.actor.role) == .ownProvinces && filter.provinces.isEmpty {
            return Dashboard(rows: [], filter: filter, split: selection.split, today: request.context.today, disclosure: !exact)
        }
        let store = request.context.store
        let today = request.context.today
        let split = selection.split
        let mirror = request.context.statisticsRows
        let key = "\(filter.provinces.map(\.rawValue))|\(filter.source?.rawValue ?? "")|\(filter.track?.rawValue ?? "")"
            + "|\(filter.from?.iso ?? "")|\(filter.to?.iso ?? "")|\(split.rawValue)|\(exact)|\(today.iso)"
        return try await request.context.dashboards.dashboard(version: try await store.statisticsVersion(), key: key) {
            // All the rows: the dashboard keeps those of the filter's scope as it counts (a copy of
            // the scope's rows first cost more than the counting).
            let rows = try await mirror.rows()
            let qualified = try await store.qualifiedLeavers(filter, split: split)
            return await DashboardCache.counting {
                Dashboard(rows: rows, qualifiedCounts: qualified, filter: filter, split: split, today: today, disclosure: !exact)
            }
        }
    }

    struct Option: Encodable {
        let value: String
        let label: String
        let selected: Bool
    }

    struct SectionView: Encodable {
        let id: String
        let title: String
        let intro: String
        let chart: String
        let columns: [String]
        let rows: [[String]]
        let totals: [String]?
        let csv: String
        let empty: Bool
        let withheld: Bool
    }

    struct DashboardPage: Encodable {
        let t: TextTable
        let user: UserView?
        let csrf: String
        let asOf: String
        let exact: Bool
        let scope: String?
        let from: String
        let to: String
        let error: String?
        let provinces: [Option]
        let sources: [Option]
        let tracks: [Option]
        let splits: [Option]
        let persons: String
        let sections: [SectionView]
    }

    func page(request: Request) async throws -> View {
        let principal = try request.principal
        try principal.require(.readStatistics)
        let exact = Permissions.allows(.readExactFigures, for: principal.actor.role)
        let selection = selection(request, principal: principal)
        let dashboard = try await dashboard(request, principal, selection, exact: exact)
        let t = Texts.table(request.language)
        let words = request.language.words
        let labels = Labels(t: t, words: words, split: selection.split)
        let tables: [(StatisticsTable, String, ChartKind)] = [
            (dashboard.disposition, "disposition", .columnTotals), (dashboard.steps, "steps", .columnTotals),
            (dashboard.timeliness, "timeliness", .columnTotals), (dashboard.offer, "offer", .derivedPerRow),
            (dashboard.situation, "situation", .derivedPerRow), (dashboard.jobSeeking, "job_seeking", .derivedPerRow),
            (dashboard.work, "work", .firstColumnPerRow),
        ]
        let sections = tables.map { table, key, chart in
            section(table, key: key, chart: chart, labels: labels, language: request.language, query: selection.query)
        }
        let scoped = Permissions.scope(.readStatistics, for: principal.actor.role) == .ownProvinces
        let askedProvince = (try? request.query.get(String.self, at: "province")) ?? ""
        let askedSource = (try? request.query.get(String.self, at: "source")) ?? ""
        let askedTrack = (try? request.query.get(String.self, at: "track")) ?? ""
        let visibleProvinces = scoped ? principal.actor.provinces : Province.allCases
        return try await request.view.render("dashboard", DashboardPage(
            t: t, user: principal.view, csrf: principal.session?.csrfToken ?? "", asOf: words.date(request.context.today), exact: exact,
            scope: scoped ? principal.actor.provinces.map(\.name).joined(separator: ", ") : nil,
            from: selection.typed.from, to: selection.typed.to, error: selection.error,
            provinces: [Option(value: "", label: t["dash_all"]!, selected: askedProvince.isEmpty)]
                + visibleProvinces.map { Option(value: $0.rawValue, label: $0.name, selected: askedProvince == $0.rawValue) },
            sources: [Option(value: "", label: t["dash_all"]!, selected: askedSource.isEmpty)]
                + [Source.agodi, .syntra].map { Option(value: $0.rawValue, label: words.source($0), selected: askedSource == $0.rawValue) },
            tracks: [Option(value: "", label: t["dash_all"]!, selected: askedTrack.isEmpty)]
                + Enrolment.Track.allCases.map { Option(value: $0.rawValue, label: words.track($0), selected: askedTrack == $0.rawValue) },
            splits: StatisticsSplit.allCases.map { Option(value: $0.rawValue, label: t["dash_split_" + $0.rawValue]!, selected: $0 == selection.split) },
            persons: exact || dashboard.persons >= Disclosure.threshold || dashboard.persons == 0 ? String(dashboard.persons) : "<\(Disclosure.threshold)",
            sections: sections))
    }

    /// `/dashboard/steps.csv?…`: one table as published (always protected, whoever downloads it).
    func csv(request: Request) async throws -> Response {
        let principal = try request.principal
        try principal.require(.readStatistics)
        guard let name = request.parameters.get("table"), name.hasSuffix(".csv") else { throw Abort(.notFound) }
        let selection = selection(request, principal: principal)
        let dashboard = try await dashboard(request, principal, selection, exact: false)
        let tables = ["disposition": dashboard.disposition, "steps": dashboard.steps, "timeliness": dashboard.timeliness, "offer": dashboard.offer,
                      "situation": dashboard.situation, "job_seeking": dashboard.jobSeeking, "work": dashboard.work]
        guard let table = tables[String(name.dropLast(4))] else { throw Abort(.notFound) }
        let labels = Labels(t: Texts.table(request.language), words: request.language.words, split: selection.split)
        let body = table.csv(rowLabel: { labels.row($0, table: table.id) }, columnLabel: labels.column)
        let response = Response(status: .ok, body: .init(string: body))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .contentDisposition,
                                      value: "attachment; filename=\"vangnet-\(table.id)-\(request.context.today.iso).csv\"")
        return response
    }

    /// Words for the tables' codes.
    struct Labels {
        let t: TextTable
        let words: any Vocabulary
        let split: StatisticsSplit

        func column(_ key: String) -> String {
            // A heading, like the others ("Met kwalificatie"): the reason's phrase with a capital.
            if let exclusion = Decision.Exclusion(rawValue: key) { return words.exclusion(exclusion).prefix(1).uppercased() + words.exclusion(exclusion).dropFirst() }
            return t["stat_col_" + key] ?? key
        }

        func row(_ key: String, table: String) -> String {
            if key == "total" { return t["stat_row_total"]! }
            if key == StatisticsTable.unknown { return t["dash_unknown"]! }
            switch table {
            case "situation": return key + " " + t["stat_row_months"]!
            case "job_seeking": return key
            case "timeliness": return month(key)
            case "work": return Province(rawValue: key)?.name ?? key
            default: break
            }
            switch split {
            case .month: return month(key)
            case .province: return Province(rawValue: key)?.name ?? key
            case .source: return Source(rawValue: key).map(words.source) ?? key
            case .track: return Enrolment.Track(rawValue: key).map { words.track($0) } ?? key
            }
        }

        /// "juni 2026".
        func month(_ key: String) -> String {
            guard let day = LocalDate(iso: key + "-01") else { return key }
            return words.month(year: day.year, month: day.month)
        }
    }

    enum ChartKind { case columnTotals, derivedPerRow, firstColumnPerRow }

    func section(_ table: StatisticsTable, key: String, chart: ChartKind, labels: Labels, language: Language, query: String) -> SectionView {
        let t = labels.t
        let p = table.published
        func share(_ value: Double?) -> String { value.map { FigureFormat.percent($0, language) } ?? "–" }
        func number(_ d: StatisticsTable.Derived, _ value: Double?) -> String {
            guard let value else { return "–" }
            switch d.kind {
            case .share: return share(value)
            case .days: return String(Int(value))
            case .perCase: return FigureFormat.decimal(value, language)
            }
        }
        var columns = table.columnKeys.map(labels.column)
        if table.hasRowTotals { columns.append(t["stat_col_total"]!) }
        columns += table.derived.map { labels.column($0.key) }
        let rows: [[String]] = table.rowKeys.indices.map { i in
            [labels.row(table.rowKeys[i], table: table.id)] + p.cells[i].map(\.text) + (p.rowTotals.map { [$0[i].text] } ?? [])
                + table.derived.map { number($0, $0.values[i]) }
        }
        let totals: [String]? = p.columnTotals.map { totals in
            [t["stat_row_total"]!] + totals.map(\.text) + (table.hasRowTotals ? [p.grandTotal?.text ?? ""] : [])
                + table.derived.map { number($0, $0.total) }
        }
        var bars: [(label: String, value: String, share: Double, small: Bool)] = []
        switch chart {
        case .columnTotals:
            if let totals = p.columnTotals {
                let longest = Double(max(1, totals.compactMap(\.value).max() ?? 1))
                bars = zip(table.columnKeys, totals).map { key, cell in
                    (labels.column(key), cell.text, cell.value.map { Double($0) / longest } ?? 0.02, cell.value == nil)
                }
            }
        case .derivedPerRow:
            if let derived = table.derived.first {
                bars = table.rowKeys.indices.map { i in
                    (labels.row(table.rowKeys[i], table: table.id), share(derived.values[i]), derived.values[i] ?? 0.02, derived.values[i] == nil)
                }
            }
        case .firstColumnPerRow:
            let longest = Double(max(1, p.cells.compactMap { $0.first?.value }.max() ?? 1))
            bars = table.rowKeys.indices.map { i in
                let cell = p.cells[i][0]
                return (labels.row(table.rowKeys[i], table: table.id), cell.text, cell.value.map { Double($0) / longest } ?? 0.02, cell.value == nil)
            }
        }
        let empty = table.rowKeys.isEmpty
        return SectionView(
            id: key, title: t["dash_" + key]!, intro: t["dash_" + key + "_intro"]!,
            // A chart only when it has a bar to show (not only stubs of hidden or missing figures).
            chart: empty || p.withheld || bars.allSatisfy(\.small) ? "" : BarChart.svg(id: "chart-" + key, title: t["dash_chart_" + key]!, bars: bars),
            columns: columns, rows: p.withheld ? [] : rows, totals: p.withheld ? nil : totals,
            csv: "/dashboard/\(key).csv" + query, empty: empty, withheld: p.withheld)
    }
}
