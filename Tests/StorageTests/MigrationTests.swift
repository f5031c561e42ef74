import Domain
import Foundation
import SQLKit
@testable import Storage
import TestSupport
import Testing

/// A crash or a failing statement during `migrate` never leaves half a schema behind.
@Suite struct MigrationTests {
    /// The third migration again, with a statement that fails after its tables were created.
    struct FailsHalfway: SQLMigration {
        let store: Store
        var name: String { "003_CreateUsersAndCases" }
        func up() -> [String] { CreateUsersAndCases(store: store).up() + ["CREATE TABLE broken (id INTEGER"] }
        func down() -> [String] { [] }
    }

    @Test(arguments: StoreKind.allCases)
    func aMigrationThatFailsHalfwayLeavesNothingAndTheNextRunCompletesIt(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.revertAllMigrations()
            let history: [any SQLMigration] = [CreatePersonsAndRecords(store: store), CreateDecisionsAndTimers(store: store),
                                               FailsHalfway(store: store)]
            await #expect(throws: StoreError.self) { try await store.migrate(history) }
            #expect(try await store.pendingMigrations().first == "003_CreateUsersAndCases", "the first two were applied, the third not")
            #expect(try await tableExists("persons", store), "an applied migration stays")
            #expect(try await !tableExists("cases", store), "nothing of the failed migration was kept")
            try await store.migrate()
            #expect(try await store.pendingMigrations().isEmpty)
            #expect(try await tableExists("cases", store))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aDatabaseMigratedByFluentKeepsItsHistory(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let names = SchemaHistory.all(store).map(\.name)
            try await store.sql.raw("DROP TABLE schema_migrations").run()
            try await store.sql.raw("CREATE TABLE _fluent_migrations (id TEXT PRIMARY KEY, name TEXT NOT NULL, batch INTEGER)").run()
            for (index, name) in names.enumerated() {
                try await store.sql.raw("INSERT INTO _fluent_migrations (id, name, batch) VALUES (\(bind: String(index)), \(bind: name), 1)").run()
            }
            try await store.migrate()
            #expect(try await store.pendingMigrations().isEmpty, "no migration applied twice")
        }
    }

    func tableExists(_ name: String, _ store: Store) async throws -> Bool {
        let migrator = SchemaMigrator(store: store, history: [])
        return try await migrator.tableExists(name, store.sql)
    }
}
