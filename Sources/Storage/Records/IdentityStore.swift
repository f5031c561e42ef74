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

    public func knownIdentities() async throws -> [KnownIdentity] {
        var known: [KnownIdentity] = []
        var after: Int64 = 0
        while true {
            let rows = try await bulk(sql, "SELECT seq, payload_sealed FROM source_records WHERE kind = 'person' AND seq > ? ORDER BY seq LIMIT 2000",
                                      [.integer(after)])
            guard let last = rows.last?[0].integer else { break }
            after = last
            for row in rows {
                let record = try RecordCodec.decode(keyring.openText(row[1].blob ?? Data(), context: "source_records.payload"))
                if case .person(let person) = record.body { known.append(KnownIdentity(insz: record.insz, person: person)) }
            }
        }
        return known
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
                    candidate = try RecordCodec.decode(self.keyring.openText(sealed, context: "source_records.payload")).insz
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
        try await bulk(sql, "SELECT probability_ppm, explanation, linked_by, linked_at FROM identity_links WHERE person_id = ? ORDER BY id",
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
