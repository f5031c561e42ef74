import FluentSQLiteDriver
import Logging
import NIOCore
import SQLKit

/// A SQLite transaction's connection as `Store.transaction` hands it to its body: the SQL face of
/// the leased connection, with that connection's handle read once for the transaction. `Store.bulk`
/// then runs its statements on the store's thread pool straight away (23 µs a statement on this
/// machine) instead of leasing the connection again through SQLiteNIO's futures for each (60 µs:
/// a hop to the event loop and back, a few thousand times per import).
struct LeasedSQLite: SQLDatabase {
    let base: any SQLDatabase
    let handle: PreparedStatements.Connection

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        base.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        try await base.execute(sql: query, onRow)
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }
}
