import Domain
import Foundation
import Ingest
import Logging
import Prometheus
import Storage
import Vapor
import Workflows

/// Settings of the web application, from the one configuration (VangnetCLI builds them).
public struct WebSettings: Sendable {
    /// Test numbers and synthetic data allowed (test and demo environments).
    public var allowsTestData: Bool
    /// `Secure` on cookies. Always on, except where a test runs over plain HTTP on purpose.
    public var secureCookies = true
    /// Bcrypt cost for new passwords (12 in production; lower in tests and the demo).
    public var bcryptCost = 12
    /// A session ends after this long without a request…
    public var sessionIdleSeconds: Double = 30 * 60
    /// …and this long after login, whatever happens.
    public var sessionAbsoluteSeconds: Double = 12 * 3600
    /// Failed logins: thresholds and lock-out times.
    public var loginThrottle = LoginThrottle.standard
    /// Letters: reminder period, how long answer codes work, the answer page's address.
    public var letters = LetterBatchWork.Settings()
    public var policy: Policy
    public var regions: Regions
    /// The one clock (the composition root passes it in; tests pin it).
    public var clock: Clock
    /// How long each kind of data is kept (the case page shows it; the retention job applies it).
    public var retention = RetentionPolicy()
    /// Automatic registration: where the requests go (nil: not configured; the requests wait in
    /// the outbox and the callback route answers 404).
    public var registration: RegistrationSettings?
    /// Under this age a parent or guardian gives the consent to a referral (`VANGNET_CONSENT_AGE`).
    public var ageOfConsent = ReferralRules.defaultAgeOfConsent
    /// Linkage of quarantined records to known persons (`VANGNET_LINK_THRESHOLD`, `VANGNET_REVIEW_THRESHOLD`).
    public var identityThresholds = IdentityWork.Thresholds()
    /// The daily letter batch runs from this hour (Belgian time); nil: not in the server (the
    /// command or the steward's button makes it).
    public var letterBatchHour: Int? = 6
    /// The pipeline worker runs at least this often (timers), and at once when records arrive.
    public var pipelineTick: Duration = .seconds(5)
    /// The retention job's first run, this long after the server starts…
    public var retentionFirstRun: Duration = .seconds(300)
    /// …and then this often.
    public var retentionInterval: Duration = .seconds(24 * 3600)

    public init(allowsTestData: Bool, policy: Policy, regions: Regions, clock: Clock) {
        self.allowsTestData = allowsTestData
        self.policy = policy
        self.regions = regions
        self.clock = clock
    }
}

/// What every request handler needs: the store, the settings, the background services and metrics.
/// The services (pipeline worker, event batcher, retention job) run in the server's ServiceGroup
/// (VangnetCLI's `Server`); without it — in tests — the pipeline runs on `runNow()` and the event
/// batcher writes each request on its own.
public final class WebContext: Sendable {
    public let store: Store
    public let settings: WebSettings
    public let pipeline: PipelineWorker
    public let retention: RetentionJob
    /// Writes the event intake's requests together when they arrive together.
    public let events: EventBatcher
    /// What `/metrics` renders. The composition root bootstraps the swift-metrics facade on the same
    /// registry (with `makeMetricsFactory(registry:)`), so Storage's metrics show there too.
    public let metrics: PrometheusCollectorRegistry
    /// The web layer's metrics go here (`VangnetMetrics`), whether or not the facade is bootstrapped.
    public let metricsFactory: PrometheusMetricsFactory
    /// The dashboards made since the statistics last changed.
    let dashboards = DashboardCache()
    /// The rows the dashboard reads one by one, kept in memory and brought up to date as they change.
    let statisticsRows: StatisticsMirror

    public init(store: Store, settings: WebSettings, metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.store = store
        self.settings = settings
        self.metrics = metrics
        let factory = WebContext.makeMetricsFactory(registry: metrics)
        self.metricsFactory = factory
        self.pipeline = PipelineWorker(store: store, settings: settings, metrics: factory)
        self.retention = RetentionJob(store: store, settings: settings)
        self.events = EventBatcher(store: store)
        self.statisticsRows = StatisticsMirror(store: store)
    }

    /// The one way to make a swift-metrics factory on a registry: every factory on one registry must
    /// agree on each histogram's buckets (Prometheus refuses a second set).
    public static func makeMetricsFactory(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = VangnetMetrics.durationBuckets
        return factory
    }

    public var today: LocalDate { settings.clock.today() }

    public var ingestOptions: IngestOptions {
        let keyring = store.keyring
        return IngestOptions(allowTestNumbers: settings.allowsTestData, today: today) { keyring.blindIndex($0.digits, purpose: .personKey) }
    }
}

extension Request {
    var context: WebContext { application.storage[WebContextKey.self]! }

    /// The case named by the route's `:number` (`VN-000042`); a number that does not parse is a
    /// case that is not found, like one outside the scope.
    func caseID() throws -> Int64 {
        guard let id = parameters.get("number").flatMap(CaseNumber.parse) else { throw WebError.notFound }
        return id
    }
}

struct WebContextKey: StorageKey {
    typealias Value = WebContext
}
