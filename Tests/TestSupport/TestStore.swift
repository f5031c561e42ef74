import Domain
import Foundation
import Ingest
import Privacy
import Storage
import Testing
import Workflows

/// The stores every store test runs on: SQLite always, PostgreSQL when `VANGNET_TEST_POSTGRES_URL`
/// points at a server (CI sets it). Without it, PostgreSQL cases are cancelled with a note.
public enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres
    public var testDescription: String { rawValue }

    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["VANGNET_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }
}

private let noteOnce: Void = {
    FileHandle.standardError.write(Data("note: PostgreSQL store tests skipped: VANGNET_TEST_POSTGRES_URL is not set\n".utf8))
}()

/// A fresh, migrated store for one test: a new SQLite file, or a new PostgreSQL database that is
/// dropped afterwards. Each gets fresh keys.
public func withStore<T: Sendable>(_ kind: StoreKind, keys: Keyring.File = Keyring.generateFile(), clock: Clock = .system,
                                   _ body: (Store) async throws -> T) async throws -> T {
    let keyring = try Keyring(file: keys)
    switch kind {
    case .sqlite:
        let folder = TemporaryFolder()
        let store = try await Store.open(.sqlite(path: folder.path + "/test.sqlite"), keyring: keyring, clock: clock)
        do {
            try await store.migrate()
            let result = try await body(store)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    case .postgres:
        guard let url = StoreKind.postgresURL else {
            _ = noteOnce
            try Test.cancel("VANGNET_TEST_POSTGRES_URL is not set")
        }
        // At most a few test databases at once: each store pools up to 8 connections, and a
        // PostgreSQL server allows 100 by default; the suite runs its tests in parallel.
        await PostgresTestSlots.shared.acquire()
        do {
            let result = try await withFreshPostgres(url: url, keyring: keyring, clock: clock, body)
            await PostgresTestSlots.shared.release()
            return result
        } catch {
            await PostgresTestSlots.shared.release()
            throw error
        }
    }
}

/// A new PostgreSQL database for one test, migrated, dropped afterwards.
private func withFreshPostgres<T: Sendable>(url: String, keyring: Keyring, clock: Clock, _ body: (Store) async throws -> T) async throws -> T {
    let database = try await ScratchDatabase.create(prefix: "vangnet_t_", on: url)
    let store = try await Store.open(.postgres(url: database.url), keyring: keyring, clock: clock)
    do {
        try await store.migrate()
        let result = try await body(store)
        await store.close()
        await database.drop()
        return result
    } catch {
        await store.close()
        await database.drop()
        throw error
    }
}

/// A new, empty PostgreSQL database on the test server: for a test's store, or for the `vangnet`
/// processes a test starts on it. `drop()` removes it.
public struct ScratchDatabase: Sendable {
    public let name: String
    /// The server's URL with this database's name.
    public let url: String
    let server: String

    /// A database named `prefix` and a random part, on `server` (a `postgres://` URL).
    public static func create(prefix: String, on server: String) async throws -> ScratchDatabase {
        let name = prefix + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        let admin = try await Store.open(.postgres(url: server), keyring: Keyring(file: Keyring.generateFile()), clock: .system)
        do {
            try await admin.sql.raw("CREATE DATABASE \(unsafeRaw: name)").run()
        } catch {
            await admin.close()
            throw error
        }
        await admin.close()
        var components = URLComponents(string: server)!
        components.path = "/" + name
        return ScratchDatabase(name: name, url: components.string!, server: server)
    }

    public func drop() async {
        guard let admin = try? await Store.open(.postgres(url: server), keyring: Keyring(file: Keyring.generateFile()), clock: .system) else { return }
        try? await admin.sql.raw("DROP DATABASE IF EXISTS \(unsafeRaw: name) WITH (FORCE)").run()
        await admin.close()
    }
}

/// A counting semaphore for the PostgreSQL test databases of this test process.
actor PostgresTestSlots {
    static let shared = PostgresTestSlots(limit: 6)
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { free = limit }

    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}

/// Writes records to a store as one delivery and returns its counts.
@discardableResult
public func deliver(_ items: [IngestItem], to store: Store, name: String = "test") async throws -> ImportCounts {
    let writer = try await RecordWriter(store: store, channel: .file, name: name, format: "test")
    try await writer.write(items)
    try await writer.finish()
    return writer.counts
}

@discardableResult
public func deliver(_ people: [PersonBuilder], to store: Store) async throws -> ImportCounts {
    try await deliver(people.flatMap(\.facts).map { IngestItem.record($0.record, location: "test") }, to: store)
}

/// A pipeline with the default policy and demo regions.
public func pipeline(_ store: Store, on day: String, regions: Regions = .demo) -> PipelineRunner {
    PipelineRunner(store: store, policy: .default, regions: regions, today: date(day))
}

public let testActor = Actor(username: "tester", role: .teamlead, provinces: Province.allCases, purpose: .caseReview, requestID: "req-1")

extension Store {
    /// The case use cases on this store, on `day`.
    public func work(on day: String) -> CaseWork { CaseWork(cases: self, audit: self, clock: .fixed(date(day))) }
}
