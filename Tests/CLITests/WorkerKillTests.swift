import Domain
import Foundation
import NIOConcurrencyHelpers
import Privacy
import SQLKit
import Storage
import TestSupport
import Testing

/// A worker killed with SIGKILL in the middle of the daily letter batch (production issue, crash
/// tests): the batch is one transaction, so nothing of it is left; the next worker takes the day
/// over at once (the claimer's process is gone) and makes the batch whole — the same letters as one
/// clean batch, none twice, none lost, the audit chain intact.
@Suite(.serialized) struct WorkerKillTests {
    static let today = "2026-11-29"

    /// Holds a table lock in a transaction of its own until released: what keeps the batch waiting
    /// at the point where it is killed.
    final class Lock: Sendable {
        let released = NIOLockedValueBox(false)
        func release() { released.withLockedValue { $0 = true } }
        var isReleased: Bool { released.withLockedValue { $0 } }
    }

    static func count(_ store: Store, _ query: String) async throws -> Int {
        try await store.sql.raw(SQLQueryString(query)).first()!.decode(column: "n", as: Int.self)
    }

    /// Waits until `condition` holds (two minutes at most).
    static func waitUntil(_ what: String, _ condition: () async throws -> Bool) async throws {
        for _ in 0..<480 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        Issue.record("timed out waiting until \(what)")
        throw CancellationError()
    }

    @Test func aWorkerKilledInTheMiddleOfTheLetterBatchLeavesNothingAndTheNextMakesEveryLetterOnce() async throws {
        guard let adminURL = StoreKind.postgresURL else { try Test.cancel("VANGNET_TEST_POSTGRES_URL is not set") }
        let folder = TemporaryFolder()
        #expect(try VangnetBinary.run(["simulate", "--out", folder.path + "/sim"], in: folder.path).status == 0)
        let files = ["enrolments", "qualifications", "persons", "jobseekers", "employment"].map { folder.path + "/sim/\($0).csv" }
            .filter { FileManager.default.fileExists(atPath: $0) }

        // The reference: the same files on SQLite, and one clean batch.
        let single = folder.path + "/single"
        try FileManager.default.createDirectory(atPath: single, withIntermediateDirectories: true)
        let singleEnvironment = ["VANGNET_ENVIRONMENT": "demo", "VANGNET_TODAY": Self.today, "VANGNET_DATABASE_URL": "sqlite://\(single)/vangnet.sqlite"]
        #expect(try VangnetBinary.run(["migrate"], in: single, environment: singleEnvironment).status == 0)
        #expect(try VangnetBinary.run(["import"] + files, in: single, environment: singleEnvironment).status == 0)
        try FileManager.default.createDirectory(atPath: single + "/batch", withIntermediateDirectories: true)
        #expect(try VangnetBinary.run(["letters", "batch", "--out", single + "/batch"], in: single, environment: singleEnvironment).status == 0)
        let reference = try await Store.open(.sqlite(path: single + "/vangnet.sqlite"), keyring: try Keyring(path: single + "/vangnet-keys.json"), clock: .system)
        let expectedLetters = try await Self.count(reference, "SELECT COUNT(*) AS n FROM letters")
        await reference.close()
        #expect(expectedLetters > 0, "the simulated pupils get letters")

        // The same files on a new PostgreSQL database.
        let database = try await ScratchDatabase.create(prefix: "vangnet_workerkill_", on: adminURL)
        let shared = folder.path + "/shared"
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true)
        let environment = ["VANGNET_ENVIRONMENT": "demo", "VANGNET_TODAY": Self.today, "VANGNET_DATABASE_URL": database.url,
                           "VANGNET_LETTER_BATCH_HOUR": "0"]
        #expect(try VangnetBinary.run(["migrate"], in: shared, environment: environment).status == 0)
        #expect(try VangnetBinary.run(["import"] + files, in: shared, environment: environment).status == 0)
        let store = try await Store.open(.postgres(url: database.url), keyring: try Keyring(path: shared + "/vangnet-keys.json"), clock: .system)

        // The batch's last transaction writes its letters, then their case events: with the case
        // events locked, a worker's batch waits in the middle of that transaction.
        let lock = Lock()
        let holder = Task {
            try await store.transaction { sql in
                try await sql.raw("LOCK TABLE case_events IN EXCLUSIVE MODE").run()
                while !lock.isReleased { try await Task.sleep(for: .milliseconds(50)) }
            }
        }
        try await Self.waitUntil("the case events are locked") {
            try await Self.count(store, """
                SELECT COUNT(*) AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                WHERE c.relname = 'case_events' AND l.mode = 'ExclusiveLock' AND l.granted
                """) == 1
        }
        let first = try ScaleOutTests.Child(["worker"], folder: shared, environment: environment, name: "worker-1")
        try await Self.waitUntil("the first worker's batch waits, claimed and under way") {
            let claimed = try await Self.count(store, "SELECT COUNT(*) AS n FROM daily_jobs WHERE job = 'letters' AND completed_at IS NULL")
            let preparing = try await Self.count(store, "SELECT COUNT(*) AS n FROM letter_batches WHERE status = 'preparing'")
            let waiting = try await Self.count(store, """
                SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
                """)
            return claimed == 1 && preparing == 1 && waiting >= 1
        }
        first.kill9()
        lock.release()
        try await holder.value
        #expect(try await Self.count(store, "SELECT COUNT(*) AS n FROM letters") == 0, "nothing of the killed batch is left")
        #expect(try await Self.count(store, "SELECT COUNT(*) AS n FROM answer_codes") == 0)

        // The next worker takes the day over at once and makes the batch whole.
        let second = try ScaleOutTests.Child(["worker"], folder: shared, environment: environment, name: "worker-2")
        try await Self.waitUntil("the second worker's batch is done") {
            try await Self.count(store, "SELECT COUNT(*) AS n FROM daily_jobs WHERE job = 'letters' AND completed_at IS NOT NULL") == 1
        }
        #expect(try await Self.count(store, "SELECT COUNT(*) AS n FROM letters") == expectedLetters, "the letters of one clean batch")
        #expect(try await Self.count(store, "SELECT COUNT(*) AS n FROM (SELECT case_id FROM letters GROUP BY case_id HAVING COUNT(*) > 1) t") == 0,
                "no case has a letter twice")
        #expect(try await Self.count(store, "SELECT COUNT(*) AS n FROM answer_codes") == expectedLetters, "an answer code per letter")
        #expect(try await Self.count(store, "SELECT COUNT(*) AS n FROM letter_batches WHERE status = 'prepared'") == 1)
        #expect(try await Self.count(store, "SELECT COUNT(*) AS n FROM letter_batches WHERE status = 'failed'") == 1, "the killed one's")
        let invited = try await Self.count(store, "SELECT COUNT(*) AS n FROM cases WHERE status = 'invited'")
        #expect(try await Self.count(store, "SELECT COUNT(DISTINCT case_id) AS n FROM letters WHERE kind = 'invitation'") == invited)
        #expect(try await store.verifyAudit().intact)
        second.stop()
        await store.close()
        await database.drop()
    }
}
