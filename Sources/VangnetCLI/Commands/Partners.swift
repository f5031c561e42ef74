import ArgumentParser
import Domain
import Foundation
import Privacy
import Storage

/// `vangnet partner …`: the organisations VDAB refers young people to, and the tender partners' lots.
struct PartnerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partner", abstract: "Partner organisations and their lots (docs/partners.md).",
        subcommands: [PartnerAdd.self, PartnerLotAdd.self, PartnerList.self, PartnerWebhook.self])
}

extension PartnerOrganisation.Kind: ExpressibleByArgument {}

func parseDate(_ text: String?, _ option: String) throws -> LocalDate? {
    guard let text else { return nil }
    guard let date = LocalDate(iso: text) else { throw CommandFailure("\(option) must be YYYY-MM-DD") }
    return date
}

struct PartnerAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Create or update an organisation (by its code).")

    @Argument(help: "A short stable code (lower-case letters, digits, dashes): partner accounts carry it (`vangnet user add --organisation`).")
    var code: String
    @Option(help: "The organisation's name.") var name: String
    @Option(help: "tender_partner or local_actor.") var kind: PartnerOrganisation.Kind
    @Option(help: "Who to reach there (phone, e-mail).") var contact: String
    @Option(name: .customLong("province"), help: "A province it works in (repeat for several).") var provinces: [Province]
    @Option(help: "Active from (YYYY-MM-DD; default today).") var from: String?
    @Option(help: "Active until (YYYY-MM-DD; default open).") var until: String?

    func run() async throws {
        try await command {
            guard PartnerOrganisation.isValidCode(code) else { throw CommandFailure("the code must be 2 to 40 lower-case letters, digits and dashes") }
            guard !provinces.isEmpty else { throw CommandFailure("at least one --province") }
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw CommandFailure("--name must not be empty") }
            let context = try await AppContext.open()
            do {
                let from = try parseDate(from, "--from") ?? context.configuration.currentDate
                let until = try parseDate(until, "--until")
                if let until, until < from { throw CommandFailure("--until is before --from") }
                let organisation = try await context.store.savePartnerOrganisation(code: code, name: name, kind: kind, contact: contact,
                                                                                  provinces: provinces, activeFrom: from, activeUntil: until)
                print("Organisation \(organisation.code) (\(organisation.name)) saved, id \(organisation.id)")
            } catch {
                await context.close()
                throw error
            }
            await context.close()
        }
    }
}

struct PartnerLotAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lot", abstract: "Add a lot to a tender partner.")

    @Argument(help: "The organisation's code.") var code: String
    @Option(help: "The programme (e.g. \"Werkinleving voor Jongeren\").") var programme: String
    @Option(name: .customLong("province"), help: "A province of the lot (repeat for several).") var provinces: [Province]
    @Option(help: "Young people per quarter.") var capacity: Int
    @Option(help: "Contract from (YYYY-MM-DD).") var from: String
    @Option(help: "Contract until (YYYY-MM-DD).") var until: String
    @Option(help: "Working days within which the partner answers a referral.") var responseDays = 5
    @Option(help: "Working days within which the intake follows.") var intakeDays = 10

    func run() async throws {
        try await command {
            guard capacity > 0, (1...60).contains(responseDays), (1...120).contains(intakeDays) else {
                throw CommandFailure("--capacity must be positive, --response-days 1–60, --intake-days 1–120")
            }
            guard let start = try parseDate(from, "--from"), let end = try parseDate(until, "--until"), start <= end else {
                throw CommandFailure("--from must be on or before --until")
            }
            let context = try await AppContext.open()
            do {
                guard let organisation = try await context.store.partnerOrganisations().first(where: { $0.code == code }) else {
                    throw CommandFailure("no organisation '\(code)' (vangnet partner list)")
                }
                guard organisation.kind == .tenderPartner else { throw CommandFailure("\(code) is a local actor: lots are for tender partners") }
                let lot = try await context.store.addPartnerLot(organisationID: organisation.id, programme: programme, provinces: provinces,
                                                                capacityPerQuarter: capacity, contractFrom: start, contractUntil: end,
                                                                responseWorkingDays: responseDays, intakeWorkingDays: intakeDays)
                print("Lot \(lot.id) of \(code): \(programme), \(capacity) per quarter, \(start.iso) – \(end.iso)")
            } catch {
                await context.close()
                throw error
            }
            await context.close()
        }
    }
}

struct PartnerList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The organisations and their lots.")
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        try await command {
            let context = try await AppContext.open()
            let organisations: [PartnerOrganisation]
            let lots: [PartnerLot]
            do {
                organisations = try await context.store.partnerOrganisations()
                lots = try await context.store.partnerLots()
            } catch {
                await context.close()
                throw error
            }
            await context.close()
            if json {
                struct Listing: Encodable { let organisations: [PartnerOrganisation]; let lots: [PartnerLot] }
                print(try jsonText(Listing(organisations: organisations, lots: lots)))
                return
            }
            for o in organisations {
                print("\(o.code)  \(o.name)  (\(o.kind.rawValue); \(o.provinces.map(\.rawValue).joined(separator: ", ")); "
                      + "from \(o.activeFrom.iso)\(o.activeUntil.map { " until \($0.iso)" } ?? ""))")
                for lot in lots where lot.organisationID == o.id {
                    print("    lot \(lot.id): \(lot.programme), \(lot.capacityPerQuarter) per quarter, \(lot.contractFrom.iso) – \(lot.contractUntil.iso), "
                          + "answer within \(lot.responseWorkingDays) working days")
                }
            }
            if organisations.isEmpty { print("No organisations.") }
        }
    }
}

struct PartnerWebhook: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhook", abstract: "Set where an organisation's system hears of new referrals (a signed POST; docs/partners.md).",
        discussion: "The secret (whsec_…) is generated and printed once unless --secret-stdin; --remove takes the webhook away.")

    @Argument(help: "The organisation's code.") var code: String
    @Option(help: "The endpoint (https in production).") var url: String?
    @Flag(help: "Read the secret (whsec_ + base64) from standard input.") var secretStdin = false
    @Flag(help: "Remove the webhook.") var remove = false

    func run() async throws {
        try await command {
            let context = try await AppContext.open()
            do {
                if remove {
                    guard try await context.store.setPartnerWebhook(code: code, url: nil, secret: nil) else { throw CommandFailure("no organisation '\(code)'") }
                    print("Webhook of \(code) removed")
                } else {
                    guard let url, let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
                        throw CommandFailure("--url must be an http(s) URL")
                    }
                    if context.configuration.environment == .production, parsed.scheme != "https" { throw CommandFailure("--url must use https in production") }
                    let secret = secretStdin ? (readLine(strippingNewline: true) ?? "") : WebhookSignature.generateSecret()
                    guard WebhookSignature(secret: secret) != nil else { throw CommandFailure("the secret must be whsec_ followed by base64 of at least 24 bytes") }
                    guard try await context.store.setPartnerWebhook(code: code, url: url, secret: secret) else { throw CommandFailure("no organisation '\(code)'") }
                    print("Webhook of \(code): \(url)" + (secretStdin ? "" : "\nSecret (give it to the organisation; it is not shown again): \(secret)"))
                }
            } catch {
                await context.close()
                throw error
            }
            await context.close()
        }
    }
}

/// The demo's partners: per province an invented tender partner with a lot, and a local actor;
/// one partner account per tender partner (`partner-<province>`).
enum PartnerDemo {
    static let names: [Province: (tender: String, local: String)] = [
        .antwerpen: ("Springplank Antwerpen vzw", "Jeugdhuis De Brug"), .oostVlaanderen: ("Werkwijs Oost vzw", "OCMW-jongerenpunt Gent"),
        .westVlaanderen: ("Kompas West vzw", "Jeugddienst Brugge"), .limburg: ("Opstap Limburg vzw", "JAC Hasselt"),
        .vlaamsBrabant: ("Brug naar Werk vzw", "Jeugdwelzijn Leuven"),
    ]

    /// The tender partner of a province: its organisation code and its account.
    static func code(_ province: Province) -> String { "tender-" + province.rawValue }
    static func account(_ province: Province) -> String { "partner-" + province.rawValue }

    /// `since`: the first day partners work (the lived demo's first day; else this year's first).
    static func seed(_ store: Store, today: LocalDate, since: LocalDate? = nil, passwordHash: String) async throws {
        let existing = try await store.partnerOrganisations()
        let start = LocalDate(year: (since ?? today).components.year, month: 1, day: 1)!
        for province in Province.allCases {
            let (tender, local) = names[province]!
            let code = Self.code(province)
            if !existing.contains(where: { $0.code == code }) {
                let organisation = try await store.savePartnerOrganisation(code: code, name: tender, kind: .tenderPartner,
                                                                           contact: "info@\(code).example", provinces: [province], activeFrom: start,
                                                                           activeUntil: nil)
                try await store.addPartnerLot(organisationID: organisation.id, programme: "Werkinleving voor Jongeren", provinces: [province],
                                              capacityPerQuarter: 40, contractFrom: start, contractUntil: max(start.adding(years: 2).adding(days: -1), today.adding(years: 1)),
                                              responseWorkingDays: 5, intakeWorkingDays: 10)
                try await store.savePartnerOrganisation(code: "local-" + province.rawValue, name: local, kind: .localActor,
                                                        contact: "jongeren@local-\(province.rawValue).example", provinces: [province],
                                                        activeFrom: start, activeUntil: nil)
            }
            try await store.saveUser(username: account(province), displayName: tender, role: .partner, provinces: [],
                                     organisation: code, passwordHash: passwordHash)
        }
    }
}
