import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import NIOConcurrencyHelpers
import SQLKit

/// A value on the bulk paths (import, pipeline): bound straight to SQLite or PostgreSQL, without
/// the Codable round trip of SQLKit binds — which profiling showed to cost more than SQLite's own
/// work for the import's million rows.
enum BulkValue: Sendable, Equatable {
    case text(String)
    case integer(Int64)
    case blob(Data)
    case null

    init(_ text: String?) { self = text.map(BulkValue.text) ?? .null }
    init(_ number: Int64) { self = .integer(number) }
    init(_ number: Int) { self = .integer(Int64(number)) }

    var text: String? { if case .text(let t) = self { t } else if case .integer(let i) = self { String(i) } else { nil } }
    var integer: Int64? {
        switch self {
        case .integer(let i): i
        case .text(let t): Int64(t)
        case .blob, .null: nil
        }
    }
    var blob: Data? { if case .blob(let data) = self { data } else { nil } }
}

/// A bound parameter of `Store.bulkColumns` (PostgreSQL): one value, or a whole column as an array.
enum BulkBind: Sendable {
    case value(BulkValue)
    case texts([String])
    case integers([Int64])
    case blobs([Data])
    case flags([Bool])
}

/// The rows of one SQLite statement, filled on the thread that steps it and read after it is done.
private final class RowSink: @unchecked Sendable {
    var values: [[BulkValue]] = []
}

extension PostgresBindings {
    mutating func append(_ value: BulkValue) {
        switch value {
        case .text(let text): append(text)
        case .integer(let number): append(number)
        case .blob(let data): append(ByteBuffer(bytes: data))
        case .null: appendNull()
        }
    }
}

extension Store {
    /// Runs `sql` — written with `?` placeholders — on `connection` (a transaction's), and returns
    /// the rows' columns in order.
    func bulk(_ connection: any SQLDatabase, _ sql: String, _ values: [BulkValue]) async throws -> [[BulkValue]] {
        switch dialect {
        case .sqlite:
            if let leased = connection as? LeasedSQLite {
                // A transaction's connection, its handle known: straight to the thread pool.
                let statements = self.statements
                return try await threadPool.runIfActive { try statements.rows(leased.handle, sql, values) }
            }
            let database = connection as! any SQLiteDatabase
            if preparesStatements {
                // Statements prepared once per connection, values bound without copies
                // (`PreparedStatements`), on the leased connection, on the store's thread pool.
                let statements = self.statements
                let prepared: [[BulkValue]]? = try await database.withConnection { connection in
                    guard let handle = PreparedStatements.connection(of: connection) else {
                        return connection.eventLoop.makeSucceededFuture(nil)
                    }
                    return self.threadPool.runIfActive(eventLoop: connection.eventLoop) {
                        try statements.rows(handle, sql, values)
                    }.map { Optional($0) }
                }.get()
                if let prepared { return prepared }
            }
            let binds: [SQLiteData] = values.map {
                switch $0 {
                case .text(let text): .text(text)
                case .integer(let number): .integer(Int(number))
                case .blob(let data): .blob(ByteBuffer(bytes: data))
                case .null: .null
                }
            }
            // On the connection itself, whose rows are handed over on the statement's own thread:
            // `SQLiteDatabase.query(_:_:)` hands each row to the event loop as a task of its own,
            // which cost the import a core-second for its million returned rows (BENCHMARKS.md).
            return try await database.withConnection { connection in
                let rows = RowSink()
                try await connection.query(sql, binds) { row in
                    rows.values.append(row.columns.map { column in
                        switch column.data {
                        case .integer(let number): .integer(Int64(number))
                        case .text(let text): .text(text)
                        case .float(let number): .text(String(number))
                        case .blob(let buffer): .blob(Data(buffer.readableBytesView))
                        case .null: .null
                        }
                    })
                }
                return rows.values
            }
        case .postgres:
            var bindings = PostgresBindings(capacity: values.count)
            for value in values { bindings.append(value) }
            return try await postgresRows(connection, PostgresQuery(unsafeSQL: Self.numberedPlaceholders(sql), binds: bindings))
        }
    }

    /// PostgreSQL: runs `sql` (numbered placeholders) with whole columns bound as arrays, for
    /// `unnest($1::text[], $2::bigint[], …)`: a batch of thousands of rows in one statement and one
    /// round trip, where `VALUES` lists of 500 rows took ten (the production issue's import
    /// benchmark: 38.7 → 30.7 s from this alone).
    func bulkColumns(_ connection: any SQLDatabase, _ sql: String, _ binds: [BulkBind]) async throws -> [[BulkValue]] {
        precondition(dialect == .postgres, "unnest is PostgreSQL's")
        var bindings = PostgresBindings(capacity: binds.count)
        for bind in binds {
            switch bind {
            case .value(let value): bindings.append(value)
            case .texts(let texts): bindings.append(texts)
            case .integers(let numbers): bindings.append(numbers)
            case .blobs(let blobs): bindings.append(blobs.map { ByteBuffer(bytes: $0) })
            case .flags(let flags): bindings.append(flags)
            }
        }
        return try await postgresRows(connection, PostgresQuery(unsafeSQL: sql, binds: bindings))
    }

    private func postgresRows(_ connection: any SQLDatabase, _ query: PostgresQuery) async throws -> [[BulkValue]] {
        let database = connection as! any PostgresDatabase
        let logger = self.logger
        return try await database.withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                var rows: [[BulkValue]] = []
                for try await row in try await connection.query(query, logger: logger) {
                    rows.append(try row.map { cell -> BulkValue in
                        guard cell.bytes != nil else { return .null }
                        switch cell.dataType {
                        case .int8, .int4, .int2: return .integer(try cell.decode(Int64.self))
                        case .bytea: return .blob(Data(try cell.decode(ByteBuffer.self).readableBytesView))
                        default: return .text(try cell.decode(String.self))
                        }
                    })
                }
                return rows
            }
        }.get()
    }

    /// `?` → `$1`, `$2`, … for PostgreSQL (the bulk SQL never has a `?` inside a literal).
    static func numberedPlaceholders(_ sql: String) -> String {
        var out = ""
        out.reserveCapacity(sql.utf8.count + 64)
        var number = 0
        for character in sql {
            if character == "?" {
                number += 1
                out += "$\(number)"
            } else {
                out.append(character)
            }
        }
        return out
    }

    /// `(?, ?, ?), (?, ?, ?)`: placeholders for `rows` rows of `columns` values. Made once per
    /// shape: the bulk paths ask for the same few (500 rows of 8, …) thousands of times.
    static func placeholders(rows: Int, columns: Int) -> String {
        let shape = Shape(rows: rows, columns: columns)
        if let known = placeholderShapes.withLockedValue({ $0[shape] }) { return known }
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        let text = Array(repeating: row, count: rows).joined(separator: ", ")
        placeholderShapes.withLockedValue { shapes in
            if shapes.count < 10_000 { shapes[shape] = text }
        }
        return text
    }

    private struct Shape: Hashable {
        let rows: Int
        let columns: Int
    }

    private static let placeholderShapes = NIOLockedValueBox<[Shape: String]>([:])

    /// `?, ?, ?` for an IN list.
    static func list(_ count: Int) -> String { Array(repeating: "?", count: count).joined(separator: ", ") }
}
