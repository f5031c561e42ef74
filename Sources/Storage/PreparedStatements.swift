import FluentSQLiteDriver
import Foundation
import NIOConcurrencyHelpers
import SQLiteAPI

/// SQLite statements of the bulk paths (`Store.bulk`), prepared once per connection and reused.
///
/// SQLiteNIO prepares every statement anew and binds a copy of every value: for the import's
/// statements of 500 rows that was 8 % (parsing) and 7 % (copies) of the thread that sets the
/// import's pace (BENCHMARKS.md, "Why the import ratio is short"). Here a statement is prepared the
/// first time its text is run on a connection, kept, and reset after each run; its values are
/// copied once into one block that lives until the run is over (bound without SQLite's copies).
///
/// The connection stays SQLiteNIO's: the store leases it as before (a transaction's, or one from
/// the pool) and this runs on the store's thread pool while the lease is held, so a connection
/// runs one statement at a time, as with SQLiteNIO. Its handle is not public in SQLiteNIO; it is
/// read by reflection (`connection(of:)`) and, where it cannot be, `Store.bulk` keeps SQLiteNIO's
/// path (`StorageTests.PreparedStatementsTests` checks that it can).
///
/// Lifetime: a cached statement keeps its connection object alive (its identity cannot be reused),
/// and `finalizeAll()` runs before the store closes its connections — SQLite refuses to close a
/// connection with statements still prepared on it.
final class PreparedStatements: @unchecked Sendable {
    /// A leased SQLiteNIO connection and its `sqlite3 *`.
    struct Connection: @unchecked Sendable {
        let owner: SQLiteConnection
        let raw: OpaquePointer
    }

    /// The statement's code and SQLite's message; never a bound value.
    struct StatementError: Error, CustomStringConvertible {
        let code: Int32
        let message: String
        var description: String { "SQLite error \(code): \(message)" }
    }

    private struct Key: Hashable {
        let connection: ObjectIdentifier
        let sql: String
    }

    private struct Idle {
        let statement: OpaquePointer
        let owner: SQLiteConnection
        var lastUse: UInt64
    }

    /// Statements not running now. One running is checked out (absent here) until it is reset.
    private var idle: [Key: Idle] = [:]
    private var uses: UInt64 = 0
    private var finalized = false
    private let lock = NIOLock()
    /// Statements kept across all connections; beyond it the least recently used quarter goes.
    /// The bulk paths run a few texts many times (a chunk of 500 rows, per statement of a batch)
    /// and the last, shorter chunk of each batch once: those go first. A statement of 500 rows
    /// holds about 150 KB (`sqlite3 .stats`: 163 KB for the records insert).
    let capacity: Int

    init(capacity: Int = 32) { self.capacity = capacity }

    var count: Int { lock.withLock { idle.count } }

    /// The `sqlite3 *` of a SQLiteNIO connection, or nil when it is closed or SQLiteNIO's layout
    /// changed (then the caller keeps SQLiteNIO's own path).
    static func connection(of connection: SQLiteConnection) -> Connection? {
        guard !connection.isClosed,
              let handle = Mirror(reflecting: connection).descendant("handle"),
              let raw = Mirror(reflecting: handle).descendant("raw"),
              let pointer = raw as? OpaquePointer
        else { return nil }
        return Connection(owner: connection, raw: pointer)
    }

    /// Runs `sql` (`?` placeholders) with `values` on `connection` and returns the rows' columns.
    /// Blocking: call it on a thread of the store's pool.
    func rows(_ connection: Connection, _ sql: String, _ values: [BulkValue]) throws -> [[BulkValue]] {
        let key = Key(connection: ObjectIdentifier(connection.owner), sql: sql)
        guard let statement = try checkOut(key, connection) else { return [] }
        var keep = true
        defer { checkIn(key, statement, owner: connection.owner, keep: keep) }

        let bytes = Self.boundBytes(values)
        // One byte at least: a text or blob bound at a null address would be bound as NULL.
        let block = UnsafeMutableRawPointer.allocate(byteCount: max(bytes, 1), alignment: 8)
        defer { block.deallocate() }
        defer {
            vangnet_sqlite3_clear_bindings(statement)
            vangnet_sqlite3_reset(statement)
        }
        do {
            try bind(values, to: statement, in: block, connection)
            return try step(statement, connection)
        } catch {
            keep = false
            throw error
        }
    }

    /// Finalizes every statement kept; later runs prepare and finalize their own.
    func finalizeAll() {
        let statements: [OpaquePointer] = lock.withLock {
            finalized = true
            defer { idle.removeAll() }
            return idle.values.map(\.statement)
        }
        for statement in statements { vangnet_sqlite3_finalize(statement) }
    }

    private func checkOut(_ key: Key, _ connection: Connection) throws -> OpaquePointer? {
        if let kept = lock.withLock({ idle.removeValue(forKey: key) }) { return kept.statement }
        var statement: OpaquePointer?
        let code = vangnet_sqlite3_prepare_v3(connection.raw, key.sql, -1, UInt32(VANGNET_SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == VANGNET_SQLITE_OK else {
            if let statement { vangnet_sqlite3_finalize(statement) }
            throw Self.error(code, connection)
        }
        return statement
    }

    private func checkIn(_ key: Key, _ statement: OpaquePointer, owner: SQLiteConnection, keep: Bool) {
        let evicted: [OpaquePointer] = lock.withLock {
            guard keep, !finalized, !owner.isClosed else { return [statement] }
            uses += 1
            if let other = idle.updateValue(Idle(statement: statement, owner: owner, lastUse: uses), forKey: key) {
                return [other.statement]
            }
            guard idle.count > capacity else { return [] }
            let oldest = idle.sorted { $0.value.lastUse < $1.value.lastUse }.prefix(capacity / 4)
            for (key, _) in oldest { idle.removeValue(forKey: key) }
            return oldest.map(\.value.statement)
        }
        for statement in evicted { vangnet_sqlite3_finalize(statement) }
    }

    private static func boundBytes(_ values: [BulkValue]) -> Int {
        var total = 0
        for value in values {
            switch value {
            case .text(let text): total += text.utf8.count
            case .blob(let data): total += data.count
            case .integer, .null: break
            }
        }
        return total
    }

    private func bind(_ values: [BulkValue], to statement: OpaquePointer, in block: UnsafeMutableRawPointer,
                      _ connection: Connection) throws {
        var offset = 0
        for (index, value) in values.enumerated() {
            let position = Int32(index + 1)
            let code: Int32
            switch value {
            case .integer(let number):
                code = vangnet_sqlite3_bind_int64(statement, position, number)
            case .null:
                code = vangnet_sqlite3_bind_null(statement, position)
            case .text(var text):
                let start = block + offset
                let count = text.withUTF8 { utf8 in
                    if let base = utf8.baseAddress { start.copyMemory(from: base, byteCount: utf8.count) }
                    return utf8.count
                }
                offset += count
                code = vangnet_sqlite3_bind_text(statement, position, start.assumingMemoryBound(to: CChar.self), Int32(count), nil)
            case .blob(let data):
                let start = block + offset
                data.withUnsafeBytes { bytes in
                    if let base = bytes.baseAddress { start.copyMemory(from: base, byteCount: bytes.count) }
                }
                offset += data.count
                code = vangnet_sqlite3_bind_blob(statement, position, start, Int32(data.count), nil)
            }
            guard code == VANGNET_SQLITE_OK else { throw Self.error(code, connection) }
        }
    }

    private func step(_ statement: OpaquePointer, _ connection: Connection) throws -> [[BulkValue]] {
        var rows: [[BulkValue]] = []
        let columns = vangnet_sqlite3_column_count(statement)
        while true {
            let code = vangnet_sqlite3_step(statement)
            if code == VANGNET_SQLITE_DONE { return rows }
            guard code == VANGNET_SQLITE_ROW else { throw Self.error(code, connection) }
            var row: [BulkValue] = []
            row.reserveCapacity(Int(columns))
            for column in 0..<columns {
                switch vangnet_sqlite3_column_type(statement, column) {
                case VANGNET_SQLITE_INTEGER:
                    row.append(.integer(vangnet_sqlite3_column_int64(statement, column)))
                case VANGNET_SQLITE_FLOAT:
                    // As SQLiteNIO's rows were read before: a real as its text.
                    row.append(.text(String(vangnet_sqlite3_column_double(statement, column))))
                case VANGNET_SQLITE_TEXT:
                    let text = vangnet_sqlite3_column_text(statement, column)
                    let count = Int(vangnet_sqlite3_column_bytes(statement, column))
                    row.append(.text(text.map { String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self) } ?? ""))
                case VANGNET_SQLITE_BLOB:
                    let bytes = vangnet_sqlite3_column_blob(statement, column)
                    let count = Int(vangnet_sqlite3_column_bytes(statement, column))
                    row.append(.blob(bytes.map { Data(bytes: $0, count: count) } ?? Data()))
                default:
                    row.append(.null)
                }
            }
            rows.append(row)
        }
    }

    private static func error(_ code: Int32, _ connection: Connection) -> StatementError {
        let message = vangnet_sqlite3_errmsg(connection.raw).map { String(cString: $0) } ?? "unknown"
        return StatementError(code: vangnet_sqlite3_extended_errcode(connection.raw), message: message)
    }
}
