import Domain
import Foundation
import Letters
import SQLKit
import Workflows

/// The mail house's acknowledgement and return files in storage (Workflows' `MailHouseRepository`).
extension Store: MailHouseRepository {
    struct StoredLetter {
        let id: Int64
        let caseID: Int64
        let batchID: Int64
        let status: String
        let batchStatus: String
    }

    public func applyMailHouseFile(_ kind: MailHouseFile.Kind, name: String, lines: [MailHouseFile.Line], on today: LocalDate,
                                   by actor: Actor) async throws -> MailHouseImport {
        try await transaction { sql in
            let references = lines.compactMap { line -> String? in
                if case .rejected = line.content { return nil }
                return line.reference
            }
            var letters: [String: StoredLetter] = [:]
            for chunk in references.chunked(into: 500) {
                for row in try await self.bulk(sql, """
                    SELECT l.reference, l.id, l.case_id, l.batch_id, l.status, COALESCE(b.status, 'failed')
                    FROM letters l LEFT JOIN letter_batches b ON b.id = l.batch_id WHERE l.reference IN (\(Store.list(chunk.count)))
                    """, chunk.map { .text($0) }) {
                    letters[row[0].text!] = StoredLetter(id: row[1].integer!, caseID: row[2].integer!, batchID: row[3].integer!,
                                                         status: row[4].text ?? "", batchStatus: row[5].text ?? "")
                }
            }
            var outcomes: [MailHouseImport.LineOutcome] = []
            var handOver: Set<Int64> = []
            var listed: Set<String> = []
            var returns: [(StoredLetter, String, LocalDate, LetterReturnReason)] = []
            for line in lines {
                func reject(_ code: LineRejection.Code, _ message: String) {
                    outcomes.append(.init(line: line.number, reference: line.reference, result: .rejected, code: code.rawValue, message: message))
                }
                switch line.content {
                case .rejected(let rejection):
                    outcomes.append(.init(line: line.number, reference: line.reference, result: .rejected, code: rejection.code.rawValue,
                                          message: rejection.message))
                case .acknowledged(let batchID):
                    guard let reference = line.reference, let letter = letters[reference] else {
                        reject(.unknownReference, "no letter with this reference"); continue
                    }
                    guard letter.batchID == batchID else { reject(.wrongBatch, "this letter is in batch \(letter.batchID), not \(batchID)"); continue }
                    guard letter.batchStatus == "prepared" || letter.batchStatus == "handed_over" else {
                        reject(.batchFailed, "batch \(batchID) was never completed and cannot have been posted"); continue
                    }
                    listed.insert(reference)
                    if letter.batchStatus == "handed_over" || letter.status != "in_batch" {
                        outcomes.append(.init(line: line.number, reference: reference, result: .unchanged, code: letter.status))
                    } else {
                        handOver.insert(batchID)
                        outcomes.append(.init(line: line.number, reference: reference, result: .accepted))
                    }
                case .returned(let day, let reason):
                    guard let reference = line.reference, let letter = letters[reference] else {
                        reject(.unknownReference, "no letter with this reference"); continue
                    }
                    if letter.status == "returned" {
                        outcomes.append(.init(line: line.number, reference: reference, result: .unchanged, code: "returned")); continue
                    }
                    guard letter.batchStatus == "handed_over", letter.status == "handed_over" else {
                        reject(.notHandedOver, "this letter was never handed over to the mail house"); continue
                    }
                    returns.append((letter, reference, day, reason))
                    outcomes.append(.init(line: line.number, reference: reference, result: .accepted))
                }
            }

            // Hand-overs: the whole batch, as the steward's confirmation does (its PDF goes).
            let now = self.timestamp()
            var notListed: [String] = []
            for batchID in handOver.sorted() {
                try await sql.raw("""
                    UPDATE letter_batches SET status = 'handed_over', handed_over_at = \(bind: now), handed_over_by = \(bind: actor.username),
                    pdf_sealed = \(bind: Data()) WHERE id = \(bind: batchID) AND status = 'prepared'
                    """).run()
                for row in try await sql.raw("SELECT reference FROM letters WHERE batch_id = \(bind: batchID) AND status = 'in_batch' ORDER BY id").all() {
                    let reference = try row.decode(column: "reference", as: String.self)
                    if !listed.contains(reference) { notListed.append(reference) }
                }
                try await sql.raw("UPDATE letters SET status = 'handed_over' WHERE batch_id = \(bind: batchID) AND status = 'in_batch'").run()
            }

            // Returns: the letter, its case, and the address it went to.
            var manifests: [Int64: [String: [String: String]]] = [:]
            var events: [CaseEventRow] = []
            for (letter, reference, day, reason) in returns {
                try await sql.raw("""
                    UPDATE letters SET status = 'returned', returned_on = \(bind: day.iso), return_reason = \(bind: reason.rawValue) WHERE id = \(bind: letter.id)
                    """).run()
                if manifests[letter.batchID] == nil { manifests[letter.batchID] = try await self.manifestAddresses(letter.batchID, sql) }
                guard let row = try await sql.raw("SELECT * FROM cases WHERE id = \(bind: letter.caseID)").first() else { continue }
                let state = try Case(row: row)
                if let address = manifests[letter.batchID]?[reference] {
                    let index = self.returnedAddressIndex(person: state.personID, address: address)
                    try await sql.raw("""
                        INSERT INTO returned_addresses (person_id, address_index, returned_on) VALUES (\(bind: state.personID), \(bind: index), \(bind: day.iso))
                        ON CONFLICT (person_id, address_index) DO NOTHING
                        """).run()
                }
                let (next, event) = state.letterCameBack(reference, reason: reason, on: today)
                if next != state {
                    try await sql.raw("""
                        UPDATE cases SET next_action = \(bind: next.nextAction), due_on = \(bind: next.dueOn?.iso), updated_at = \(bind: now)
                        WHERE id = \(bind: state.id)
                        """).run()
                }
                events.append(CaseEventRow(caseID: state.id, at: now, actor: "vangnet", event: event))
            }
            try await CaseEventRow.insert(events, sql, self)

            let outcome = String(decoding: try JSONEncoder().encode(Outcome(lines: outcomes, batchesHandedOver: handOver.sorted(), notListed: notListed)),
                                 as: UTF8.self)
            let accepted = outcomes.filter { $0.result == .accepted }.count
            let unchanged = outcomes.filter { $0.result == .unchanged }.count
            let row = try await sql.raw("""
                INSERT INTO mail_house_files (kind, name, imported_at, imported_by, accepted, unchanged, rejected, outcome)
                VALUES (\(bind: kind.rawValue), \(bind: name), \(bind: now), \(bind: actor.username), \(bind: accepted), \(bind: unchanged),
                \(bind: outcomes.count - accepted - unchanged), \(bind: outcome)) RETURNING id
                """).first()
            let fileID = try row!.decode(column: "id", as: Int64.self)
            try await self.audit([AuditEntry(actor, .mailHouseFileImported(fileID))], on: sql)
            return MailHouseImport(fileID: fileID, kind: kind, name: name, lines: outcomes, batchesHandedOver: handOver.sorted(), notListed: notListed)
        }
    }

    struct Outcome: Codable {
        let lines: [MailHouseImport.LineOutcome]
        let batchesHandedOver: [Int64]
        let notListed: [String]
    }

    public func mailHouseFiles(limit: Int = 20) async throws -> [MailHouseImport] {
        try await bulk(sql, "SELECT id, kind, name, outcome FROM mail_house_files ORDER BY id DESC LIMIT \(max(1, min(limit, 200)))", []).compactMap { row in
            guard let kind = MailHouseFile.Kind(rawValue: row[1].text ?? ""),
                  let outcome = try? JSONDecoder().decode(Outcome.self, from: Data((row[3].text ?? "").utf8)) else { return nil }
            return MailHouseImport(fileID: row[0].integer!, kind: kind, name: row[2].text ?? "", lines: outcome.lines,
                                   batchesHandedOver: outcome.batchesHandedOver, notListed: outcome.notListed)
        }
    }

    /// The structured address of each letter of a batch, by reference, from its sealed manifest.
    func manifestAddresses(_ batchID: Int64, _ sql: any SQLDatabase) async throws -> [String: [String: String]] {
        guard let row = try await bulk(sql, "SELECT manifest_sealed FROM letter_batches WHERE id = ?", [.integer(batchID)]).first,
              let sealed = row[0].blob, !sealed.isEmpty else { return [:] }
        struct Manifest: Decodable {
            struct Item: Decodable { let reference: String; let address: [String: String] }
            let items: [Item]
        }
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(try keyring.openText(sealed, context: "letter_batches.manifest").utf8))
        return Dictionary(manifest.items.map { ($0.reference, $0.address) }, uniquingKeysWith: { first, _ in first })
    }

    /// The keyed hash of an address for one person: a letter came back from it.
    func returnedAddressIndex(person: Int64, address: [String: String]) -> String {
        keyring.blindIndex("\(person)|" + LetterRecipient.addressKey(address), purpose: .returnedAddress)
    }
}
