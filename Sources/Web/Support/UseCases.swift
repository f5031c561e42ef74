import Domain
import Storage
import Workflows

/// The use cases the handlers call, wired to this application's store and clock.
extension WebContext {
    var caseWork: CaseWork { CaseWork(cases: store, audit: store, clock: settings.clock) }
    var audit: AuditRecorder { AuditRecorder(store) }
    var quarantineWork: QuarantineWork { QuarantineWork(quarantine: store, records: store, audit: store, ingest: ingestOptions) }
}
