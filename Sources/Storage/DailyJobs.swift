import Domain
import Foundation

extension Store {
    /// Claims `job` for `day`: true for the one process that gets it, false for every other.
    public func claimDailyJob(_ job: String, on day: LocalDate) async throws -> Bool {
        !(try await bulk(sql, """
            INSERT INTO daily_jobs (job, day, claimed_at, owner) VALUES (?, ?, ?, ?) ON CONFLICT (job, day) DO NOTHING RETURNING job
            """, [.text(job), .text(day.iso), .text(timestamp()), .text(Self.processOwner)]).isEmpty)
    }
}
