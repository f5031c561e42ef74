import Domain
import Foundation
import Privacy
import SQLKit
import Storage
import TestSupport
import Testing

/// Retention with a controlled clock, key rotation, and the person's own report, on both stores.
@Suite struct ProtectionStoreTests {
    static let operatorActor = Actor(username: "test:operator", role: .admin, purpose: .retention)

    func count(_ store: Store, _ query: String) async throws -> Int {
        try await store.sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: query)").first()!.decode(column: "n", as: Int.self)
    }

    func rejected(_ recordID: String) -> IngestItem {
        .rejected(Rejection(.invalidDate, field: "registration_date", message: "registration_date: not a date", location: "line 2",
                            kind: .jobseeker, source: .vdab, recordID: recordID, original: Array("\(recordID),x,2026-02-30".utf8)))
    }

    @Test(arguments: StoreKind.allCases)
    func dataPastItsPeriodIsRemovedOrAnonymisedAndNothingElse(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            // Three audit entries eleven years old (the chain hashes the time they carry).
            for month in 1...3 {
                var entry = AuditEntry(Actor(username: "old-reader-\(month)", role: .consultant, purpose: .caseWork), .caseRead(Int64(month)))
                entry.at = "2015-0\(month)-01T10:00:00.000Z"
                try await store.audit(entry)
            }
            // Person A: delivered in 2020, case closed in January 2020 with a note. Person B: recent, with an open case.
            try await deliver([PipelineStoreTests.leaver(serial: 101, postcode: "2000")], to: store)
            try await deliver([PipelineStoreTests.leaver(serial: 103, postcode: "3500")], to: store)
            try await pipeline(store, on: "2026-11-29").run()
            let cases = try await store.openCases(scope: .all, limit: 10).sorted { $0.id < $1.id }
            try #require(cases.count == 2)
            let (a, b) = (cases[0], cases[1])
            let consultant = Actor(username: "consultant-antwerpen", role: .consultant, provinces: Province.allCases, purpose: .caseWork)
            try await store.work(on: "2026-11-29").addNote(a.id, note: "Heeft werk gevonden bij de bakker", by: consultant)
            try await store.work(on: "2026-11-29").addNote(b.id, note: "Eerste gesprek gepland", by: consultant)
            let closing = try #require(CaseStatus.new.successors.first { !$0.isOpen })
            try await store.work(on: "2026-11-29").changeStatus(a.id, to: closing, note: "Niet meer nodig", by: consultant)
            try await store.sql.raw("UPDATE cases SET closed_on = '2020-01-15' WHERE id = \(bind: a.id)").run()
            try await store.sql.raw("UPDATE deliveries SET started_at = '2020-01-01T08:00:00.000Z' WHERE id = 1").run()
            // Quarantine: one entry from 2024, one from today.
            try await deliver([rejected("OLD")], to: store)
            try await store.sql.raw("UPDATE quarantine SET received_at = '2024-01-01T08:00:00.000Z' WHERE record_id = 'OLD'").run()
            try await deliver([rejected("NEW")], to: store)

            let recordsOfA = try await count(store, "source_records WHERE delivery_id = 1")
            let recordsOfB = try await count(store, "source_records WHERE delivery_id = 2")
            try #require(recordsOfA == 2 && recordsOfB == 2, "each leaver has an enrolment and a register record")
            // Login throttling: one address whose last failure is long past, one account failing now.
            try await store.recordLoginFailure("address:192.0.2.1", threshold: 20, throttle: .standard)
            try await store.sql.raw("UPDATE login_failures SET last_failure_at = '2026-10-01T08:00:00.000Z' WHERE key = 'address:192.0.2.1'").run()
            try await store.recordLoginFailure("account:someone", threshold: 5, throttle: .standard)
            let decisions = try await count(store, "decisions")
            let funnel = try await store.funnel()
            let today = date("2026-11-29")

            let dry = try await store.applyRetention(RetentionPolicy(), today: today, dryRun: true, actor: Self.operatorActor)
            #expect(dry.recordsDeleted == recordsOfA)
            #expect(dry.quarantineDeleted == 1)
            #expect(dry.casesAnonymised == 1)
            #expect(dry.notesRemoved >= 1)
            #expect(dry.auditEntriesDeleted == 3)
            #expect(dry.loginFailuresDeleted == 1)
            #expect(try await count(store, "source_records") == recordsOfA + recordsOfB, "a dry run removes nothing")
            #expect(try await count(store, "quarantine") == 2)

            var real = try await store.applyRetention(RetentionPolicy(), today: today, dryRun: false, actor: Self.operatorActor)
            real.dryRun = true
            real.asOf = dry.asOf
            #expect(real == dry, "the run does what the dry run said")
            #expect(try await count(store, "source_records WHERE delivery_id = 1") == 0, "A's records are gone")
            #expect(try await count(store, "source_records WHERE delivery_id = 2") == recordsOfB, "B's records stay")
            #expect(try await count(store, "quarantine WHERE record_id = 'OLD'") == 0)
            #expect(try await count(store, "quarantine WHERE record_id = 'NEW'") == 1)
            #expect(try await count(store, "login_failures WHERE key = 'address:192.0.2.1'") == 0, "an old throttling row is gone")
            #expect(try await count(store, "login_failures WHERE key = 'account:someone'") == 1, "a current one stays")
            // A's case stays for the statistics, without its person and notes; B's case is untouched.
            #expect(try await count(store, "cases") == 2)
            #expect(try await count(store, "cases WHERE id = \(a.id) AND person_id = 0") == 1)
            #expect(try await count(store, "case_events WHERE case_id = \(a.id) AND note_sealed IS NOT NULL") == 0)
            #expect(try await count(store, "case_events WHERE case_id = \(b.id) AND note_sealed IS NOT NULL") == 1)
            #expect(try await store.caseDetails(b.id, scope: .all, actor: consultant)?.events.contains { $0.note == "Eerste gesprek gepland" } == true)
            // Pseudonymous counts stay.
            #expect(try await count(store, "decisions") == decisions)
            let after = try await store.funnel()
            #expect(after.total.leavers == funnel.total.leavers)
            #expect(after.total.unqualified == funnel.total.unqualified)
            // The audit log lost its three old entries and still verifies from its new anchor.
            #expect(try await count(store, "audit_log WHERE actor LIKE 'old-reader-%'") == 0)
            let verification = try await store.verifyAudit()
            #expect(verification.intact, "\(verification.problem ?? "")")
            #expect(try await count(store, "audit_log WHERE action = 'retention.run'") == 1, "the run itself is logged")
            #expect(try await count(store, "retention_runs") == 2)

            let again = try await store.applyRetention(RetentionPolicy(), today: today, dryRun: false, actor: Self.operatorActor)
            #expect(again.recordsDeleted + again.quarantineDeleted + again.casesAnonymised + again.auditEntriesDeleted + again.loginFailuresDeleted == 0)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func rotatingTheDataKeyReEncryptsEverythingWhileReadsKeepWorking(kind: StoreKind) async throws {
        let file = Keyring.generateFile()
        try await withStore(kind, keys: file) { store in
            try await deliver([PipelineStoreTests.leaver()], to: store)
            try await deliver([rejected("Q1")], to: store)
            try await pipeline(store, on: "2026-11-29").run()
            let caseID = try #require(try await store.openCases(scope: .all, limit: 1).first?.id)
            let actor = Actor(username: "consultant-antwerpen", role: .consultant, provinces: Province.allCases, purpose: .caseWork)
            try await store.work(on: "2026-11-29").addNote(caseID, note: "Voor de rotatie", by: actor)
            try await store.setEventSecret("whsec_before", for: .agodi)

            // 1. The new key is known but not current; 2. it becomes current; 3. re-encryption.
            let (staged, keyID) = Keyring.addingKey(file)
            try store.replaceKeys(try Keyring(file: staged))
            let staging = try #require(try await store.caseDetails(caseID, scope: .all, actor: actor))
            #expect(staging.events.compactMap(\.note) == ["Voor de rotatie"], "the note sealed under the old key still reads")
            var current = staged
            current.current = keyID
            try store.replaceKeys(try Keyring(file: current))
            try await store.work(on: "2026-11-29").addNote(caseID, note: "Na de rotatie", by: actor)
            let report = try await store.reencryptAll(batchSize: 2)
            #expect(report.resealed["source_records.payload_sealed"] == 2)
            #expect(report.resealed["quarantine.original_sealed"] == 1)
            #expect(report.resealed["case_events.note_sealed"] == 1)
            #expect(report.alreadyCurrent["case_events.note_sealed"] == 1)

            // Every sealed value is now under the new key: the old one can go.
            for (table, column) in [("source_records", "payload_sealed"), ("quarantine", "original_sealed"), ("case_events", "note_sealed"),
                                    ("event_sources", "secret_sealed")] {
                for row in try await store.sql.raw("SELECT \(unsafeRaw: column) AS v FROM \(unsafeRaw: table) WHERE \(unsafeRaw: column) IS NOT NULL").all() {
                    #expect(Keyring.keyID(of: try row.decode(column: "v", as: Data.self)) == keyID, "\(table).\(column)")
                }
            }
            var onlyNew = current
            onlyNew.dataKeys = [keyID: current.dataKeys[keyID]!]
            try store.replaceKeys(try Keyring(file: onlyNew))
            let details = try #require(try await store.caseDetails(caseID, scope: .all, actor: actor))
            #expect(details.events.compactMap(\.note) == ["Voor de rotatie", "Na de rotatie"])
            #expect(try await store.eventSecrets()[.agodi] == "whsec_before")
            let entry = try #require(try await store.quarantine().first)
            #expect(try await store.quarantineDetail(entry.id, actor: actor)?.original.hasPrefix("Q1,") == true)

            // The index key cannot change: the blind indexes in the database depend on it.
            var otherIndex = onlyNew
            otherIndex.indexKey = Keyring.generateFile().indexKey
            #expect(throws: Keyring.Problem.self) { try store.replaceKeys(try Keyring(file: otherIndex)) }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func thePersonsReportHoldsEverythingAndIsAudited(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let person = PipelineStoreTests.leaver()
            try await deliver([person], to: store)
            try await pipeline(store, on: "2026-11-29").run()
            let caseID = try #require(try await store.openCases(scope: .all, limit: 1).first?.id)
            let consultant = Actor(username: "consultant-antwerpen", role: .consultant, provinces: Province.allCases, purpose: .caseWork)
            _ = try await store.caseDetails(caseID, scope: .all, actor: consultant)
            try await store.work(on: "2026-11-29").addNote(caseID, note: "Gebeld", by: consultant)
            let dpo = Actor(username: "auditor", role: .auditor, purpose: .subjectAccessRequest)
            let report = try #require(try await store.personReport(person.insz, actor: dpo))
            #expect(report.records.count == 2)
            #expect(Set(report.records.map(\.record.source)) == [.agodi, .populationRegister])
            #expect(report.decision?.outcome.code == "eligible")
            #expect(report.cases.count == 1)
            #expect(report.cases[0].events.contains { $0.note == "Gebeld" })
            #expect(report.consultations.contains { $0.action == "case.read" && $0.purpose == "case-work" })
            #expect(report.consultations.contains { $0.action == "person.export" }, "the export itself is a consultation")
            let stranger = PersonBuilder(born: "2005-01-01", serial: 201).insz
            #expect(try await store.personReport(stranger, actor: dpo) == nil)
            #expect(try await count(store, "audit_log WHERE action = 'person.export' AND outcome = 'not_found'") == 1)
        }
    }
}
