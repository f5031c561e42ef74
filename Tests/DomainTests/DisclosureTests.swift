import Foundation
import Domain
import PropertyBased
import TestSupport
import Testing

/// Small counts leave the statistics store as "<10", and no hidden count can be computed back.
@Suite struct DisclosureTests {
    @Test func aSmallCountIsShownAsUnderTenAndItsNeighboursAreHiddenSoItCannotBeComputedBack() {
        // 5 of 25 in the first row: with 25 shown, 20 would give the 5 away; with 35 shown, 30
        // would; and with 30 hidden, 40 and 70 would give 30 away.
        let table = Disclosure.protect([[5, 20], [30, 40]], rowTotals: true, columnTotals: true)
        #expect(table.cells[0][0] == .small)
        #expect(!table.withheld)
        #expect(table.cells.flatMap { $0 }.filter { $0 == .hidden }.count >= 1)
        #expect(Attacker(table, rowTotals: true, columnTotals: true).computable()?.isEmpty == true)
    }

    @Test func aTableWithoutSmallCountsIsShownAsIs() {
        let table = Disclosure.protect([[12, 20], [30, 0]], rowTotals: true, columnTotals: true)
        #expect(table.cells == [[.count(12), .count(20)], [.count(30), .count(0)]])
        #expect(table.rowTotals == [.count(32), .count(30)])
        #expect(table.columnTotals == [.count(42), .count(20)])
        #expect(table.grandTotal == .count(62))
    }

    @Test func zerosAreShownAndNeverHidden() {
        let table = Disclosure.protect([[0, 3, 0], [0, 0, 0]], rowTotals: true, columnTotals: true)
        #expect(table.cells[0][0] == .count(0))
        #expect(table.cells[0][1] == .small)
        #expect(table.rowTotals?[0] == .small)
        #expect(table.columnTotals?[1] == .small)
        #expect(table.grandTotal == .small)
        #expect(Attacker(table, rowTotals: true, columnTotals: true).computable()?.isEmpty == true)
    }

    @Test func nestedStepsPublishColumnTotalsOnly() {
        // Columns are steps of a funnel (each a subset of the one before): no row totals.
        let table = Disclosure.protect([[40, 30, 4], [50, 45, 20]], rowTotals: false, columnTotals: true)
        #expect(table.rowTotals == nil)
        #expect(table.cells[0][2] == .small)
        #expect(table.cells[1][2] == .hidden)
        #expect(table.columnTotals?[2] == .count(24))
        #expect(Attacker(table, rowTotals: false, columnTotals: true).computable()?.isEmpty == true)
    }

    @Test func aShareOrMedianNeedsTenPersons() {
        #expect(Disclosure.share(3, of: 9) == nil)
        #expect(Disclosure.share(5, of: 10) == 0.5)
        #expect(Disclosure.median(Array(1...9)) == nil)
        #expect(Disclosure.median(Array(1...10)) == 5)
    }

    @Test func theAttackerFindsAComputableCellWhenOnlyTheSmallCountIsSuppressed() {
        // The attacker is a real one: a naive table (only primary suppression) is caught.
        let naive = ProtectedTable(cells: [[.small, .count(20)], [.count(30), .count(40)]], rowTotals: [.count(25), .count(70)],
                                   columnTotals: [.count(35), .count(60)], grandTotal: .count(95), withheld: false)
        #expect(Attacker(naive, rowTotals: true, columnTotals: true).computable() == [[0, 0]])
    }

    /// The property: whatever the table, every count of 1–9 is suppressed, everything shown is
    /// exact, and an attacker who tries every table consistent with what is shown finds at least
    /// two possible values for every suppressed cell.
    @Test func noSuppressedCellCanBeComputedBackFromWhatIsShown() async {
        let value = Gen.int(in: 0...24).map { n in n < 8 ? 0 : n < 17 ? n - 7 : n + 2 }
        let checked = Tally()
        await propertyCheck(count: 200, input: Gen.int(in: 1...3), Gen.int(in: 1...3), value.array(of: 9), Gen.int(in: 0...2)) { rows, columns, pool, margins in
            let counts = (0..<rows).map { i in (0..<columns).map { j in pool[(i * columns + j) % pool.count] } }
            let rowTotals = margins != 1
            let columnTotals = margins != 2
            let table = Disclosure.protect(counts, rowTotals: rowTotals, columnTotals: columnTotals)
            for i in 0..<rows {
                for j in 0..<columns {
                    let n = counts[i][j]
                    if (1...9).contains(n) { #expect(table.cells[i][j] == .small) }
                    if case .count(let shown) = table.cells[i][j] { #expect(shown == n) }
                    if n == 0 { #expect(table.cells[i][j] == .count(0)) }
                }
            }
            if !table.withheld {
                // Decided: nothing computable. Undecided within the budget: not checked (counted below).
                if let found = Attacker(table, rowTotals: rowTotals, columnTotals: columnTotals, hint: counts).computable(budget: 300_000) {
                    #expect(found.isEmpty, "\(counts) → \(table)")
                    checked.add()
                }
            }
        }
        #expect(checked.value >= 150, "the attacker decided \(checked.value) of 200 tables within its budget")
    }
}

/// A count shared with a property's closure.
final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}

/// Tries every table consistent with a published one (searching outward from nothing in
/// particular: all values in the bounds a reader knows) and reports the suppressed cells that
/// take a single value in all of them. Independent of `Disclosure`'s own cycle argument.
struct Attacker {
    let table: ProtectedTable
    let rows: Int
    let columns: Int
    let rowTotals: Bool
    let columnTotals: Bool
    /// No hidden cell can exceed the sum of everything; without a grand total, a generous bound.
    let cap: Int

    /// The true counts, when known: only the order of the search starts from them (nearest values
    /// first), which makes it fast; the search stays exhaustive.
    let hint: [[Int]]?

    init(_ table: ProtectedTable, rowTotals: Bool, columnTotals: Bool, hint: [[Int]]? = nil) {
        self.table = table
        self.hint = hint
        rows = table.cells.count
        columns = table.cells.first?.count ?? 0
        self.rowTotals = rowTotals
        self.columnTotals = columnTotals
        // Without a grand total, a bound from the true counts: a lower bound only makes the search
        // find fewer tables, so the check can only get stricter.
        cap = table.grandTotal?.value ?? hint.map { $0.flatMap { $0 }.reduce(0, +) + 10 } ?? 300
    }

    static func range(_ cell: ProtectedTable.Cell, cap: Int) -> ClosedRange<Int> {
        switch cell {
        case .count(let n): n...n
        case .small: 1...9
        case .hidden: 10...max(10, cap)
        }
    }

    /// [row, column] of every suppressed cell with one possible value; a row total is
    /// [row, columns], a column total [rows, column], the grand total [rows, columns].
    /// Nil when the search ran out of `budget` steps before it could decide (a test then counts
    /// the table as not checked rather than run for minutes).
    func computable(budget: Int = 2_000_000) -> [[Int]]? {
        var seen: [[Int]: Set<Int>] = [:]
        var grid = Array(repeating: Array(repeating: 0, count: columns), count: rows)
        var suppressed: [[Int]] = []
        for i in 0..<rows { for j in 0..<columns where table.cells[i][j].value == nil { suppressed.append([i, j]) } }
        for i in 0..<rows where table.rowTotals.map({ $0[i].value == nil }) ?? false { suppressed.append([i, columns]) }
        for j in 0..<columns where table.columnTotals.map({ $0[j].value == nil }) ?? false { suppressed.append([rows, j]) }
        if let grand = table.grandTotal, grand.value == nil { suppressed.append([rows, columns]) }
        func value(_ key: [Int]) -> Int {
            let (i, j) = (key[0], key[1])
            if i < rows && j < columns { return grid[i][j] }
            if i < rows { return grid[i].reduce(0, +) }
            if j < columns { return (0..<rows).map { grid[$0][j] }.reduce(0, +) }
            return grid.flatMap { $0 }.reduce(0, +)
        }
        func consistent() -> Bool {
            if let totals = table.rowTotals {
                for i in 0..<rows where !Self.range(totals[i], cap: cap).contains(value([i, columns])) { return false }
            }
            if let totals = table.columnTotals {
                for j in 0..<columns where !Self.range(totals[j], cap: cap).contains(value([rows, j])) { return false }
            }
            if let grand = table.grandTotal, !Self.range(grand, cap: cap).contains(value([rows, columns])) { return false }
            return true
        }
        var done = false
        var steps = 0
        func visit(_ position: Int) {
            if done { return }
            steps += 1
            if steps > budget { done = true; return }
            if position == rows * columns {
                guard consistent() else { return }
                for key in suppressed { seen[key, default: []].insert(value(key)) }
                if suppressed.allSatisfy({ (seen[$0]?.count ?? 0) > 1 }) { done = true }
                return
            }
            let i = position / columns
            let j = position % columns
            let range = Self.range(table.cells[i][j], cap: cap)
            // The last cell of a row (or column) whose total is shown takes the value that total leaves.
            var forced: Int?
            if j == columns - 1, let total = table.rowTotals?[i].value { forced = total - grid[i][0..<j].reduce(0, +) }
            if i == rows - 1, let total = table.columnTotals?[j].value {
                let left = total - (0..<i).map { grid[$0][j] }.reduce(0, +)
                if let f = forced, f != left { return }
                forced = left
            }
            let partial = grid[i][0..<j].reduce(0, +)
            let rowBound = table.rowTotals.map { Self.range($0[i], cap: cap).upperBound } ?? Int.max
            var candidates = forced.map { range.contains($0) ? [$0] : [] } ?? Array(range)
            if forced == nil, let near = hint?[i][j] { candidates.sort { abs($0 - near) < abs($1 - near) } }
            for v in candidates {
                if partial + v > rowBound { continue }
                grid[i][j] = v
                visit(position + 1)
                if done { return }
            }
            grid[i][j] = 0
        }
        visit(0)
        if steps > budget { return nil }
        return suppressed.filter { (seen[$0]?.count ?? 0) < 2 }
    }
}

/// Two tables that publish the same column hide the same cells of it.
@Suite struct LinkedDisclosureTests {
    @Test func aCountHiddenInOneTableIsHiddenInTheTableThatRepeatsIt() {
        // The first table's last column is the second's first: 15 is hidden in the first (to
        // protect the 4 beside it), so it must be hidden in the second too.
        let first = [[4, 15], [30, 40]]
        let second = [[15, 12], [40, 33]]
        let (a, b) = Disclosure.protectLinked((first, 2, true, true, 1), (second, 2, false, true, 0))
        for row in 0..<2 {
            #expect((a.cells[row][1].value == nil) == (b.cells[row][0].value == nil), "row \(row)")
        }
        #expect((a.columnTotals?[1].value == nil) == (b.columnTotals?[0].value == nil))
        #expect(Attacker(a, rowTotals: true, columnTotals: true, hint: first).computable()?.isEmpty == true)
        #expect(Attacker(b, rowTotals: false, columnTotals: true, hint: second).computable()?.isEmpty == true)
    }
}

/// The dashboard's figures add up and follow the definitions of docs/monitoring.md.
@Suite struct DashboardFigureTests {
    static func leaver(_ n: Int, province: Province = .antwerpen, left: String = "2026-06-30", qualified: Bool = false,
                       outcome: String = "eligible", caseOn: String? = "2026-10-01", attempt: String? = nil, offer: String? = nil) -> PersonStatistics {
        PersonStatistics(pseudonym: "p\(n)", province: province, source: .agodi, leftOn: date(left), qualified: qualified, outcome: outcome,
                         caseOpenedOn: caseOn.map(date), firstAttemptOn: attempt.map(date), offerOn: offer.map(date))
    }

    @Test func everyLeaverIsInExactlyOneColumnOfTheDispositionAndTheStepsNarrowDown() {
        var rows: [PersonStatistics] = []
        for n in 0..<30 { rows.append(Self.leaver(n, qualified: true, outcome: "not_a_leaver", caseOn: nil)) }
        for n in 30..<55 { rows.append(Self.leaver(n, attempt: n < 45 ? "2026-10-05" : nil, offer: n < 35 ? "2026-12-01" : nil)) }
        for n in 55..<70 { rows.append(Self.leaver(n, outcome: "not_in_target_group", caseOn: nil)) }
        rows[55].exclusion = "known_to_vdab"
        for n in 56..<70 { rows[n].exclusion = "known_to_vdab" }
        let dashboard = Dashboard(rows: rows, filter: StatisticsFilter(), split: .province, today: date("2027-03-01"), disclosure: false)
        let d = dashboard.disposition
        #expect(d.columnKeys == ["qualified", "pending", "known_to_vdab", Dashboard.targetGroup])
        #expect(d.counts == [[30, 0, 15, 25]])
        #expect(d.published.rowTotals == [.count(70)])
        let steps = dashboard.steps
        #expect(steps.counts == [[25, 25, 0, 15, 0, 0, 0, 5]])
        // Timeliness: 15 attempts 2 working days after the case, 10 none yet.
        #expect(dashboard.timeliness.counts == [[15, 0, 0, 0, 10]])
        #expect(dashboard.timeliness.derived.last?.total == 0.6)
        // Youth Guarantee: all 25 cases are 4 months old on 1 February 2027; 5 had an offer in time.
        #expect(dashboard.offer.counts == [[25, 5]])
        #expect(dashboard.offer.derived.first?.values == [0.2])
    }

    @Test func aShareNextToASmallCountIsNotPublished() {
        var rows: [PersonStatistics] = []
        for n in 0..<20 { rows.append(Self.leaver(n, offer: n < 3 ? "2026-11-01" : nil)) }
        let dashboard = Dashboard(rows: rows, filter: StatisticsFilter(), split: .province, today: date("2027-03-01"), disclosure: true)
        #expect(dashboard.offer.published.cells[0][1] == .small)
        #expect(dashboard.offer.derived.first?.values == [nil], "3 of 20 would give the 3 away")
    }
}

@Suite struct MonthArithmeticTests {
    @Test func addingMonthsKeepsTheDayOrTakesTheLastDayOfAShorterMonth() {
        #expect(date("2026-12-01").adding(months: -12) == date("2025-12-01"))
        #expect(date("2026-01-31").adding(months: 1) == date("2026-02-28"))
        #expect(date("2028-01-31").adding(months: 1) == date("2028-02-29"))
        #expect(date("2026-03-15").adding(months: 18) == date("2027-09-15"))
        #expect(date("2026-05-31").adding(months: -3) == date("2026-02-28"))
    }
}

/// Early warning per school: rates with intervals, protected small counts, clear signals first.
@Suite struct SchoolWarningTests {
    @Test func aSchoolClearlyAboveItsTracksRateComesFirstAndSmallCountsHaveNoRate() {
        var counts: [SchoolWarning.Count] = []
        for year in 2023...2025 {
            counts.append(SchoolWarning.Count(school: "100", track: "bso", schoolYear: year, leavers: 100, unqualified: 40))
            counts.append(SchoolWarning.Count(school: "200", track: "bso", schoolYear: year, leavers: 400, unqualified: 40))
            counts.append(SchoolWarning.Count(school: "300", track: "bso", schoolYear: year, leavers: 30, unqualified: 3))
        }
        let warning = SchoolWarning(counts)
        #expect(warning.years == [2023, 2024, 2025])
        #expect(warning.lines.first?.school == "100")
        #expect(warning.lines.first?.above == true)
        let small = try! #require(warning.lines.first { $0.school == "300" })
        #expect(small.unqualified == ["<10", "<10", "<10"])
        #expect(small.rates == [nil, nil, nil], "3 of 30 with the 30 shown would give the 3 away")
        #expect(small.pooledUnqualified == "<10" && small.pooled == nil)
        let interval = try! #require(SchoolWarning.wilson(40, 100))
        #expect(interval.low < 0.4 && interval.high > 0.4 && abs(interval.low - 0.309) < 0.002)
    }

    /// The course over up to ten school years: published rates only, and a direction only from
    /// three or more of them.
    @Test func theCourseShowsUpToTenYearsOfPublishedRatesAndItsDirection() {
        var counts: [SchoolWarning.Count] = []
        for year in 2012...2025 {
            // School 100 rises from 10 % to 36 % over the years; 200 stays at 10 %; 300 is small.
            counts.append(SchoolWarning.Count(school: "100", track: "bso", schoolYear: year, leavers: 100, unqualified: 10 + 2 * (year - 2012)))
            counts.append(SchoolWarning.Count(school: "200", track: "bso", schoolYear: year, leavers: 200, unqualified: 20))
            counts.append(SchoolWarning.Count(school: "300", track: "bso", schoolYear: year, leavers: 30, unqualified: 3))
        }
        let warning = SchoolWarning(counts)
        #expect(warning.historyYears == Array(2016...2025), "the last ten school years")
        #expect(warning.years == [2023, 2024, 2025])
        let rising = try! #require(warning.lines.first { $0.school == "100" })
        #expect(rising.history.count == 10 && rising.history.first??.value == 0.18 && rising.history.last??.value == 0.36)
        #expect(rising.longTrend == 1 && rising.direction == 1)
        let level = try! #require(warning.lines.first { $0.school == "200" })
        #expect(level.longTrend == 0)
        let small = try! #require(warning.lines.first { $0.school == "300" })
        #expect(small.history.allSatisfy { $0 == nil } && small.longTrend == 0, "no rate that would give a small count away")

        // A year without a published rate leaves a gap, not a zero; two years are too few for a direction.
        let falling: [SchoolWarning.Rate?] = [.init(value: 0.3, low: 0, high: 1), nil, .init(value: 0.2, low: 0, high: 1), .init(value: 0.1, low: 0, high: 1)]
        #expect(SchoolWarning.longTrend(falling) == -1)
        #expect(SchoolWarning.longTrend([nil, .init(value: 0.3, low: 0, high: 1), .init(value: 0.1, low: 0, high: 1)]) == 0)
        // Fewer than ten years in the store: the course starts at the first one there is.
        #expect(SchoolWarning(counts.filter { $0.schoolYear >= 2022 }).historyYears == [2022, 2023, 2024, 2025])
    }
}

@Suite struct KeptColumnTests {
    @Test func aKeptColumnIsHiddenOnlyWhenNothingElseProtects() {
        // The 4 needs a hidden partner in its row and in its column: the smallest candidates are
        // in column 1 unless it is kept.
        for counts in [[[4, 12, 40], [30, 15, 50], [35, 18, 60]], [[4, 20, 40, 60], [30, 25, 50, 70], [31, 26, 55, 80]]] {
            let plain = Disclosure.protect(counts, rowTotals: true, columnTotals: true)
            let kept = Disclosure.protect(counts, rowTotals: true, columnTotals: true, keep: [1])
            func hiddenIn1(_ t: ProtectedTable) -> Int { t.cells.filter { $0[1] == .hidden }.count + (t.columnTotals?[1] == .hidden ? 1 : 0) }
            #expect(hiddenIn1(kept) < hiddenIn1(plain))
            #expect(!kept.withheld)
        }
    }
}
