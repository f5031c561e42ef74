import Domain
import Foundation
import Ingest
import Logging
import Prometheus
import ServiceLifecycle
import Simulator
import Storage
import Vapor
import Web
import Workflows

/// The composition root of `vangnet serve` and `vangnet demo`: the web application and its
/// background work as services of one ServiceGroup, which owns SIGTERM and SIGINT. Dependencies
/// come first; graceful shutdown goes in reverse order:
///
/// 1. pipeline worker — finishes the run in progress, starts no other;
/// 2. event batcher — writes the requests it holds and answers every waiting caller;
/// 3. retention job — a run in progress finishes; the wait for the next one ends;
/// 3a. letter batch job — the day's batch from VANGNET_LETTER_BATCH_HOUR; a batch being made finishes;
/// 3b. registration worker (when an endpoint is configured) — the batch in flight finishes; the
///     rest stays in the outbox;
/// 4. write-ahead log checkpointer (SQLite) — a checkpoint in progress finishes; the wait ends;
/// 5. key-file watcher (when the keys come from a file) — stops;
/// 6. HTTP server — stops accepting, answers the requests in flight;
/// 7. live feed (the demo) — stops posting.
///
/// Each says so in one log line (counts only, never personal data), and the server's last line is
/// "vangnet stopped cleanly". `VANGNET_SHUTDOWN_TIMEOUT_SECONDS` bounds the whole shutdown.
struct Server {
    let context: AppContext
    let host: String
    let port: Int
    /// Events per second of the live feed (the demo), or nil.
    let feedRate: Double?
    let seed: UInt64
    /// Where registration requests go; by default from the configuration (the demo passes its stand-in's).
    var registration: RegistrationSettings?
    /// False for `vangnet worker`: the background work only, no HTTP server.
    var listens = true
    /// How long a worker holds the outbox messages it claimed (`VANGNET_OUTBOX_LEASE_SECONDS`).
    var outboxLease: TimeInterval = 120
    let logger = Logger(label: "vangnet.server")

    init(context: AppContext, host: String, port: Int, feedRate: Double?, seed: UInt64, registration: RegistrationSettings? = nil) {
        self.context = context
        self.host = host
        self.port = port
        self.feedRate = feedRate
        self.seed = seed
        let configuration = context.configuration
        if let registration {
            self.registration = registration
        } else if let url = configuration.registrationURL, let secret = configuration.registrationSecret {
            self.registration = RegistrationSettings(endpoint: url, secret: secret)
        }
        self.registration?.delivery.maximumAttempts = configuration.registrationMaxAttempts
        let lease = TimeInterval(configuration.outboxLeaseSeconds)
        self.registration?.delivery.lease = lease
        self.registration?.delivery.batchSize = RegistrationRules.batchSize(lease: lease)
        self.outboxLease = lease
    }

    func webContext(metrics: PrometheusCollectorRegistry) -> WebContext {
        let configuration = context.configuration
        var settings = WebSettings(allowsTestData: configuration.environment.allowsTestData, policy: configuration.policy,
                                   regions: configuration.regions, clock: configuration.clock)
        settings.bcryptCost = configuration.bcryptCost
        settings.sessionIdleSeconds = Double(configuration.sessionIdleSeconds)
        settings.sessionAbsoluteSeconds = Double(configuration.sessionAbsoluteSeconds)
        settings.loginThrottle = configuration.loginThrottle
        settings.letters.reminderAfterDays = configuration.letterReminderDays
        settings.letters.codeValidDays = configuration.answerCodeValidDays
        settings.letters.answerAddress = configuration.answerAddress
        settings.letters.requireConfiguredOffices = configuration.environment == .production
        settings.retention = configuration.retention
        settings.pipelineTick = configuration.pipelineTick
        settings.retentionFirstRun = configuration.retentionFirstRun
        settings.registration = registration
        settings.letterBatchHour = configuration.letterBatchHour
        settings.ageOfConsent = configuration.ageOfConsent
        settings.identityThresholds = configuration.identityThresholds
        // Plain HTTP on a local demo: browsers accept Secure cookies on localhost, so keep them on.
        settings.secureCookies = true
        return WebContext(store: context.store, settings: settings, metrics: metrics)
    }

    func run(banner: String? = nil) async throws {
        // The facade's metrics (Storage, the pipeline) and the web layer's share one registry: `/metrics`.
        let registry = bootstrapMetrics()
        // Vapor's "production": templates are parsed once and cached (Leaf turns its cache off in
        // "development"). Vangnet's own environment (test data, keys) is separate. Vapor's serve
        // command is not used: the ServiceGroup starts the server and owns the signals.
        let app = try await Application.make(Environment(name: "production", arguments: ["vangnet"]))
        let web = webContext(metrics: registry)
        do {
            try app.configureVangnet(web)
            if !listens {
                // The worker sends (registrations, webhooks) but takes no requests.
                try await app.asyncBoot()
                if let banner { print(banner); fflush(nil) }
            }
            var configuration = ServiceGroupConfiguration(services: services(app: app, web: web, banner: banner),
                                                          gracefulShutdownSignals: [.sigterm, .sigint],
                                                          logger: Logger(label: "vangnet.services"))
            configuration.maximumGracefulShutdownDuration = context.configuration.shutdownTimeout
            try await ServiceGroup(configuration: configuration).run()
        } catch {
            try? await app.asyncShutdown()
            logger.error("vangnet stopped on an error", metadata: ["component": "server", "error": "\(type(of: error))"])
            throw error
        }
        try await app.asyncShutdown()
        logger.notice("vangnet stopped cleanly", metadata: ["component": "server"])
    }

    /// The services in dependency order: what the HTTP server needs comes before it, the feed that
    /// needs the server after it.
    func services(app: Application, web: WebContext, banner: String?) -> [ServiceGroupConfiguration.ServiceConfiguration] {
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: web.pipeline, serviceName: "pipeline-worker"),
            .init(service: EventBatcherService(batcher: web.events), serviceName: "event-batcher"),
            .init(service: web.retention, serviceName: "retention-job"),
            .init(service: StatisticsJob { [store = context.store] in try await store.refreshStatistics() }, serviceName: "statistics-job"),
        ]
        if context.store.dialect == .sqlite {
            // SQLite's automatic checkpoints never shrink the -wal file; this one truncates it every minute.
            services.append(.init(service: WriteAheadLogCheckpointer(store: context.store, interval: .seconds(60)),
                                  serviceName: "wal-checkpointer"))
        }
        if let path = context.configuration.keyFilePath {
            services.append(.init(service: KeyFileWatcher(path: path, store: context.store), serviceName: "key-file-watcher"))
        }
        if let hour = web.settings.letterBatchHour {
            let store = context.store
            services.append(.init(service: LetterBatchJob(work: web.letterBatchWork, clock: web.settings.clock, hour: hour,
                                                          claim: { try await store.claimDailyJob("letters", on: $0) },
                                                          complete: { try await store.completeDailyJob("letters", on: $0) }),
                                  serviceName: "letter-batch-job"))
        }
        services.append(.init(service: WebhookWorker(delivery: WebhookDelivery(outbox: context.store,
                                                                               gateway: HTTPWebhookGateway(client: app.client, clock: web.settings.clock),
                                                                               clock: web.settings.clock, lease: outboxLease)),
                              serviceName: "webhook-worker"))
        if let delivery = web.registrationDelivery(client: app.client) {
            services.append(.init(service: RegistrationWorker(delivery: delivery, tick: web.settings.registration?.tick ?? .seconds(2)),
                                  serviceName: "registration-worker"))
        }
        guard listens else { return services }
        services.append(.init(service: HTTPServerService(app: app, host: host, port: port, banner: banner), serviceName: "http-server"))
        if let feedRate, feedRate > 0 {
            let feed = LiveFeedService(app: app, store: context.store, url: "http://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(port)/api/v1/events",
                                       rate: feedRate, seed: seed, today: web.today, clock: context.configuration.clock)
            // A convenience of the demo: when it stops on its own, the server goes on.
            services.append(.init(service: feed, successTerminationBehavior: .ignore, failureTerminationBehavior: .ignore,
                                  serviceName: "live-feed"))
        }
        return services
    }
}

/// Vapor's HTTP server as a service: listens until graceful shutdown, then stops accepting
/// connections and lets the requests in flight be answered (Vapor's quiescing, up to its shutdown
/// timeout) before it returns — while the services it depends on still run.
struct HTTPServerService: Service {
    let app: Application
    let host: String
    let port: Int
    /// Printed on standard output once the server listens.
    let banner: String?
    let logger = Logger(label: "vangnet.http")

    func run() async throws {
        try await app.asyncBoot()
        try await app.server.start(address: .hostname(host, port: port))
        if let banner {
            print(banner)
            // Standard output is block-buffered when it goes to a file or a pipe (a process manager's
            // log): without this the logins would show there only when the demo exits.
            fflush(nil)
        }
        logger.notice("HTTP server listening", metadata: ["component": "http", "host": "\(host)", "port": "\(port)"])
        // Cancellation (a shutdown that took too long) ends the wait too; the server is stopped either way.
        try? await gracefulShutdown()
        await app.server.shutdown()
        logger.notice("HTTP server stopped: no new requests taken, those in flight answered", metadata: ["component": "http"])
    }
}

/// The demo's live feed: the simulator's events posted to this server's own event intake, signed
/// like a real source, at `rate` events per second, until graceful shutdown.
struct LiveFeedService: Service {
    let app: Application
    let store: Store
    let url: String
    let rate: Double
    let seed: UInt64
    let today: LocalDate
    let clock: Clock
    let logger = Logger(label: "vangnet.demo-feed")

    func run() async {
        let sent = await cancelWhenGracefulShutdown { await post() }
        logger.notice("live feed stopped", metadata: ["component": "demo-feed", "events_sent": "\(sent)"])
    }

    /// Posts until the task is cancelled; returns how many events were sent.
    func post() async -> Int {
        var feed = LiveFeed(seed: seed &+ UInt64(today.ordinal), today: today)
        var sent = 0
        let pause = Duration.seconds(1 / rate)
        do { try await Task.sleep(for: .seconds(1)) } catch { return sent }
        while !Task.isCancelled {
            guard let secrets = try? await store.eventSecrets() else { return sent }
            let records = feed.next()
            if records.isEmpty {
                do { try await Task.sleep(for: pause) } catch { return sent }
            }
            for record in records {
                if Task.isCancelled { return sent }
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
                    if Task.isCancelled { return sent }
                    logger.warning("live feed cannot reach the server", metadata: ["component": "demo-feed"])
                }
                do { try await Task.sleep(for: pause) } catch { return sent }
            }
        }
        return sent
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
