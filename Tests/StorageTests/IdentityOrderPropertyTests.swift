import Domain
import Foundation
import Ingest
import Storage
import TestSupport
import Testing
import Workflows

/// The pipeline's order-independence with linkage and merges in it: the same records, delivered in
/// any order and in any grouping (each delivery followed by the resolution and the pipeline, as an
/// import does), give the same persons, links, merges, decisions and cases.
@Suite struct IdentityOrderPropertyTests {
    static let names = [("Amira", "El Amrani"), ("Tom", "Janssens"), ("Lotte", "Peeters"), ("Yusuf", "Demir"), ("Noor", "Claes"),
                        ("Milan", "Maes"), ("Elise", "Jacobs"), ("Rayan", "Mertens"), ("Fien", "Willems"), ("Jonas", "Goossens"),
                        ("Sara", "Wouters"), ("Kobe", "Dubois")]
    static let personHeader = "record_id,insz,first_name,last_name,birth_date,sex,street,house_number,postcode,municipality,previous_insz"
    static let enrolmentHeader = "record_id,insz,source,school_number,school_name,school_postcode,programme,start_date,end_date,exit_reason,track,"
        + "first_name,last_name,birth_date,sex,postcode"

    /// One young person: the register's line and the school's, in one of three situations.
    struct Pupil {
        var national: INSZ
        var personLine: String
        var enrolmentLine: String
    }

    /// Twelve pupils: a third with their own number at school, a third with a mistyped number (found
    /// by linkage), a third with a BIS number at school that the register replaced.
    static func pupils() -> [Pupil] {
        names.enumerated().map { index, name in
            let born = date("2007-0\(1 + index % 4)-1\(index % 10)")  // 18 by the pipeline's day
            let sex = index % 2 == 0 ? "F" : "M"
            let serial = 100 + 2 * index + (sex == "M" ? 1 : 0)
            let national = INSZ.make(birthDate: born, serial: serial)
            var schoolNumber = national.digits
            var previous = ""
            switch index % 3 {
            case 1:
                var digits = Array(national.digits)
                digits[7] = digits[7] == "9" ? "0" : Character(String(Int(String(digits[7]))! + 1))
                schoolNumber = String(digits)
            case 2:
                let bis = INSZ.make(birthDate: born, serial: serial, monthOffset: 40)
                schoolNumber = bis.digits
                previous = bis.digits
            default:
                break
            }
            let postcode = ["2000", "3000", "9000", "8000"][index % 4]
            return Pupil(
                national: national,
                personLine: "RR-\(index),\(national.digits),\(name.0),\(name.1),\(born.iso),\(sex),Kerkstraat,\(index + 1),\(postcode),Gemeente,\(previous)",
                enrolmentLine: "AG-\(index),\(schoolNumber),agodi,40618,GO! atheneum,2000,fulltime,2023-09-01,2025-03-1\(index % 10),E,bso,"
                    + "\(name.0),\(name.1),\(born.iso),\(sex),\(postcode)")
        }
    }

    /// What an order of delivery must not change, keyed by national number.
    struct Outcome: Equatable, CustomStringConvertible {
        var records: [String: [String]] = [:]
        var decisions: [String: String] = [:]
        var openCases: [String: Int] = [:]
        var linked: [String] = []
        var openQuarantine: [String] = []
        var activeMerges = 0

        var description: String { "records \(records.values.map(\.count).sorted()), decisions \(decisions.values.sorted()), open cases \(openCases.values.sorted()), linked \(linked), open quarantine \(openQuarantine), merges \(activeMerges)" }
    }

    func items(_ text: String, _ name: String) throws -> [IngestItem] {
        let reader = SourceFileReader(bytes: Array(text.utf8), name: name, options: testIngestOptions)
        var items: [IngestItem] = []
        while case let batch = try reader.next(maximum: 100), !batch.isEmpty { items += batch }
        return items
    }

    func run(_ kind: StoreKind, seed: UInt64) async throws -> Outcome {
        var random = SeededRandom(seed: seed)
        func shuffled<T>(_ values: [T]) -> [T] {
            var values = values
            for i in stride(from: values.count - 1, to: 0, by: -1) { values.swapAt(i, random.below(i + 1)) }
            return values
        }
        let pupils = Self.pupils()
        // Each file's lines shuffled, cut at a random place; the four files in a random order.
        var files: [(String, String)] = []
        for (header, lines, name) in [(Self.personHeader, pupils.map(\.personLine), "persons"), (Self.enrolmentHeader, pupils.map(\.enrolmentLine), "enrolments")] {
            let mixed = shuffled(lines)
            let cut = random.between(1, mixed.count - 1)
            files.append(("\(name)-1.csv", ([header] + mixed[..<cut]).joined(separator: "\n")))
            files.append(("\(name)-2.csv", ([header] + mixed[cut...]).joined(separator: "\n")))
        }
        files = shuffled(files)
        return try await withStore(kind) { store in
            let quarantine = QuarantineWork(quarantine: store, records: store, audit: store, ingest: testIngestOptions)
            let identities = IdentityWork(identities: store, merges: store, quarantine: quarantine)
            for (name, text) in files {
                try await deliver(items(text, name), to: store, name: name)
                _ = try await identities.resolve()
                _ = try await pipeline(store, on: "2025-06-02").run()
            }
            var outcome = Outcome()
            let reader = Actor(username: "test", role: .admin, purpose: .subjectAccessRequest)
            for pupil in pupils {
                let report = try #require(try await store.personReport(pupil.national, actor: reader))
                let key = pupil.national.digits
                outcome.records[key] = report.records.map(\.record.recordID).sorted()
                outcome.decisions[key] = report.decision.map { "\($0.outcome.code) \($0.reasons.map(\.rule.rawValue).sorted())" } ?? "none"
                outcome.openCases[key] = report.cases.filter { $0.summary.isOpen }.count
            }
            outcome.linked = try await store.searchQuarantine(reason: nil, source: nil, text: nil, status: "linked").compactMap(\.recordID).sorted()
            outcome.openQuarantine = try await store.searchQuarantine(reason: nil, source: nil, text: nil).compactMap(\.recordID).sorted()
            outcome.activeMerges = try await store.recentMerges(limit: 100).filter(\.merge.isActive).count
            return outcome
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anyOrderOfDeliveryGivesTheSamePersonsLinksMergesAndDecisions(_ kind: StoreKind) async throws {
        let reference = try await run(kind, seed: 1)
        // What the data say, whatever the order: every pupil one person with both records, the
        // mistyped ones linked, the BIS numbers merged, every pupil decided and with one case.
        #expect(reference.records.values.allSatisfy { $0.count == 2 }, "\(reference)")
        #expect(reference.linked == ["AG-1", "AG-10", "AG-4", "AG-7"])
        #expect(reference.openQuarantine.isEmpty)
        #expect(reference.activeMerges == 4)
        #expect(reference.openCases.values.allSatisfy { $0 == 1 }, "\(reference)")
        for seed: UInt64 in [2, 3, 4, 5] {
            let outcome = try await run(kind, seed: seed)
            #expect(outcome == reference, "order \(seed): \(outcome)")
        }
    }
}
