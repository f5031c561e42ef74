import ArgumentParser
import Foundation

/// `vangnet worker`: the background work without the HTTP server (docs/operations.md), so that any
/// number of workers and servers share one PostgreSQL: the pipeline claims persons with
/// `FOR UPDATE SKIP LOCKED`, the outboxes claim messages with a lease, and the daily jobs (the letter
/// batch, retention) run once a day across all of them, by whoever claims the day first.
struct Worker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the background work (pipeline, outbox deliveries, daily letter batch, retention) without the web server.",
        discussion: "Stops gracefully on SIGTERM or SIGINT, like vangnet serve; on SQLite, vangnet serve runs the same work in-process.")

    func run() async throws {
        try await command {
            let context = try await AppContext.open()
            do {
                var server = Server(context: context, host: "127.0.0.1", port: 0, feedRate: nil, seed: 0)
                server.listens = false
                try await server.run(banner: "Vangnet worker runs (Ctrl-C stops)")
            } catch {
                await context.close()
                throw error
            }
            await context.close()
        }
    }
}
