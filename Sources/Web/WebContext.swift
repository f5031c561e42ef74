import Domain
import Foundation
import Ingest
import Logging
import Prometheus
import Storage
import Vapor

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
    public var policy: Policy
    public var regions: Regions
    /// The one clock (the composition root passes it in; tests pin it).
    public var clock: Clock
    /// How long each kind of data is kept (the case page shows it; the retention job applies it).
    public var retention = RetentionPolicy()

    public init(allowsTestData: Bool, policy: Policy, regions: Regions, clock: Clock) {
        self.allowsTestData = allowsTestData
        self.policy = policy
        self.regions = regions
        self.clock = clock
    }
}

/// What every request handler needs: the store, the settings, the pipeline worker and metrics.
public final class WebContext: Sendable {
    public let store: Store
    public let settings: WebSettings
    public let pipeline: PipelineWorker
    public let retention: RetentionJob
    /// Writes the event intake's requests together when they arrive together.
    public let events: EventBatcher
    public let metrics: PrometheusCollectorRegistry

    public init(store: Store, settings: WebSettings, metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.store = store
        self.settings = settings
        self.metrics = metrics
        self.pipeline = PipelineWorker(store: store, settings: settings, metrics: metrics)
        self.retention = RetentionJob(store: store, settings: settings)
        self.events = EventBatcher(store: store)
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

/// Decides whoever is due, soon after records arrive and at least every few seconds (timers):
/// one worker per server process; several processes share the schedule on PostgreSQL.
public actor PipelineWorker {
    let store: Store
    let settings: WebSettings
    let logger = Logger(label: "vangnet.pipeline-worker")
    private var wake: AsyncStream<Void>.Continuation?
    private var task: Task<Void, Never>?
    private let lag: DurationRecorder
    private let decided: Counter

    init(store: Store, settings: WebSettings, metrics: PrometheusCollectorRegistry) {
        self.store = store
        self.settings = settings
        lag = DurationRecorder(metrics.makeDurationHistogram(
            name: "vangnet_pipeline_run_seconds",
            buckets: [.milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                      .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5)]))
        decided = metrics.makeCounter(name: "vangnet_pipeline_decisions_total")
    }

    /// Runs the pipeline once now (also used by tests).
    @discardableResult
    public func runNow() async throws -> PipelineReport {
        let runner = PipelineRunner(store: store, policy: settings.policy, regions: settings.regions, today: settings.clock.today())
        let start = ContinuousClock.now
        let report = try await runner.run()
        lag.record(ContinuousClock.now - start)
        decided.increment(by: Int64(report.decided))
        return report
    }

    /// Asks the worker to run soon.
    public nonisolated func poke() { Task { await self.signal() } }

    private func signal() { wake?.yield() }

    public func start() {
        guard task == nil else { return }
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        wake = continuation
        task = Task { [weak self] in
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(5))
                        continuation.yield()
                    }
                }
                group.addTask {
                    for await _ in stream {
                        guard let self else { return }
                        do { try await self.runNow() } catch {
                            self.logger.error("pipeline run failed", metadata: ["component": "pipeline", "error": "\(type(of: error))"])
                        }
                    }
                }
                await group.next()
                group.cancelAll()
            }
        }
    }

    public func stop() {
        task?.cancel()
        wake?.finish()
        task = nil
    }
}

/// A Prometheus histogram fed with durations.
struct DurationRecorder: Sendable {
    let histogram: DurationHistogram
    init(_ histogram: DurationHistogram) { self.histogram = histogram }
    func record(_ duration: Duration) { histogram.record(duration) }
}
