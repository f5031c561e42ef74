import Foundation
import SQLKit
import Storage
import TestSupport
import Testing

/// Upkeep of the database file: the write-ahead log does not grow without end.
@Suite struct MaintenanceTests {
    /// The size of a file in bytes, 0 when there is none.
    static func size(_ path: String) -> Int {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path), let size = attributes[.size] else { return 0 }
        if let bytes = size as? Int { return bytes }
        if let bytes = size as? UInt64 { return Int(bytes) }
        if let bytes = size as? NSNumber { return bytes.intValue }
        return 0
    }

    @Test func aCheckpointAfterWritesLeavesTheWriteAheadLogEmptyAndKeepsTheData() async throws {
        try await withStore(.sqlite) { store in
            guard case .sqlite(let path) = store.location else {
                Issue.record("not a SQLite store: \(store.location)")
                return
            }
            let log = path + "-wal"
            try await store.sql.raw("CREATE TABLE wal_probe (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)").run()
            for _ in 0..<32 {
                try await store.sql.raw("INSERT INTO wal_probe (payload) VALUES (randomblob(65536))").run()
            }
            let before = Self.size(log)
            #expect(before > 1_000_000, "2 MB written go to the log first: \(before) bytes")

            #expect(try await store.checkpoint(), "no other reader: the whole log is written back")
            #expect(Self.size(log) < 64 * 1024, "the log is truncated: \(Self.size(log)) bytes")

            let rows = try await store.sql.raw("SELECT COUNT(*) AS n FROM wal_probe").first()!.decode(column: "n", as: Int.self)
            #expect(rows == 32, "nothing lost")
            try await store.sql.raw("INSERT INTO wal_probe (payload) VALUES (randomblob(16))").run()
            #expect(try await store.checkpoint(), "and again, as the server does every minute")
        }
    }

    @Test func aCheckpointOnPostgreSQLChangesNothing() async throws {
        try await withStore(.postgres) { store in
            let done = try await store.checkpoint()
            #expect(done)
        }
    }
}
