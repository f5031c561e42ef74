import Domain
import Foundation
import NIOConcurrencyHelpers
import Logging
import Metrics
import ServiceLifecycle
import Storage
import Workflows

/// Decides whoever is due, soon after records arrive (`poke()`) and at least every tick (timers come
/// due without any record): one worker per server process; several processes share the schedule on
/// PostgreSQL. A service of the server's group: on graceful shutdown it finishes the run in progress,
/// starts no other, and says so.
public final class PipelineWorker: Service, Sendable {
    let store: Store
    let settings: WebSettings
    let metrics: any MetricsFactory
    let logger = Logger(label: "vangnet.pipeline-worker")
    /// Wake-ups (pokes and ticks): at most one waits, however many came during a run.
    private let wakes: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    private let unserved = OldestInstant()

    init(store: Store, settings: WebSettings, metrics: any MetricsFactory) {
        self.store = store
        self.settings = settings
        self.metrics = metrics
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        wakes = stream
        wake = continuation
    }

    /// Runs the pipeline once now (the service's loop, and tests).
    @discardableResult
    public func runNow() async throws -> PipelineReport {
        let runner = PipelineRunner(store: store, policy: settings.policy, regions: settings.regions, today: settings.clock.today())
        // Records stored before this instant are decided by this run: their lag ends with it.
        let poked = unserved.take()
        let start = ContinuousClock.now
        let report: PipelineReport
        do {
            // A register record that names the number it replaces (an event, a file) merges the
            // two persons before they are decided.
            try await PersonMerging(merges: store).mergeReplacedNumbers()
            report = try await runner.run()
        } catch {
            unserved.restore(poked)
            VangnetMetrics.pipelineFailed(factory: metrics)
            throw error
        }
        let end = ContinuousClock.now
        VangnetMetrics.pipelineRun(duration: end - start, decided: report.decided, factory: metrics)
        if let poked { VangnetMetrics.pipelineLag(end - poked, factory: metrics) }
        return report
    }

    /// Asks the worker to run soon: records were stored. Cheap and synchronous: no task per call.
    public func poke() {
        unserved.mark(ContinuousClock.now)
        wake.yield()
    }

    /// Runs the pipeline on every poke and every `settings.pipelineTick`, until graceful shutdown
    /// (the run in progress finishes) or cancellation. Run it once.
    public func run() async {
        let tick = settings.pipelineTick
        let wake = self.wake
        let wakes = self.wakes
        var runs = 0
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    while true {
                        do { try await Task.sleep(for: tick) } catch { return }
                        wake.yield()
                    }
                }
                for await _ in wakes {
                    if Task.isShuttingDownGracefully || Task.isCancelled { break }
                    do {
                        try await runNow()
                    } catch {
                        logger.error("pipeline run failed", metadata: ["component": "pipeline", "error": "\(type(of: error))"])
                    }
                    runs += 1
                }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            wake.finish()
        }
        logger.notice("pipeline worker stopped: no run in progress, none started after the shutdown began",
                      metadata: ["component": "pipeline", "runs": "\(runs)"])
    }
}

/// The instant of the oldest poke that no run has served yet (for `vangnet_pipeline_lag_seconds`).
/// A lock, not an actor: `poke()` must stay synchronous.
private final class OldestInstant: Sendable {
    private let instant = NIOLockedValueBox<ContinuousClock.Instant?>(nil)

    func mark(_ now: ContinuousClock.Instant) {
        instant.withLockedValue { if $0 == nil { $0 = now } }
    }

    func take() -> ContinuousClock.Instant? {
        instant.withLockedValue { value in
            let taken = value
            value = nil
            return taken
        }
    }

    /// A failed run served nobody: its pokes wait for the next one.
    func restore(_ taken: ContinuousClock.Instant?) {
        guard let taken else { return }
        instant.withLockedValue { $0 = min($0 ?? taken, taken) }
    }
}
