import Foundation
import Logging
import ServiceLifecycle
import Storage

/// The event batcher as a service: writes the intake's requests while the server runs; on graceful
/// shutdown (after the HTTP server has stopped taking requests) it writes what it still holds,
/// answers every waiting request, and says how many that were.
public struct EventBatcherService: Service {
    public let batcher: EventBatcher
    let logger = Logger(label: "vangnet.events")

    public init(batcher: EventBatcher) {
        self.batcher = batcher
    }

    public func run() async {
        let batcher = self.batcher
        let held = await withGracefulShutdownHandler {
            await batcher.run()
        } onGracefulShutdown: {
            batcher.finish()
        }
        logger.notice("event batcher stopped: every request it held was written and answered",
                      metadata: ["component": "events", "requests_written_at_shutdown": "\(held)"])
    }
}

/// Sleeps for `duration` inside a service's `run()`; false when the service is to stop instead
/// (graceful shutdown or cancellation, before or during the sleep). Only the pause is cut short,
/// never the work between two pauses.
public func sleepUnlessStopping(for duration: Duration) async -> Bool {
    guard !Task.isShuttingDownGracefully, !Task.isCancelled else { return false }
    do {
        try await cancelWhenGracefulShutdown { try await Task.sleep(for: duration) }
    } catch {
        return false
    }
    return !Task.isShuttingDownGracefully && !Task.isCancelled
}

/// Keeps SQLite's write-ahead log small while the server runs: a checkpoint every `interval`
/// (`Store.checkpoint()`), so the `-wal` next to the database is truncated rather than left at the
/// size of the busiest stretch. On graceful shutdown the wait ends at once; a checkpoint in progress
/// finishes (and SQLite checkpoints once more when the store closes).
public struct WriteAheadLogCheckpointer: Service {
    public let store: Store
    public let interval: Duration
    let logger = Logger(label: "vangnet.storage")

    public init(store: Store, interval: Duration = .seconds(60)) {
        self.store = store
        self.interval = interval
    }

    public func run() async {
        var checkpoints = 0
        var unfinished = 0
        while await sleepUnlessStopping(for: interval) {
            do {
                if try await store.checkpoint() { checkpoints += 1 } else { unfinished += 1 }
            } catch {
                logger.warning("write-ahead log checkpoint failed", metadata: ["component": "storage", "error": "\(type(of: error))"])
            }
        }
        logger.notice("write-ahead log checkpointer stopped", metadata: [
            "component": "storage", "checkpoints": "\(checkpoints)", "checkpoints_unfinished": "\(unfinished)"])
    }
}
