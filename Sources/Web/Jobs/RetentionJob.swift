import Domain
import Foundation
import Logging
import Storage

/// Applies the retention periods once a day while the server runs (and once shortly after it
/// starts), as `vangnet retention run` does by hand. What it removed is in `retention_runs`, the
/// audit log and the server log (counts only).
public actor RetentionJob {
    let store: Store
    let settings: WebSettings
    let logger = Logger(label: "vangnet.retention")
    private var task: Task<Void, Never>?

    public init(store: Store, settings: WebSettings) {
        self.store = store
        self.settings = settings
    }

    /// One run now.
    @discardableResult
    public func runNow() async throws -> RetentionReport {
        let actor = Actor(username: "system:retention", role: .admin, purpose: Purpose.retention.rawValue, requestID: UUID().uuidString)
        let report = try await store.applyRetention(settings.retention, today: settings.clock.today(), dryRun: false, actor: actor)
        logger.info("retention applied", metadata: [
            "component": "retention", "records_deleted": "\(report.recordsDeleted)", "quarantine_deleted": "\(report.quarantineDeleted)",
            "cases_anonymised": "\(report.casesAnonymised)", "notes_removed": "\(report.notesRemoved)",
            "audit_entries_deleted": "\(report.auditEntriesDeleted)", "login_failures_deleted": "\(report.loginFailuresDeleted)",
        ])
        return report
    }

    public func start(firstRunAfter delay: Duration = .seconds(60), every interval: Duration = .seconds(24 * 3600)) {
        guard task == nil else { return }
        task = Task { [weak self] in
            try? await Task.sleep(for: delay)
            while !Task.isCancelled {
                guard let self else { return }
                do { try await self.runNow() } catch {
                    self.logger.error("retention run failed", metadata: ["component": "retention", "error": "\(type(of: error))"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    public func stop() {
        task?.cancel()
        task = nil
    }
}
