/// Disclosure control for a published table of person counts (docs/monitoring.md, "Small counts").
///
/// Primary suppression: a count of 1–9 persons is shown as "<10". Secondary suppression: further
/// counts are hidden until no suppressed count can be computed back from what is shown — the
/// other cells of its row and column and the published totals. Zeros are shown (they never need
/// hiding: a secondary cell is always a count of at least 10, so a reader knows a hidden cell's
/// bounds — 1…9 for "<10", at least 10 for a hidden one — and the check below uses exactly those).
///
/// The check is exact for a two-way table with its margins. An alternative table that agrees with
/// everything shown differs from the true one by a table of zero row and column sums on the
/// suppressed cells, which splits into simple alternating cycles of +1/−1 steps (a conformal
/// decomposition); so a suppressed cell can be computed back exactly when no such cycle through
/// it keeps every cell within its bounds. With rows and columns as the nodes of a directed graph
/// and every step a cell can take as an arc, that is one reachability question per cell and sign.
public enum Disclosure {
    /// Counts below this are shown as "<10"; a percentage needs a denominator of at least this.
    public static let threshold = 10

    /// A count standing on its own as published (a table's cells go through `protect`): 1–9 as "<10".
    public static func published(_ count: Int) -> String { (1..<threshold).contains(count) ? "<\(threshold)" : String(count) }

    /// A share (0…1) as published: nil when the denominator is below `threshold`.
    public static func share(_ numerator: Int, of denominator: Int) -> Double? {
        denominator >= threshold ? Double(numerator) / Double(denominator) : nil
    }

    /// A median as published: nil when fewer than `threshold` values are behind it.
    public static func median(_ values: [Int]) -> Int? {
        guard values.count >= threshold else { return nil }
        let sorted = values.sorted()
        return sorted[(sorted.count - 1) / 2]
    }

    /// Protects a table of counts: `counts[row][column]`, all rows of the same length, none negative.
    /// `rowTotals` / `columnTotals`: whether the table publishes them (and then the grand total);
    /// a table whose columns are nested steps, not parts of a whole, publishes no row totals.
    /// `columns`: the number of columns, when the table may have no rows. `alsoHide`: cells to
    /// hide whatever their count — the same figures hidden in a linked table (`protectLinked`); a
    /// row of `counts.count` is the column totals, a column of `columns` the row totals.
    /// `keep`: columns whose counts are hidden only when nothing else protects (the figures a
    /// reader comes for, such as the target group).
    public static func protect(_ counts: [[Int]], columns: Int? = nil, rowTotals: Bool, columnTotals: Bool,
                               alsoHide: Set<GridCell> = [], keep: Set<Int> = []) -> ProtectedTable {
        var grid = Grid(counts, columns: columns ?? counts.first?.count ?? 0, rowTotals: rowTotals, columnTotals: columnTotals)
        grid.keep = keep
        for cell in alsoHide where cell.row < grid.rows && cell.column < grid.columns && grid.state[cell.row][cell.column] == .shown
            && grid.value[cell.row][cell.column] >= threshold {
            grid.state[cell.row][cell.column] = .secondary
        }
        // Each round hides at least one more cell, so this ends; the bound only guards the proof.
        for _ in 0...(grid.rows * grid.columns) {
            guard let exposed = grid.firstComputable() else { return grid.published(withheld: false) }
            guard grid.hideSecondary(protecting: exposed) else { break }
        }
        return grid.published(withheld: grid.firstComputable() != nil)
    }
}

/// A cell of a table with its margins: a row of the table's row count is the column totals, a
/// column of its column count the row totals.
public struct GridCell: Hashable, Sendable {
    public var row: Int
    public var column: Int
    public init(_ row: Int, _ column: Int) {
        self.row = row
        self.column = column
    }
}

extension Disclosure {
    /// Two tables that publish the same column (the same counts, row by row, and its total):
    /// each is protected with the other's hidden cells of that column hidden too, until neither
    /// changes — so the one cannot give away what the other hides.
    public static func protectLinked(_ first: (counts: [[Int]], columns: Int, rowTotals: Bool, columnTotals: Bool, shared: Int),
                                     _ second: (counts: [[Int]], columns: Int, rowTotals: Bool, columnTotals: Bool, shared: Int),
                                     keepFirst: Set<Int> = [], keepSecond: Set<Int> = []) -> (ProtectedTable, ProtectedTable) {
        var hideFirst: Set<GridCell> = []
        var hideSecond: Set<GridCell> = []
        func hiddenRows(_ table: ProtectedTable, column: Int) -> Set<Int> {
            var rows = Set(table.cells.indices.filter { table.cells[$0][column].value == nil })
            if table.columnTotals?[column].value == nil && table.columnTotals != nil { rows.insert(table.cells.count) }
            return rows
        }
        var a = protect(first.counts, columns: first.columns, rowTotals: first.rowTotals, columnTotals: first.columnTotals, keep: keepFirst)
        var b = protect(second.counts, columns: second.columns, rowTotals: second.rowTotals, columnTotals: second.columnTotals, keep: keepSecond)
        for _ in 0..<8 {
            let hidden = hiddenRows(a, column: first.shared).union(hiddenRows(b, column: second.shared))
            // Only ever more hidden cells: the loop ends.
            let nextFirst = hideFirst.union(hidden.map { GridCell($0, first.shared) })
            let nextSecond = hideSecond.union(hidden.map { GridCell($0, second.shared) })
            if nextFirst == hideFirst && nextSecond == hideSecond { break }
            hideFirst = nextFirst
            hideSecond = nextSecond
            a = protect(first.counts, columns: first.columns, rowTotals: first.rowTotals, columnTotals: first.columnTotals, alsoHide: hideFirst,
                        keep: keepFirst)
            b = protect(second.counts, columns: second.columns, rowTotals: second.rowTotals, columnTotals: second.columnTotals, alsoHide: hideSecond,
                        keep: keepSecond)
        }
        return (a, b)
    }
}

/// A table as it may leave the statistics store.
public struct ProtectedTable: Sendable, Equatable {
    public enum Cell: Sendable, Equatable {
        /// The exact count.
        case count(Int)
        /// 1–9 persons (primary suppression).
        case small
        /// Hidden so that a small count elsewhere cannot be computed back (secondary suppression).
        case hidden

        /// The published text: the number, "<10", or "×".
        public var text: String {
            switch self {
            case .count(let n): String(n)
            case .small: "<\(Disclosure.threshold)"
            case .hidden: "×"
            }
        }

        /// The exact count, when shown.
        public var value: Int? { if case .count(let n) = self { n } else { nil } }
    }

    public var cells: [[Cell]]
    /// Nil when the table publishes no row totals.
    public var rowTotals: [Cell]?
    public var columnTotals: [Cell]?
    /// Published with both margins.
    public var grandTotal: Cell?
    /// No pattern of hidden cells protected every small count (only in degenerate tables): the
    /// table is not to be published at all.
    public var withheld: Bool

    public init(cells: [[Cell]], rowTotals: [Cell]?, columnTotals: [Cell]?, grandTotal: Cell?, withheld: Bool) {
        self.cells = cells
        self.rowTotals = rowTotals
        self.columnTotals = columnTotals
        self.grandTotal = grandTotal
        self.withheld = withheld
    }
}

/// The table with its margins as one (rows+1)×(columns+1) grid: the last column holds the row
/// totals, the last row the column totals, the corner the grand total. In that grid every row and
/// every column sums to zero once the margins are counted negatively (the corner positively), so
/// the same cycle argument covers inner cells and totals alike.
struct Grid {
    enum State: Equatable { case shown, primary, secondary, unpublished }

    let rows: Int
    let columns: Int
    let publishesRowTotals: Bool
    let publishesColumnTotals: Bool
    /// Columns to hide last.
    var keep: Set<Int> = []
    var value: [[Int]]
    var state: [[State]]

    init(_ counts: [[Int]], columns c: Int, rowTotals: Bool, columnTotals: Bool) {
        let r = counts.count
        publishesRowTotals = rowTotals
        publishesColumnTotals = columnTotals
        rows = r + 1
        columns = c + 1
        value = Array(repeating: Array(repeating: 0, count: c + 1), count: r + 1)
        state = Array(repeating: Array(repeating: .shown, count: c + 1), count: r + 1)
        for i in 0..<r {
            for j in 0..<c {
                let n = counts[i][j]
                value[i][j] = n
                value[i][c] += n
                value[r][j] += n
                value[r][c] += n
            }
        }
        for i in 0...r {
            for j in 0...c {
                let margin = i == r || j == c
                // The grand total only with both margins: with one, it is the sum of the other's
                // totals, which the page does not show and which would give a small total away.
                let published = !margin || (i == r && j == c ? (rowTotals && columnTotals) : (j == c ? rowTotals : columnTotals))
                if !published { state[i][j] = .unpublished } else if (1..<Disclosure.threshold).contains(value[i][j]) { state[i][j] = .primary }
            }
        }
    }

    /// The sign a +1 step of the zero-sum grid has on the count itself (margins count negatively).
    func orientation(_ i: Int, _ j: Int) -> Int {
        (i == rows - 1) != (j == columns - 1) ? -1 : 1
    }

    /// Whether the cell can move by `step` (±1 on the zero-sum grid) and stay within what a reader
    /// knows of it.
    func canStep(_ i: Int, _ j: Int, _ step: Int) -> Bool {
        let next = value[i][j] + orientation(i, j) * step
        switch state[i][j] {
        case .shown: return false
        case .unpublished: return true
        case .primary: return (1..<Disclosure.threshold).contains(next)
        case .secondary: return next >= Disclosure.threshold
        }
    }

    /// Whether a suppressed cell's count follows from what is shown.
    func isComputable(_ i: Int, _ j: Int) -> Bool {
        for sign in [1, -1] where canStep(i, j, sign) {
            // Arcs: row a → column b when cell (a, b) can step by +sign, column b → row a when by
            // −sign; the cycle runs row i → column j (the cell itself), then back to row i.
            var seenRows = Array(repeating: false, count: rows)
            var seenColumns = Array(repeating: false, count: columns)
            var queue: [(isRow: Bool, index: Int)] = [(false, j)]
            seenColumns[j] = true
            var head = 0
            while head < queue.count {
                let node = queue[head]
                head += 1
                if node.isRow {
                    for b in 0..<columns where !seenColumns[b] && !(node.index == i && b == j) && canStep(node.index, b, sign) {
                        seenColumns[b] = true
                        queue.append((false, b))
                    }
                } else {
                    for a in 0..<rows where !seenRows[a] && !(a == i && node.index == j) && canStep(a, node.index, -sign) {
                        if a == i { return false }
                        seenRows[a] = true
                        queue.append((true, a))
                    }
                }
            }
        }
        return true
    }

    /// The suppressed cells found not computable so far. Hiding more cells only adds steps, so a
    /// cell once protected stays protected: each round checks only the others (on a table of ten
    /// school years by month, rechecking every cell each round was most of a dashboard's making).
    var provenProtected: Set<GridCell> = []

    mutating func firstComputable() -> (Int, Int)? {
        for i in 0..<rows {
            for j in 0..<columns where [.primary, .secondary].contains(state[i][j]) && !provenProtected.contains(GridCell(i, j)) {
                if isComputable(i, j) { return (i, j) }
                provenProtected.insert(GridCell(i, j))
            }
        }
        return nil
    }

    /// Hides one shown count of at least 10 in the exposed cell's row or column: the smallest that
    /// protects it, else the smallest there is (the next round goes on from there). False when
    /// nothing is left to hide.
    mutating func hideSecondary(protecting exposed: (Int, Int)) -> Bool {
        let (i, j) = exposed
        let candidates = ((0..<columns).map { (i, $0) } + (0..<rows).map { ($0, j) })
            .filter { state[$0.0][$0.1] == .shown && value[$0.0][$0.1] >= Disclosure.threshold }
            .sorted(by: hiddenFirst)
        guard let smallest = candidates.first else { return hideAnywhere() }
        for (a, b) in candidates {
            state[a][b] = .secondary
            if !isComputable(i, j) { return true }
            state[a][b] = .shown
        }
        state[smallest.0][smallest.1] = .secondary
        return true
    }

    /// The order in which shown counts are hidden: outside the kept columns first, smallest first.
    func hiddenFirst(_ a: (Int, Int), _ b: (Int, Int)) -> Bool {
        let keptA = keep.contains(a.1), keptB = keep.contains(b.1)
        if keptA != keptB { return !keptA }
        return value[a.0][a.1] < value[b.0][b.1]
    }

    /// The row and column hold nothing left to hide: hide the smallest shown count anywhere.
    private mutating func hideAnywhere() -> Bool {
        var best: (Int, Int)?
        for a in 0..<rows {
            for b in 0..<columns where state[a][b] == .shown && value[a][b] >= Disclosure.threshold {
                if best.map({ value[a][b] < value[$0.0][$0.1] }) ?? true { best = (a, b) }
            }
        }
        guard let best else { return false }
        state[best.0][best.1] = .secondary
        return true
    }

    func published(withheld: Bool) -> ProtectedTable {
        func cell(_ i: Int, _ j: Int) -> ProtectedTable.Cell? {
            switch state[i][j] {
            case .shown: .count(value[i][j])
            case .primary: .small
            case .secondary: .hidden
            case .unpublished: nil
            }
        }
        let r = rows - 1
        let c = columns - 1
        return ProtectedTable(
            cells: (0..<r).map { i in (0..<c).map { j in cell(i, j)! } },
            rowTotals: publishesRowTotals ? (0..<r).map { cell($0, c)! } : nil,
            columnTotals: publishesColumnTotals ? (0..<c).map { cell(r, $0)! } : nil,
            grandTotal: cell(r, c), withheld: withheld)
    }
}
