import Domain
import Foundation
import TestSupport
import Testing
import VangnetCLI

/// The one configuration: every knob from a `VANGNET_*` variable with a documented default, and a
/// value that cannot be used refused in one line that names the variable and what it must be.
@Suite struct ConfigurationTests {
    let folder = TemporaryFolder()

    func configuration(_ environment: [String: String]) throws -> VangnetConfiguration {
        try VangnetConfiguration.fromEnvironment(environment, dataDirectory: folder.path)
    }

    @Test func withoutSettingsTheDocumentedDefaultsApply() throws {
        let production = try configuration([:])
        #expect(production.bcryptCost == 12)
        #expect(production.sessionIdleSeconds == 30 * 60)
        #expect(production.sessionAbsoluteSeconds == 12 * 3600)
        #expect(production.loginThrottle == .standard)
        #expect(production.pipelineTick == .seconds(5))
        #expect(production.retentionFirstRun == .seconds(300))
        #expect(production.databasePoolSize == 4)
        #expect(production.shutdownTimeout == .seconds(30))
        #expect(production.demoFeedRate == 2)
        #expect(production.demoPassword == nil)
        #expect(production.logLevel == "notice")
        #expect(try configuration(["VANGNET_ENVIRONMENT": "demo"]).bcryptCost == 10, "cheaper hashes where the data is synthetic")
    }

    @Test func theServerKnobsComeFromTheEnvironment() throws {
        let read = try configuration([
            "VANGNET_BCRYPT_COST": "13", "VANGNET_SESSION_IDLE_SECONDS": "600", "VANGNET_SESSION_ABSOLUTE_SECONDS": "3600",
            "VANGNET_LOGIN_MAX_FAILURES": "3", "VANGNET_LOGIN_MAX_FAILURES_PER_ADDRESS": "50", "VANGNET_LOGIN_LOCK_SECONDS": "120",
            "VANGNET_PIPELINE_TICK_SECONDS": "0.5", "VANGNET_RETENTION_FIRST_RUN_SECONDS": "0", "VANGNET_DATABASE_POOL_SIZE": "8",
            "VANGNET_SHUTDOWN_TIMEOUT_SECONDS": "10", "VANGNET_DEMO_FEED_RATE": "0", "VANGNET_DEMO_PASSWORD": "demo-password-123",
            "VANGNET_LOG_LEVEL": "INFO", "USER": "jan",
        ])
        #expect(read.bcryptCost == 13)
        #expect(read.sessionIdleSeconds == 600)
        #expect(read.sessionAbsoluteSeconds == 3600)
        #expect(read.loginThrottle == LoginThrottle(accountThreshold: 3, addressThreshold: 50, firstLockSeconds: 120))
        #expect(read.pipelineTick == .milliseconds(500))
        #expect(read.retentionFirstRun == .zero)
        #expect(read.databasePoolSize == 8)
        #expect(read.shutdownTimeout == .seconds(10))
        #expect(read.demoFeedRate == 0)
        #expect(read.demoPassword == "demo-password-123")
        #expect(read.logLevel == "info")
        #expect(read.operatorName == "jan")
    }

    struct BadValue: Sendable, CustomStringConvertible {
        let name: String
        let value: String
        let message: String
        var description: String { "\(name)=\(value)" }
    }

    @Test(arguments: [
        BadValue(name: "VANGNET_BCRYPT_COST", value: "3", message: "VANGNET_BCRYPT_COST must be a bcrypt cost from 4 to 31"),
        BadValue(name: "VANGNET_SESSION_IDLE_SECONDS", value: "half an hour",
                 message: "VANGNET_SESSION_IDLE_SECONDS must be a number of seconds from 60 to 86400"),
        BadValue(name: "VANGNET_LOGIN_MAX_FAILURES", value: "0",
                 message: "VANGNET_LOGIN_MAX_FAILURES must be a number of failed logins from 1 to 1000"),
        BadValue(name: "VANGNET_LOGIN_LOCK_SECONDS", value: "-5",
                 message: "VANGNET_LOGIN_LOCK_SECONDS must be a number of seconds from 1 to 86400"),
        BadValue(name: "VANGNET_PIPELINE_TICK_SECONDS", value: "0",
                 message: "VANGNET_PIPELINE_TICK_SECONDS must be a number of seconds from 0.1 to 3600"),
        BadValue(name: "VANGNET_DATABASE_POOL_SIZE", value: "many",
                 message: "VANGNET_DATABASE_POOL_SIZE must be a number of connections from 1 to 64"),
        BadValue(name: "VANGNET_DEMO_FEED_RATE", value: "fast",
                 message: "VANGNET_DEMO_FEED_RATE must be a number of events per second from 0 to 1000"),
        BadValue(name: "VANGNET_LOG_LEVEL", value: "loud",
                 message: "VANGNET_LOG_LEVEL must be one of trace, debug, info, notice, warning, error, critical"),
    ])
    func aBadValueIsRefusedInOneLineThatNamesTheVariable(_ bad: BadValue) throws {
        let error = #expect(throws: VangnetConfiguration.Problem.self) { try configuration([bad.name: bad.value]) }
        #expect(error?.description == bad.message)
        #expect(error?.description.contains("\n") == false)
    }

    @Test func aSessionCannotEndLaterWhenIdleThanAltogether() throws {
        let error = #expect(throws: VangnetConfiguration.Problem.self) {
            try configuration(["VANGNET_SESSION_IDLE_SECONDS": "7200", "VANGNET_SESSION_ABSOLUTE_SECONDS": "3600"])
        }
        #expect(error?.description == "VANGNET_SESSION_ABSOLUTE_SECONDS must not be shorter than VANGNET_SESSION_IDLE_SECONDS")
    }

    @Test func theDemoRunsInTheDemoEnvironmentAndNeverInProduction() throws {
        #expect(try VangnetConfiguration.demoEnvironment([:])["VANGNET_ENVIRONMENT"] == "demo")
        #expect(try VangnetConfiguration.demoEnvironment(["VANGNET_ENVIRONMENT": "test"])["VANGNET_ENVIRONMENT"] == "test")
        #expect(throws: VangnetConfiguration.Problem.self) { try VangnetConfiguration.demoEnvironment(["VANGNET_ENVIRONMENT": "Production"]) }
    }
}
