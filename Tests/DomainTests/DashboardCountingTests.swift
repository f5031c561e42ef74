@testable import Domain
import Testing

/// The dashboard counts every row once, in one pass (`Dashboard.init`). Here each figure is
/// counted the plain way, a filter per figure as docs/monitoring.md defines it, and the two must
/// agree on rows drawn at random: every table's keys, counts and derived figures.
@Suite struct DashboardCountingTests {
    @Test func theOnePassDashboardAgreesWithAFilterPerFigure() {
        var random = SplitMix(seed: 2026)
        let today = LocalDate(year: 2027, month: 3, day: 1)!
        for round in 0..<40 {
            let rows = (0..<Int.random(in: 0...400, using: &random)).map { Self.row($0, &random) }
            let qualified: [String: Int]? = round % 3 == 0 ? nil : ["antwerpen": 40, "2026-06": 12, "unknown": 3, "limburg": 0]
            let filters = [StatisticsFilter(), StatisticsFilter(from: LocalDate(year: 2025, month: 9, day: 1), to: LocalDate(year: 2026, month: 8, day: 31)),
                           StatisticsFilter(provinces: [.antwerpen, .limburg], source: .agodi), StatisticsFilter(track: .bso)]
            for filter in filters {
                for split in StatisticsSplit.allCases {
                    let fast = Dashboard(rows: rows, qualifiedCounts: qualified, filter: filter, split: split, today: today, disclosure: false)
                    let plain = Self.plain(rows: rows, qualifiedCounts: qualified, filter: filter, split: split, today: today)
                    #expect(fast.persons == plain.persons)
                    for (a, b) in zip([fast.disposition, fast.steps, fast.timeliness, fast.offer, fast.situation, fast.jobSeeking, fast.work], plain.tables) {
                        #expect(a.id == b.id)
                        #expect(a.rowKeys == b.rowKeys, "\(a.id) by \(split)")
                        #expect(a.columnKeys == b.columnKeys, "\(a.id)")
                        #expect(a.counts == b.counts, "\(a.id) by \(split)")
                        #expect(a.derived.map(\.key) == b.derived.map(\.key))
                        #expect(a.derived.map(\.values) == b.derived.map(\.values), "\(a.id)")
                        #expect(a.derived.map(\.total) == b.derived.map(\.total), "\(a.id)")
                    }
                }
            }
        }
    }

    /// A person of the statistics store with some of everything, or nothing.
    static func row(_ n: Int, _ random: inout SplitMix) -> PersonStatistics {
        func day(_ from: LocalDate, within days: Int) -> LocalDate? {
            Bool.random(using: &random) ? from.adding(days: Int.random(in: 0...days, using: &random)) : nil
        }
        let start = LocalDate(year: 2024, month: 6, day: 1)!
        let left = Int.random(in: 0...9, using: &random) == 0 ? nil : start.adding(days: Int.random(in: 0...800, using: &random))
        let opened = left.flatMap { day($0, within: 60) }
        let outcomes = ["eligible", "pending", "not_in_target_group", "not_a_leaver"]
        let exclusions = Decision.Exclusion.allCases.map(\.rawValue) + ["retired_code"]
        let situations = PersonStatistics.Situation.allCases
        func situation() -> PersonStatistics.Situation? { Bool.random(using: &random) ? situations.randomElement(using: &random) : nil }
        return PersonStatistics(
            pseudonym: "p\(n)", province: Bool.random(using: &random) ? Province.allCases.randomElement(using: &random) : nil,
            track: Enrolment.Track.allCases.randomElement(using: &random), source: [Source.agodi, .syntra, nil].randomElement(using: &random)!,
            leftOn: left, qualified: Int.random(in: 0...4, using: &random) == 0, outcome: outcomes.randomElement(using: &random)!,
            exclusion: Bool.random(using: &random) ? exclusions.randomElement(using: &random) : nil,
            detectedOn: left.flatMap { day($0, within: 30) }, caseOpenedOn: opened,
            caseClosedOn: opened.flatMap { day($0, within: 400) }, firstLetterOn: opened.flatMap { day($0, within: 10) },
            firstAttemptOn: opened.flatMap { day($0, within: 40) }, firstReachedOn: opened.flatMap { day($0, within: 60) },
            registeredOn: left.flatMap { day($0, within: 90) }, referredOn: opened.flatMap { day($0, within: 90) },
            offerOn: opened.flatMap { day($0, within: 200) }, contacts: Int.random(in: 0...9, using: &random),
            situation6: situation(), situation12: situation(), situation18: situation(),
            jobSeekingOneYearLater: left == nil ? nil : Bool.random(using: &random))
    }

    /// Every figure as a filter of its own (the way the dashboard was first written), exact counts.
    static func plain(rows all: [PersonStatistics], qualifiedCounts: [String: Int]?, filter: StatisticsFilter, split: StatisticsSplit,
                      today: LocalDate) -> (persons: Int, tables: [StatisticsTable]) {
        let disclosure = false
            let rows = all.filter(filter.includes)
            let qualifiedElsewhere = qualifiedCounts ?? [:]
            let persons = rows.count + qualifiedElsewhere.values.reduce(0, +)
            // The row keys' order is not what this oracle checks: the dashboard's own.
            func keys(_ of: [PersonStatistics], _ split: StatisticsSplit, plus extra: Set<String> = []) -> [String] {
                Dashboard.ordered(Set(of.map(split.key)).union(extra), split)
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
            let exclusions = Decision.Exclusion.allCases.map(\.rawValue).filter { e in rows.contains { Dashboard.disposition($0) == e } }
            let other = rows.contains { Dashboard.disposition($0) == "other" } ? ["other"] : []
            let dispositionColumns = ["qualified", "pending"] + exclusions + other + [Dashboard.targetGroup]
            var dispositionCounts = rowKeys.map { _ in Array(repeating: 0, count: dispositionColumns.count) }
            let columnIndex = Dictionary(uniqueKeysWithValues: dispositionColumns.enumerated().map { ($1, $0) })
            let rowIndex = Dictionary(uniqueKeysWithValues: rowKeys.enumerated().map { ($1, $0) })
            for s in rows {
                if let i = rowIndex[split.key(s)], let j = columnIndex[Dashboard.disposition(s)] { dispositionCounts[i][j] += 1 }
            }
            for (key, n) in qualifiedElsewhere { if let i = rowIndex[key] { dispositionCounts[i][0] += n } }
            var disposition = StatisticsTable(id: "disposition", rowKeys: rowKeys, columnKeys: dispositionColumns, counts: dispositionCounts,
                                          rowTotals: true, columnTotals: true, disclosure: disclosure)

            let target = rows.filter(Dashboard.inTargetGroup)
            let targetGroups = Dictionary(grouping: target, by: split.key)
            var steps = table("steps", Dashboard.stepColumns, rowTotals: false, columnTotals: true, keys: rowKeys, groups: targetGroups) { s, step in
                switch step {
                case Dashboard.targetGroup: true
                case "case": s.caseOpenedOn != nil
                case "letter": s.firstLetterOn != nil
                case "first_attempt": s.firstAttemptOn != nil
                case "reached": s.firstReachedOn != nil
                case "registered": s.registeredOn != nil
                case "referred": s.referredOn != nil
                default: s.offerOn != nil
                }
            }


            // Timeliness, by month of leaving whatever the split.
            let withCase = target.filter { $0.caseOpenedOn != nil }
            let months = keys(withCase, .month)
            let byMonth = Dictionary(grouping: withCase, by: StatisticsSplit.month.key)
            // Each case's bucket once (counting working days is the costly part), not once per column.
            var bucketsByMonth: [String: [String]] = [:]
            for s in withCase { bucketsByMonth[StatisticsSplit.month.key(s), default: []].append(Dashboard.firstAttemptBucket(s)) }
            var timeliness = StatisticsTable(id: "timeliness", rowKeys: months, columnKeys: Dashboard.timelinessColumns, counts: months.map { month in
                Dashboard.timelinessColumns.map { column in (bucketsByMonth[month] ?? []).filter { $0 == column }.count }
            }, rowTotals: true, columnTotals: true, disclosure: disclosure)
            func days(_ of: [PersonStatistics], _ from: KeyPath<PersonStatistics, LocalDate?>, _ to: KeyPath<PersonStatistics, LocalDate?>) -> [Int] {
                of.compactMap { s in s[keyPath: from].flatMap { start in s[keyPath: to].map { max(0, start.days(until: $0)) } } }
            }
            for (key, from, to) in [("days_left_detected", \PersonStatistics.leftOn, \PersonStatistics.detectedOn),
                                    ("days_detected_case", \.detectedOn, \.caseOpenedOn), ("days_case_letter", \.caseOpenedOn, \.firstLetterOn),
                                    ("days_case_first_attempt", \.caseOpenedOn, \.firstAttemptOn)] {
                timeliness.addMedian(key, values: months.map { days(byMonth[$0] ?? [], from, to) }, all: days(withCase, from, to))
            }
            timeliness.derived.append(Dashboard.shareOfRowTotal(timeliness, column: 0, key: "share_within_5"))

            // The Youth Guarantee's offer within 4 months: cases opened at least 4 months ago.
            let measurable = withCase.filter { $0.caseOpenedOn!.adding(months: 4) <= today }
            let measurableGroups = Dictionary(grouping: measurable, by: split.key)
            var offer = table("offer", ["cases_4_months", "offer_4_months"], rowTotals: false, columnTotals: true, keys: rowKeys, groups: measurableGroups) { s, column in
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
            var situation = StatisticsTable(id: "situation", rowKeys: marks, columnKeys: situations, counts: PersonStatistics.followUpMonths.map { months in
                situations.map { column in (byMark[String(months)] ?? []).filter { Dashboard.situation($0, months)?.rawValue == column }.count }
            }, rowTotals: true, columnTotals: false, disclosure: disclosure)
            situation.derived.append(Dashboard.shareOfRowTotal(situation, column: 0, key: "share_work"))

            // VDAB's measure, per school year of leaving, for the cohorts whose 30 June has passed.
            let cohorts = rows.filter { s in !s.qualified && s.leftOn.map { PersonStatistics.oneYearLaterMeasureDate(leftOn: $0) <= today } ?? false }
            func schoolYear(_ s: PersonStatistics) -> String {
                let (year, month, _) = s.leftOn!.components
                let start = month >= 9 ? year : year - 1
                return "\(start)-\(start + 1)"
            }
            let cohortGroups = Dictionary(grouping: cohorts, by: schoolYear)
            var jobSeeking = table("job_seeking", ["unqualified_leavers", "job_seeking_30_june"], rowTotals: false, columnTotals: true,
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
            var work = table("work", Dashboard.workColumns, rowTotals: false, columnTotals: true, keys: provinceKeys, groups: byProvince) { s, column in
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
        return (persons, [disposition, steps, timeliness, offer, situation, jobSeeking, work])
    }
}
