import FluentKit
import SQLKit

/// The schema's history, in order. Never edit a landed migration; add one (STYLE.md §6).
/// Every migration runs the same DDL on SQLite and PostgreSQL but for the spelling of an
/// auto-increment key and of binary-safe text, so the schema is the same on both.
enum SchemaHistory {
    static func all(_ store: Store) -> [any AsyncMigration] {
        [
            CreatePersonsAndRecords(store: store),   // persons (blind index of the INSZ), deliveries, source records, quarantine
            CreateDecisionsAndTimers(store: store),  // current decisions, their history, the pipeline's schedule
            CreateUsersAndCases(store: store),       // staff accounts, cases, case events
            CreateAuditLog(store: store),            // hash-chained audit log and checkpoints
            CreateWorkspace(store: store),           // sessions, API tokens, event sources and ids, login throttling
            CreateRetention(store: store),           // the audit chain's anchor after purging, retention runs
            AddCaseloadIndexes(store: store),        // overdue cases in due-date order
        ]
    }
}

extension Store {
    /// Applies every migration not yet applied. Safe to run at every start.
    public func migrate() async throws(StoreError) {
        let migrations = Migrations()
        migrations.add(SchemaHistory.all(self))
        let migrator = Migrator(databases: databases, migrations: migrations, logger: logger, on: eventLoopGroup.any(),
                                migrationLogLevel: .debug)
        do {
            try await migrator.setupIfNeeded().get()
            try await migrator.prepareBatch().get()
        } catch {
            throw .unavailable("migrating \(location) failed: \(Store.describe(error))")
        }
    }

    /// Names of migrations that the code knows but the database has not applied.
    public func pendingMigrations() async throws(StoreError) -> [String] {
        let known = SchemaHistory.all(self).map(\.name)
        do {
            let rows = try await sql.raw("SELECT name FROM _fluent_migrations").all()
            let applied = Set(try rows.map { try $0.decode(column: "name", as: String.self) })
            return known.filter { !applied.contains($0) }
        } catch {
            return known
        }
    }

    /// Fails with a clear message when the database is not migrated (commands other than `migrate`).
    public func requireMigrated() async throws(StoreError) {
        let pending = try await pendingMigrations()
        guard pending.isEmpty else {
            throw .notMigrated("the database at \(location) is not up to date (\(pending.count) migration(s) pending): run `vangnet migrate`")
        }
    }
}

/// A migration written as SQL statements.
protocol SQLMigration: AsyncMigration {
    var store: Store { get }
    func up() -> [String]
    func down() -> [String]
}

extension SQLMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for statement in up() { try await sql.raw(SQLQueryString(statement)).run() }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for statement in down() { try await sql.raw(SQLQueryString(statement)).run() }
    }

    var id: String { store.autoIncrementKey }
    var binary: String { store.binary }
}

extension Store {
    /// Reverts every migration (tests, and an operator starting over).
    public func revertAllMigrations() async throws(StoreError) {
        let migrations = Migrations()
        migrations.add(SchemaHistory.all(self))
        let migrator = Migrator(databases: databases, migrations: migrations, logger: logger, on: eventLoopGroup.any(),
                                migrationLogLevel: .debug)
        do { try await migrator.revertAllBatches().get() } catch {
            throw .unavailable("reverting migrations failed: \(Store.describe(error))")
        }
    }
}
