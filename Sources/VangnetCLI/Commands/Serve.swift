import ArgumentParser
import Foundation

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the web application and the JSON API on the configured database (no demo data).",
        discussion: """
            Runs the pipeline worker, the event batcher, the retention job, the key-file watcher and the HTTP server \
            until SIGTERM or SIGINT, then stops them gracefully in reverse order and exits 0 (docs/operations.md).
            """)

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080

    func run() async throws {
        try await command {
            let context = try await AppContext.open()
            do {
                try await Server(context: context, host: host, port: port, feedRate: nil, seed: 0)
                    .run(banner: "Vangnet listens on http://\(host):\(port)")
            } catch {
                await context.close()
                throw error
            }
            await context.close()
        }
    }
}
