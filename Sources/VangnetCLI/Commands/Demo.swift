import ArgumentParser
import Domain
import Foundation
import Privacy
import Simulator
import Storage
import Web

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Synthetic Flanders in an embedded database, the web application on localhost, a live feed of events.",
        discussion: "Prints one login per role and province. Keeps its database, keys and simulated files in --data-dir.")

    @Option(help: "Where the demo keeps its database, keys and simulated files.") var dataDir: String = FileManager.default.currentDirectoryPath
    @Option(help: "Port of the web application.") var port = 8080
    @Option(help: "Events per second of the live feed (0 to turn it off; default VANGNET_DEMO_FEED_RATE, else 2).") var rate: Double?
    @Option(help: "Seed of the simulation.") var seed: UInt64 = 7
    @Flag(help: "Load the data and print the funnel, without starting the server.") var noServer = false

    func run() async throws {
        try await command {
            let environment = try VangnetConfiguration.demoEnvironment()
            try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
            let context = try await AppContext.open(dataDirectory: dataDir, environment: environment)
            do {
                try await load(context)
                print("")
                print(FunnelTable.render(try await context.store.funnel()))
                print("")
                if !noServer {
                    let password = try await demoAccounts(context)
                    let feedRate = rate ?? context.configuration.demoFeedRate
                    // A stand-in of VDAB's job-seeker system on loopback, unless a real endpoint is
                    // configured: every fourth request fails, so the demo shows the retries.
                    var standIn: JobSeekerSystemStandIn?
                    var registration: RegistrationSettings?
                    if context.configuration.registrationURL == nil {
                        let secret = WebhookSignature.generateSecret()
                        var behaviour = JobSeekerSystemStandIn.Behaviour()
                        behaviour.failEvery = 4
                        behaviour.delay = .milliseconds(100)
                        let started = try await JobSeekerSystemStandIn(secret: secret, behaviour: behaviour)
                        standIn = started
                        registration = RegistrationSettings(endpoint: started.endpoint, secret: secret)
                    }
                    do {
                        try await Server(context: context, host: "127.0.0.1", port: port, feedRate: feedRate, seed: seed, registration: registration)
                            .run(banner: banner(password: password, feedRate: feedRate))
                    } catch {
                        await standIn?.stop()
                        throw error
                    }
                    await standIn?.stop()
                }
            } catch {
                await context.close()
                throw error
            }
            await context.close()
        }
    }

    /// A small Flanders, once: a database that already has deliveries is used as it is.
    func load(_ context: AppContext) async throws {
        let delivered = try await context.store.sourceHealth().contains { $0.deliveries > 0 }
        if delivered {
            print("Using the existing demo database \(context.configuration.database)")
            let report = try await context.pipeline().run()
            if report.decided > 0 { print("Decided \(grouped(report.decided)) persons whose timers had come") }
            return
        }
        let today = context.configuration.currentDate
        let simulated = dataDir + "/vangnet-sim"
        // 8,000 pupils: a dozen or more cases per province, loaded in seconds.
        var simulation = Simulation(seed: seed, scale: .small, schoolYear: Simulation.defaultSchoolYear(today: today), pupils: 8_000)
        // About half of the unqualified leavers find VDAB by themselves (VDAB's own figure for a
        // cohort is of that order; the simulation's default, 0.77, is its high end): the demo's
        // consultants get a caseload to work with, not a handful of cases.
        simulation.unqualifiedKnownToVDAB = 0.45
        let output = try simulation.write(to: simulated)
        print("Simulated \(grouped(output.pupils)) pupils of school year \(simulation.schoolYear) in \(simulated)")
        let files = output.files.keys.sorted().map { simulated + "/" + $0 }
        let result = try await Importer(context: context).run(files, progress: ProgressBar.forTerminal(label: "Importing", json: false))
        print("Imported \(grouped(result.total.records)) records: \(grouped(result.total.accepted)) accepted, "
              + "\(grouped(result.total.duplicates)) duplicates, \(grouped(result.total.quarantined)) quarantined")
        if let p = result.pipeline { print("Decided \(grouped(p.decided)) persons; \(grouped(p.casesOpened)) cases opened") }
    }

    /// One account per role and province, all with the same password; the sources' webhook secrets.
    func demoAccounts(_ context: AppContext) async throws -> String {
        let password = context.configuration.demoPassword ?? Passwords.generate()
        let hash = try Passwords.hash(password, cost: context.configuration.bcryptCost)
        let store = context.store
        for consultant in context.configuration.regions.consultants {
            try await store.saveUser(username: consultant.username, displayName: consultant.displayName, role: .consultant,
                                     provinces: consultant.provinces, passwordHash: hash)
        }
        for province in Province.allCases {
            try await store.saveUser(username: "teamlead-\(province.rawValue)", displayName: "Teamleider \(province.name)",
                                     role: .teamlead, provinces: [province], passwordHash: hash)
        }
        for (role, name) in [(Role.steward, "Data steward"), (.analyst, "Beleidsanalist"), (.manager, "Leidinggevende"), (.auditor, "Auditor"), (.admin, "Beheerder")] {
            try await store.saveUser(username: role.rawValue, displayName: name, role: role, provinces: [], passwordHash: hash)
        }
        try await PartnerDemo.seed(store, today: context.configuration.currentDate, passwordHash: hash)
        let secrets = try await store.eventSecrets()
        for source in Source.allCases where secrets[source] == nil {
            try await store.setEventSecret(EventIntake.newSecret(), for: source)
        }
        return password
    }

    func banner(password: String, feedRate: Double) -> String {
        let consultants = Province.allCases.map { "consultant-\($0.rawValue)" }
        let leads = Province.allCases.map { "teamlead-\($0.rawValue)" }
        return """
            Vangnet demo: http://127.0.0.1:\(port)   (live feed: \(feedRate) event(s)/s; Ctrl-C stops)
            Logins (password: \(password)):
              \(consultants.joined(separator: ", "))
              \(leads.joined(separator: ", "))
              steward, analyst, manager, auditor, admin
              \(Province.allCases.map { "partner-\($0.rawValue)" }.joined(separator: ", "))
            """
    }
}
