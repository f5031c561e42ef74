import Domain
import Foundation
import Privacy
import Storage

/// Every setting of Vangnet, read from `VANGNET_*` environment variables in this one place
/// (`.env.example` lists them). The defaults make `vangnet demo` work on a fresh machine.
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
    public var logLevel: String
    public var demoPassword: String?
    public var retention: RetentionPolicy

    public enum Problem: Error, CustomStringConvertible {
        case invalid(String)
        public var description: String { if case .invalid(let text) = self { text } else { "" } }
    }

    /// Reads the configuration; `dataDirectory` overrides where the default SQLite file and the
    /// demo's key file go.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment,
                                       dataDirectory: String? = nil) throws(Problem) -> VangnetConfiguration {
        let folder = dataDirectory ?? FileManager.default.currentDirectoryPath
        guard let environment = Environment(rawValue: env["VANGNET_ENVIRONMENT"]?.lowercased() ?? "production") else {
            throw .invalid("VANGNET_ENVIRONMENT must be production, test or demo")
        }
        let database: DatabaseLocation
        if let url = env["VANGNET_DATABASE_URL"], !url.isEmpty {
            do { database = try DatabaseLocation(url: url) } catch { throw .invalid(error.description) }
        } else {
            database = .sqlite(path: folder + "/vangnet.sqlite")
        }
        var policy = Policy.default
        if let path = env["VANGNET_POLICY_FILE"], !path.isEmpty {
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
        if let path = env["VANGNET_REGIONS_FILE"], !path.isEmpty {
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
        if let text = env["VANGNET_TODAY"], !text.isEmpty {
            guard environment.allowsTestData else { throw .invalid("VANGNET_TODAY is only honoured in a test or demo environment") }
            guard let date = LocalDate(iso: text) else { throw .invalid("VANGNET_TODAY must be YYYY-MM-DD") }
            today = date
        }
        var retention = RetentionPolicy()
        for (name, keyPath) in [("VANGNET_RETENTION_RAW_RECORDS_DAYS", \RetentionPolicy.rawRecordsDays),
                                ("VANGNET_RETENTION_QUARANTINE_DAYS", \RetentionPolicy.quarantineDays),
                                ("VANGNET_RETENTION_CLOSED_CASES_DAYS", \RetentionPolicy.closedCasesDays),
                                ("VANGNET_RETENTION_AUDIT_DAYS", \RetentionPolicy.auditDays)] {
            guard let text = env[name], !text.isEmpty else { continue }
            guard let days = Int(text), days >= 1 else { throw .invalid("\(name) must be a number of days") }
            retention[keyPath: keyPath] = days
        }
        return VangnetConfiguration(
            environment: environment, database: database, dataDirectory: folder,
            keyFile: env["VANGNET_KEY_FILE"].flatMap { $0.isEmpty ? nil : $0 },
            inlineKeys: env["VANGNET_KEYS"].flatMap { $0.isEmpty ? nil : $0 },
            policy: policy, regions: regions, today: today, clock: today.map { Clock.pinned(to: $0) } ?? .system,
            logLevel: env["VANGNET_LOG_LEVEL"] ?? "warning",
            demoPassword: env["VANGNET_DEMO_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }, retention: retention)
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
