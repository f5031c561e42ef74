import Foundation
import SQLKit

/// The schema's history, in order. Never edit a landed migration; add one (STYLE.md §6).
/// Every migration runs the same DDL on SQLite and PostgreSQL but for the spelling of an
/// auto-increment key and of binary-safe text, so the schema is the same on both.
enum SchemaHistory {
    static func all(_ store: Store) -> [any SQLMigration] {
        [
            CreatePersonsAndRecords(store: store),   // persons (blind index of the INSZ), deliveries, source records, quarantine
            CreateDecisionsAndTimers(store: store),  // current decisions, their history, the pipeline's schedule
            CreateUsersAndCases(store: store),       // staff accounts, cases, case events
            CreateAuditLog(store: store),            // hash-chained audit log and checkpoints
            CreateWorkspace(store: store),           // sessions, API tokens, event sources and ids, login throttling
            CreateRetention(store: store),           // the audit chain's anchor after purging, retention runs
            AddCaseloadIndexes(store: store),        // overdue cases in due-date order
            CreateLetters(store: store),             // letter batches, letters, personal answer codes
            CreateMailHouseFiles(store: store),      // the mail house's acknowledgement and return files, returned addresses
            CreateRegistrationOutbox(store: store),  // registration requests to VDAB's job-seeker system (auto-register)
            CreatePartners(store: store),            // partner organisations, their lots, referrals
            CreatePartnerWebhooks(store: store),     // partners' webhook endpoints, the outbox of referral notices
            AddQuarantineIdentity(store: store),     // a rejected record's stable identity: a repeat is a duplicate
            AddDeliveryOwner(store: store),          // the process a delivery runs in: interrupted ones are marked
            CreateDailyJobs(store: store),           // once-a-day jobs claimed by one process across servers and workers
            CreateStatistics(store: store),          // the pseudonymised statistics store and how far it has read
            AddStatisticsIndexes(store: store),      // the dashboard's unqualified leavers, persons with a case, qualified counts
            CreateIdentityLinks(store: store),       // linkage: the review queue, the links made, a quarantined line's header
            CreatePersonMerges(store: store),        // linkage: two persons that turn out to be one, and how to undo it
            CreateFormDrafts(store: store),          // what was typed in a form posted after the session expired
            AddDailyJobCompletion(store: store),     // a daily job killed before it was done is taken over after its lease
            AddMergedPersonsIndex(store: store),     // who was merged into a person, without reading every person
            AddIdentityLinksByQuarantine(store: store), // a quarantine entry's link, without reading every link
            AddLetterBatchOwner(store: store),       // a letter batch whose process is gone does not block the next
            CreateStatisticsLeaverCounts(store: store), // the qualified leavers counted per day, province, source, track
        ]
    }
}

/// A migration written as SQL statements, with its revert.
protocol SQLMigration: Sendable {
    var store: Store { get }
    /// `NNN_Name`: the order, and the row in `schema_migrations`.
    var name: String { get }
    func up() -> [String]
    func down() -> [String]
}

extension SQLMigration {
    var id: String { store.autoIncrementKey }
    var binary: String { store.binary }
}

/// Applies migrations so that a crash can never leave half a schema behind: each migration's
/// statements and its row in `schema_migrations` run in one transaction (both SQLite and
/// PostgreSQL have transactional DDL). A `kill -9`, a full disk or a failing statement rolls the
/// migration back whole, and the next `vangnet migrate` starts it again from the beginning.
///
/// FluentKit's migrator ran the statements one by one and logged the migration afterwards, outside
/// any transaction: a crash in between left tables that the next run tried to create again.
/// Databases migrated by it have their log in `_fluent_migrations`; it is carried over once.
struct SchemaMigrator {
    let store: Store
    let history: [any SQLMigration]

    static let logTable = "schema_migrations"

    func createLogIfNeeded() async throws {
        try await store.transaction { sql in
            try await sql.raw("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)").run()
            let logged = try await sql.raw("SELECT COUNT(*) AS n FROM schema_migrations").first()?.decode(column: "n", as: Int.self) ?? 0
            guard logged == 0, try await self.tableExists("_fluent_migrations", sql) else { return }
            let names = try await sql.raw("SELECT name FROM _fluent_migrations").all().map { try $0.decode(column: "name", as: String.self) }
            for name in names {
                try await sql.raw("INSERT INTO schema_migrations (name, applied_at) VALUES (\(bind: name), \(bind: self.store.timestamp()))").run()
            }
        }
    }

    func applied(_ sql: any SQLDatabase) async throws -> Set<String> {
        Set(try await sql.raw("SELECT name FROM schema_migrations").all().map { try $0.decode(column: "name", as: String.self) })
    }

    func tableExists(_ table: String, _ sql: any SQLDatabase) async throws -> Bool {
        let query: SQLQueryString = store.dialect == .sqlite
            ? "SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = \(bind: table)"
            : "SELECT 1 AS found FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = \(bind: table)"
        return try await sql.raw(query).first() != nil
    }

    /// Applies every pending migration, each in its own transaction. A second process migrating
    /// at the same time waits (SQLite's write lock, PostgreSQL's advisory lock) and then finds the
    /// migration applied.
    func migrate() async throws {
        try await createLogIfNeeded()
        for migration in history {
            try await store.transaction { sql in
                if self.store.dialect == .postgres { try await sql.raw("SELECT pg_advisory_xact_lock(7270301)").run() }
                guard try await !self.applied(sql).contains(migration.name) else { return }
                for statement in migration.up() { try await sql.raw(SQLQueryString(statement)).run() }
                try await sql.raw("INSERT INTO schema_migrations (name, applied_at) VALUES (\(bind: migration.name), \(bind: self.store.timestamp()))").run()
            }
        }
    }

    /// Reverts every applied migration, newest first, each in its own transaction.
    func revertAll() async throws {
        try await createLogIfNeeded()
        for migration in history.reversed() {
            try await store.transaction { sql in
                guard try await self.applied(sql).contains(migration.name) else { return }
                for statement in migration.down() { try await sql.raw(SQLQueryString(statement)).run() }
                try await sql.raw("DELETE FROM schema_migrations WHERE name = \(bind: migration.name)").run()
            }
        }
    }
}

extension Store {
    /// Applies every migration not yet applied. Safe to run at every start, and after a crash.
    public func migrate() async throws(StoreError) {
        try await migrate(SchemaHistory.all(self))
    }

    func migrate(_ history: [any SQLMigration]) async throws(StoreError) {
        do { try await SchemaMigrator(store: self, history: history).migrate() } catch {
            throw .unavailable("migrating \(location) failed, nothing of the failed step was kept: \(Store.describe(error))")
        }
    }

    /// Names of migrations that the code knows but the database has not applied.
    public func pendingMigrations() async throws(StoreError) -> [String] {
        let known = SchemaHistory.all(self).map(\.name)
        do {
            let rows = try await sql.raw("SELECT name FROM schema_migrations").all()
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

    /// Reverts every migration (tests, and an operator starting over).
    public func revertAllMigrations() async throws(StoreError) {
        do { try await SchemaMigrator(store: self, history: SchemaHistory.all(self)).revertAll() } catch {
            throw .unavailable("reverting migrations failed: \(Store.describe(error))")
        }
    }
}
