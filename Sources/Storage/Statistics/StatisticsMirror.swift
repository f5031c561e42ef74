import Domain

/// The rows of the statistics store that the dashboard reads one by one — the unqualified school
/// leavers and the persons with a case (`Store.statistics(qualified: false)`; the qualified
/// leavers it counts, `stat_leaver_counts`) — kept in this process's memory and brought up to date
/// from the rows written since it last looked (each row carries the revision it was written in).
///
/// Reading them all again for every dashboard made was a second at ten school years (24,000 rows
/// spread over a table of two million), on SQLite's one connection: under a steady flow of events
/// six selections did that every few seconds and the pages, the intake and the statistics
/// refresh queued behind those reads. Now a making reads the few rows that changed.
///
/// Revisions commit in order (`Store.writeStatistics` takes the counter in its transaction), so
/// the rows up to the last committed revision are all there to read. When rows were deleted (a
/// rebuild, a merged person) the `generation` moves on and the mirror reads everything again, as
/// it does when a catch-up would read more than `fullReadAbove` revisions (an import: reading
/// the few thousand rows in scope costs less than the hundreds of thousands written).
public actor StatisticsMirror {
    let store: Store
    let fullReadAbove: Int64
    private var rows: [String: PersonStatistics] = [:]
    private var listed: [PersonStatistics]?
    private var generation: Int64 = -1
    private var revision: Int64 = 0
    private var catchingUp: Task<Void, any Error>?

    public init(store: Store, fullReadAbove: Int64 = 64) {
        self.store = store
        self.fullReadAbove = fullReadAbove
    }

    /// The dashboard's rows as of the last write committed before this call.
    public func rows() async throws -> [PersonStatistics] {
        try await catchUp()
        if let listed { return listed }
        let list = Array(rows.values)
        listed = list
        return list
    }

    /// One catch-up at a time; who asks meanwhile waits for it.
    private func catchUp() async throws {
        if let catchingUp { return try await catchingUp.value }
        let task = Task { try await self.read() }
        catchingUp = task
        defer { catchingUp = nil }
        try await task.value
    }

    private func read() async throws {
        let counters = try await store.statisticsCounters()
        let latestGeneration = counters["generation"] ?? 0, latestRevision = counters["revision"] ?? 0
        if latestGeneration != generation || latestRevision - revision > fullReadAbove {
            var all: [String: PersonStatistics] = [:]
            for row in try await store.statistics(qualified: false) { all[row.pseudonym] = row }
            rows = all
        } else if latestRevision > revision {
            let (inScope, outOfScope) = try await store.statistics(revisionsAfter: revision, upTo: latestRevision)
            for row in inScope { rows[row.pseudonym] = row }
            for pseudonym in outOfScope { rows[pseudonym] = nil }
        } else {
            return
        }
        generation = latestGeneration
        revision = latestRevision
        listed = nil
    }
}
