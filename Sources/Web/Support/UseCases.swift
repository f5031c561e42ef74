import Privacy
import Domain
import Letters
import Storage
import Vapor
import Workflows

/// The use cases the handlers call, wired to this application's store and clock.
extension WebContext {
    var caseWork: CaseWork { CaseWork(cases: store, audit: store, clock: settings.clock) }
    var audit: AuditRecorder { AuditRecorder(store) }
    /// The letter batch: everyone in it decided again first by this server's pipeline.
    public var letterBatchWork: LetterBatchWork {
        let pipeline = self.pipeline
        let store = self.store
        return LetterBatchWork(letters: store, regions: settings.regions, settings: settings.letters, clock: settings.clock,
                               decideAgain: { persons in
                                   try await store.markDue(persons: persons)
                                   return try await pipeline.runNow().casesWithdrawn
                               },
                               sha256: { Checksum.sha256Hex($0) })
    }

    /// The registration requests' delivery over `client`; nil when automatic registration has no
    /// endpoint configured (the requests wait in the outbox).
    public func registrationDelivery(client: any Client) -> RegistrationDelivery? {
        guard let registration = settings.registration,
              let gateway = HTTPRegistrationGateway(client: client, settings: registration, clock: settings.clock) else { return nil }
        return RegistrationDelivery(outbox: store, gateway: gateway, clock: settings.clock, settings: registration.delivery)
    }

    var answerWork: AnswerWork { AnswerWork(answers: store, cases: store, audit: store, clock: settings.clock) }

    var quarantineWork: QuarantineWork { QuarantineWork(quarantine: store, records: store, audit: store, ingest: ingestOptions) }

    /// Two persons that turn out to be one, merged by the steward (and undone).
    var personMerging: PersonMerging { PersonMerging(merges: store) }

    public var identityWork: IdentityWork {
        IdentityWork(identities: store, merges: store, quarantine: quarantineWork, thresholds: settings.identityThresholds)
    }
}
