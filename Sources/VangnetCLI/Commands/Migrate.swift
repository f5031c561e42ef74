import ArgumentParser
import Storage

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or update the database schema.")

    func run() async throws {
        try await command {
            let context = try await AppContext.open(migrate: true)
            print("Database \(context.configuration.database) is up to date.")
            await context.close()
        }
    }
}
