import Domain
import Foundation
import Privacy
import Storage
import Workflows

/// Every setting of Vangnet, read from `VANGNET_*` environment variables in this one place
/// (`.env.example` lists them, docs/operations.md explains them). The defaults make `vangnet demo`
/// work on a fresh machine. A value that cannot be used stops the command with one line naming the
/// variable and what it must be.
public struct VangnetConfiguration: Sendable {
    public enum Environment: String, Sendable, CaseIterable {
        /// Real data: MAGDA test numbers are refused, keys must be configured.
        case production
        /// Automated tests: test numbers accepted, a local key file is generated.
        case test
        /// The demo: like test.
        case demo

        public var allowsTestData: Bool { self != .production }
    }

    public var environment: Environment
    public var database: DatabaseLocation
    /// PostgreSQL connections per event loop (the store has two loops); SQLite always has one.
    public var databasePoolSize: Int
    /// The folder for the default SQLite file and the generated key file.
    public var dataDirectory: String
    public var keyFile: String?
    public var inlineKeys: String?
    public var policy: Policy
    public var regions: Regions
    /// A pinned date (test and demo only), for reproducible runs.
    public var today: LocalDate?
    /// The one clock: the system's, or (with `VANGNET_TODAY`) the system's instants with the date pinned.
    public var clock: Clock
    /// swift-log's level name: `trace` … `critical`.
    public var logLevel: String
    /// Bcrypt cost of new password hashes.
    public var bcryptCost: Int
    /// A web session ends after this long without a request…
    public var sessionIdleSeconds: Int
    /// …and this long after login, whatever happens.
    public var sessionAbsoluteSeconds: Int
    /// Failed logins per account and per client address before a lock-out, and the first lock-out.
    public var loginThrottle: LoginThrottle
    /// The server's pipeline worker runs at least this often (timers), and at once when records arrive.
    public var pipelineTick: Duration
    /// The server's retention job first runs this long after the server starts, then daily.
    public var retentionFirstRun: Duration
    public var retention: RetentionPolicy
    /// How long `vangnet serve` waits on SIGTERM for its services to finish before cancelling them.
    public var shutdownTimeout: Duration
    public var demoPassword: String?
    /// Events per second of the demo's live feed (0: none).
    public var demoFeedRate: Double
    /// Who runs the command line (`USER`), for the audit log.
    public var operatorName: String
    /// Days after an invitation without an answer before a reminder letter.
    public var letterReminderDays = Defaults.letterReminderDays
    /// How long a letter's personal answer code works.
    public var answerCodeValidDays = Defaults.answerCodeValidDays
    /// The short address of the answer page, printed on letters.
    public var answerAddress = Defaults.answerAddress
    /// VDAB's job-seeker system's endpoint for registration requests (`auto-register`), and the
    /// shared secret (`whsec_…`) that signs them and the callbacks; nil: requests wait in the outbox.
    public var registrationURL: String?
    /// Under this age a parent or guardian gives the consent to a referral.
    public var ageOfConsent = ReferralRules.defaultAgeOfConsent
    /// Linkage of quarantined records to known persons: link from here, ask the steward from here.
    public var identityThresholds = IdentityWork.Thresholds()
    /// The hour (Belgian time) from which the server makes the day's letter batch; nil: never.
    public var letterBatchHour: Int? = 6
    public var registrationSecret: String?
    public var registrationMaxAttempts = RegistrationRules.defaultMaximumAttempts
    /// How long a worker holds the outbox messages it claimed (registration requests, partner
    /// notices): a killed worker's come back to the others after it (`VANGNET_OUTBOX_LEASE_SECONDS`).
    public var outboxLeaseSeconds = 120

    public enum Problem: Error, CustomStringConvertible {
        case invalid(String)
        public var description: String { if case .invalid(let text) = self { text } else { "" } }
    }

    /// The defaults, documented once (docs/operations.md, .env.example).
    public enum Defaults {
        public static let letterReminderDays = 14
        public static let answerCodeValidDays = 120
        public static let answerAddress = "vangnet.vdab.be/antwoord"
        public static let databasePoolSize = 4
        public static let logLevel = "notice"
        public static let bcryptCostProduction = 12
        public static let bcryptCostTestAndDemo = 10
        public static let sessionIdleSeconds = 30 * 60
        public static let sessionAbsoluteSeconds = 12 * 3600
        public static let pipelineTickSeconds = 5.0
        public static let retentionFirstRunSeconds = 300
        public static let shutdownTimeoutSeconds = 30
        public static let demoFeedRate = 2.0
    }

    static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    /// 0.1 → "0.1", 3600 → "3600".
    static func plain(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// Reads the configuration; `dataDirectory` overrides where the default SQLite file and the
    /// demo's key file go.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment,
                                       dataDirectory: String? = nil) throws(Problem) -> VangnetConfiguration {
        /// The variable's text, nil when unset or blank.
        func setting(_ name: String) -> String? {
            guard let raw = env[name] else { return nil }
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? nil : trimmed
        }
        func integer(_ name: String, _ fallback: Int, _ range: ClosedRange<Int>, _ what: String) throws(Problem) -> Int {
            guard let given = setting(name) else { return fallback }
            guard let value = Int(given), range.contains(value) else {
                throw .invalid("\(name) must be \(what) from \(range.lowerBound) to \(range.upperBound)")
            }
            return value
        }
        func number(_ name: String, _ fallback: Double, _ range: ClosedRange<Double>, _ what: String) throws(Problem) -> Double {
            guard let given = setting(name) else { return fallback }
            guard let value = Double(given), value.isFinite, range.contains(value) else {
                throw .invalid("\(name) must be \(what) from \(plain(range.lowerBound)) to \(plain(range.upperBound))")
            }
            return value
        }

        let folder = dataDirectory ?? FileManager.default.currentDirectoryPath
        guard let environment = Environment(rawValue: setting("VANGNET_ENVIRONMENT")?.lowercased() ?? "production") else {
            throw .invalid("VANGNET_ENVIRONMENT must be production, test or demo")
        }
        let database: DatabaseLocation
        if let url = setting("VANGNET_DATABASE_URL") {
            do { database = try DatabaseLocation(url: url) } catch { throw .invalid(error.description) }
        } else {
            database = .sqlite(path: folder + "/vangnet.sqlite")
        }
        let poolSize = try integer("VANGNET_DATABASE_POOL_SIZE", Defaults.databasePoolSize, 1...64, "a number of connections")
        var policy = Policy.default
        if let path = setting("VANGNET_POLICY_FILE") {
            guard let data = FileManager.default.contents(atPath: path) else { throw .invalid("VANGNET_POLICY_FILE: cannot read \(path)") }
            do {
                policy = try JSONDecoder().decode(Policy.self, from: data).validated()
            } catch let error as Policy.Invalid {
                throw .invalid("VANGNET_POLICY_FILE: \(error.description)")
            } catch {
                throw .invalid("VANGNET_POLICY_FILE: not a policy file (see docs/policy.md)")
            }
        }
        var regions = Regions.demo
        if let path = setting("VANGNET_REGIONS_FILE") {
            guard let data = FileManager.default.contents(atPath: path) else { throw .invalid("VANGNET_REGIONS_FILE: cannot read \(path)") }
            do {
                regions = try JSONDecoder().decode(Regions.self, from: data).validated()
            } catch let error as Regions.Invalid {
                throw .invalid("VANGNET_REGIONS_FILE: \(error.description)")
            } catch {
                throw .invalid("VANGNET_REGIONS_FILE: not a regions file (see docs/regions.md)")
            }
        }
        var today: LocalDate?
        if let text = setting("VANGNET_TODAY") {
            guard environment.allowsTestData else { throw .invalid("VANGNET_TODAY is only honoured in a test or demo environment") }
            guard let date = LocalDate(iso: text) else { throw .invalid("VANGNET_TODAY must be YYYY-MM-DD") }
            today = date
        }
        let logLevel = setting("VANGNET_LOG_LEVEL")?.lowercased() ?? Defaults.logLevel
        guard logLevels.contains(logLevel) else {
            throw .invalid("VANGNET_LOG_LEVEL must be one of " + logLevels.joined(separator: ", "))
        }

        // Web sessions and logins.
        let bcryptCost = try integer("VANGNET_BCRYPT_COST",
                                     environment == .production ? Defaults.bcryptCostProduction : Defaults.bcryptCostTestAndDemo,
                                     4...31, "a bcrypt cost")
        let idle = try integer("VANGNET_SESSION_IDLE_SECONDS", Defaults.sessionIdleSeconds, 60...86_400, "a number of seconds")
        let absolute = try integer("VANGNET_SESSION_ABSOLUTE_SECONDS", Defaults.sessionAbsoluteSeconds, 60...604_800, "a number of seconds")
        guard absolute >= idle else {
            throw .invalid("VANGNET_SESSION_ABSOLUTE_SECONDS must not be shorter than VANGNET_SESSION_IDLE_SECONDS")
        }
        let standard = LoginThrottle.standard
        let throttle = LoginThrottle(
            accountThreshold: try integer("VANGNET_LOGIN_MAX_FAILURES", standard.accountThreshold, 1...1000, "a number of failed logins"),
            addressThreshold: try integer("VANGNET_LOGIN_MAX_FAILURES_PER_ADDRESS", standard.addressThreshold, 1...100_000,
                                          "a number of failed logins"),
            firstLockSeconds: try integer("VANGNET_LOGIN_LOCK_SECONDS", standard.firstLockSeconds, 1...standard.longestLockSeconds,
                                          "a number of seconds"),
            longestLockSeconds: standard.longestLockSeconds)

        // Background work of the server.
        let tick = try number("VANGNET_PIPELINE_TICK_SECONDS", Defaults.pipelineTickSeconds, 0.1...3600, "a number of seconds")
        let firstRetention = try integer("VANGNET_RETENTION_FIRST_RUN_SECONDS", Defaults.retentionFirstRunSeconds, 0...604_800,
                                         "a number of seconds")
        var retention = RetentionPolicy()
        for (name, keyPath) in [("VANGNET_RETENTION_RAW_RECORDS_DAYS", \RetentionPolicy.rawRecordsDays),
                                ("VANGNET_RETENTION_QUARANTINE_DAYS", \RetentionPolicy.quarantineDays),
                                ("VANGNET_RETENTION_CLOSED_CASES_DAYS", \RetentionPolicy.closedCasesDays),
                                ("VANGNET_RETENTION_AUDIT_DAYS", \RetentionPolicy.auditDays)] {
            retention[keyPath: keyPath] = try integer(name, retention[keyPath: keyPath], 1...36_500, "a number of days")
        }
        let shutdown = try integer("VANGNET_SHUTDOWN_TIMEOUT_SECONDS", Defaults.shutdownTimeoutSeconds, 1...3600, "a number of seconds")

        // The demo.
        let feedRate = try number("VANGNET_DEMO_FEED_RATE", Defaults.demoFeedRate, 0...1000, "a number of events per second")

        // Letters.
        let reminderDays = try integer("VANGNET_LETTER_REMINDER_DAYS", Defaults.letterReminderDays, 1...365, "a number of days")
        let codeDays = try integer("VANGNET_ANSWER_CODE_VALID_DAYS", Defaults.answerCodeValidDays, 1...3650, "a number of days")
        let answerAddress = setting("VANGNET_ANSWER_ADDRESS") ?? Defaults.answerAddress

        var configuration = VangnetConfiguration(
            environment: environment, database: database, databasePoolSize: poolSize, dataDirectory: folder,
            keyFile: setting("VANGNET_KEY_FILE"), inlineKeys: setting("VANGNET_KEYS"),
            policy: policy, regions: regions, today: today, clock: today.map { Clock.pinned(to: $0) } ?? .system,
            logLevel: logLevel, bcryptCost: bcryptCost, sessionIdleSeconds: idle, sessionAbsoluteSeconds: absolute,
            loginThrottle: throttle, pipelineTick: .seconds(tick), retentionFirstRun: .seconds(firstRetention),
            retention: retention, shutdownTimeout: .seconds(shutdown),
            demoPassword: env["VANGNET_DEMO_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }, demoFeedRate: feedRate,
            operatorName: setting("USER") ?? "operator")
        configuration.letterReminderDays = reminderDays
        configuration.answerCodeValidDays = codeDays
        configuration.answerAddress = answerAddress

        if let text = setting("VANGNET_LETTER_BATCH_HOUR"), text.lowercased() == "off" {
            configuration.letterBatchHour = nil
        } else {
            configuration.letterBatchHour = try integer("VANGNET_LETTER_BATCH_HOUR", 6, 0...23, "an hour 0–23, or off")
        }

        configuration.ageOfConsent = try integer("VANGNET_CONSENT_AGE", ReferralRules.defaultAgeOfConsent, 12...18, "an age 12–18")

        // Linkage of quarantined records (docs/linkage.md).
        let linkAt = try number("VANGNET_LINK_THRESHOLD", IdentityWork.Thresholds().link, 0.5...1, "a probability 0.5–1")
        let reviewAt = try number("VANGNET_REVIEW_THRESHOLD", IdentityWork.Thresholds().review, 0.01...1, "a probability 0.01–1")
        guard reviewAt <= linkAt else { throw .invalid("VANGNET_REVIEW_THRESHOLD must not be above VANGNET_LINK_THRESHOLD") }
        configuration.identityThresholds = IdentityWork.Thresholds(link: linkAt, review: reviewAt)

        // Automatic registration.
        if let text = setting("VANGNET_AUTO_REGISTER_PROVINCES") {
            var provinces: [Province] = []
            for name in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !name.isEmpty && name != "none" {
                guard let province = Province(rawValue: name) else {
                    throw .invalid("VANGNET_AUTO_REGISTER_PROVINCES: '\(name)' is not a province (" + Province.allCases.map(\.rawValue).joined(separator: ", ") + ")")
                }
                provinces.append(province)
            }
            configuration.policy.autoRegisterProvinces = provinces
        }
        if let url = setting("VANGNET_REGISTRATION_URL") {
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
                throw .invalid("VANGNET_REGISTRATION_URL must be an http(s) URL")
            }
            guard environment != .production || parsed.scheme == "https" else {
                throw .invalid("VANGNET_REGISTRATION_URL must use https in production")
            }
            guard let secret = setting("VANGNET_REGISTRATION_SECRET"), WebhookSignature(secret: secret) != nil else {
                throw .invalid("VANGNET_REGISTRATION_SECRET must be whsec_ followed by base64 of at least 24 bytes")
            }
            configuration.registrationURL = url
            configuration.registrationSecret = secret
        }
        configuration.outboxLeaseSeconds = try integer("VANGNET_OUTBOX_LEASE_SECONDS", 120, 5...3600, "a number of seconds")
        configuration.registrationMaxAttempts = try integer("VANGNET_REGISTRATION_MAX_ATTEMPTS", RegistrationRules.defaultMaximumAttempts, 1...50,
                                                            "a number of attempts")
        return configuration
    }

    /// The environment `vangnet demo` reads its configuration from: this process's, in the demo
    /// environment unless another one is set. The demo writes synthetic data, so production is refused.
    public static func demoEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws(Problem) -> [String: String] {
        var env = env
        let name = env["VANGNET_ENVIRONMENT"].flatMap { $0.isEmpty ? nil : $0.lowercased() } ?? Environment.demo.rawValue
        guard name != Environment.production.rawValue else {
            throw .invalid("the demo writes synthetic data; it does not run with VANGNET_ENVIRONMENT=production")
        }
        env["VANGNET_ENVIRONMENT"] = name
        // The demo pilots automatic registration in one province, against the stand-in of VDAB's
        // job-seeker system that it starts itself.
        if env["VANGNET_AUTO_REGISTER_PROVINCES"] == nil { env["VANGNET_AUTO_REGISTER_PROVINCES"] = Province.limburg.rawValue }
        return env
    }

    /// The date the rules apply to.
    public var currentDate: LocalDate { clock.today() }

    /// Where a test or demo environment keeps its generated keys.
    public var generatedKeyFile: String { dataDirectory + "/vangnet-keys.json" }

    /// The key file in use (nil when the keys come inline from `VANGNET_KEYS`).
    public var keyFilePath: String? {
        if inlineKeys != nil { return nil }
        return keyFile ?? (environment.allowsTestData ? generatedKeyFile : nil)
    }

    /// The keys: from `VANGNET_KEYS` or `VANGNET_KEY_FILE`; in a test or demo environment without
    /// either, a key file generated next to the data.
    public func keyring() throws(Problem) -> Keyring {
        do {
            if let inlineKeys { return try Keyring(json: Data(inlineKeys.utf8)) }
            if let keyFile { return try Keyring(path: keyFile) }
        } catch {
            throw .invalid("encryption keys: \(error.description)")
        }
        guard environment.allowsTestData else {
            throw .invalid("no encryption keys: set VANGNET_KEY_FILE (create one with `vangnet keys generate --out FILE`)")
        }
        if !FileManager.default.fileExists(atPath: generatedKeyFile) {
            do { try Keyring.write(Keyring.generateFile(), to: generatedKeyFile) } catch {
                throw .invalid("cannot write a key file at \(generatedKeyFile)")
            }
        }
        do { return try Keyring(path: generatedKeyFile) } catch { throw .invalid("encryption keys: \(error.description)") }
    }
}
