import Domain
import Foundation
import Logging
import ServiceLifecycle
import Storage

/// Applies the retention periods once a day while the server runs (and once shortly after it
/// starts, `settings.retentionFirstRun`), as `vangnet retention run` does by hand. What it removed is
/// in `retention_runs`, the audit log and the server log (counts only). A service of the server's
/// group: on graceful shutdown a run in progress finishes (it is one transaction); the wait for the
/// next one ends at once.
public final class RetentionJob: Service, Sendable {
    let store: Store
    let settings: WebSettings
    let logger = Logger(label: "vangnet.retention")

    public init(store: Store, settings: WebSettings) {
        self.store = store
        self.settings = settings
    }

    /// One run now.
    @discardableResult
    public func runNow() async throws -> RetentionReport {
        let actor = Actor(username: "system:retention", role: .admin, purpose: .retention, requestID: UUID().uuidString)
        let report = try await store.applyRetention(settings.retention, today: settings.clock.today(), dryRun: false, actor: actor)
        logger.info("retention applied", metadata: [
            "component": "retention", "records_deleted": "\(report.recordsDeleted)", "quarantine_deleted": "\(report.quarantineDeleted)",
            "cases_anonymised": "\(report.casesAnonymised)", "notes_removed": "\(report.notesRemoved)",
            "audit_entries_deleted": "\(report.auditEntriesDeleted)", "login_failures_deleted": "\(report.loginFailuresDeleted)",
        ])
        return report
    }

    public func run() async {
        var wait = settings.retentionFirstRun
        var runs = 0
        while await sleepUnlessStopping(for: wait) {
            wait = settings.retentionInterval
            do {
                // Once a day across every server and worker.
                let today = settings.clock.today()
                switch try await store.claimDailyJob("retention", on: today) {
                case .claimed:
                    try await runNow()
                    try await store.completeDailyJob("retention", on: today)
                case .elsewhere:
                    // Another process runs it: look again within its lease, to take the day over
                    // should that process be gone.
                    wait = min(settings.retentionInterval, .seconds(Store.dailyJobLease))
                case .done:
                    break
                }
            } catch {
                logger.error("retention run failed", metadata: ["component": "retention", "error": "\(type(of: error))"])
            }
            runs += 1
        }
        logger.notice("retention job stopped: no run in progress", metadata: ["component": "retention", "runs": "\(runs)"])
    }
}
