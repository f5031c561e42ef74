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
        case .month: s.leftOn.map(Self.month) ?? StatisticsTable.unknown
        case .province: s.province?.rawValue ?? StatisticsTable.unknown
        case .source: s.source?.rawValue ?? StatisticsTable.unknown
        case .track: s.track?.rawValue ?? StatisticsTable.unknown
        }
    }

    /// "2025-06".
    static func month(_ day: LocalDate) -> String {
        let (year, month, _) = day.components
        return String(year) + (month < 10 ? "-0" : "-") + String(month)
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
    ///
    /// One pass over the rows, each counted where it belongs, then the tables: at ten school years
    /// the rows are 25,000 and a filter per figure copied them a dozen times (139 ms a making, on
    /// the cores the pages and the intake share; `DashboardCountingTests` holds the plain per-figure
    /// counting this must agree with).
    public init(rows all: [PersonStatistics], qualifiedCounts: [String: Int]? = nil, filter: StatisticsFilter, split: StatisticsSplit,
                today: LocalDate, disclosure: Bool) {
        self.filter = filter
        self.split = split
        self.today = today
        let qualifiedElsewhere = qualifiedCounts ?? [:]
        // The consultants' work: cases whatever the month of leaving, within the other filters.
        var workFilter = filter
        workFilter.from = nil
        workFilter.to = nil
        func inPeriod(_ day: LocalDate?) -> Bool {
            guard let day else { return false }
            return (filter.from.map { day >= $0 } ?? true) && (filter.to.map { day <= $0 } ?? true)
        }
        let marks = PersonStatistics.followUpMonths
        let situations = PersonStatistics.Situation.allCases
        let daySteps: [(String, KeyPath<PersonStatistics, LocalDate?>, KeyPath<PersonStatistics, LocalDate?>)] = [
            ("days_left_detected", \.leftOn, \.detectedOn), ("days_detected_case", \.detectedOn, \.caseOpenedOn),
            ("days_case_letter", \.caseOpenedOn, \.firstLetterOn), ("days_case_first_attempt", \.caseOpenedOn, \.firstAttemptOn),
        ]

        // What each table counts, per row key.
        var leavers = 0
        var dispositionTally: [String: [String: Int]] = [:]
        var dispositions: Set<String> = []
        var stepTally: [String: [Int]] = [:]
        var offerTally: [String: [Int]] = [:]
        var buckets: [String: [Int]] = [:]
        var days: [String: [[Int]]] = [:]
        var allDays = Array(repeating: [Int](), count: daySteps.count)
        var situationTally = Array(repeating: Array(repeating: 0, count: situations.count), count: marks.count)
        var cohorts: [String: [Int]] = [:]
        var workTally: [String: [Int]] = [:]
        var contacts: [String: [Int]] = [:], allContacts: [Int] = []
        var outcomeDays: [String: [Int]] = [:], allOutcomeDays: [Int] = []
        for s in all {
            if let opened = s.caseOpenedOn, workFilter.includes(s) {
                let province = StatisticsSplit.province.key(s)
                let open = s.caseClosedOn == nil
                workTally[province, default: [0, 0, 0, 0]][0] += open ? 1 : 0
                if inPeriod(opened) {
                    workTally[province]![1] += 1
                    contacts[province, default: []].append(s.contacts)
                    allContacts.append(s.contacts)
                }
                if open && s.firstAttemptOn == nil && CaseRules.firstContactDue(openedOn: opened) < today { workTally[province]![2] += 1 }
                if let closed = s.caseClosedOn, inPeriod(closed) {
                    workTally[province]![3] += 1
                    outcomeDays[province, default: []].append(opened.days(until: closed))
                    allOutcomeDays.append(opened.days(until: closed))
                }
            }
            guard filter.includes(s), let left = s.leftOn else { continue }
            leavers += 1
            let key = split.key(s)
            let column = Self.disposition(s)
            dispositions.insert(column)
            dispositionTally[key, default: [:]][column, default: 0] += 1
            if !s.qualified && PersonStatistics.oneYearLaterMeasureDate(leftOn: left) <= today {
                let (year, month, _) = left.components
                let start = month >= 9 ? year : year - 1
                cohorts["\(start)-\(start + 1)", default: [0, 0]][0] += 1
                if s.jobSeekingOneYearLater == true { cohorts["\(start)-\(start + 1)"]![1] += 1 }
            }
            guard Self.inTargetGroup(s) else { continue }
            for j in Self.stepColumns.indices where Self.reached(s, step: j) {
                stepTally[key, default: Array(repeating: 0, count: Self.stepColumns.count)][j] += 1
            }
            guard let opened = s.caseOpenedOn else { continue }
            let month = StatisticsSplit.month.key(s)
            let bucket = Self.timelinessColumns.firstIndex(of: Self.firstAttemptBucket(s))!
            buckets[month, default: Array(repeating: 0, count: Self.timelinessColumns.count)][bucket] += 1
            if days[month] == nil { days[month] = Array(repeating: [], count: daySteps.count) }
            for (p, (_, from, to)) in daySteps.enumerated() {
                guard let start = s[keyPath: from], let end = s[keyPath: to] else { continue }
                days[month]![p].append(max(0, start.days(until: end)))
                allDays[p].append(max(0, start.days(until: end)))
            }
            // The Youth Guarantee's offer within 4 months: cases opened at least 4 months ago.
            let deadline = opened.adding(months: 4)
            if deadline <= today {
                offerTally[key, default: [0, 0]][0] += 1
                if let offer = s.offerOn, offer <= deadline { offerTally[key]![1] += 1 }
            }
            // The situation after the case closed, once that many months have passed.
            if let closed = s.caseClosedOn {
                for (m, months) in marks.enumerated() where closed.adding(months: months) <= today {
                    if let now = Self.situation(s, months), let j = situations.firstIndex(of: now) { situationTally[m][j] += 1 }
                }
            }
        }
        persons = leavers + qualifiedElsewhere.values.reduce(0, +)

        let rowKeys = Self.ordered(Set(dispositionTally.keys).union(qualifiedElsewhere.filter { $0.value > 0 }.keys), split)
        func counts(_ keys: [String], _ of: [String: [Int]], columns: Int) -> [[Int]] {
            keys.map { of[$0] ?? Array(repeating: 0, count: columns) }
        }

        // The disposition: every leaver in exactly one column.
        let exclusions = Decision.Exclusion.allCases.map(\.rawValue).filter(dispositions.contains)
        let dispositionColumns = ["qualified", "pending"] + exclusions + (dispositions.contains("other") ? ["other"] : []) + [Self.targetGroup]
        let dispositionCounts = rowKeys.map { key in
            dispositionColumns.enumerated().map { j, column in (dispositionTally[key]?[column] ?? 0) + (j == 0 ? qualifiedElsewhere[key] ?? 0 : 0) }
        }
        disposition = StatisticsTable(id: "disposition", rowKeys: rowKeys, columnKeys: dispositionColumns, counts: dispositionCounts,
                                      rowTotals: true, columnTotals: true, disclosure: disclosure)
        steps = StatisticsTable(id: "steps", rowKeys: rowKeys, columnKeys: Self.stepColumns,
                                counts: counts(rowKeys, stepTally, columns: Self.stepColumns.count), rowTotals: false, columnTotals: true,
                                disclosure: disclosure)
        (disposition, steps) = StatisticsTable.linked(disposition, sharedColumn: dispositionColumns.count - 1, steps, sharedColumn: 0,
                                                      disclosure: disclosure)

        // Timeliness, by month of leaving whatever the split.
        let months = Self.ordered(Set(buckets.keys), .month)
        timeliness = StatisticsTable(id: "timeliness", rowKeys: months, columnKeys: Self.timelinessColumns,
                                     counts: counts(months, buckets, columns: Self.timelinessColumns.count), rowTotals: true, columnTotals: true,
                                     disclosure: disclosure)
        for (p, (key, _, _)) in daySteps.enumerated() {
            timeliness.addMedian(key, values: months.map { days[$0]?[p] ?? [] }, all: allDays[p])
        }
        timeliness.derived.append(Self.shareOfRowTotal(timeliness, column: 0, key: "share_within_5"))

        offer = StatisticsTable(id: "offer", rowKeys: rowKeys, columnKeys: ["cases_4_months", "offer_4_months"], counts: counts(rowKeys, offerTally, columns: 2),
                                rowTotals: false, columnTotals: true, disclosure: disclosure)
        offer.addShare("share_offer_4_months", numerator: 1, denominator: 0)

        situation = StatisticsTable(id: "situation", rowKeys: marks.map(String.init), columnKeys: situations.map(\.rawValue), counts: situationTally,
                                    rowTotals: true, columnTotals: false, disclosure: disclosure)
        situation.derived.append(Self.shareOfRowTotal(situation, column: 0, key: "share_work"))

        // VDAB's measure, per school year of leaving, for the cohorts whose 30 June has passed.
        let schoolYears = cohorts.keys.sorted()
        jobSeeking = StatisticsTable(id: "job_seeking", rowKeys: schoolYears, columnKeys: ["unqualified_leavers", "job_seeking_30_june"],
                                     counts: counts(schoolYears, cohorts, columns: 2), rowTotals: false, columnTotals: true, disclosure: disclosure)
        jobSeeking.addShare("share_job_seeking", numerator: 1, denominator: 0)

        // The consultants' work per province.
        let provinces = Self.ordered(Set(workTally.keys), .province)
        work = StatisticsTable(id: "work", rowKeys: provinces, columnKeys: Self.workColumns, counts: counts(provinces, workTally, columns: Self.workColumns.count),
                               rowTotals: false, columnTotals: true, disclosure: disclosure)
        work.addAverage("contacts_per_case", values: provinces.map { contacts[$0] ?? [] }, all: allContacts)
        work.addMedian("days_to_outcome", values: provinces.map { outcomeDays[$0] ?? [] }, all: allOutcomeDays)
    }

    /// Row keys in their natural order (months in time, provinces, sources and tracks as listed),
    /// "unknown" last.
    static func ordered(_ found: Set<String>, _ split: StatisticsSplit) -> [String] {
        let ordered: [String]
        switch split {
        case .month: ordered = found.filter { $0 != StatisticsTable.unknown }.sorted()
        case .province: ordered = Province.allCases.map(\.rawValue).filter(found.contains)
        case .source: ordered = Source.allCases.map(\.rawValue).filter(found.contains)
        case .track: ordered = Enrolment.Track.allCases.map(\.rawValue).filter(found.contains)
        }
        return ordered + (found.contains(StatisticsTable.unknown) ? [StatisticsTable.unknown] : [])
    }

    /// Whether a person of the target group reached step `j` of `stepColumns`.
    static func reached(_ s: PersonStatistics, step j: Int) -> Bool {
        switch j {
        case 0: true
        case 1: s.caseOpenedOn != nil
        case 2: s.firstLetterOn != nil
        case 3: s.firstAttemptOn != nil
        case 4: s.firstReachedOn != nil
        case 5: s.registeredOn != nil
        case 6: s.referredOn != nil
        default: s.offerOn != nil
        }
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
