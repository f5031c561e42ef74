import Domain
import Foundation
import Ingest
import Logging
import Simulator
import Storage
import Vapor
import Web

/// Runs the web application until SIGINT or SIGTERM: the pages, the API, the event intake, the
/// pipeline worker, and in the demo the live feed.
struct Server {
    let context: AppContext
    let host: String
    let port: Int
    /// Events per second of the live feed (the demo), or nil.
    let feedRate: Double?
    let seed: UInt64

    func webContext() -> WebContext {
        let configuration = context.configuration
        var settings = WebSettings(allowsTestData: configuration.environment.allowsTestData, policy: configuration.policy,
                                   regions: configuration.regions,
                                   clock: configuration.clock)
        settings.bcryptCost = configuration.environment == .production ? 12 : 10
        settings.retention = configuration.retention
        // Plain HTTP on a local demo: browsers accept Secure cookies on localhost, so keep them on.
        settings.secureCookies = true
        return WebContext(store: context.store, settings: settings)
    }

    func run(banner: String? = nil) async throws {
        // Vapor's "production": templates are parsed once and cached (Leaf turns its cache off in
        // "development"). Vangnet's own environment (test data, keys) is separate.
        let environment = Environment(name: "production", arguments: ["vangnet", "serve", "--hostname", host, "--port", String(port)])
        let app = try await Application.make(environment)
        let web = webContext()
        do {
            try app.configureVangnet(web)
            await web.pipeline.start()
            await web.retention.start(firstRunAfter: .seconds(300))
            let keyWatcher = context.configuration.keyFilePath.map { KeyFileWatcher(path: $0, store: context.store).start() }
            defer { keyWatcher?.cancel() }
            var feed: Task<Void, Never>?
            if let feedRate, feedRate > 0 {
                feed = startFeed(app: app, rate: feedRate, today: web.today)
            }
            if let banner { print(banner) }
            try await app.execute()
            feed?.cancel()
            await web.pipeline.stop()
            await web.retention.stop()
        } catch {
            await web.pipeline.stop()
            await web.retention.stop()
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    /// Posts the simulator's live feed to this server's own event intake, signed like a real source.
    func startFeed(app: Application, rate: Double, today: LocalDate) -> Task<Void, Never> {
        let store = context.store
        let url = "http://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(port)/api/v1/events"
        let seed = self.seed
        let clock = context.configuration.clock
        let logger = Logger(label: "vangnet.demo-feed")
        return Task {
            var feed = LiveFeed(seed: seed &+ UInt64(today.ordinal), today: today)
            try? await Task.sleep(for: .seconds(1))
            var sent = 0
            while !Task.isCancelled {
                guard let secrets = try? await store.eventSecrets() else { return }
                for record in feed.next() {
                    guard let secret = secrets[record.source] else { continue }
                    sent += 1
                    let event: [String: Any] = [
                        "specversion": "1.0", "id": "demo-\(today.iso)-\(sent)", "source": "/sources/\(record.source.rawValue)",
                        "type": "be.vlaanderen.vangnet.\(record.kind.rawValue).v1", "datacontenttype": "application/json",
                        "time": storedTimestamp(clock.now()), "data": ExchangeWriter.fields(record),
                    ]
                    guard let body = try? JSONSerialization.data(withJSONObject: event, options: [.sortedKeys]) else { continue }
                    let id = UUID().uuidString
                    let timestamp = Int(clock.now().timeIntervalSince1970)
                    var headers = HTTPHeaders()
                    headers.add(name: .contentType, value: "application/cloudevents+json")
                    headers.add(name: "webhook-id", value: id)
                    headers.add(name: "webhook-timestamp", value: String(timestamp))
                    headers.add(name: "webhook-signature", value: EventIntake.sign(id: id, timestamp: timestamp, body: body, secret: secret))
                    do {
                        let response = try await app.client.post(URI(string: url), headers: headers) { $0.body = .init(data: body) }
                        if response.status != .accepted {
                            logger.warning("live feed event refused", metadata: ["component": "demo-feed", "status": "\(response.status.code)"])
                        }
                    } catch {
                        logger.warning("live feed cannot reach the server", metadata: ["component": "demo-feed"])
                    }
                    try? await Task.sleep(for: .seconds(1 / rate))
                }
            }
        }
    }
}

/// Bcrypt hashes for passwords (Vapor's Bcrypt).
enum Passwords {
    static func hash(_ password: String, cost: Int) throws -> String { try Bcrypt.hash(password, cost: cost) }

    /// 16 characters from an alphabet without look-alikes.
    static func generate() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<16).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}
