import Domain
import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Privacy
import SQLKit

/// Where the data lives: an embedded SQLite file (the default) or a PostgreSQL server.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    /// `sqlite:///absolute/path.sqlite`, `sqlite://relative.sqlite`, `postgres://user:pw@host/db`.
    public init(url: String) throws(StoreError) {
        if url.hasPrefix("sqlite://") {
            let path = String(url.dropFirst("sqlite://".count))
            guard !path.isEmpty else { throw .configuration("a sqlite:// URL needs a path, e.g. sqlite:///var/lib/vangnet.sqlite") }
            self = .sqlite(path: path)
        } else if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            self = .postgres(url: url)
        } else {
            throw .configuration("VANGNET_DATABASE_URL must start with sqlite:// or postgres://")
        }
    }

    /// Without credentials, for messages.
    public var description: String {
        switch self {
        case .sqlite(let path): "SQLite \(path)"
        case .postgres(let url):
            if let components = URLComponents(string: url) {
                "PostgreSQL \(components.host ?? "localhost")\(components.port.map { ":\($0)" } ?? "")\(components.path)"
            } else { "PostgreSQL" }
        }
    }
}

/// What went wrong with the store, in one line for the command line.
public enum StoreError: VangnetError {
    case configuration(String)
    case unavailable(String)
    case notMigrated(String)
    case notFound(String)
    case conflict(String)
    case corrupted(String)
    /// A closed case past its retention period: it stays for the statistics, without its person.
    case anonymised

    public var description: String {
        switch self {
        case .configuration(let text), .unavailable(let text), .notMigrated(let text), .notFound(let text),
             .conflict(let text), .corrupted(let text): text
        case .anonymised: "the case was closed and anonymised after its retention period; the person's data were removed"
        }
    }

    public var kind: ErrorKind {
        switch self {
        case .configuration, .unavailable, .notMigrated: .unavailable
        case .notFound: .notFound
        case .anonymised: .gone
        case .conflict: .conflict
        case .corrupted: .internalFailure
        }
    }

    public var code: String {
        switch self {
        case .configuration: "configuration"
        case .unavailable: "store_unavailable"
        case .notMigrated: "not_migrated"
        case .notFound: "not_found"
        case .conflict: "conflict"
        case .corrupted: "corrupted"
        case .anonymised: "case_anonymised"
        }
    }
}

/// The store: SQLite or PostgreSQL behind one interface. Bulk paths (import, pipeline) use batched
/// SQL inside transactions; personal data is sealed with the keyring before it reaches SQL.
public final class Store: Sendable {
    public enum Dialect: String, Sendable { case sqlite, postgres }

    public let dialect: Dialect
    /// The keys in use. Replaceable while running (`replaceKeys`), so that a key rotation never
    /// stops reads: servers load a new key before anything is sealed with it.
    public var keyring: Keyring { keys.withLockedValue { $0 } }
    private let keys: NIOLockedValueBox<Keyring>
    public let location: DatabaseLocation
    let databases: Databases
    /// PostgreSQL: the loops of its connections, the store's own. SQLite: nil; its connections are
    /// on loops of the process's shared group (`MultiThreadedEventLoopGroup.singleton`), which only
    /// hand results on: SQLite's work runs on `threadPool`.
    let eventLoopGroup: MultiThreadedEventLoopGroup?
    /// The loop of the connection everything but `reader` uses (SQLite: the one writing connection).
    let primaryLoop: any EventLoop
    let threadPool: NIOThreadPool
    /// SQLite: the reading connections (`reader`), one per loop; nil on PostgreSQL, whose pool
    /// serves reads and writes alike.
    let readers: (databases: Databases, loops: [any EventLoop], next: NIOLockedValueBox<Int>)?
    /// Group commit of the use cases' audit entries (`append`).
    let auditCommits = AuditGroupCommit()
    /// What case lists show of each young person, between requests (`withPeople`).
    let caseListPeople = CaseListPeople()
    /// SQLite: the bulk paths' statements, prepared once per connection (`bulk`).
    let statements = PreparedStatements()
    /// SQLite: whether `bulk` runs through `statements` (the default) or through SQLiteNIO, which
    /// prepares each statement anew — the import benchmark's `--sqlitenio`, to measure one against
    /// the other in the same build.
    public var preparesStatements: Bool {
        get { preparing.withLockedValue { $0 } }
        set { preparing.withLockedValue { $0 = newValue } }
    }
    private let preparing = NIOLockedValueBox(true)
    let logger: Logger
    /// Every instant the store writes (created, updated, audited, expired) comes from here.
    public let clock: Clock

    /// The clock's instant as stored.
    public func timestamp() -> String { storedTimestamp(clock.now()) }

    /// Takes new keys (a key file changed on disk). The index key must stay the same: the blind
    /// indexes and audit subjects in the database are computed with it.
    public func replaceKeys(_ next: Keyring) throws(Keyring.Problem) {
        guard next.hasSameIndexKey(as: keyring) else { throw .invalid("the index key differs from the one in use; it cannot be rotated") }
        keys.withLockedValue { $0 = next }
    }

    /// Opens the store and checks that the database answers. Nothing is written. `poolSize` is the
    /// number of PostgreSQL connections per event loop (two loops); SQLite has one writing connection
    /// and two reading ones (`reader`).
    public static func open(_ location: DatabaseLocation, keyring: Keyring, clock: Clock, poolSize: Int = 4,
                            logger: Logger = Logger(label: "vangnet.storage")) async throws(StoreError) -> Store {
        let store = Store(location: location, keyring: keyring, clock: clock, poolSize: poolSize, logger: logger)
        do {
            if case .sqlite(let path) = location {
                let folder = (path as NSString).deletingLastPathComponent
                if !folder.isEmpty && !FileManager.default.fileExists(atPath: folder) {
                    throw StoreError.unavailable("\(location): folder \(folder) does not exist")
                }
                try await store.sql.raw("PRAGMA journal_mode = WAL").run()
                // FULL: a commit that answered a source (a 202, an import's "accepted") survives a power
                // loss or an OS crash too; in WAL mode that is one sync of the log per commit, and the
                // import and the intake commit in large batches (production issue).
                try await store.sql.raw("PRAGMA synchronous = FULL").run()
                try await store.sql.raw("PRAGMA temp_store = MEMORY").run()
                try await store.sql.raw("PRAGMA cache_size = -131072").run()
                // Checkpoint the write-ahead log every ~64 MB rather than every 4 MB: bulk imports
                // write hundreds of megabytes, and each checkpoint has a fixed cost.
                try await store.sql.raw("PRAGMA wal_autocheckpoint = 16384").run()
            } else {
                try await store.sql.raw("SELECT 1").run()
            }
        } catch {
            await store.close()
            if let storeError = error as? StoreError { throw storeError }
            throw .unavailable("cannot open \(location): \(Store.describe(error))")
        }
        return store
    }

    private init(location: DatabaseLocation, keyring: Keyring, clock: Clock, poolSize: Int, logger: Logger) {
        self.location = location
        self.clock = clock
        self.keys = NIOLockedValueBox(keyring)
        self.logger = logger
        switch location {
        case .sqlite(let path):
            dialect = .sqlite
            // One writing connection (the driver keeps one per event loop, and only the primary
            // loop's is ever asked for), so transactions never meet a second writer inside this
            // process; other processes wait on SQLite's busy handler. Two reading connections next
            // to it: in WAL mode a reader never waits for the writer, so a page's session look-up no
            // longer queues behind the intake's, the pipeline's and the statistics' commits (the
            // results issue's benchmark: sessions 50-95 ms under 50 events/s). Three threads run
            // the three connections' statements; the loops are the process's shared ones, so that a
            // store costs three threads, not seven (the test suite opens hundreds at once).
            let shared = MultiThreadedEventLoopGroup.singleton
            eventLoopGroup = nil
            primaryLoop = shared.next()
            threadPool = NIOThreadPool(numberOfThreads: 3)
            threadPool.start()
            databases = Databases(threadPool: threadPool, on: shared)
            databases.use(.sqlite(.file(path), sqlLogLevel: .trace), as: .sqlite)
            let reading = Databases(threadPool: threadPool, on: shared)
            reading.use(.sqlite(.file(path), sqlLogLevel: .trace), as: .sqlite)
            readers = (reading, [shared.next(), shared.next()], NIOLockedValueBox(0))
        case .postgres(let url):
            readers = nil
            dialect = .postgres
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
            eventLoopGroup = group
            primaryLoop = group.next()
            threadPool = NIOThreadPool(numberOfThreads: 1)
            threadPool.start()
            databases = Databases(threadPool: threadPool, on: group)
            do {
                databases.use(try .postgres(url: url, maxConnectionsPerEventLoop: max(1, poolSize), sqlLogLevel: .trace), as: .psql)
            } catch {
                // An unparsable URL: every query will fail with a clear error from `open`.
                databases.use(.sqlite(.memory, sqlLogLevel: .trace), as: .sqlite)
            }
        }
    }

    public func close() async {
        // Before the connections close: SQLite does not close a connection with statements on it.
        if dialect == .sqlite { try? await threadPool.runIfActive { [statements] in statements.finalizeAll() } }
        if let readers { await readers.databases.shutdownAsync() }
        await databases.shutdownAsync()
        try? await eventLoopGroup?.shutdownGracefully()
        try? await threadPool.shutdownGracefully()
    }

    /// A FluentKit database (for migrations) and its SQL face. The drivers log connection failures
    /// themselves at `error`; the store reports them once, in its own words. The drivers never log
    /// queries, at any level: their bound values are user input (a typed search, a login name).
    var database: any Database {
        databases.database(logger: driverLogger, on: eventLoopGroup?.any() ?? primaryLoop)!
    }

    var driverLogger: Logger {
        var quiet = logger
        quiet.logLevel = .critical
        return quiet
    }
    public var sql: any SQLDatabase { database as! any SQLDatabase }

    /// For reads outside a transaction that may see the last committed state (a page's session,
    /// the cases, people, letters and referrals a page shows, the statistics' progress and rows):
    /// on SQLite a reading connection, never the writing one;
    /// on PostgreSQL the pool. Never for writes: on SQLite a write here would wait for the
    /// writing connection's transactions like another process's.
    public var reader: any SQLDatabase {
        guard let readers else { return sql }
        let turn = readers.next.withLockedValue { turn in
            defer { turn = (turn + 1) % readers.loops.count }
            return turn
        }
        return readers.databases.database(logger: driverLogger, on: readers.loops[turn])! as! any SQLDatabase
    }

    /// Runs `body` in one transaction on one connection. SQLite takes the write lock at once
    /// (`BEGIN IMMEDIATE`) so that a read-then-write never fails on a concurrent writer.
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await database.withConnection { connection in
            let sql = connection as! any SQLDatabase
            try await sql.raw(self.dialect == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN").run()
            do {
                let result = try await body(try await self.leasedSQLite(sql))
                try await sql.raw("COMMIT").run()
                return result
            } catch {
                try? await sql.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// SQLite: the transaction's connection with its handle (`LeasedSQLite`), for `bulk`;
    /// otherwise the connection as it is.
    private func leasedSQLite(_ sql: any SQLDatabase) async throws -> any SQLDatabase {
        guard dialect == .sqlite, preparesStatements else { return sql }
        let handle = try await (sql as! any SQLiteDatabase).withConnection { connection in
            connection.eventLoop.makeSucceededFuture(PreparedStatements.connection(of: connection))
        }.get()
        return handle.map { LeasedSQLite(base: sql, handle: $0) } ?? sql
    }

    /// A short, credential-free description of a database error.
    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if let psql = error as? PSQLError {
            if let message = psql.serverInfo?[.message] { return message }
            if let underlying = psql.underlying { return String(describing: underlying) }
            return "\(psql.code)"
        }
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }
}

/// `SELECT ... FOR UPDATE SKIP LOCKED` where the dialect has it.
extension Store {
    var skipLocked: String { dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : "" }
    /// Binary columns: sealed personal data.
    var binary: String { dialect == .postgres ? "BYTEA" : "BLOB" }
    var autoIncrementKey: String { dialect == .postgres ? "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT" }
}
