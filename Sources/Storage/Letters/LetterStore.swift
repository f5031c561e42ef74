import Domain
import Foundation
import Letters
import SQLKit
import Workflows

/// Letters in storage (Workflows' `LetterRepository`): which cases need one, and the batches.
extension Store: LetterRepository {
    public func personsNeedingLetters(on date: LocalDate, reminderAfterDays: Int) async throws -> [Int64] {
        Array(Set(try await casesNeedingLetters(on: date, reminderAfterDays: reminderAfterDays).map(\.0.personID)))
    }

    /// Invitations and notices: cases not yet written to; reminders: an invitation old enough and no
    /// contact since it that reached the young person (the contacts of all of them in one query).
    func casesNeedingLetters(on date: LocalDate, reminderAfterDays: Int) async throws -> [(Case, LetterKind)] {
        var wanted: [(Case, LetterKind)] = []
        for row in try await sql.raw("""
            SELECT * FROM cases c WHERE c.closed_on IS NULL AND (
              (c.action = 'invite' AND c.status IN ('new', 'reopened'))
              OR (c.action = 'auto-register' AND c.status = 'registered'
                  AND NOT EXISTS (SELECT 1 FROM letters l WHERE l.case_id = c.id AND l.kind = 'registration_notice')))
            ORDER BY c.id
            """).all() {
            let c = try Case(row: row)
            wanted.append((c, c.action == .invite ? .invitation : .registrationNotice))
        }
        let cutoff = date.adding(days: -reminderAfterDays).iso
        var invited: [(Case, String)] = []
        for row in try await sql.raw("""
            SELECT c.*, MAX(l.made_on) AS invited_on FROM cases c JOIN letters l ON l.case_id = c.id AND l.kind = 'invitation'
            WHERE c.closed_on IS NULL AND c.status = 'invited'
              AND NOT EXISTS (SELECT 1 FROM letters r WHERE r.case_id = c.id AND r.kind = 'reminder')
            GROUP BY c.id HAVING MAX(l.made_on) <= \(bind: cutoff) ORDER BY c.id
            """).all() {
            invited.append((try Case(row: row), try row.decode(column: "invited_on", as: String.self)))
        }
        var reachedSince: [Int64: String] = [:]
        for chunk in invited.map(\.0.id).chunked(into: 500) {
            let ids = Array(chunk)
            for row in try await bulk(sql, "SELECT case_id, at, data FROM case_events WHERE kind = 'contact' AND case_id IN (\(Store.list(ids.count)))",
                                      ids.map { .integer($0) }) {
                guard case .contact(_, let outcome)? = CaseEvent(kind: "contact", fields: storedFields(row[2].text ?? "")), outcome.isSuccessful,
                      let caseID = row[0].integer, let at = row[1].text else { continue }
                reachedSince[caseID] = max(reachedSince[caseID] ?? "", at)
            }
        }
        for (c, invitedOn) in invited where (reachedSince[c.id] ?? "") < invitedOn { wanted.append((c, .reminder)) }
        // A letter a consultant asked to send again, and no letter made since.
        var taken = Set(wanted.map(\.0.id))
        for row in try await sql.raw("""
            SELECT c.*, e.data AS resend FROM cases c JOIN case_events e ON e.case_id = c.id AND e.kind = 'letter_resend'
            WHERE c.closed_on IS NULL
              AND e.id = (SELECT MAX(r.id) FROM case_events r WHERE r.case_id = c.id AND r.kind = 'letter_resend')
              AND NOT EXISTS (SELECT 1 FROM case_events l WHERE l.case_id = c.id AND l.kind = 'letter' AND l.id > e.id)
            ORDER BY c.id
            """).all() {
            let c = try Case(row: row)
            guard !taken.contains(c.id),
                  case .letterResendRequested(let kind)? = CaseEvent(kind: "letter_resend", fields: storedFields(try row.decode(column: "resend", as: String.self)))
            else { continue }
            taken.insert(c.id)
            wanted.append((c, kind))
        }
        return wanted
    }

    public func letterCandidates(on date: LocalDate, reminderAfterDays: Int) async throws -> [LetterCandidate] {
        let wanted = try await casesNeedingLetters(on: date, reminderAfterDays: reminderAfterDays)
        guard !wanted.isEmpty else { return [] }
        let persons = Array(Set(wanted.map(\.0.personID)))
        var registers: [Int64: PersonRecord] = [:]
        var subjects: [Int64: String] = [:]
        var eligible: Set<Int64> = []
        for chunk in persons.chunked(into: 500) {
            let ids = Array(chunk)
            for (person, versions) in try await facts(ofPersons: ids) {
                guard let insz = PersonTimeline.insz(of: versions) else { continue }
                subjects[person] = keyring.auditSubject(insz)
                if let register = PersonTimeline(insz: insz, versions: versions).personRecord(on: date)?.1 { registers[person] = register }
            }
            for row in try await bulk(sql, "SELECT person_id FROM decisions WHERE outcome = 'eligible' AND person_id IN (\(Store.list(ids.count)))",
                                      ids.map { .integer($0) }) {
                eligible.insert(row[0].integer!)
            }
        }
        var counts: [Int64: Int] = [:]
        for chunk in wanted.map(\.0.id).chunked(into: 500) {
            let ids = Array(chunk)
            for row in try await bulk(sql, "SELECT case_id, COUNT(*) FROM letters WHERE case_id IN (\(Store.list(ids.count))) GROUP BY case_id",
                                      ids.map { .integer($0) }) {
                counts[row[0].integer!] = Int(row[1].integer ?? 0)
            }
        }
        // Addresses letters came back from.
        var returned: Set<String> = []
        for chunk in Array(registers.keys).chunked(into: 500) {
            let ids = Array(chunk)
            for row in try await bulk(sql, "SELECT address_index FROM returned_addresses WHERE person_id IN (\(Store.list(ids.count)))",
                                      ids.map { .integer($0) }) {
                returned.insert(row[0].text ?? "")
            }
        }
        let names = try await displayNames()
        return wanted.map { c, kind in
            var candidate = LetterCandidate(caseID: c.id, personID: c.personID, kind: kind, province: c.province,
                                            consultant: c.consultant.map { names[$0] ?? $0 }, register: registers[c.personID],
                                            eligible: eligible.contains(c.personID), lettersSoFar: counts[c.id] ?? 0, subject: subjects[c.personID])
            if !returned.isEmpty, let register = registers[c.personID] {
                candidate.addressReturned = returned.contains(returnedAddressIndex(person: c.personID, address: LetterRecipient.structured(register)))
            }
            return candidate
        }
    }

    /// One batch at a time: a batch being made blocks the next, so that two never write to the same
    /// cases — unless it crashed: its process (of this host) is gone, or it is older than ten minutes.
    public func reserveLetterBatch(on date: LocalDate) async throws -> Int64 {
        let now = timestamp()
        let stale = storedTimestamp(clock.now().addingTimeInterval(-600))
        return try await transaction { sql in
            if self.dialect == .postgres { try await sql.raw("SELECT pg_advisory_xact_lock(7270302)").run() }
            let preparing = try await self.bulk(sql, "SELECT id, made_at, owner FROM letter_batches WHERE status = 'preparing'", [])
            let crashed = preparing.filter { ($0[1].text ?? "") < stale || Self.isGone($0[2].text) }.compactMap { $0[0].integer }
            if !crashed.isEmpty {
                _ = try await self.bulk(sql, "UPDATE letter_batches SET status = 'failed' WHERE id IN (\(Store.list(crashed.count)))",
                                        crashed.map { .integer($0) })
            }
            guard preparing.count == crashed.count else { throw LetterBatchWork.Refusal.batchUnderWay }
            let row = try await sql.raw("""
                INSERT INTO letter_batches (made_on, made_at, status, letters, pages, pdf_sha256, pdf_sealed, manifest_sealed, owner)
                VALUES (\(bind: date.iso), \(bind: now), 'preparing', 0, 0, '', \(bind: Data()), \(bind: Data()), \(bind: Store.processOwner)) RETURNING id
                """).first()
            return try row!.decode(column: "id", as: Int64.self)
        }
    }

    public func abandonLetterBatch(_ id: Int64) async throws {
        try await sql.raw("UPDATE letter_batches SET status = 'failed' WHERE id = \(bind: id) AND status = 'preparing'").run()
    }

    public func saveLetterBatch(_ batch: LetterBatchRecord) async throws {
        let pdf = keyring.seal(batch.pdf, context: "letter_batches.pdf")
        let manifest = keyring.seal(batch.manifestJSON, context: "letter_batches.manifest")
        try await transaction { sql in
            try await sql.raw("""
                UPDATE letter_batches SET status = 'prepared', letters = \(bind: batch.items.count), pages = \(bind: batch.pages),
                pdf_sha256 = \(bind: batch.sha256), pdf_sealed = \(bind: pdf), manifest_sealed = \(bind: manifest) WHERE id = \(bind: batch.id)
                """).run()
            let now = self.timestamp()
            var events: [CaseEventRow] = []
            for chunk in batch.items.chunked(into: 200) {
                var values: [BulkValue] = []
                for item in chunk {
                    values += [.integer(item.caseID), .integer(batch.id), .text(item.kind.rawValue), .text(item.template),
                               .text(item.language.rawValue), .text(item.reference), .text(batch.madeOn.iso), .integer(Int64(item.firstPage)),
                               .integer(Int64(item.pages)), .text("in_batch"), .blob(self.keyring.seal(item.content, context: "letters.content"))]
                }
                // The returned rows' order is not promised: match them by their unique reference.
                var ids: [String: Int64] = [:]
                for row in try await self.bulk(sql, """
                    INSERT INTO letters (case_id, batch_id, kind, template, language, reference, made_on, first_page, pages, status, content_sealed)
                    VALUES \(Store.placeholders(rows: chunk.count, columns: 11)) RETURNING id, reference
                    """, values) { ids[row[1].text!] = row[0].integer! }
                var codes: [BulkValue] = []
                for item in chunk {
                    let letterID = ids[item.reference]!
                    codes += [.text(self.keyring.blindIndex(item.code.characters, purpose: .answerCode)), .integer(item.caseID),
                              .integer(letterID), .text(item.codeValidUntil.iso)]
                    events.append(CaseEventRow(caseID: item.caseID, at: now, actor: "vangnet", event: .letter(kind: item.kind, reference: item.reference)))
                }
                _ = try await self.bulk(sql, "INSERT INTO answer_codes (code_index, case_id, letter_id, valid_until) VALUES "
                                        + Store.placeholders(rows: chunk.count, columns: 4), codes)
            }
            // An invitation sent: the case is "invited" (the state machine's step from new or reopened).
            let invited = batch.items.filter { $0.kind == .invitation }.map(\.caseID)
            for chunk in invited.chunked(into: 500) {
                let ids = Array(chunk)
                for row in try await sql.raw("SELECT id, status FROM cases WHERE id IN (\(binds: ids)) AND status IN ('new', 'reopened')").all() {
                    let id = try row.decode(column: "id", as: Int64.self)
                    let from = CaseStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .new
                    events.append(CaseEventRow(caseID: id, at: now, actor: "vangnet", event: .statusChanged(from: from, to: .invited)))
                }
                try await sql.raw("""
                    UPDATE cases SET status = 'invited', updated_at = \(bind: now) WHERE id IN (\(binds: ids)) AND status IN ('new', 'reopened')
                    """).run()
            }
            try await CaseEventRow.insert(events, sql, self)
            // Audited last: the audit chain's head is locked for as short a time as possible.
            try await self.audit(batch.audit, on: sql)
        }
    }

    // MARK: - On the case page

    /// The letters of a case, oldest first (no text: `letterText` shows one, audited by the caller).
    public func caseLetters(_ caseID: Int64) async throws -> [CaseLetter] {
        try await bulk(reader, """
            SELECT reference, kind, made_on, status, language, template, returned_on, return_reason FROM letters WHERE case_id = ? ORDER BY id
            """, [.integer(caseID)]).compactMap { row in
            guard let kind = LetterKind(rawValue: row[1].text ?? ""), let madeOn = LocalDate(iso: row[2].text ?? "") else { return nil }
            return CaseLetter(reference: row[0].text ?? "", kind: kind, madeOn: madeOn, status: row[3].text ?? "", language: row[4].text ?? "",
                              template: row[5].text ?? "", returnedOn: row[6].text.flatMap { LocalDate(iso: $0) },
                              returnReason: row[7].text.flatMap(LetterReturnReason.init(rawValue:)))
        }
    }

    /// What one letter of the case said (without the personal code); nil when there is no such
    /// letter on this case, or its text was removed by retention.
    public func letterText(_ caseID: Int64, reference: String) async throws -> (CaseLetter, String)? {
        guard let letter = try await caseLetters(caseID).first(where: { $0.reference == reference }),
              let row = try await bulk(sql, "SELECT content_sealed FROM letters WHERE case_id = ? AND reference = ?",
                                       [.integer(caseID), .text(reference)]).first,
              let sealed = row[0].blob, !sealed.isEmpty else { return nil }
        return (letter, try keyring.openText(sealed, context: "letters.content"))
    }

    // MARK: - For the steward and the command line

    /// The batches, newest first.
    public func letterBatches(limit: Int = 50) async throws -> [LetterBatchSummary] {
        try await bulk(sql, """
            SELECT id, made_on, made_at, status, letters, pages, pdf_sha256, handed_over_at, handed_over_by,
              (SELECT COUNT(*) FROM letters l WHERE l.batch_id = b.id AND l.status = 'returned'),
              (SELECT COUNT(*) FROM letters l WHERE l.batch_id = b.id AND l.status = 'withdrawn')
            FROM letter_batches b WHERE status <> 'preparing' ORDER BY id DESC LIMIT \(max(1, min(limit, 500)))
            """, []).map { row in
            LetterBatchSummary(id: row[0].integer!, madeOn: LocalDate(iso: row[1].text ?? "") ?? LocalDate(ordinal: 0), madeAt: row[2].text ?? "",
                               status: row[3].text ?? "", letters: Int(row[4].integer ?? 0), pages: Int(row[5].integer ?? 0),
                               sha256: row[6].text ?? "", handedOverAt: row[7].text, handedOverBy: row[8].text,
                               returned: Int(row[9].integer ?? 0), withdrawn: Int(row[10].integer ?? 0))
        }
    }

    /// The references of a batch's letters whose case was withdrawn after it was made: the steward
    /// takes them out of the stack before it goes to the mail house.
    public func withdrawnLetters(batch id: Int64) async throws -> [String] {
        try await bulk(sql, "SELECT reference FROM letters WHERE batch_id = ? AND status = 'withdrawn' ORDER BY id LIMIT 200", [.integer(id)])
            .compactMap { $0[0].text }
    }

    /// A batch's PDF and manifest (personal data of many people): the caller audits the download.
    /// Only while the batch is prepared: once handed over, the PDF (with the personal codes) is gone.
    public func letterBatchFiles(_ id: Int64) async throws -> (pdf: Data, manifestJSON: String)? {
        guard let row = try await bulk(sql, "SELECT pdf_sealed, manifest_sealed FROM letter_batches WHERE id = ? AND status = 'prepared'",
                                       [.integer(id)]).first else { return nil }
        return (try keyring.open(row[0].blob ?? Data(), context: "letter_batches.pdf"),
                try keyring.openText(row[1].blob ?? Data(), context: "letter_batches.manifest"))
    }

    /// The steward confirms the mail house took the batch.
    public func markLetterBatchHandedOver(_ id: Int64, by actor: Actor) async throws -> Bool {
        try await transaction { sql in
            let updated = try await sql.raw("""
                UPDATE letter_batches SET status = 'handed_over', handed_over_at = \(bind: self.timestamp()), handed_over_by = \(bind: actor.username),
                pdf_sealed = \(bind: Data()) WHERE id = \(bind: id) AND status = 'prepared' RETURNING id
                """).all()
            guard !updated.isEmpty else { return false }
            try await sql.raw("UPDATE letters SET status = 'handed_over' WHERE batch_id = \(bind: id)").run()
            try await self.audit([AuditEntry(actor, .letterBatchHandedOver(id))], on: sql)
            return true
        }
    }
}

/// A letter of a case, as its page lists it.
public struct CaseLetter: Sendable, Equatable {
    public var reference: String
    public var kind: LetterKind
    public var madeOn: LocalDate
    /// `in_batch`, `handed_over`, `returned`, `withdrawn`.
    public var status: String
    public var language: String
    public var template: String
    public var returnedOn: LocalDate?
    public var returnReason: LetterReturnReason?
}

public struct LetterBatchSummary: Sendable, Codable, Equatable {
    public var id: Int64
    public var madeOn: LocalDate
    public var madeAt: String
    public var status: String
    public var letters: Int
    public var pages: Int
    public var sha256: String
    public var handedOverAt: String?
    public var handedOverBy: String?
    /// Letters the mail house brought back.
    public var returned = 0
    /// Letters whose case was withdrawn after the batch was made: not to be posted.
    public var withdrawn = 0
}
