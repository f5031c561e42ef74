import Domain
import Foundation
import Ingest
import Privacy
import SQLKit
import Storage
import TestSupport
import Testing
import Workflows

/// Storing records: idempotence, corrections kept as history, quarantine, encryption at rest.
@Suite struct RecordStoreTests {
    static let person = PersonBuilder(born: "2006-03-14")
        .enrolled(from: "2025-09-01", to: "2026-06-30", exit: .endOfSchoolYear, id: "E1")
        .lives(postcode: "2000", id: "P1")

    @Test(arguments: StoreKind.allCases)
    func deliveringTheSameRecordsTwiceHasOneEffect(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let first = try await deliver([Self.person], to: store)
            #expect(first.accepted == 2)
            #expect(first.duplicates == 0)
            let second = try await deliver([Self.person], to: store)
            #expect(second.accepted == 0)
            #expect(second.duplicates == 2)
            #expect(second.addsUp)
            #expect(try await count(store, "source_records") == 2)
            #expect(try await count(store, "persons") == 1)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aChangedRecordWithTheSameIDIsACorrectionKeptAsHistory(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await deliver([Self.person], to: store)
            let corrected = PersonBuilder(insz: Self.person.insz)
                .enrolled(from: "2025-09-01", to: "2026-03-31", exit: .pupilOrParents, id: "E1")
            let counts = try await deliver([corrected], to: store)
            #expect(counts.accepted == 1)
            #expect(counts.corrections == 1)
            #expect(try await count(store, "source_records") == 3, "both versions are kept")
            try await pipeline(store, on: "2026-11-29").run()
            let reasons = try await store.sql.raw("SELECT left_on FROM decisions").first()?.decode(column: "left_on", as: String.self)
            #expect(reasons == "2026-03-31", "the decision uses the corrected version")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func rejectedRecordsAreKeptInQuarantineWithReasonFieldAndOriginal(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let rejection = Rejection(.invalidINSZ, field: "insz", message: "insz: check digits do not match (mod 97)",
                                      location: "line 7", kind: .enrolment, source: .agodi, recordID: "E9",
                                      original: Array("E9,85073003329,agodi".utf8))
            let counts = try await deliver([.rejected(rejection), .record(Self.person.facts[0].record, location: "line 8")], to: store)
            #expect(counts.quarantined == 1)
            #expect(counts.quarantinedByReason == ["invalid_insz": 1])
            #expect(counts.addsUp)
            let entries = try await store.quarantine()
            #expect(entries.count == 1)
            #expect(entries[0].reason == "invalid_insz")
            #expect(entries[0].field == "insz")
            #expect(entries[0].location == "line 7")
            #expect(entries[0].recordID == "E9")
            let sealed = try await store.sql.raw("SELECT original_sealed FROM quarantine").first()!.decode(column: "original_sealed", as: Data.self)
            #expect(sealed.range(of: Data("85073003329".utf8)) == nil)
            #expect(try store.keyring.openText(sealed, context: "quarantine.original") == "E9,85073003329,agodi")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func noINSZOrNameIsStoredInTheClear(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await deliver([Self.person], to: store)
            try await pipeline(store, on: "2026-11-29").run()
            let digits = Self.person.insz.digits
            for table in ["persons", "source_records", "decisions", "cases", "case_events", "deliveries", "schedule"] {
                for row in try await store.sql.raw("SELECT * FROM \(unsafeRaw: table)").all() {
                    for column in row.allColumns {
                        let text = (try? row.decode(column: column, as: String.self))
                            ?? (try? row.decode(column: column, as: Data.self)).map { String(decoding: $0, as: UTF8.self) }
                        guard let text else { continue }
                        #expect(!text.contains(digits), "\(table).\(column) holds the INSZ")
                        #expect(!text.contains("Persoon"), "\(table).\(column) holds a name")
                        #expect(!text.contains("Teststraat"), "\(table).\(column) holds an address")
                    }
                }
            }
        }
    }

    /// A delivery whose process is gone is interrupted, not running forever; a re-run of the same file supersedes it.
    @Test(arguments: StoreKind.allCases)
    func aDeliveryWhoseProcessIsGoneIsInterruptedAndARerunSupersedesIt(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.sql.raw("""
                INSERT INTO deliveries (channel, name, format, started_at, status, owner)
                VALUES ('file', 'agodi.csv', 'csv', '2026-11-29', 'running', \(bind: ProcessInfo.processInfo.hostName + ":2147483000"))
                """).run()
            try await store.sql.raw("""
                INSERT INTO deliveries (channel, name, format, started_at, status, owner)
                VALUES ('file', 'other.csv', 'csv', '2026-11-29', 'running', 'another-host:1')
                """).run()
            #expect(try await store.markInterruptedDeliveries() == 1, "the other host's is left alone")
            let statuses = { try await store.sql.raw("SELECT name, status FROM deliveries ORDER BY id").all()
                .map { "\(try $0.decode(column: "name", as: String.self)):\(try $0.decode(column: "status", as: String.self))" } }
            #expect(try await statuses() == ["agodi.csv:interrupted", "other.csv:running"])
            let items = PersonBuilder(born: "2006-03-14", serial: 101).enrolled(from: "2025-09-01", to: "2026-06-30", id: "E1")
                .facts.map { IngestItem.record($0.record, location: "line 2") }
            _ = try await deliver(items, to: store, name: "agodi.csv")
            #expect(try await statuses().prefix(2) == ["agodi.csv:superseded", "other.csv:running"])
            #expect(try await store.markInterruptedDeliveries() == 0, "a running delivery of this process is not gone")
        }
    }

    /// Re-running the same file does not double the quarantine: a rejection seen before is a duplicate.
    @Test(arguments: StoreKind.allCases)
    func aRejectedRecordDeliveredAgainIsADuplicateNotASecondQuarantineEntry(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            func bad(_ id: String, line: Int) -> IngestItem {
                .rejected(Rejection(.invalidDate, field: "start_date", message: "start_date: not a date", location: "line \(line)",
                                    kind: .enrolment, source: .agodi, recordID: id, original: Array("\(id),2026-02-30".utf8)))
            }
            let good = PersonBuilder(born: "2006-03-14", serial: 101).enrolled(from: "2025-09-01", to: "2026-06-30", id: "E1").facts
                .map { IngestItem.record($0.record, location: "line 2") }
            let first = try await deliver(good + [bad("E2", line: 3), bad("E3", line: 4)], to: store, name: "agodi.csv")
            #expect(first.quarantined == 2 && first.addsUp)
            let again = try await deliver(good + [bad("E2", line: 3), bad("E3", line: 4)], to: store, name: "agodi.csv")
            #expect(again.quarantined == 0 && again.duplicates == 3 && again.addsUp, "\(again)")
            #expect(try await store.quarantine().count == 2)
            // The same bad bytes at another place in another file are a record of their own.
            let other = try await deliver([bad("E2", line: 9)], to: store, name: "agodi-2.csv")
            #expect(other.quarantined == 1)
            #expect(try await store.quarantine().count == 3)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func migrationsRevertAndApplyAgain(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            #expect(try await store.pendingMigrations().isEmpty)
            try await store.revertAllMigrations()
            #expect(try await store.pendingMigrations().count == 25)
            await #expect(throws: StoreError.self) { try await store.requireMigrated() }
            try await store.migrate()
            #expect(try await store.pendingMigrations().isEmpty)
        }
    }
}

func count(_ store: Store, _ table: String) async throws -> Int {
    try await store.sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()!.decode(column: "n", as: Int.self)
}

/// Daily jobs run once a day across every server and worker.
@Suite struct DailyJobTests {
    @Test(arguments: StoreKind.allCases)
    func oneProcessClaimsTheDaysRun(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let claim1 = try await store.claimDailyJob("letters", on: date("2026-12-01"))
            #expect(claim1 == .claimed)
            let claim2 = try await store.claimDailyJob("letters", on: date("2026-12-01"))
            #expect(claim2 == .elsewhere, "the day is taken")
            let claim3 = try await store.claimDailyJob("retention", on: date("2026-12-01"))
            #expect(claim3 == .claimed, "another job")
            let claim4 = try await store.claimDailyJob("letters", on: date("2026-12-02"))
            #expect(claim4 == .claimed, "the next day")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aRunWhoseProcessWasKilledIsTakenOverAfterItsLeaseAndADoneRunNever(kind: StoreKind) async throws {
        let time = ManualClock(date("2026-12-01").noonInBelgium)
        try await withStore(kind, clock: time.clock) { store in
            let day = date("2026-12-01")
            let claim11 = try await store.claimDailyJob("letters", on: day)
            #expect(claim11 == .claimed)
            time.advance(by: Store.dailyJobLease - 60)
            let claim12 = try await store.claimDailyJob("letters", on: day)
            #expect(claim12 == .elsewhere, "still running, as far as anyone knows")
            time.advance(by: 120)
            let claim13 = try await store.claimDailyJob("letters", on: day)
            #expect(claim13 == .claimed, "its lease ran out: another takes it over")
            try await store.completeDailyJob("letters", on: day)
            time.advance(by: 2 * Store.dailyJobLease)
            let claim14 = try await store.claimDailyJob("letters", on: day)
            #expect(claim14 == .done, "done: never again that day")

            // A claimer of this host that is gone (a process id that does not run) is taken over at once.
            let other = date("2026-12-02")
            let claim15 = try await store.claimDailyJob("letters", on: other)
            #expect(claim15 == .claimed)
            try await store.sql.raw("UPDATE daily_jobs SET owner = \(bind: ProcessInfo.processInfo.hostName + ":999999999") WHERE day = '2026-12-02'").run()
            let claim16 = try await store.claimDailyJob("letters", on: other)
            #expect(claim16 == .claimed, "its process is gone: taken over without waiting")
        }
    }
}

/// A pilot on SQLite grows into PostgreSQL: `Store.copyEverything`.
@Suite struct StoreCopyTests {
    @Test func everythingIsCopiedToPostgreSQLWithTheAuditChainWholeAndTheSequencesMoved() async throws {
        let keys = Keyring.generateFile()
        try await withStore(.sqlite, keys: keys) { source in
            try await deliver([PipelineStoreTests.leaver(serial: 101), PipelineStoreTests.leaver(serial: 103, postcode: "3500")], to: source)
            try await pipeline(source, on: "2026-11-29").run()
            try await source.audit(AuditEntry(testActor, .caseRead(1)))
            let funnel = try await source.funnel()
            try await withStore(.postgres, keys: keys) { target in
                let counts = try await source.copyEverything(to: target)
                #expect(counts["cases"] == 2 && (counts["source_records"] ?? 0) >= 4)
                #expect(try await target.funnel() == funnel)
                #expect(try await target.verifyAudit().intact)
                // New rows continue after the copied ids: record sequences and case numbers are never reused.
                try await deliver([PipelineStoreTests.leaver(serial: 105, postcode: "9000")], to: target)
                try await pipeline(target, on: "2026-11-29").run()
                let ids = try await target.openCases(scope: .all, limit: 10).map(\.id).sorted()
                #expect(ids == [1, 2, 3])
                // A second copy into a database with data is refused, and changes nothing.
                await #expect(throws: Store.CopyProblem.self) { _ = try await source.copyEverything(to: target) }
                #expect(try await target.openCases(scope: .all, limit: 10).count == 3)
            }
        }
    }
}
