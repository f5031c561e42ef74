import Domain
import Foundation
import Letters
import SQLKit
import Storage
import TestSupport
import Testing
import Workflows

/// The daily letter batch on a real store: who gets which letter, decided again first.
@Suite struct LetterBatchTests {
    static func leaver(_ serial: Int, postcode: String) -> PersonBuilder {
        PersonBuilder(born: "2006-03-14", serial: serial)
            .enrolled(from: "2025-09-01", to: "2026-06-30", exit: .endOfSchoolYear, id: "E\(serial)")
            .lives(postcode: postcode, id: "P\(serial)")
    }

    static func work(_ store: Store, on day: String) -> LetterBatchWork {
        LetterBatchWork(letters: store, regions: .demo, settings: .init(), clock: .fixed(date(day)),
                        decideAgain: { persons in
                            try await store.markDue(persons: persons)
                            return try await pipeline(store, on: day).run().casesWithdrawn
                        },
                        sha256: { bytes in String(bytes.count) })
    }

    @Test(arguments: StoreKind.allCases)
    func everyoneIsDecidedAgainAndWhoIsStillToBeReachedGetsALetterInTheirLanguage(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await deliver([Self.leaver(101, postcode: "2000"), Self.leaver(103, postcode: "1000"), Self.leaver(105, postcode: "9000")], to: store)
            try await pipeline(store, on: "2026-11-29").run()
            #expect(try await store.openCases(scope: .all, limit: 10).count == 3)
            // One registers at VDAB before the batch; nobody has decided again yet.
            try await deliver([PersonBuilder(insz: Self.leaver(105, postcode: "9000").insz).registeredAtVDAB(on: "2026-11-30")], to: store)

            let (summary, record) = try await Self.work(store, on: "2026-12-01").make()
            #expect(summary.letters == 2)
            #expect(summary.withdrawn == 1, "decided again first: the registered one gets no letter, and nobody had acted on the case")
            #expect(summary.noLongerEligible == 0)
            #expect(summary.byKind == ["invitation": 2])
            let batch = try #require(record)
            #expect(batch.items.map(\.language).sorted { $0.rawValue < $1.rawValue } == [.fr, .nl], "Brussels in French")
            #expect(batch.manifestCSV.split(separator: "\n").count == 3)
            let statuses = try await store.openCases(scope: .all, limit: 10).map(\.status)
            #expect(statuses.filter { $0 == .invited }.count == 2)
            let events = try await store.caseEvents(batch.items[0].caseID)
            #expect(events.contains { $0.kind == "letter" && $0.data["reference"] == batch.items[0].reference })
            // The code is stored only as a keyed hash.
            let indexes = try await store.sql.raw("SELECT code_index FROM answer_codes").all().map { try $0.decode(column: "code_index", as: String.self) }
            #expect(indexes.count == 2)
            #expect(!indexes.contains(batch.items[0].code.characters))
            let files = try #require(try await store.letterBatchFiles(batch.id))
            #expect(files.pdf.count == batch.pdf.count && files.manifestJSON.contains(batch.items[0].reference))

            // The next day: nothing new to send.
            let (again, none) = try await Self.work(store, on: "2026-12-02").make()
            #expect(none == nil && again.letters == 0)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aReminderGoesAfterTwoWeeksToWhoeverWasNotReached(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await deliver([Self.leaver(101, postcode: "2000"), Self.leaver(103, postcode: "3500")], to: store)
            try await pipeline(store, on: "2026-11-29").run()
            let (first, _) = try await Self.work(store, on: "2026-11-30").make()
            #expect(first.letters == 2)
            let reached = try #require(try await store.openCases(scope: .all, limit: 10).first)
            let consultant = Actor(username: "consultant", role: .teamlead, provinces: Province.allCases, purpose: .caseWork)
            try await store.work(on: "2026-12-03").logContact(reached.id, channel: .phone, outcome: .reached, note: nil, by: consultant)
            #expect(try await Self.work(store, on: "2026-12-10").make().0.letters == 0, "not yet two weeks")
            let (later, record) = try await Self.work(store, on: "2026-12-14").make()
            #expect(later.byKind == ["reminder": 1], "only the one nobody reached")
            #expect(record?.items.first?.caseID != reached.id)
            #expect(record?.items.first?.reference.hasSuffix("-2") == true, "the case's second letter")
        }
    }

    static func mailHouse(_ store: Store, on day: String) -> MailHouseWork { MailHouseWork(letters: store, clock: .fixed(date(day))) }
    static let steward = Actor(username: "steward", role: .steward, purpose: .dataQuality)

    /// The acknowledgement hands the batch over; every line is accepted or rejected with a reason.
    @Test(arguments: StoreKind.allCases)
    func theMailHousesAcknowledgementHandsTheBatchOverLineByLine(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await deliver([Self.leaver(101, postcode: "2000"), Self.leaver(103, postcode: "3500"), Self.leaver(105, postcode: "9000")], to: store)
            try await pipeline(store, on: "2026-11-29").run()
            let batch = try #require(try await Self.work(store, on: "2026-11-30").make().1)
            let refs = batch.items.map(\.reference)
            let file = """
                batch_id,reference
                \(batch.id),\(refs[0])
                \(batch.id),\(refs[1])
                \(batch.id + 7),\(refs[2])
                \(batch.id),VN-999999-1
                \(batch.id),\(refs[0])
                "broken,line
                \(batch.id)

                """
            let result = try await Self.mailHouse(store, on: "2026-12-01").importFile(Array(file.utf8), as: .acknowledgement,
                                                                                      name: "/tmp/ack.csv", by: Self.steward)
            #expect(result.name == "ack.csv", "no folder names kept")
            #expect(result.lines.map(\.result) == [.accepted, .accepted, .rejected, .rejected, .rejected, .rejected, .rejected])
            #expect(result.lines.compactMap(\.code) == ["wrong_batch", "unknown_reference", "duplicate_line", "broken_line", "broken_line"])
            #expect(result.lines.map(\.line) == [2, 3, 4, 5, 6, 7, 8])
            #expect(result.batchesHandedOver == [batch.id])
            #expect(result.notListed == [refs[2]], "the letter the mail house did not list")
            #expect(try await store.letterBatches().first?.status == "handed_over")
            #expect(try await store.letterBatchFiles(batch.id) == nil, "the PDF with the codes is gone")
            #expect(try await store.sql.raw("SELECT COUNT(*) AS n FROM letters WHERE status = 'handed_over'").first()!.decode(column: "n", as: Int.self) == 3)
            // The same file again changes nothing.
            let again = try await Self.mailHouse(store, on: "2026-12-01").importFile(Array(file.utf8), as: .acknowledgement, name: "ack.csv", by: Self.steward)
            #expect(again.accepted == 0 && again.unchanged == 2 && again.batchesHandedOver.isEmpty)
            #expect(try await store.mailHouseFiles(limit: 5).count == 2)
            let audited = try await store.sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'letters.mail-house-file'").first()!
            #expect(try audited.decode(column: "n", as: Int.self) == 2)
            // Not such a file at all: refused whole, nothing stored.
            await #expect(throws: MailHouseFile.Problem.self) {
                _ = try await Self.mailHouse(store, on: "2026-12-01").importFile(Array("reference,returned_on,reason\n".utf8), as: .acknowledgement,
                                                                                 name: "x.csv", by: Self.steward)
            }
            await #expect(throws: MailHouseFile.Problem.self) {
                _ = try await Self.mailHouse(store, on: "2026-12-01").importFile([0xFF, 0xFE, 0x00], as: .returns, name: "x.csv", by: Self.steward)
            }
            #expect(try await store.mailHouseFiles(limit: 5).count == 2)
        }
    }

    /// A returned letter: the case gets "address unknown" as its next action, no reminder goes to
    /// that address, and a return for a letter never handed over is rejected.
    @Test(arguments: StoreKind.allCases)
    func aReturnedLetterGivesTheConsultantATaskAndNoMoreLettersGoToThatAddress(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await deliver([Self.leaver(101, postcode: "2000"), Self.leaver(103, postcode: "3500")], to: store)
            try await pipeline(store, on: "2026-11-29").run()
            let batch = try #require(try await Self.work(store, on: "2026-11-30").make().1)
            let (returned, kept) = (batch.items[0], batch.items[1])
            let early = "reference,returned_on,reason\n\(returned.reference),2026-12-04,address_unknown\n"
            let refused = try await Self.mailHouse(store, on: "2026-12-01").importFile(Array(early.utf8), as: .returns, name: "r.csv", by: Self.steward)
            #expect(refused.lines.map(\.code) == ["not_handed_over"])
            #expect(try await store.markLetterBatchHandedOver(batch.id, by: Self.steward))
            let file = """
                reference,returned_on,reason
                \(returned.reference),2026-12-04,Address_Unknown
                \(kept.reference),2026-12-04,lost_in_space
                \(kept.reference),04/12/2026,moved
                """
            let result = try await Self.mailHouse(store, on: "2026-12-07").importFile(Array(file.utf8), as: .returns, name: "r.csv", by: Self.steward)
            #expect(result.lines.map(\.result) == [.accepted, .rejected, .rejected])
            #expect(result.lines.compactMap(\.code) == ["unknown_reason", "invalid_date"])
            let c = try #require(try await store.caseSummary(returned.caseID, scope: .all))
            #expect(c.nextAction == NextAction.addressUnknown)
            #expect(c.dueOn == date("2026-12-08"), "the next working day")
            #expect(c.status == .invited, "the status stays: the consultant decides")
            let events = try await store.caseEvents(returned.caseID)
            #expect(events.last?.kind == "letter_returned" && events.last?.data["reason"] == "address_unknown")
            let letter = try await store.sql.raw("SELECT status, returned_on FROM letters WHERE reference = \(bind: returned.reference)").first()!
            #expect(try letter.decode(column: "status", as: String.self) == "returned")
            // Two weeks later: the reminder goes only to the address that worked.
            let (later, record) = try await Self.work(store, on: "2026-12-15").make()
            #expect(later.addressReturned == 1)
            #expect(record?.items.map(\.caseID) == [kept.caseID])
            // The same return again: already applied.
            let again = try await Self.mailHouse(store, on: "2026-12-15").importFile(Array(file.utf8), as: .returns, name: "r.csv", by: Self.steward)
            #expect(again.lines.first?.result == .unchanged)
        }
    }
}
