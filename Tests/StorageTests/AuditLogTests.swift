import Domain
import Foundation
import SQLKit
@testable import Storage
import TestSupport
import Testing

/// The audit log is a keyed hash chain: any change, deletion or reordering of an entry is found.
@Suite struct AuditLogTests {
    func filled(_ store: Store) async throws {
        for number in 1...5 {
            try await store.audit(AuditEntry(Actor(username: "user\(number)", role: .consultant, purpose: .caseWork), .caseRead(Int64(number)),
                                             subject: "s\(number)"))
        }
    }

    /// Pages that read at the same moment: their entries are group-committed, and the chain is as if
    /// each page had written alone — every entry there once, each page's entries next to each other.
    @Test(arguments: StoreKind.allCases)
    func concurrentPagesAuditEveryEntryOnceEachPagesEntriesTogether(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let pages = 120
            try await withThrowingTaskGroup(of: Void.self) { group in
                for page in 0..<pages {
                    group.addTask {
                        let actor = Actor(username: "consultant-\(page % 7)", role: .consultant, purpose: .caseWork, requestID: "page-\(page)")
                        try await store.append((0..<(1 + page % 4)).map { AuditEntry(actor, .caseListed(Int64(page * 10 + $0)), subject: "s\($0)") })
                    }
                }
                try await group.waitForAll()
            }
            let result = try await store.verifyAudit()
            #expect(result.intact)
            #expect(result.entries == (0..<pages).reduce(0) { $0 + 1 + $1 % 4 })
            let rows = try await store.sql.raw("SELECT seq, request_id FROM audit_log ORDER BY seq").all()
            var seqs: [String: [Int64]] = [:]
            for row in rows { seqs[try row.decode(column: "request_id", as: String.self), default: []].append(try row.decode(column: "seq", as: Int64.self)) }
            #expect(seqs.count == pages)
            for (page, numbers) in seqs {
                #expect(numbers.last! - numbers.first! == Int64(numbers.count - 1), "\(page)'s entries are together on the chain")
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anUntouchedChainVerifies(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await filled(store)
            let result = try await store.verifyAudit()
            #expect(result.intact)
            #expect(result.entries == 5)
            let checkpoint = try await store.auditCheckpoint()
            #expect(checkpoint.seq == 5)
            #expect(checkpoint.hash == result.lastHash)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aChangedEntryIsNamed(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await filled(store)
            try await store.sql.raw("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 3").run()
            let result = try await store.verifyAudit()
            #expect(result.firstBroken == 3)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aDeletedEntryIsNamed(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await filled(store)
            try await store.sql.raw("DELETE FROM audit_log WHERE seq = 2").run()
            #expect(try await store.verifyAudit().firstBroken == 2)
            try await store.sql.raw("DELETE FROM audit_log WHERE seq = 5").run()
            #expect(try await store.verifyAudit().firstBroken == 2)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func reorderedEntriesAreNamed(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await filled(store)
            // Swap the contents of entries 2 and 4 (hashes and all).
            try await store.sql.raw("UPDATE audit_log SET seq = 99 WHERE seq = 2").run()
            try await store.sql.raw("UPDATE audit_log SET seq = 2 WHERE seq = 4").run()
            try await store.sql.raw("UPDATE audit_log SET seq = 4 WHERE seq = 99").run()
            #expect(try await store.verifyAudit().firstBroken == 2)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func removingTheLastEntryIsFound(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await filled(store)
            try await store.sql.raw("DELETE FROM audit_log WHERE seq = 5").run()
            let result = try await store.verifyAudit()
            #expect(!result.intact)
            #expect(result.firstBroken == 5)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anEntryReadsBackAsWrittenWithItsPlaceInTheChainAsFlatJSON(kind: StoreKind) async throws {
        let instant = Date(timeIntervalSince1970: 1_796_000_000.25)
        try await withStore(kind, clock: .fixed(instant)) { store in
            let written = AuditEntry(Actor(username: "auditor", role: .auditor, purpose: .audit, requestID: "req-7"), .caseRead(42),
                                     subject: "abc123")
            try await store.audit(written)
            let read = try #require(try await store.auditEntries(actor: "auditor").first)
            var stamped = written
            stamped.at = storedTimestamp(instant)
            #expect(read.entry == stamped, "as written, stamped by the store's clock")
            #expect(read.objectID == "42", "a record reads like its entry")
            let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(read)) as? [String: Any]
            #expect(Set(json?.keys.map { $0 } ?? []) == ["seq", "at", "actor", "role", "purpose", "action", "outcome", "subject",
                                                           "object_type", "object_id", "request_id"])
            #expect(try JSONDecoder().decode(AuditRecord.self, from: JSONEncoder().encode(read)) == read)
        }
    }

    /// The chain hashes `canonical(seq:)`: written out field by field, it is the flat JSON of the
    /// fields it always was (entries chained before keep verifying), whatever the values hold.
    @Test func theCanonicalTextOfAnEntryIsItsFlatJSON() {
        let awkward = ["", "plain", "with \"quotes\"", "back\\slash", "line\nbreak\ttab\u{1}", "Zoë Dubois-Ğ 🎓", "{\"a\":1}"]
        for (index, value) in awkward.enumerated() {
            let entry = AuditEntry(stored: value, actor: value, role: "consultant", purpose: value, action: "case.read", outcome: "allowed",
                                   subject: index % 2 == 0 ? value : nil, objectType: index % 3 == 0 ? nil : "case",
                                   objectID: index % 2 == 1 ? value : nil, requestID: index == 0 ? nil : value)
            let seq = Int64(index) * 1_000_003
            // The text as it was first defined: the flat JSON of the fields, keys sorted.
            let byDictionary = flatJSON(["seq": String(seq), "at": entry.at, "actor": entry.actor, "role": entry.role,
                                         "purpose": entry.purpose, "action": entry.action, "outcome": entry.outcome,
                                         "subject": entry.subject ?? "", "object_type": entry.objectType ?? "",
                                         "object_id": entry.objectID ?? "", "request_id": entry.requestID ?? ""])
            #expect(entry.canonical(seq: seq) == byDictionary, "\(index)")
        }
    }
}
