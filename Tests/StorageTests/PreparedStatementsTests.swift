import FluentSQLiteDriver
import Foundation
import Privacy
@testable import Storage
import TestSupport
import Testing

/// The bulk paths on SQLite run statements prepared once per connection (`PreparedStatements`),
/// on SQLiteNIO's connection handle, read by reflection. If sqlite-nio changes its layout, these
/// tests fail, rather than the import silently going back to SQLiteNIO's slower path.
@Suite struct PreparedStatementsTests {
    @Test func theHandleOfASQLiteNIOConnectionIsFound() async throws {
        try await withStore(.sqlite) { store in
            let database = store.sql as! any SQLiteDatabase
            let found = try await database.withConnection { connection in
                connection.eventLoop.makeSucceededFuture(PreparedStatements.connection(of: connection) != nil)
            }.get()
            #expect(found)
        }
    }

    @Test func aStatementIsPreparedOnceAndItsValuesComeBackAsBound() async throws {
        try await withStore(.sqlite) { store in
            try await store.sql.raw("CREATE TABLE bulk_values (t TEXT, i INTEGER, b BLOB, n TEXT, r REAL)").run()
            let insert = "INSERT INTO bulk_values (t, i, b, n, r) VALUES (?, ?, ?, ?, ?), (?, ?, ?, ?, ?) RETURNING t, i, b, n"
            let rows: [[BulkValue]] = [
                [.text("Zoë één"), .integer(-7), .blob(Data([0, 1, 2, 255])), .null, .text("1.5")],
                [.text(""), .integer(Int64.max), .blob(Data()), .text("x"), .integer(2)],
            ]
            let returned = try await store.transaction { sql in try await store.bulk(sql, insert, rows.flatMap { $0 }) }
            #expect(returned == rows.map { Array($0.prefix(4)) }, "an empty text and an empty blob are not NULL")
            #expect(store.statements.count == 1)

            for _ in 0..<3 {
                let read = try await store.transaction { sql in
                    try await store.bulk(sql, "SELECT t, i, b, n, r FROM bulk_values WHERE i < ? ORDER BY i", [.integer(Int64.max)])
                }
                #expect(read == [[.text("Zoë één"), .integer(-7), .blob(Data([0, 1, 2, 255])), .null, .text("1.5")]],
                        "a real is read as its text, as SQLiteNIO's rows were")
            }
            #expect(store.statements.count == 2, "each text prepared once and kept")

            // A transaction's statements run on its connection as it was leased (`LeasedSQLite`);
            // outside one, on a connection leased for the statement — the writing one or a reader.
            #expect(try await store.transaction { sql in sql is LeasedSQLite })
            let select = "SELECT count(*) FROM bulk_values WHERE t = ?"
            #expect(try await store.bulk(store.sql, select, [.text("")]) == [[.integer(1)]])
            #expect(try await store.bulk(store.reader, select, [.text("Zoë één")]) == [[.integer(1)]])
            #expect(store.statements.count == 4, "one statement for each of the two connections")
        }
    }

    @Test func aFailedStatementSaysWhyWithoutItsValuesAndTheConnectionGoesOn() async throws {
        try await withStore(.sqlite) { store in
            try await store.sql.raw("CREATE TABLE unique_values (v TEXT PRIMARY KEY)").run()
            let insert = "INSERT INTO unique_values (v) VALUES (?)"
            _ = try await store.transaction { sql in try await store.bulk(sql, insert, [.text("85073003328")]) }
            await #expect {
                _ = try await store.transaction { sql in try await store.bulk(sql, insert, [.text("85073003328")]) }
            } throws: { error in
                let text = String(describing: error)
                return text.contains("UNIQUE constraint failed") && !text.contains("85073003328")
            }
            await #expect(throws: PreparedStatements.StatementError.self) {
                _ = try await store.transaction { sql in try await store.bulk(sql, "SELECT nothing FROM nowhere", []) }
            }
            _ = try await store.transaction { sql in try await store.bulk(sql, insert, [.text("other")]) }
            let count = try await store.transaction { sql in try await store.bulk(sql, "SELECT count(*) FROM unique_values", []) }
            #expect(count == [[.integer(2)]])
        }
    }

    @Test func theCacheKeepsItsCapacityAndFinalizesWhatItDrops() async throws {
        try await withStore(.sqlite) { store in
            let database = store.sql as! any SQLiteDatabase
            let statements = PreparedStatements(capacity: 8)
            let handle = try #require(try await database.withConnection { connection in
                connection.eventLoop.makeSucceededFuture(PreparedStatements.connection(of: connection))
            }.get())
            for number in 0..<20 {
                #expect(try statements.rows(handle, "SELECT \(number)", []) == [[.integer(Int64(number))]])
            }
            #expect(statements.count <= 8)
            statements.finalizeAll()
            #expect(statements.count == 0)
            #expect(try statements.rows(handle, "SELECT 1", []) == [[.integer(1)]], "after finalizing, a statement runs and is not kept")
            #expect(statements.count == 0)
        }
    }

    /// SQLite does not close a connection with statements still prepared on it (the database would
    /// stay open, its write-ahead log never folded back): closing the store finalizes them first.
    @Test func closingTheStoreClosesItsConnectionsWithTheirStatements() async throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/closing.sqlite"
        let store = try await Store.open(.sqlite(path: path), keyring: try Keyring(file: Keyring.generateFile()), clock: .system)
        try await store.migrate()
        _ = try await store.transaction { sql in try await store.bulk(sql, "SELECT count(*) FROM persons WHERE id > ?", [.integer(0)]) }
        #expect(store.statements.count == 1)
        await store.close()
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"), "the last connection closed and removed its log")
    }
}
