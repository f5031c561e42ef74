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
    @Option(help: "Months of history a new demo database lives through before the server starts (0: one school year's sources, decided today, nothing done yet).")
    var history = 18
    @Option(help: "Pupils per simulated school year.") var pupils: Int?

    func run() async throws {
        try await command {
            let environment = try VangnetConfiguration.demoEnvironment()
            try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
            var context = try await AppContext.open(dataDirectory: dataDir, environment: environment)
            do {
                if try await context.store.sourceHealth().contains(where: { $0.deliveries > 0 }) {
                    try await reuse(context)
                } else if history > 0 {
                    // The history plays on its own clock: the store is opened again for it, and once more after.
                    let today = context.configuration.currentDate
                    await context.close()
                    try await live(today: today, environment: environment)
                    context = try await AppContext.open(dataDirectory: dataDir, environment: environment)
                } else {
                    try await load(context)
                }
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

    /// A database that already has deliveries is used as it is.
    func reuse(_ context: AppContext) async throws {
        print("Using the existing demo database \(context.configuration.database)")
        let report = try await context.pipeline().run()
        if report.decided > 0 { print("Decided \(grouped(report.decided)) persons whose timers had come") }
    }

    /// A Flanders that has lived (`LivedDemo`): `history` months played day by day up to yesterday.
    func live(today: LocalDate, environment: [String: String]) async throws {
        let first = LivedDemo.firstDay(before: today, months: history)
        var last = today.adding(days: -1)
        // The history's instants stay before the real present (audit entries, sessions come after it).
        while last > first, last.noonInBelgium.addingTimeInterval(6 * 3600) > Date() { last = last.adding(days: -1) }
        let manual = ManualClock(first.noonInBelgium)
        let context = try await AppContext.open(dataDirectory: dataDir, environment: environment, clock: manual.clock)
        do {
            let years = LivedDemo.schoolYears(from: first, to: today)
            let simulations = LivedDemo.simulations(seed: seed, years: years, pupils: pupils ?? 18_000)
            let simulated = dataDir + "/vangnet-sim"
            let days = try DailyDeliveries.write(simulations, to: simulated, from: first, through: last)
            print("Simulated \(grouped(simulations.reduce(0) { $0 + $1.pupils })) pupils of school years "
                  + years.map(\.description).joined(separator: ", ") + " in \(simulated), delivered day by day")
            try await PartnerDemo.seed(context.store, today: today, since: first, passwordHash: "!")
            var player = LivedDemo(context: context, manual: manual, seed: seed)
            let bar = ProgressBar.forTerminal(label: "Living \(first.iso) – \(last.iso)", json: false)
            bar.start(totalBytes: 1)
            try await player.play(days, from: first, through: last) { done, total, day in
                bar.show(fraction: Double(done) / Double(total), detail: "\(day.iso)")
            }
            bar.finish()
            let t = player.tally
            print("Lived \(grouped(t.days)) days: \(grouped(t.letters)) letters, \(grouped(t.answers)) answers, \(grouped(t.contacts)) contacts, "
                  + "\(grouped(t.referrals)) referrals (\(grouped(t.partnerSteps)) steps by partners), \(grouped(t.closed)) cases closed, \(grouped(t.jobs)) jobs found")
            if environment["VANGNET_LIVED_DEMO_TIMES"] == "1" {
                print(t.seconds.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.1f", $0.value)) s" }.joined(separator: ", "))
            }
        } catch {
            await context.close()
            throw error
        }
        await context.close()
    }

    /// A small Flanders, once (`--history 0`): one school year's sources, decided today.
    func load(_ context: AppContext) async throws {
        let today = context.configuration.currentDate
        let simulated = dataDir + "/vangnet-sim"
        // 8,000 pupils: a dozen or more cases per province, loaded in seconds.
        var simulation = Simulation(seed: seed, scale: .small, schoolYear: Simulation.defaultSchoolYear(today: today), pupils: pupils ?? 8_000)
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
              \(Province.allCases.map(PartnerDemo.account).joined(separator: ", "))
            """
    }
}
