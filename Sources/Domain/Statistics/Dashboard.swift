/// Which persons of the statistics store a figure is about: school leavers who left in the
/// period (by the day they left), of some provinces, sources and tracks.
public struct StatisticsFilter: Sendable, Equatable {
    public var from: LocalDate?
    public var to: LocalDate?
    /// Empty: every province (a team lead's filter is their own provinces).
    public var provinces: [Province]
    public var source: Source?
    public var track: Enrolment.Track?

    public init(from: LocalDate? = nil, to: LocalDate? = nil, provinces: [Province] = [], source: Source? = nil, track: Enrolment.Track? = nil) {
        self.from = from
        self.to = to
        self.provinces = provinces
        self.source = source
        self.track = track
    }

    public func includes(_ s: PersonStatistics) -> Bool {
        guard let left = s.leftOn else { return false }
        if let from, left < from { return false }
        if let to, left > to { return false }
        return matchesScope(s)
    }

    /// Whether the person is of the filter's provinces, source and track, whenever they left
    /// (what `Store.statistics(provinces:source:track:)` selects in SQL).
    public func matchesScope(_ s: PersonStatistics) -> Bool {
        if !provinces.isEmpty, !(s.province.map(provinces.contains) ?? false) { return false }
        if let source, s.source != source { return false }
        if let track, s.track != track { return false }
        return true
    }
}

/// What the rows of the dashboard's tables are.
public enum StatisticsSplit: String, Sendable, CaseIterable {
    case month, province, source, track

    public func key(_ s: PersonStatistics) -> String {
        switch self {
        case .month: s.leftOn.map { String($0.iso.prefix(7)) } ?? StatisticsTable.unknown
        case .province: s.province?.rawValue ?? StatisticsTable.unknown
        case .source: s.source?.rawValue ?? StatisticsTable.unknown
        case .track: s.track?.rawValue ?? StatisticsTable.unknown
        }
    }
}

/// One published table: its rows and columns as codes (the page puts words on them), the exact
/// counts (never published as such below the manager), what may be published, and figures
/// derived per row (shares, medians) that are published only where their counts are.
public struct StatisticsTable: Sendable {
    public static let unknown = "unknown"

    public var id: String
    public var rowKeys: [String]
    public var columnKeys: [String]
    public var counts: [[Int]]
    public var hasRowTotals: Bool
    public var hasColumnTotals: Bool
    public var published: ProtectedTable
    public var derived: [Derived]

    /// A figure per row (and for all rows together) that is not a count of persons.
    public struct Derived: Sendable {
        public enum Kind: String, Sendable { case share, days, perCase = "per_case" }
        public var key: String
        public var kind: Kind
        public var values: [Double?]
        public var total: Double?
    }

    public init(id: String, rowKeys: [String], columnKeys: [String], counts: [[Int]], rowTotals: Bool, columnTotals: Bool, disclosure: Bool) {
        self.id = id
        self.rowKeys = rowKeys
        self.columnKeys = columnKeys
        self.counts = counts
        hasRowTotals = rowTotals
        hasColumnTotals = columnTotals
        derived = []
        published = ProtectedTable(cells: [], rowTotals: nil, columnTotals: nil, grandTotal: nil, withheld: false)
        published = disclosure ? Disclosure.protect(counts, columns: columnKeys.count, rowTotals: rowTotals, columnTotals: columnTotals)
            : Self.exact(self)
    }

    /// The figures of two tables that publish the same column, protected together (`Disclosure.protectLinked`).
    static func linked(_ a: StatisticsTable, sharedColumn ja: Int, _ b: StatisticsTable, sharedColumn jb: Int,
                       disclosure: Bool) -> (StatisticsTable, StatisticsTable) {
        guard disclosure else { return (a, b) }
        // The shared column (the target group) and the one after it in the second table (cases) are
        // what a reader comes for: hidden only when nothing else protects.
        let (pa, pb) = Disclosure.protectLinked((a.counts, a.columnKeys.count, a.hasRowTotals, a.hasColumnTotals, ja),
                                                (b.counts, b.columnKeys.count, b.hasRowTotals, b.hasColumnTotals, jb),
                                                keepFirst: [ja], keepSecond: [jb, jb + 1])
        var (a, b) = (a, b)
        a.published = pa
        b.published = pb
        return (a, b)
    }

    static func exact(_ table: StatisticsTable) -> ProtectedTable {
        let columns = table.columnKeys.indices.map { j in table.counts.map { $0[j] }.reduce(0, +) }
        return ProtectedTable(cells: table.counts.map { $0.map { .count($0) } },
                              rowTotals: table.hasRowTotals ? table.counts.map { .count($0.reduce(0, +)) } : nil,
                              columnTotals: table.hasColumnTotals ? columns.map { .count($0) } : nil,
                              grandTotal: table.hasRowTotals && table.hasColumnTotals ? .count(columns.reduce(0, +)) : nil, withheld: false)
    }

    /// The share of column `numerator` in column `denominator`, per row and in total — only where
    /// both are published exactly and the denominator is at least 10 (a share next to "<10" would
    /// give the small count away).
    public mutating func addShare(_ key: String, numerator: Int, denominator: Int) {
        func share(_ n: ProtectedTable.Cell?, _ d: ProtectedTable.Cell?) -> Double? {
            guard let n = n?.value, let d = d?.value else { return nil }
            return Disclosure.share(n, of: d)
        }
        let cells = published.cells
        derived.append(Derived(key: key, kind: .share, values: cells.map { share($0[numerator], $0[denominator]) },
                               total: share(published.columnTotals?[numerator], published.columnTotals?[denominator])))
    }

    /// A median number of days per row, from the values behind it (at least 10 of them).
    public mutating func addMedian(_ key: String, values: [[Int]], all: [Int]) {
        derived.append(Derived(key: key, kind: .days, values: values.map { Disclosure.median($0).map(Double.init) },
                               total: Disclosure.median(all).map(Double.init)))
    }

    /// An average per case (contacts per case), over at least 10 cases.
    public mutating func addAverage(_ key: String, values: [[Int]], all: [Int]) {
        func average(_ v: [Int]) -> Double? { v.count >= Disclosure.threshold ? Double(v.reduce(0, +)) / Double(v.count) : nil }
        derived.append(Derived(key: key, kind: .perCase, values: values.map(average), total: average(all)))
    }

    /// The table as CSV: the published cells ("<10", "×"), the totals, the derived figures.
    public func csv(rowLabel: (String) -> String, columnLabel: (String) -> String) -> String {
        func field(_ text: String) -> String {
            text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        func number(_ d: Derived, _ v: Double?) -> String {
            guard let v else { return "" }
            switch d.kind {
            case .share: return String(Double(Int((v * 1000).rounded())) / 10)
            case .days: return String(Int(v))
            case .perCase: return String(Double(Int((v * 10).rounded())) / 10)
            }
        }
        var header = [""] + columnKeys.map(columnLabel)
        if hasRowTotals { header.append(columnLabel("total")) }
        header += derived.map { columnLabel($0.key) }
        var lines = [header.map(field).joined(separator: ",")]
        for (i, key) in rowKeys.enumerated() {
            var line = [rowLabel(key)] + published.cells[i].map(\.text)
            if let totals = published.rowTotals { line.append(totals[i].text) }
            line += derived.map { number($0, $0.values[i]) }
            lines.append(line.map(field).joined(separator: ","))
        }
        if let totals = published.columnTotals {
            var line = [rowLabel("total")] + totals.map(\.text)
            if hasRowTotals { line.append(published.grandTotal?.text ?? "") }
            line += derived.map { number($0, $0.total) }
            lines.append(line.map(field).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

/// The dashboard (docs/monitoring.md, "The dashboard"): every table computed from the statistics
/// store's rows, for a filter and a split, as of a day. Pure.
public struct Dashboard: Sendable {
    public var filter: StatisticsFilter
    public var split: StatisticsSplit
    public var today: LocalDate
    /// Persons in the filter (left school in the period).
    public var persons: Int
    /// From school leaver to what they became: qualified, pending, not in the target group (by
    /// reason), in the target group; the row total is the leavers.
    public var disposition: StatisticsTable
    /// The steps of the target group, each a subset of the one before (no row totals).
    public var steps: StatisticsTable
    /// Per month of leaving: working days from the case to the first contact attempt, with the
    /// median days between the steps.
    public var timeliness: StatisticsTable
    /// EU Youth Guarantee: an offer within 4 months of the case opening.
    public var offer: StatisticsTable
    /// The situation 6, 12 and 18 months after the case closed, per the facts.
    public var situation: StatisticsTable
    /// VDAB's measure: still registered as job-seeking on 30 June one year later, per school year.
    public var jobSeeking: StatisticsTable
    /// The consultants' work per province.
    public var work: StatisticsTable

    public static let targetGroup = "target_group"
    public static let stepColumns = [targetGroup, "case", "letter", "first_attempt", "reached", "registered", "referred", "activity"]
    public static let timelinessColumns = ["within_5", "within_10", "within_20", "later", "not_yet"]
    public static let workColumns = ["open", "opened", "overdue_first_contact", "closed"]

    /// Whether a person counts in the target group: an unqualified leaver Vangnet follows up — one
    /// decided eligible, or one who had a case (whatever their decision says now).
    public static func inTargetGroup(_ s: PersonStatistics) -> Bool {
        !s.qualified && (s.outcome == "eligible" || s.caseOpenedOn != nil)
    }

    /// `qualifiedCounts`: when given, the qualified school leavers without a case are not among
    /// `rows` but counted per split key (the store counts them: they are most of the leavers).
    public init(rows all: [PersonStatistics], qualifiedCounts: [String: Int]? = nil, filter: StatisticsFilter, split: StatisticsSplit,
                today: LocalDate, disclosure: Bool) {
        self.filter = filter
        self.split = split
        self.today = today
        let rows = all.filter(filter.includes)
        let qualifiedElsewhere = qualifiedCounts ?? [:]
        persons = rows.count + qualifiedElsewhere.values.reduce(0, +)
        // The row keys in their natural order (months in time, provinces, sources and tracks as
        // listed), "unknown" last.
        func keys(_ of: [PersonStatistics], _ split: StatisticsSplit, plus extra: Set<String> = []) -> [String] {
            let found = Set(of.map(split.key)).union(extra)
            let ordered: [String]
            switch split {
            case .month: ordered = found.filter { $0 != StatisticsTable.unknown }.sorted()
            case .province: ordered = Province.allCases.map(\.rawValue).filter(found.contains)
            case .source: ordered = Source.allCases.map(\.rawValue).filter(found.contains)
            case .track: ordered = Enrolment.Track.allCases.map(\.rawValue).filter(found.contains)
            }
            return ordered + (found.contains(StatisticsTable.unknown) ? [StatisticsTable.unknown] : [])
        }
        let rowKeys = keys(rows, split, plus: Set(qualifiedElsewhere.filter { $0.value > 0 }.keys))
        let groups = Dictionary(grouping: rows, by: split.key)
        func table(_ id: String, _ columns: [String], rowTotals: Bool, columnTotals: Bool, keys: [String], groups: [String: [PersonStatistics]],
                   _ count: (PersonStatistics, String) -> Bool) -> StatisticsTable {
            StatisticsTable(id: id, rowKeys: keys, columnKeys: columns,
                            counts: keys.map { key in columns.map { column in (groups[key] ?? []).filter { count($0, column) }.count } },
                            rowTotals: rowTotals, columnTotals: columnTotals, disclosure: disclosure)
        }

        // The disposition: every leaver in exactly one column.
        let exclusions = Decision.Exclusion.allCases.map(\.rawValue).filter { e in rows.contains { Self.disposition($0) == e } }
        let other = rows.contains { Self.disposition($0) == "other" } ? ["other"] : []
        let dispositionColumns = ["qualified", "pending"] + exclusions + other + [Self.targetGroup]
        var dispositionCounts = rowKeys.map { _ in Array(repeating: 0, count: dispositionColumns.count) }
        let columnIndex = Dictionary(uniqueKeysWithValues: dispositionColumns.enumerated().map { ($1, $0) })
        let rowIndex = Dictionary(uniqueKeysWithValues: rowKeys.enumerated().map { ($1, $0) })
        for s in rows {
            if let i = rowIndex[split.key(s)], let j = columnIndex[Self.disposition(s)] { dispositionCounts[i][j] += 1 }
        }
        for (key, n) in qualifiedElsewhere { if let i = rowIndex[key] { dispositionCounts[i][0] += n } }
        disposition = StatisticsTable(id: "disposition", rowKeys: rowKeys, columnKeys: dispositionColumns, counts: dispositionCounts,
                                      rowTotals: true, columnTotals: true, disclosure: disclosure)

        let target = rows.filter(Self.inTargetGroup)
        let targetGroups = Dictionary(grouping: target, by: split.key)
        steps = table("steps", Self.stepColumns, rowTotals: false, columnTotals: true, keys: rowKeys, groups: targetGroups) { s, step in
            switch step {
            case Self.targetGroup: true
            case "case": s.caseOpenedOn != nil
            case "letter": s.firstLetterOn != nil
            case "first_attempt": s.firstAttemptOn != nil
            case "reached": s.firstReachedOn != nil
            case "registered": s.registeredOn != nil
            case "referred": s.referredOn != nil
            default: s.offerOn != nil
            }
        }

        (disposition, steps) = StatisticsTable.linked(disposition, sharedColumn: disposition.columnKeys.count - 1, steps, sharedColumn: 0,
                                                      disclosure: disclosure)

        // Timeliness, by month of leaving whatever the split.
        let withCase = target.filter { $0.caseOpenedOn != nil }
        let months = keys(withCase, .month)
        let byMonth = Dictionary(grouping: withCase, by: StatisticsSplit.month.key)
        // Each case's bucket once (counting working days is the costly part), not once per column.
        var bucketsByMonth: [String: [String]] = [:]
        for s in withCase { bucketsByMonth[StatisticsSplit.month.key(s), default: []].append(Self.firstAttemptBucket(s)) }
        timeliness = StatisticsTable(id: "timeliness", rowKeys: months, columnKeys: Self.timelinessColumns, counts: months.map { month in
            Self.timelinessColumns.map { column in (bucketsByMonth[month] ?? []).filter { $0 == column }.count }
        }, rowTotals: true, columnTotals: true, disclosure: disclosure)
        func days(_ of: [PersonStatistics], _ from: KeyPath<PersonStatistics, LocalDate?>, _ to: KeyPath<PersonStatistics, LocalDate?>) -> [Int] {
            of.compactMap { s in s[keyPath: from].flatMap { start in s[keyPath: to].map { max(0, start.days(until: $0)) } } }
        }
        for (key, from, to) in [("days_left_detected", \PersonStatistics.leftOn, \PersonStatistics.detectedOn),
                                ("days_detected_case", \.detectedOn, \.caseOpenedOn), ("days_case_letter", \.caseOpenedOn, \.firstLetterOn),
                                ("days_case_first_attempt", \.caseOpenedOn, \.firstAttemptOn)] {
            timeliness.addMedian(key, values: months.map { days(byMonth[$0] ?? [], from, to) }, all: days(withCase, from, to))
        }
        timeliness.derived.append(Self.shareOfRowTotal(timeliness, column: 0, key: "share_within_5"))

        // The Youth Guarantee's offer within 4 months: cases opened at least 4 months ago.
        let measurable = withCase.filter { $0.caseOpenedOn!.adding(months: 4) <= today }
        let measurableGroups = Dictionary(grouping: measurable, by: split.key)
        offer = table("offer", ["cases_4_months", "offer_4_months"], rowTotals: false, columnTotals: true, keys: rowKeys, groups: measurableGroups) { s, column in
            column == "cases_4_months" || (s.offerOn.map { $0 <= s.caseOpenedOn!.adding(months: 4) } ?? false)
        }
        offer.addShare("share_offer_4_months", numerator: 1, denominator: 0)

        // The situation after the case closed, once that many months have passed.
        let situations = PersonStatistics.Situation.allCases.map(\.rawValue)
        let marks = PersonStatistics.followUpMonths.map(String.init)
        var byMark: [String: [PersonStatistics]] = [:]
        for months in PersonStatistics.followUpMonths {
            byMark[String(months)] = withCase.filter { s in s.caseClosedOn.map { $0.adding(months: months) <= today } ?? false }
        }
        situation = StatisticsTable(id: "situation", rowKeys: marks, columnKeys: situations, counts: PersonStatistics.followUpMonths.map { months in
            situations.map { column in (byMark[String(months)] ?? []).filter { Self.situation($0, months)?.rawValue == column }.count }
        }, rowTotals: true, columnTotals: false, disclosure: disclosure)
        situation.derived.append(Self.shareOfRowTotal(situation, column: 0, key: "share_work"))

        // VDAB's measure, per school year of leaving, for the cohorts whose 30 June has passed.
        let cohorts = rows.filter { s in !s.qualified && s.leftOn.map { PersonStatistics.oneYearLaterMeasureDate(leftOn: $0) <= today } ?? false }
        func schoolYear(_ s: PersonStatistics) -> String {
            let (year, month, _) = s.leftOn!.components
            let start = month >= 9 ? year : year - 1
            return "\(start)-\(start + 1)"
        }
        let cohortGroups = Dictionary(grouping: cohorts, by: schoolYear)
        jobSeeking = table("job_seeking", ["unqualified_leavers", "job_seeking_30_june"], rowTotals: false, columnTotals: true,
                           keys: cohortGroups.keys.sorted(), groups: cohortGroups) { s, column in
            column == "unqualified_leavers" || s.jobSeekingOneYearLater == true
        }
        jobSeeking.addShare("share_job_seeking", numerator: 1, denominator: 0)

        // The consultants' work per province (cases whatever the month of leaving, within the other filters).
        var workFilter = filter
        workFilter.from = nil
        workFilter.to = nil
        let cases = all.filter { workFilter.includes($0) && $0.caseOpenedOn != nil }
        func inPeriod(_ day: LocalDate?) -> Bool {
            guard let day else { return false }
            return (filter.from.map { day >= $0 } ?? true) && (filter.to.map { day <= $0 } ?? true)
        }
        let provinceKeys = keys(cases, .province)
        let byProvince = Dictionary(grouping: cases, by: StatisticsSplit.province.key)
        work = table("work", Self.workColumns, rowTotals: false, columnTotals: true, keys: provinceKeys, groups: byProvince) { s, column in
            switch column {
            case "open": s.caseClosedOn == nil
            case "opened": inPeriod(s.caseOpenedOn)
            case "overdue_first_contact": s.caseClosedOn == nil && s.firstAttemptOn == nil && CaseRules.firstContactDue(openedOn: s.caseOpenedOn!) < today
            default: inPeriod(s.caseClosedOn)
            }
        }
        let opened = { (of: [PersonStatistics]) in of.filter { inPeriod($0.caseOpenedOn) } }
        work.addAverage("contacts_per_case", values: provinceKeys.map { opened(byProvince[$0] ?? []).map(\.contacts) }, all: opened(cases).map(\.contacts))
        let closed = { (of: [PersonStatistics]) in of.filter { inPeriod($0.caseClosedOn) }.map { $0.caseOpenedOn!.days(until: $0.caseClosedOn!) } }
        work.addMedian("days_to_outcome", values: provinceKeys.map { closed(byProvince[$0] ?? []) }, all: closed(cases))
    }

    /// The one column of the disposition a leaver falls in.
    public static func disposition(_ s: PersonStatistics) -> String {
        if s.qualified { return "qualified" }
        if inTargetGroup(s) { return targetGroup }
        if s.outcome == "pending" { return "pending" }
        if s.outcome == "not_in_target_group", let exclusion = s.exclusion { return exclusion }
        return "other"
    }

    /// How soon after the case opened the first contact attempt came, in working days.
    public static func firstAttemptBucket(_ s: PersonStatistics) -> String {
        guard let opened = s.caseOpenedOn, let first = s.firstAttemptOn else { return "not_yet" }
        var days = 0
        var day = opened
        while day < first && days <= 20 {
            day = day.adding(days: 1)
            if HolidayCalendar.flanders.isWorkingDay(day) { days += 1 }
        }
        return days <= 5 ? "within_5" : days <= 10 ? "within_10" : days <= 20 ? "within_20" : "later"
    }

    static func situation(_ s: PersonStatistics, _ months: Int) -> PersonStatistics.Situation? {
        switch months {
        case 6: s.situation6
        case 12: s.situation12
        default: s.situation18
        }
    }

    /// The share of a column in its row's total, published where both are exact and the total is 10 or more.
    static func shareOfRowTotal(_ table: StatisticsTable, column: Int, key: String) -> StatisticsTable.Derived {
        let p = table.published
        func share(_ n: ProtectedTable.Cell?, _ d: ProtectedTable.Cell?) -> Double? {
            guard let n = n?.value, let d = d?.value else { return nil }
            return Disclosure.share(n, of: d)
        }
        return StatisticsTable.Derived(key: key, kind: .share, values: p.cells.indices.map { share(p.cells[$0][column], p.rowTotals?[$0]) },
                                       total: share(p.columnTotals?[column], p.grandTotal))
    }
}
