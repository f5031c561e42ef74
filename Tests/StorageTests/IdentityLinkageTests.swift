import Domain
import Foundation
import Ingest
import Storage
import TestSupport
import Testing
import Workflows

/// A record whose INSZ failed, found anyway: linked by name and birth date to the person Vangnet
/// knows, queued for the steward when unsure, remembered when the steward says "not the same".
@Suite struct IdentityLinkageTests {
    let header = "record_id,insz,source,school_number,school_name,school_postcode,programme,start_date,end_date,exit_reason,track,"
        + "first_name,last_name,birth_date,sex,postcode"

    func enrolment(_ id: String, insz: String, first: String, last: String, born: String, sex: String = "", postcode: String = "2180") -> String {
        "\(id),\(insz),agodi,40618,GO! atheneum Ekeren,2180,fulltime,2025-09-01,2026-02-13,E,bso,\(first),\(last),\(born),\(sex),\(postcode)"
    }

    func items(_ text: String, _ name: String) throws -> [IngestItem] {
        let reader = SourceFileReader(bytes: Array(text.utf8), name: name, options: testIngestOptions)
        var items: [IngestItem] = []
        while case let batch = try reader.next(maximum: 100), !batch.isEmpty { items += batch }
        return items
    }

    func work(_ store: Store, _ thresholds: IdentityWork.Thresholds = .init()) -> IdentityWork {
        let quarantine = QuarantineWork(quarantine: store, records: store, audit: store, ingest: testIngestOptions)
        return IdentityWork(identities: store, merges: store, quarantine: quarantine, thresholds: thresholds)
    }

    /// Two registered persons, then a school file with a typo in one number, another without a
    /// number, a stranger, and a record with nothing to link by.
    func load(_ store: Store) async throws -> (yasmine: INSZ, tom: INSZ) {
        let yasmine = INSZ.make(birthDate: date("2006-03-14"), serial: 102, monthOffset: 60)
        let tom = INSZ.make(birthDate: date("2007-11-02"), serial: 221, monthOffset: 60)
        let persons = """
            record_id,insz,first_name,last_name,birth_date,sex,street,house_number,postcode,municipality
            RR-1,\(yasmine.digits),Yasmine,Peeters,2006-03-14,F,Kerkstraat,19,2180,Antwerpen
            RR-2,\(tom.digits),Tom,Janssens,2007-11-02,M,Naamsesteenweg,355,3001,Leuven
            """
        _ = try await deliver(items(persons, "persons.csv"), to: store)
        var typo = Array(yasmine.digits)
        typo[8] = typo[8] == "9" ? "0" : Character(String(Int(String(typo[8]))! + 1))
        let school = [header,
                      enrolment("AG-1", insz: String(typo), first: "YASMINE", last: "Peeters", born: "2006-03-14", sex: "F"),
                      enrolment("AG-2", insz: "", first: "Tom", last: "Janssen", born: "2007-11-02", postcode: "3001"),
                      enrolment("AG-3", insz: "12345", first: "Nobody", last: "Unknown", born: "2001-01-01"),
                      enrolment("AG-4", insz: "123", first: "", last: "", born: "")].joined(separator: "\n")
        let counts = try await deliver(items(school, "enrolments.csv"), to: store)
        #expect(counts.quarantined == 4)
        return (yasmine, tom)
    }

    @Test(arguments: StoreKind.allCases)
    func aRecordWithATypoOrNoNumberIsLinkedToThePersonByNameAndBirthDate(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let (yasmine, tom) = try await load(store)
            let report = try await work(store).resolve()
            let counts: [Int] = [report.candidates, report.withoutIdentity, report.linked, report.queued, report.unresolved, report.stillRejected]
            #expect(counts == [4, 1, 2, 0, 1, 0])
            // The records are now the persons' own, with the right numbers.
            let operatorActor = Actor(username: "test", role: .admin, purpose: .subjectAccessRequest)
            for (insz, recordID) in [(yasmine, "AG-1"), (tom, "AG-2")] {
                let report = try #require(try await store.personReport(insz, actor: operatorActor))
                #expect(report.records.contains { $0.record.recordID == recordID }, "\(recordID)")
            }
            let open = try await store.searchQuarantine(reason: nil, source: nil, text: nil)
            #expect(open.compactMap(\.recordID).sorted() == ["AG-3", "AG-4"])
            let linked = try await store.searchQuarantine(reason: nil, source: nil, text: nil, status: "linked")
            #expect(linked.count == 2)
            // Audited, by the linkage, without a national number in the log.
            let actions = try await store.auditEntries(limit: 20).map(\.entry.action)
            #expect(actions.filter { $0 == "identity.link" }.count == 2)
            // Each linked record is a delivery of its own (what an undo removes), finished with its counts.
            let deliveries = try await store.sql.raw("""
                SELECT d.name, d.status, d.records, d.accepted, d.kind, d.source, (SELECT COUNT(*) FROM source_records r WHERE r.delivery_id = d.id) AS held
                FROM deliveries d WHERE d.name LIKE 'linkage #%' ORDER BY d.name
                """).all()
            #expect(deliveries.count == 2)
            for row in deliveries {
                #expect(try row.decode(column: "status", as: String.self) == "done")
                #expect(try row.decode(column: "records", as: Int.self) == 1 && row.decode(column: "accepted", as: Int.self) == 1)
                #expect(try row.decode(column: "held", as: Int.self) == 1)
                #expect(try row.decode(column: "kind", as: String?.self) == "enrolment" && row.decode(column: "source", as: String?.self) == "agodi")
            }
            // Running again changes nothing.
            let again = try await work(store).resolve()
            #expect(again.linked == 0 && again.candidates == 2)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func betweenTheThresholdsTheStewardDecidesAndANoIsRemembered(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await load(store)
            // Thresholds so high that nothing links by itself: both likely records wait for the steward.
            let cautious = work(store, .init(link: 1.0, review: 0.5))
            let report = try await cautious.resolve()
            #expect(report.queued == 2 && report.linked == 0)
            let reviews = try await store.openReviews(limit: 10)
            #expect(reviews.count == 2)
            let first = try #require(reviews.first)
            #expect(first.candidate?.person.lastName == "Peeters")
            #expect(first.link.explanation.contains { $0.field == "birthDate" && $0.level == "exact" })
            #expect(first.link.explanation.map { $0.line(.dutch) }.contains { $0.hasPrefix("geboortedatum: gelijk (+") })
            let steward = Actor(username: "steward", role: .steward, purpose: .dataQuality)
            #expect(try await cautious.decide(first.id, same: false, by: steward) == .rejected)
            #expect(try await cautious.decide(first.id, same: false, by: steward) == .alreadyDecided)
            let second = try #require(reviews.last)
            #expect(try await cautious.decide(second.id, same: true, by: steward) == .linked)
            // The "no" is not asked again; the linked one is gone from the queue.
            let later = try await cautious.resolve()
            #expect(later.queued == 0)
            #expect(try await store.openReviews(limit: 10).isEmpty)
            let actions = try await store.auditEntries(limit: 20).map(\.entry.action)
            #expect(actions.contains("identity.reject") && actions.contains("identity.link"))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aWrongLinkIsUndoneAndNotMadeAgain(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let (yasmine, _) = try await load(store)
            _ = try await work(store).resolve()
            let linked = try #require(try await store.searchQuarantine(reason: nil, source: nil, text: nil, status: "linked")
                .first { $0.recordID == "AG-1" })
            let steward = Actor(username: "steward", role: .steward, purpose: .dataQuality)
            #expect(try await work(store).undo(linked.id, by: steward))
            #expect(try await work(store).undo(linked.id, by: steward) == false, "nothing left to undo")
            let operatorActor = Actor(username: "test", role: .admin, purpose: .subjectAccessRequest)
            let report = try #require(try await store.personReport(yasmine, actor: operatorActor))
            #expect(!report.records.contains { $0.record.recordID == "AG-1" }, "the linked record is gone from the person")
            let open = try await store.searchQuarantine(reason: nil, source: nil, text: nil).compactMap(\.recordID)
            #expect(open.contains("AG-1"))
            // Looking again does not link it again: the steward said it is not this person.
            let again = try await work(store).resolve()
            #expect(again.linked == 0)
            #expect(try await store.searchQuarantine(reason: nil, source: nil, text: nil).compactMap(\.recordID).contains("AG-1"))
            let actions = try await store.auditEntries(limit: 30).map(\.entry.action)
            #expect(actions.contains("identity.unlink"))
        }
    }
}
