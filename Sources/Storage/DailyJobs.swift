import Domain
import Foundation

extension Store {
    /// How long a claimed daily job may run before another process may take it over: a claim whose
    /// process was killed before the job was done does not cost the day its run.
    public static let dailyJobLease: TimeInterval = 15 * 60

    /// Claims the run of `job` on `day` for this process: true for the first process to ask, or
    /// for one that asks after the claim's lease ran out without the job being done (its process
    /// was killed, or it failed). The others skip it. `completeDailyJob` marks it done.
    public func claimDailyJob(_ job: String, on day: LocalDate) async throws -> Bool {
        let now = timestamp()
        let stale = storedTimestamp(clock.now().addingTimeInterval(-Self.dailyJobLease))
        return !(try await bulk(sql, """
            INSERT INTO daily_jobs (job, day, claimed_at, owner) VALUES (?, ?, ?, ?)
            ON CONFLICT (job, day) DO UPDATE SET claimed_at = excluded.claimed_at, owner = excluded.owner
            WHERE daily_jobs.completed_at IS NULL AND daily_jobs.claimed_at < ?
            RETURNING job
            """, [.text(job), .text(day.iso), .text(now), .text(Self.processOwner), .text(stale)]).isEmpty)
    }

    /// The day's run of `job` is done: nobody takes it over any more.
    public func completeDailyJob(_ job: String, on day: LocalDate) async throws {
        _ = try await bulk(sql, "UPDATE daily_jobs SET completed_at = ? WHERE job = ? AND day = ?", [.text(timestamp()), .text(job), .text(day.iso)])
    }
}
