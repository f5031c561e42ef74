import Domain
import Foundation
import Ingest
import PropertyBased
import SQLKit
import Storage
import TestSupport
import Testing

/// From stored records to decisions and cases, on both stores.
@Suite struct PipelineStoreTests {
    /// An unqualified leaver in Antwerp, eligible from 1 October 2026.
    static func leaver(serial: Int = 101, postcode: String = "2000") -> PersonBuilder {
        PersonBuilder(born: "2006-03-14", serial: serial)
            .enrolled(from: "2025-09-01", to: "2026-06-30", exit: .endOfSchoolYear, id: "E\(serial)")
            .lives(postcode: postcode, id: "P\(serial)")
    }

    @Test(arguments: StoreKind.allCases)
    func anEligibleLeaverGetsOneCaseAssignedInTheirProvinceAndReRunsChangeNothing(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await deliver([Self.leaver()], to: store)
            let report = try await pipeline(store, on: "2026-11-29").run()
            #expect(report.decided == 1)
            #expect(report.casesOpened == 1)
            let cases = try await store.openCases(scope: .all, limit: 10)
            #expect(cases.count == 1)
            #expect(cases[0].province == .antwerpen)
            #expect(cases[0].consultant == "consultant-antwerpen")
            #expect(cases[0].status == .new)
            #expect(cases[0].action == .invite)
            #expect(cases[0].dueOn == date("2026-12-04"), "first contact within 5 working days")

            // Nobody is due any more; delivering the same records again changes nothing either.
            #expect(try await pipeline(store, on: "2026-11-29").run().decided == 0)
            try await deliver([Self.leaver()], to: store)
            let again = try await pipeline(store, on: "2026-11-30").run()
            #expect(again.casesOpened == 0)
            #expect(try await store.openCases(scope: .all, limit: 10).count == 1)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aPendingDecisionIsATimerThatDecidesAgainOnItsDate(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await deliver([Self.leaver()], to: store)
            let summer = try await pipeline(store, on: "2026-08-15").run()
            #expect(summer.casesOpened == 0)
            let pending = try await store.sql.raw("SELECT outcome, pending_until FROM decisions").first()!
            #expect(try pending.decode(column: "outcome", as: String.self) == "pending")
            #expect(try pending.decode(column: "pending_until", as: String.self) == "2026-10-01")
            #expect(try await pipeline(store, on: "2026-09-30").run().decided == 0, "not due before its date")
            let october = try await pipeline(store, on: "2026-10-01").run()
            #expect(october.decided == 1)
            #expect(october.casesOpened == 1)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func newFactsOnACaseSomeoneActedOnAreAttachedAndSuggestClosingButNeverCloseIt(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await deliver([Self.leaver()], to: store)
            try await pipeline(store, on: "2026-11-02").run()
            let caseID = try #require(try await store.openCases(scope: .all, limit: 1).first?.id)
            _ = try await store.work(on: "2026-11-03").logContact(caseID, channel: .phone, outcome: .noAnswer, note: nil, by: testActor)
            let job = PersonBuilder(insz: Self.leaver().insz).employed(from: "2026-11-10", id: "D1")
            try await deliver([job], to: store)
            let report = try await pipeline(store, on: "2026-11-12").run()
            #expect(report.factsAttached == 1)
            #expect(report.suggestions == 1)
            #expect(report.casesWithdrawn == 0)
            let open = try await store.openCases(scope: .all, limit: 10)
            #expect(open.count == 1, "the pipeline never closes a case someone acted on")
            #expect(open[0].suggestion == .startedWork)
            let events = try await store.caseEvents(open[0].id)
            #expect(events.map(\.kind) == ["opened", "assigned", "contact", "suggestion", "fact"])
            #expect(events.last?.data["source"] == "dimona")
            #expect(events.last?.data["record_id"] == "D1")
        }
    }

    /// A case nobody acted on yet — no contact, no status set by a user, no letter handed over —
    /// whose young person is no longer to be reached is withdrawn, with the reason; a letter made
    /// for it and not yet handed over is taken out of its batch.
    @Test(arguments: StoreKind.allCases)
    func aCaseNobodyActedOnIsWithdrawnWhenTheYoungPersonIsNoLongerToBeReached(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await deliver([Self.leaver()], to: store)
            try await pipeline(store, on: "2026-11-02").run()
            let caseID = try #require(try await store.openCases(scope: .all, limit: 1).first?.id)
            try await store.sql.raw("""
                INSERT INTO letters (case_id, batch_id, kind, template, language, reference, made_on, first_page, pages, status, content_sealed)
                VALUES (\(bind: caseID), 0, 'invitation', 'invitation.nl.1', 'nl', 'VN-1-1', '2026-11-03', 1, 1, 'in_batch', \(bind: Data()))
                """).run()
            try await deliver([PersonBuilder(insz: Self.leaver().insz).employed(from: "2026-11-10", id: "D1")], to: store)
            let report = try await pipeline(store, on: "2026-11-12").run()
            #expect(report.casesWithdrawn == 1)
            #expect(report.suggestions == 0)
            #expect(try await store.openCases(scope: .all, limit: 10).isEmpty)
            let stored = try #require(try await store.caseSummary(caseID, scope: .all))
            #expect(stored.status == .withdrawn)
            #expect(stored.closedOn == date("2026-11-12"))
            #expect(stored.suggestion == nil)
            let events = try await store.caseEvents(caseID)
            #expect(events.map(\.kind) == ["opened", "assigned", "withdrawn"])
            #expect(events.last?.data["reason"] == "started_work")
            let letter = try await store.sql.raw("SELECT status FROM letters WHERE case_id = \(bind: caseID)").first()
            #expect(try letter?.decode(column: "status", as: String.self) == "withdrawn")
            // A user cannot choose the status; a relapse reopens the case as any closed one.
            #expect(!CaseStatus.new.successors.contains(.withdrawn))
            try await deliver([PersonBuilder(insz: Self.leaver().insz).employed(from: "2026-11-10", to: "2026-11-20", id: "D1",
                                                                                recordedAt: "2026-11-21")], to: store)
            try await pipeline(store, on: "2026-11-23").run()
            #expect(try await store.openCases(scope: .all, limit: 10).map(\.id) == [caseID])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aRelapseReopensAClosedCase(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let insz = Self.leaver().insz
            try await deliver([Self.leaver()], to: store)
            try await pipeline(store, on: "2026-10-05").run()
            let caseID = try #require(try await store.openCases(scope: .all, limit: 1).first?.id)
            _ = try await store.work(on: "2026-10-06").logContact(caseID, channel: .phone, outcome: .reached, note: nil, by: testActor)
            try await deliver([PersonBuilder(insz: insz).employed(from: "2026-10-20", id: "D1", recordedAt: "2026-10-20")], to: store)
            try await pipeline(store, on: "2026-10-21").run()
            try await store.work(on: "2026-10-22").changeStatus(caseID, to: .inWork, note: "Werkt als magazijnier", by: testActor)
            #expect(try await store.openCases(scope: .all, limit: 1).isEmpty)
            // The job ends: the young person is eligible again and the case reopens.
            try await deliver([PersonBuilder(insz: insz).employed(from: "2026-10-20", to: "2026-11-15", id: "D1",
                                                                 recordedAt: "2026-11-16")], to: store)
            try await pipeline(store, on: "2026-11-17").run()
            let reopened = try await store.openCases(scope: .all, limit: 5)
            #expect(reopened.map(\.id) == [caseID])
            #expect(reopened.first?.status == .reopened)
            let events = try await store.caseEvents(caseID)
            #expect(events.contains { $0.kind == "reopened" && $0.data["from"] == "in_work" })
            #expect(events.contains { $0.kind == "status" && $0.note == "Werkt als magazijnier" })
        }
    }

    @Test(arguments: StoreKind.allCases)
    func newCasesGoToTheLeastLoadedConsultantAndStayWithThem(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let regions = Regions(brusselsProvince: .vlaamsBrabant, consultants: [
                Consultant(username: "ann", displayName: "Ann", provinces: [.antwerpen]),
                Consultant(username: "bert", displayName: "Bert", provinces: [.antwerpen]),
            ])
            try await deliver((1...6).map { Self.leaver(serial: 100 + $0 * 2 + 1) }, to: store)
            try await pipeline(store, on: "2026-11-29", regions: regions).run()
            let cases = try await store.openCases(scope: .all, limit: 10)
            #expect(Dictionary(grouping: cases, by: { $0.consultant ?? "-" }).mapValues(\.count) == ["ann": 3, "bert": 3])
            let before = cases.map { "\($0.id)-\($0.consultant ?? "")" }.sorted()
            try await Schedule_markAllDue(store)
            try await pipeline(store, on: "2026-11-30", regions: regions).run()
            #expect(try await store.openCases(scope: .all, limit: 10).map { "\($0.id)-\($0.consultant ?? "")" }.sorted() == before)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aCorrectionThatMovesARecordToAnotherPersonMovesTheFact(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let wrong = PersonBuilder(born: "2006-03-14", serial: 101)
                .enrolled(from: "2025-09-01", to: "2026-06-30", id: "E1", recordedAt: "2026-07-01").lives(id: "PA")
            let right = PersonBuilder(born: "2006-05-20", serial: 301).lives(id: "PB")
            try await deliver([wrong, right], to: store)
            try await pipeline(store, on: "2026-11-29").run()
            #expect(try await store.openCases(scope: .all, limit: 5).count == 1)
            // The school corrects the INSZ of enrolment E1: it belonged to the other person.
            let moved = PersonBuilder(insz: right.insz)
                .enrolled(from: "2025-09-01", to: "2026-06-30", id: "E1", recordedAt: "2026-09-01")
            let counts = try await deliver([moved], to: store)
            #expect(counts.corrections == 1)
            let report = try await pipeline(store, on: "2026-11-29").run()
            #expect(report.decided == 2, "both persons are decided again")
            #expect(try await outcome(of: wrong.insz, in: store) == "not_a_leaver")
            #expect(try await outcome(of: right.insz, in: store) == "eligible")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func theFunnelAddsUp(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let graduate = PersonBuilder(born: "2006-01-10", serial: 501)
                .enrolled(from: "2025-09-01", to: "2026-06-30").qualified(on: "2026-06-30").lives(postcode: "9000")
            let known = PersonBuilder(born: "2006-01-11", serial: 503)
                .enrolled(from: "2025-09-01", to: "2026-06-30").lives(postcode: "8000").registeredAtVDAB(on: "2026-07-10")
            let pupil = PersonBuilder(born: "2009-01-12", serial: 505).enrolled(from: "2026-09-01").lives(postcode: "3500")
            try await deliver([Self.leaver(), graduate, known, pupil], to: store)
            try await pipeline(store, on: "2026-11-29").run()
            let funnel = try await store.funnel()
            #expect(funnel.asOf == date("2026-11-29"))
            #expect(funnel.total.leavers == 3)
            #expect(funnel.total.unqualified == 2)
            #expect(funnel.total.notInTargetGroup == ["known_to_vdab": 1])
            #expect(funnel.total.eligible == 1)
            #expect(funnel.total.openCases == 1)
            #expect(funnel.provinces["antwerpen"]?.eligible == 1)
            #expect(funnel.provinces["oost-vlaanderen"]?.leavers == 1)

            // The leaver registers at VDAB after the consultant called: the case stays open (a
            // consultant closes it), and the figures say so instead of comparing it with today's decisions.
            let caseID = try #require(try await store.openCases(scope: .all, limit: 1).first?.id)
            _ = try await store.work(on: "2026-11-30").logContact(caseID, channel: .phone, outcome: .noAnswer, note: nil, by: testActor)
            try await deliver([PersonBuilder(insz: Self.leaver().insz).registeredAtVDAB(on: "2026-12-01")], to: store)
            try await pipeline(store, on: "2026-12-02").run()
            let later = try await store.funnel().total
            #expect(later.eligible == 0 && later.openCases == 1)
            #expect(later.openCasesEligible == 0 && later.openCasesNoLongerEligible == 1)
            #expect(later.eligible == later.openCasesEligible + later.eligibleWithoutOpenCase)
            #expect(later.unqualified == later.pending + later.notInTargetGroupTotal + later.eligible)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func readingACaseIsAuditedFirstAndOutOfScopeIsNotFound(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await deliver([Self.leaver()], to: store)
            try await pipeline(store, on: "2026-11-29").run()
            let id = try #require(try await store.openCases(scope: .all, limit: 1).first?.id)
            let details = try #require(try await store.caseDetails(id, scope: .provinces([.antwerpen]), actor: testActor))
            #expect(details.insz == Self.leaver().insz)
            #expect(details.register?.postcode == "2000")
            #expect(details.decision?.outcome == .eligible)
            #expect(details.decision?.reasons.first?.facts.first?.recordID == "E101")
            #expect(try await store.caseDetails(id, scope: .provinces([.limburg]), actor: testActor) == nil)
            let audit = try await store.sql.raw("SELECT action, outcome, subject, actor FROM audit_log ORDER BY seq").all()
            #expect(try audit.map { try $0.decode(column: "outcome", as: String.self) } == ["allowed", "denied"])
            let subject = try audit[0].decode(column: "subject", as: String.self)
            #expect(subject == store.keyring.auditSubject(Self.leaver().insz))
            #expect(!subject.contains(Self.leaver().insz.digits))
            #expect(try await store.verifyAudit().intact)
        }
    }

    /// The same records in any order, split in any batches, delivered any number of times, give the
    /// same decisions and the same open cases (a case opened on an early delivery and contradicted
    /// by a later one is withdrawn).
    @Test(arguments: StoreKind.allCases)
    func decisionsDoNotDependOnTheOrderOrRepetitionOfDeliveries(kind: StoreKind) async throws {
        let people = [
            Self.leaver(serial: 101),
            PersonBuilder(born: "2006-02-01", serial: 201)
                .enrolled(from: "2025-09-01", to: "2026-02-10", exit: .pupilOrParents, id: "E201")
                .enrolled(from: "2026-02-20", programme: .dbso, id: "E202").lives(postcode: "9000", id: "P201"),
            PersonBuilder(born: "2006-03-01", serial: 301)
                .enrolled(from: "2025-09-01", to: "2026-06-30", id: "E301").lives(postcode: "8000", id: "P301")
                .employed(from: "2026-07-01", to: "2026-12-31", id: "D301", recordedAt: "2026-07-01")
                .employed(from: "2026-07-01", to: "2026-08-31", id: "D301", recordedAt: "2026-09-01")
                .qualified(on: "2026-06-30", id: "Q301", recordedAt: "2026-07-02")
                .qualified(on: "2026-06-30", status: .cancelled, id: "Q301", recordedAt: "2026-09-15"),
        ]
        let records = people.flatMap(\.facts).map(\.record)
        let expected = try await withStore(kind) { store in
            try await deliver(records.map { IngestItem.record($0, location: "t") }, to: store)
            try await pipeline(store, on: "2026-11-29").run()
            return try await decisionSignature(store) + openCaseSignature(store)
        }
        #expect(expected.count == 3 + 2, "three decisions, two open cases")
        await propertyCheck(count: kind == .sqlite ? 6 : 3, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            var random = SplitMix(seed: UInt64(seed))
            var shuffled = records + records.shuffled(using: &random).prefix(4)
            shuffled.shuffle(using: &random)
            let cut = Int(random.next() % UInt64(shuffled.count))
            let signature = try? await withStore(kind) { store in
                try await deliver(shuffled[..<cut].map { IngestItem.record($0, location: "t") }, to: store)
                try await pipeline(store, on: "2026-11-29").run()
                try await deliver(shuffled[cut...].map { IngestItem.record($0, location: "t") }, to: store)
                try await pipeline(store, on: "2026-11-29").run()
                return try await decisionSignature(store) + openCaseSignature(store)
            }
            #expect(signature == expected)
        }
    }
}

func outcome(of insz: INSZ, in store: Store) async throws -> String? {
    try await store.sql.raw("""
        SELECT d.outcome FROM decisions d JOIN persons p ON p.id = d.person_id WHERE p.insz_index = \(bind: store.keyring.inszIndex(insz))
        """).first()?.decode(column: "outcome", as: String.self)
}

/// Outcome, reasons' rules and referenced record ids per person (by INSZ), sorted: independent of
/// arrival order, sequence numbers and keys.
func decisionSignature(_ store: Store) async throws -> [String] {
    let rows = try await store.sql.raw("""
        SELECT d.person_id, d.outcome, d.exclusion, d.pending_until, d.left_on, d.qualified, d.reasons,
               (SELECT payload_sealed FROM source_records r WHERE r.person_id = d.person_id ORDER BY seq LIMIT 1) AS payload
        FROM decisions d
        """).all()
    return try rows.map { row in
        let person = try RecordCodec.decode(store.keyring.openText(try row.decode(column: "payload", as: Data.self),
                                                                   context: "source_records.payload")).insz.digits
        let reasons = try row.decode(column: "reasons", as: String.self)
            .replacingOccurrences(of: #""sequence":\d+"#, with: "", options: .regularExpression)
        return [person, try row.decode(column: "outcome", as: String.self),
                try row.decodeNil(column: "exclusion") ? "" : try row.decode(column: "exclusion", as: String.self),
                try row.decodeNil(column: "left_on") ? "" : try row.decode(column: "left_on", as: String.self),
                String(try row.decode(column: "qualified", as: Int.self)), reasons].joined(separator: "|")
    }.sorted()
}

/// The persons (by INSZ) with an open case, sorted.
func openCaseSignature(_ store: Store) async throws -> [String] {
    try await store.sql.raw("""
        SELECT (SELECT payload_sealed FROM source_records r WHERE r.person_id = c.person_id ORDER BY seq LIMIT 1) AS payload
        FROM cases c WHERE c.closed_on IS NULL
        """).all().map { row in
        "open:" + (try RecordCodec.decode(store.keyring.openText(try row.decode(column: "payload", as: Data.self),
                                                                  context: "source_records.payload")).insz.digits)
    }.sorted()
}

/// Makes everyone due again (a re-run of the whole population).
func Schedule_markAllDue(_ store: Store) async throws {
    try await store.sql.raw("INSERT INTO schedule (person_id, due_on) SELECT id, '0001-01-01' FROM persons WHERE true ON CONFLICT (person_id) DO NOTHING").run()
}

struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
