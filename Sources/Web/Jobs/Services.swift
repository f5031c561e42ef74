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
