import Ingest
import Domain
import Foundation
import Workflows

/// Linkage's storage (Workflows' `IdentityRepository`): quarantined records whose INSZ failed,
/// the persons known from the population register, the review queue and the links made.
extension Store: IdentityRepository {
    public func unresolvedIdentities() async throws -> [QuarantinedIdentity] {
        try await bulk(sql, """
            SELECT id, kind, original_sealed, header FROM quarantine
            WHERE status = 'open' AND kind IS NOT NULL AND (reason = 'invalid_insz' OR (reason = 'missing_field' AND field = 'insz'))
            ORDER BY id
            """, []).compactMap { row in
            guard let kind = row[1].text.flatMap(RecordKind.init(rawValue:)), let sealed = row[2].blob else { return nil }
            let bytes = try keyring.open(sealed, context: "quarantine.original")
            guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
            return QuarantinedIdentity(id: row[0].integer!, kind: kind, original: text, header: row[3].text)
        }
    }

    public func knownIdentities(_ each: ([KnownIdentity]) throws -> Void) async throws {
        var after: Int64 = 0
        while true {
            let rows = try await bulk(sql, "SELECT seq, payload_sealed FROM source_records WHERE kind = 'person' AND seq > ? ORDER BY seq LIMIT 2000",
                                      [.integer(after)])
            guard let last = rows.last?[0].integer else { break }
            after = last
            var known: [KnownIdentity] = []
            known.reserveCapacity(rows.count)
            for row in rows {
                let record = try keyring.openRecord(row[1].blob)
                if case .person(let person) = record.body { known.append(KnownIdentity(insz: record.insz, person: person)) }
            }
            try each(known)
        }
    }

    public func reviewedCandidates() async throws -> [ReviewedCandidate] {
        try await bulk(sql, "SELECT quarantine_id, candidate_sealed, status FROM identity_reviews", []).compactMap { row in
            guard let insz = try candidate(row[1].blob) else { return nil }
            return ReviewedCandidate(quarantineID: row[0].integer!, candidate: insz, open: row[2].text == "open")
        }
    }

    public func queueReview(_ review: ProposedLink) async throws {
        _ = try await bulk(sql, """
            INSERT INTO identity_reviews (quarantine_id, candidate_sealed, candidate_index, probability_ppm, explanation, created_at)
            VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (quarantine_id, candidate_index) DO NOTHING
            """, [.integer(review.quarantineID), .blob(keyring.seal(review.candidate.digits, context: "identity_reviews.candidate")),
                  .blob(keyring.inszIndex(review.candidate)), .integer(Self.ppm(review.probability)),
                  .text(try Self.json(review.explanation)), .text(timestamp())])
    }

    public func noteBestCandidate(quarantineID: Int64, probability: Double?) async throws {
        _ = try await bulk(sql, "UPDATE quarantine SET best_match_ppm = ? WHERE id = ?",
                           [probability.map { .integer(Self.ppm($0)) } ?? .null, .integer(quarantineID)])
    }

    public func recordLink(_ link: ProposedLink, by actor: String, audit entry: AuditEntry) async throws {
        let index = keyring.inszIndex(link.candidate)
        let explanation = try Self.json(link.explanation)
        let now = timestamp()
        try await transaction { sql in
            try await self.audit([entry], on: sql)
            let person = try await self.bulk(sql, "SELECT COALESCE(merged_into, id) FROM persons WHERE insz_index = ?", [.blob(index)]).first?[0].integer
            _ = try await self.bulk(sql, """
                INSERT INTO identity_links (quarantine_id, person_id, probability_ppm, explanation, linked_by, linked_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """, [.integer(link.quarantineID), person.map { .integer($0) } ?? .null, .integer(Self.ppm(link.probability)),
                      .text(explanation), .text(actor), .text(now)])
            _ = try await self.bulk(sql, """
                UPDATE quarantine SET status = 'linked', resolved_at = ?, resolved_by = ?, best_match_ppm = ? WHERE id = ?
                """, [.text(now), .text(actor), .integer(Self.ppm(link.probability)), .integer(link.quarantineID)])
            _ = try await self.bulk(sql, """
                UPDATE identity_reviews SET status = 'linked', decided_by = ?, decided_at = ? WHERE quarantine_id = ? AND status = 'open'
                """, [.text(actor), .text(now), .integer(link.quarantineID)])
        }
    }

    public func storeLinks(_ links: [LinkedRecord], by actor: String, audit: @escaping @Sendable (Int64) -> AuditEntry) async throws {
        guard !links.isEmpty else { return }
        let now = timestamp()
        var items: [IngestItem] = []
        var owners: [Int] = []
        for (position, linked) in links.enumerated() {
            for item in linked.items {
                items.append(item)
                if case .record = item { owners.append(position) }
            }
        }
        let batch = RecordWriter.PreparedBatch.prepare(items, keyring: keyring)
        let recordOwners = owners
        let quarantineIDs = links.map { BulkValue.integer($0.link.quarantineID) }
        let candidates = Array(Set(links.map { keyring.inszIndex($0.link.candidate) }))
        let explanations = try links.map { try Self.json($0.link.explanation) }
        let outcome = try await transaction { sql in
            // One delivery per link, as `deliver` registers it, finished below with its counts.
            var deliveries: [Int64] = []
            for chunk in links.chunked(into: 500) {
                var values: [BulkValue] = []
                for linked in chunk {
                    let first = linked.items.lazy.compactMap { if case .record(let record, _) = $0 { record } else { nil } }.first
                    values += [.text(RecordWriter.Channel.file.rawValue), .text(IdentityWork.deliveryName(linked.link.quarantineID)),
                               .text(linked.format), BulkValue(first?.kind.rawValue), BulkValue(first?.source.rawValue), .text(now),
                               .integer(Int64(linked.items.count)), .text("running"), .text(Store.processOwner)]
                }
                let ids = try await self.bulk(sql, """
                    INSERT INTO deliveries (channel, name, format, kind, source, started_at, records, status, owner)
                    VALUES \(Store.placeholders(rows: chunk.count, columns: 9)) RETURNING id, name
                    """, values)
                var byName: [String: Int64] = [:]
                for row in ids { byName[row[1].text!] = row[0].integer! }
                deliveries += chunk.map { byName[IdentityWork.deliveryName($0.link.quarantineID)]! }
            }
            let outcome = try await self.writeBatch(sql, batch: batch, knownPersons: batch.persons.map { _ in nil }, deliveryID: deliveries[0],
                                                    now: now, recordDeliveries: recordOwners.map { deliveries[$0] })
            // Finished with their counts: a record held already is a duplicate.
            for (accepted, ids) in Dictionary(grouping: deliveries, by: { outcome.acceptedPerDelivery[$0] ?? 0 }) {
                for chunk in ids.chunked(into: 500) {
                    _ = try await self.bulk(sql, """
                        UPDATE deliveries SET accepted = ?, duplicates = records - ?, finished_at = ?, status = 'done'
                        WHERE id IN (\(Store.list(chunk.count)))
                        """, [.integer(Int64(accepted)), .integer(Int64(accepted)), .text(now)] + chunk.map { .integer($0) })
                }
            }

            try await self.audit(links.map { audit($0.link.quarantineID) }, on: sql)
            var persons: [Data: Int64] = [:]
            for chunk in candidates.chunked(into: 500) {
                for row in try await self.bulk(sql, "SELECT COALESCE(merged_into, id), insz_index FROM persons WHERE insz_index IN (\(Store.list(chunk.count)))",
                                               chunk.map { .blob($0) }) {
                    persons[row[1].blob!] = row[0].integer!
                }
            }
            for chunk in Array(links.indices).chunked(into: 500) {
                var values: [BulkValue] = []
                for position in chunk {
                    let link = links[position].link
                    values += [.integer(link.quarantineID), persons[self.keyring.inszIndex(link.candidate)].map { .integer($0) } ?? .null,
                               .integer(Self.ppm(link.probability)), .text(explanations[position]), .text(actor), .text(now)]
                }
                _ = try await self.bulk(sql, """
                    INSERT INTO identity_links (quarantine_id, person_id, probability_ppm, explanation, linked_by, linked_at)
                    VALUES \(Store.placeholders(rows: chunk.count, columns: 6))
                    """, values)
            }
            for chunk in quarantineIDs.chunked(into: 500) {
                let list = Store.list(chunk.count)
                _ = try await self.bulk(sql, """
                    UPDATE quarantine SET status = 'linked', resolved_at = ?, resolved_by = ?,
                    best_match_ppm = (SELECT l.probability_ppm FROM identity_links l WHERE l.quarantine_id = quarantine.id) WHERE id IN (\(list))
                    """, [.text(now), .text(actor)] + chunk)
                _ = try await self.bulk(sql, """
                    UPDATE identity_reviews SET status = 'linked', decided_by = ?, decided_at = ? WHERE quarantine_id IN (\(list)) AND status = 'open'
                    """, [.text(actor), .text(now)] + chunk)
            }
            return outcome
        }
        VangnetMetrics.recordsStored(source: batch.source?.rawValue, new: outcome.accepted - outcome.corrections, corrections: outcome.corrections,
                                     duplicates: batch.records.count - outcome.accepted, quarantineReasons: [])
    }

    public func review(_ id: Int64) async throws -> IdentityReview? {
        try await reviews(where: "r.id = ?", [.integer(id)], limit: 1).first
    }

    public func openReviews(limit: Int) async throws -> [IdentityReview] {
        try await reviews(where: "r.status = 'open'", [], limit: limit)
    }

    public func rejectReview(_ id: Int64, by actor: String, audit entry: AuditEntry) async throws {
        let now = timestamp()
        try await transaction { sql in
            try await self.audit([entry], on: sql)
            _ = try await self.bulk(sql, "UPDATE identity_reviews SET status = 'rejected', decided_by = ?, decided_at = ? WHERE id = ? AND status = 'open'",
                                    [.text(actor), .text(now), .integer(id)])
        }
    }

    public func undoLink(quarantineID: Int64, by actor: String, audit entry: AuditEntry) async throws -> Bool {
        let now = timestamp()
        let name = IdentityWork.deliveryName(quarantineID)
        return try await transaction { sql in
            guard try await self.bulk(sql, "SELECT status FROM quarantine WHERE id = ?", [.integer(quarantineID)]).first?[0].text == "linked"
            else { return false }
            try await self.audit([entry], on: sql)
            let rows = try await self.bulk(sql, """
                SELECT s.seq, s.person_id, s.payload_sealed FROM source_records s JOIN deliveries d ON d.id = s.delivery_id WHERE d.name = ?
                """, [.text(name)])
            var persons = Set<Int64>()
            var candidate: INSZ?
            for row in rows {
                persons.insert(row[1].integer!)
                if candidate == nil, let sealed = row[2].blob {
                    candidate = try self.keyring.openRecord(sealed).insz
                }
                _ = try await self.bulk(sql, "DELETE FROM source_records WHERE seq = ?", [.integer(row[0].integer!)])
            }
            _ = try await self.bulk(sql, "DELETE FROM identity_links WHERE quarantine_id = ?", [.integer(quarantineID)])
            _ = try await self.bulk(sql, "UPDATE quarantine SET status = 'open', resolved_at = NULL, resolved_by = NULL WHERE id = ?",
                                    [.integer(quarantineID)])
            if let candidate {
                // Remembered as "not the same person": not linked or proposed again.
                let index = self.keyring.inszIndex(candidate)
                _ = try await self.bulk(sql, "DELETE FROM identity_reviews WHERE quarantine_id = ? AND candidate_index = ?",
                                        [.integer(quarantineID), .blob(index)])
                _ = try await self.bulk(sql, """
                    INSERT INTO identity_reviews (quarantine_id, candidate_sealed, candidate_index, probability_ppm, explanation, status,
                                                  created_at, decided_by, decided_at)
                    VALUES (?, ?, ?, 0, '[]', 'rejected', ?, ?, ?)
                    """, [.integer(quarantineID), .blob(self.keyring.seal(candidate.digits, context: "identity_reviews.candidate")),
                          .blob(index), .text(now), .text(actor), .text(now)])
            }
            try await self.markDue(Array(persons), on: Store.dueAtOnce, sql)
            return true
        }
    }

    /// The latest links, for the steward to check (and undo one that is wrong).
    public func recentLinks(limit: Int) async throws -> [(quarantineID: Int64, kind: RecordKind?, probability: Double, by: String, at: String)] {
        try await bulk(sql, """
            SELECT l.quarantine_id, q.kind, l.probability_ppm, l.linked_by, l.linked_at
            FROM identity_links l JOIN quarantine q ON q.id = l.quarantine_id ORDER BY l.id DESC LIMIT \(limit)
            """, []).map { row in
            (row[0].integer!, row[1].text.flatMap(RecordKind.init(rawValue:)), Double(row[2].integer ?? 0) / 1_000_000, row[3].text ?? "", row[4].text ?? "")
        }
    }

    /// The proposals waiting, newest last, as the steward's list shows them: no record is opened
    /// (the originals and candidates are read, and audited, on a proposal's own page).
    public func reviewQueue(limit: Int) async throws -> [(id: Int64, quarantineID: Int64, kind: RecordKind?, probability: Double, createdAt: String)] {
        try await bulk(sql, """
            SELECT r.id, r.quarantine_id, q.kind, r.probability_ppm, r.created_at
            FROM identity_reviews r JOIN quarantine q ON q.id = r.quarantine_id WHERE r.status = 'open' ORDER BY r.id LIMIT \(limit)
            """, []).map { row in
            (row[0].integer!, row[1].integer!, row[2].text.flatMap(RecordKind.init(rawValue:)), Double(row[3].integer ?? 0) / 1_000_000,
             row[4].text ?? "")
        }
    }

    /// The links behind a person's records: how their identity was found (shown on the case).
    public func identityLinks(person personID: Int64) async throws -> [(probability: Double, explanation: [LinkTerm], by: String, at: String)] {
        try await bulk(reader, "SELECT probability_ppm, explanation, linked_by, linked_at FROM identity_links WHERE person_id = ? ORDER BY id",
                       [.integer(personID)]).map { row in
            (Double(row[0].integer ?? 0) / 1_000_000, (try? JSONDecoder().decode([LinkTerm].self, from: Data((row[1].text ?? "[]").utf8))) ?? [],
             row[2].text ?? "", row[3].text ?? "")
        }
    }

    private func reviews(where condition: String, _ values: [BulkValue], limit: Int) async throws -> [IdentityReview] {
        let rows = try await bulk(sql, """
            SELECT r.id, r.quarantine_id, q.kind, q.original_sealed, q.header, r.candidate_sealed, r.probability_ppm, r.explanation,
                   r.status, r.created_at
            FROM identity_reviews r JOIN quarantine q ON q.id = r.quarantine_id
            WHERE \(condition) ORDER BY r.id LIMIT \(limit)
            """, values)
        var reviews: [IdentityReview] = []
        for row in rows {
            guard let insz = try candidate(row[5].blob) else { continue }
            let original = try row[3].blob.map { String(decoding: try keyring.open($0, context: "quarantine.original"), as: UTF8.self) } ?? ""
            let terms = (try? JSONDecoder().decode([LinkTerm].self, from: Data((row[7].text ?? "[]").utf8))) ?? []
            let link = ProposedLink(quarantineID: row[1].integer!, candidate: insz, probability: Double(row[6].integer ?? 0) / 1_000_000,
                                    explanation: terms)
            reviews.append(IdentityReview(id: row[0].integer!, quarantineID: row[1].integer!, kind: row[2].text.flatMap(RecordKind.init(rawValue:)),
                                          original: original, header: row[4].text, candidate: try await latestIdentity(insz), link: link,
                                          status: row[8].text ?? "open", createdAt: row[9].text ?? ""))
        }
        return reviews
    }

    /// The candidate's latest population-register record.
    private func latestIdentity(_ insz: INSZ) async throws -> KnownIdentity? {
        guard let person = try await bulk(sql, "SELECT COALESCE(merged_into, id) FROM persons WHERE insz_index = ?", [.blob(keyring.inszIndex(insz))]).first?[0].integer
        else { return nil }
        let facts = try await personFacts(person)
        for fact in facts.reversed() {
            if case .person(let record) = fact.record.body { return KnownIdentity(insz: insz, person: record) }
        }
        return nil
    }

    private func candidate(_ sealed: Data?) throws -> INSZ? {
        guard let sealed else { return nil }
        return try? INSZ(stored: keyring.openText(sealed, context: "identity_reviews.candidate"))
    }

    static func ppm(_ probability: Double) -> Int64 { Int64((min(max(probability, 0), 1) * 1_000_000).rounded()) }

    static func json(_ terms: [LinkTerm]) throws -> String {
        String(decoding: try JSONEncoder().encode(terms), as: UTF8.self)
    }
}
