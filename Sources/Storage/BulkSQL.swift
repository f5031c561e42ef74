import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
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

extension Store {
    /// Runs `sql` — written with `?` placeholders — on `connection` (a transaction's), and returns
    /// the rows' columns in order.
    func bulk(_ connection: any SQLDatabase, _ sql: String, _ values: [BulkValue]) async throws -> [[BulkValue]] {
        switch dialect {
        case .sqlite:
            let database = connection as! any SQLiteDatabase
            let binds: [SQLiteData] = values.map {
                switch $0 {
                case .text(let text): .text(text)
                case .integer(let number): .integer(Int(number))
                case .blob(let data): .blob(ByteBuffer(bytes: data))
                case .null: .null
                }
            }
            return try await database.query(sql, binds).map { row in
                row.columns.map { column in
                    switch column.data {
                    case .integer(let number): .integer(Int64(number))
                    case .text(let text): .text(text)
                    case .float(let number): .text(String(number))
                    case .blob(let buffer): .blob(Data(buffer.readableBytesView))
                    case .null: .null
                    }
                }
            }
        case .postgres:
            let database = connection as! any PostgresDatabase
            var bindings = PostgresBindings(capacity: values.count)
            for value in values {
                switch value {
                case .text(let text): bindings.append(text)
                case .integer(let number): bindings.append(number)
                case .blob(let data): bindings.append(ByteBuffer(bytes: data))
                case .null: bindings.appendNull()
                }
            }
            let query = PostgresQuery(unsafeSQL: Self.numberedPlaceholders(sql), binds: bindings)
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

    /// `(?, ?, ?), (?, ?, ?)`: placeholders for `rows` rows of `columns` values.
    static func placeholders(rows: Int, columns: Int) -> String {
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        return Array(repeating: row, count: rows).joined(separator: ", ")
    }

    /// `?, ?, ?` for an IN list.
    static func list(_ count: Int) -> String { Array(repeating: "?", count: count).joined(separator: ", ") }
}
