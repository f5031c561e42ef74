import Domain
import Foundation
import Workflows

extension Store {
    /// How long a claimed daily job may run before a process of another host may take it over; a
    /// process of the same host takes it over at once when the claimer is gone (`isGone`). Either
    /// way a claim whose process was killed before the job was done does not cost the day its run.
    public static let dailyJobLease: TimeInterval = 15 * 60

    /// Claims the run of `job` on `day` for this process: the first process to ask gets it, and so
    /// does one that asks after the claimer's process is gone or its lease ran out without the job
    /// being done. `completeDailyJob` marks it done.
    public func claimDailyJob(_ job: String, on day: LocalDate) async throws -> DailyJobClaim {
        let now = timestamp()
        if try await !bulk(sql, "INSERT INTO daily_jobs (job, day, claimed_at, owner) VALUES (?, ?, ?, ?) ON CONFLICT (job, day) DO NOTHING RETURNING job",
                           [.text(job), .text(day.iso), .text(now), .text(Self.processOwner)]).isEmpty {
            return .claimed
        }
        guard let row = try await bulk(sql, "SELECT claimed_at, owner, completed_at FROM daily_jobs WHERE job = ? AND day = ?",
                                       [.text(job), .text(day.iso)]).first else { return .elsewhere }
        if row[2].text != nil { return .done }
        let stale = storedTimestamp(clock.now().addingTimeInterval(-Self.dailyJobLease))
        guard let claimedAt = row[0].text, claimedAt < stale || Self.isGone(row[1].text) else { return .elsewhere }
        // Taken over only from the claim just read: of two processes taking over, one gets it.
        let taken = try await bulk(sql, """
            UPDATE daily_jobs SET claimed_at = ?, owner = ? WHERE job = ? AND day = ? AND claimed_at = ? AND completed_at IS NULL RETURNING job
            """, [.text(now), .text(Self.processOwner), .text(job), .text(day.iso), .text(claimedAt)])
        return taken.isEmpty ? .elsewhere : .claimed
    }

    /// The day's run of `job` is done: nobody takes it over any more.
    public func completeDailyJob(_ job: String, on day: LocalDate) async throws {
        _ = try await bulk(sql, "UPDATE daily_jobs SET completed_at = ? WHERE job = ? AND day = ?", [.text(timestamp()), .text(job), .text(day.iso)])
    }
}
