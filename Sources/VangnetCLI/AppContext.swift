import Domain
import Foundation
import Ingest
import Logging
import Privacy
import Storage
import Workflows

/// What a command needs: the configuration and, once opened, the store.
public struct AppContext: Sendable {
    public let configuration: VangnetConfiguration
    public let store: Store

    /// Reads the configuration, opens the store and brings its schema up to date.
    /// `clock` replaces the configuration's (the lived demo plays its history on a clock it moves).
    public static func open(dataDirectory: String? = nil, migrate: Bool = true,
                            environment: [String: String] = ProcessInfo.processInfo.environment, clock: Clock? = nil) async throws -> AppContext {
        var configuration = try VangnetConfiguration.fromEnvironment(environment, dataDirectory: dataDirectory)
        if let clock { configuration.clock = clock }
        bootstrapLogging(level: configuration.logLevel)
        let keyring = try configuration.keyring()
        let store = try await Store.open(configuration.database, keyring: keyring, clock: configuration.clock,
                                         poolSize: configuration.databasePoolSize)
        do {
            if migrate { try await store.migrate() } else { try await store.requireMigrated() }
            // Deliveries left `running` by a process that is gone (killed, crashed) are interrupted.
            try await store.markInterruptedDeliveries()
        } catch {
            await store.close()
            throw error
        }
        return AppContext(configuration: configuration, store: store)
    }

    public func close() async { await store.close() }

    /// Options for reading source files in this environment.
    public var ingestOptions: IngestOptions {
        let keyring = store.keyring
        return IngestOptions(allowTestNumbers: configuration.environment.allowsTestData, today: configuration.currentDate) {
            keyring.blindIndex($0.digits, purpose: .personKey)
        }
    }

    /// Linkage of quarantined records whose INSZ failed to the persons Vangnet knows.
    public var identityWork: IdentityWork {
        let quarantine = QuarantineWork(quarantine: store, records: store, audit: store, ingest: ingestOptions)
        return IdentityWork(identities: store, merges: store, quarantine: quarantine,
                            thresholds: configuration.identityThresholds)
    }

    public func pipeline(today: LocalDate? = nil) -> PipelineRunner {
        PipelineRunner(store: store, policy: configuration.policy, regions: configuration.regions,
                       today: today ?? configuration.currentDate)
    }
}
