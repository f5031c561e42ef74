import ArgumentParser
import Domain
import Foundation
import Storage
import Web

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Staff accounts.", subcommands: [UserAdd.self, UserDisable.self, UserList.self])
}

extension Role: ExpressibleByArgument {}

struct UserAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Create or update an account. The password comes from standard input, or is generated and printed.")

    @Argument(help: "The login name.") var username: String
    @Option(help: "consultant, teamlead, partner, analyst, steward, auditor or admin.") var role: Role
    @Option(name: .customLong("province"), help: "A province the account works in (repeat for several).") var provinces: [Province] = []
    @Option(help: "The name shown in the application.") var name: String?
    @Option(help: "A partner's organisation.") var organisation: String?
    @Flag(help: "Read the password from standard input.") var passwordStdin = false

    func run() async throws {
        try await command {
            if [.consultant, .teamlead].contains(role) && provinces.isEmpty {
                throw CommandFailure("a \(role.rawValue) needs at least one --province")
            }
            var password: String
            var generated = false
            if passwordStdin {
                password = (readLine(strippingNewline: true) ?? "")
                guard password.count >= 12 else { throw CommandFailure("the password must have at least 12 characters") }
            } else {
                password = Passwords.generate()
                generated = true
            }
            let context = try await AppContext.open()
            do {
                let cost = context.configuration.bcryptCost
                let user = try await context.store.saveUser(
                    username: username.lowercased(), displayName: name ?? username, role: role, provinces: provinces,
                    organisation: organisation, passwordHash: try Passwords.hash(password, cost: cost))
                print("Account \(user.username) (\(user.role.rawValue)\(user.provinces.isEmpty ? "" : ", " + user.provinces.map(\.rawValue).joined(separator: ", "))) saved.")
                if generated { print("Password: \(password)") }
                password = ""
            } catch {
                await context.close()
                throw error
            }
            await context.close()
        }
    }
}

struct UserDisable: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "disable", abstract: "Disable an account; its sessions end at once.")

    @Argument var username: String

    func run() async throws {
        try await command {
            let context = try await AppContext.open()
            do {
                guard let user = try await context.store.user(username: username.lowercased()) else { throw CommandFailure("no account \(username)") }
                try await context.store.saveUser(username: user.username, displayName: user.displayName, role: user.role,
                                                 provinces: user.provinces, organisation: user.organisation, passwordHash: nil, active: false)
                print("Account \(user.username) disabled.")
            } catch {
                await context.close()
                throw error
            }
            await context.close()
        }
    }
}

struct UserList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "All accounts.")

    func run() async throws {
        try await command {
            let context = try await AppContext.open()
            for user in try await context.store.users() {
                print("\(user.username.padding(toLength: 30, withPad: " ", startingAt: 0)) \(user.role.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)) "
                      + "\(user.provinces.map(\.rawValue).joined(separator: ",")) \(user.active ? "" : "(disabled)")")
            }
            await context.close()
        }
    }
}

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "API tokens for clients of /api/v1.", subcommands: [TokenAdd.self, TokenRevoke.self])
}

struct TokenAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Create (or replace) a token; printed once, stored hashed.")

    @Argument(help: "The client's name.") var name: String
    @Option var role: Role
    @Option(name: .customLong("province")) var provinces: [Province] = []
    @Option var organisation: String?

    func run() async throws {
        try await command {
            let context = try await AppContext.open()
            do {
                let token = "vng_" + Passwords.generate() + Passwords.generate()
                try await context.store.saveAPIToken(name: name, tokenHash: APIAuth.tokenHash(token), role: role, provinces: provinces,
                                                     organisation: organisation)
                print("Token for \(name) (\(role.rawValue)): \(token)")
                print("Send it as: Authorization: Bearer \(token)")
            } catch {
                await context.close()
                throw error
            }
            await context.close()
        }
    }
}

struct TokenRevoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a token at once.")
    @Argument var name: String

    func run() async throws {
        try await command {
            let context = try await AppContext.open()
            let revoked = try await context.store.revokeAPIToken(name: name)
            await context.close()
            guard revoked else { throw CommandFailure("no active token named \(name)") }
            print("Token \(name) revoked.")
        }
    }
}

struct SourcesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sources", abstract: "Sources that deliver events.", subcommands: [SourceSecret.self])
}

extension Source: ExpressibleByArgument {}

struct SourceSecret: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secret", abstract: "Give a source a new webhook secret (Standard Webhooks) and print it once.")
    @Argument var source: Source

    func run() async throws {
        try await command {
            let context = try await AppContext.open()
            let secret = EventIntake.newSecret()
            do { try await context.store.setEventSecret(secret, for: source) } catch {
                await context.close()
                throw error
            }
            await context.close()
            print("Webhook secret for \(source.rawValue): \(secret)")
        }
    }
}
