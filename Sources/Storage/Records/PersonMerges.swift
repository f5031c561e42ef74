import Domain
import Foundation
import SQLKit
import Workflows

/// Merges' storage (Workflows' `MergeRepository`, docs/linkage.md "Merges"). A merge moves the
/// absorbed person's records, cases and links to the survivor and sets `persons.merged_into`, so
/// that records arriving later under the absorbed number go to the survivor too (`BatchWrite`
/// resolves it). Records always carry their own INSZ, so an undo finds exactly the records of the
/// absorbed numbers again, those that arrived after the merge included.
extension Store: MergeRepository {
    public func replacedNumbers(after position: Int64, limit: Int) async throws -> (replacements: [NumberReplacement], reached: Int64) {
        let rows = try await bulk(sql, "SELECT id, current_index, previous_index FROM number_replacements WHERE id > ? ORDER BY id LIMIT \(limit)",
                                  [.integer(position)])
        let pairs = rows.compactMap { row -> (current: Data, previous: Data)? in
            guard let current = row[1].blob, let previous = row[2].blob else { return nil }
            return (current, previous)
        }
        let persons = try await persons(indexes: Set(pairs.flatMap { [$0.current, $0.previous] }))
        let replacements = pairs.compactMap { pair -> NumberReplacement? in
            guard let survivor = persons[pair.current], let absorbed = persons[pair.previous] else { return nil }
            return NumberReplacement(survivor: survivor, absorbed: absorbed)
        }
        return (replacements, rows.last?[0].integer ?? position)
    }

    /// The persons of blind indexes, created for those Vangnet has no record of yet: one statement
    /// of each kind per 500.
    func persons(indexes: Set<Data>) async throws -> [Data: Int64] {
        var persons: [Data: Int64] = [:]
        for chunk in Array(indexes).chunked(into: 500) {
            let binds = chunk.map { BulkValue.blob($0) }
            _ = try await bulk(sql, "INSERT INTO persons (insz_index) VALUES " + Store.placeholders(rows: chunk.count, columns: 1)
                               + " ON CONFLICT (insz_index) DO NOTHING", binds)
            for row in try await bulk(sql, "SELECT id, insz_index FROM persons WHERE insz_index IN (\(Store.list(chunk.count)))", binds) {
                if let id = row[0].integer, let index = row[1].blob { persons[index] = id }
            }
        }
        return persons
    }

    /// The register's replacements of a run, merged as `merge` merges each one, in a handful of
    /// statements for the whole run: a replacement whose two persons have no case and appear in no
    /// other replacement of the run (nearly all: a BIS number replaced before anyone left school)
    /// only moves records and links and needs no decision about cases, so those are merged together
    /// in one transaction; the others go through `merge`, one after the other, after it.
    public func mergeReplacements(_ replacements: [NumberReplacement], by actor: String,
                                  audit: @escaping @Sendable (Int64) -> AuditEntry) async throws -> Int {
        guard !replacements.isEmpty else { return 0 }
        let now = timestamp()
        let (together, oneByOne): (Int, [NumberReplacement]) = try await transaction { sql in
            let people = Array(Set(replacements.flatMap { [$0.absorbed, $0.survivor] }))
            var root: [Int64: Int64] = [:]
            for chunk in people.chunked(into: 500) {
                for row in try await self.bulk(sql, "SELECT id, COALESCE(merged_into, id) FROM persons WHERE id IN (\(Store.list(chunk.count)))",
                                               chunk.map { .integer($0) }) {
                    root[row[0].integer!] = row[1].integer!
                }
            }
            let roots = Array(Set(root.values))
            var withCases: Set<Int64> = []
            for chunk in roots.chunked(into: 500) {
                for row in try await self.bulk(sql, "SELECT DISTINCT person_id FROM cases WHERE person_id IN (\(Store.list(chunk.count)))",
                                               chunk.map { .integer($0) }) {
                    withCases.insert(row[0].integer!)
                }
            }
            var seen: Set<Int64> = []
            var simple: [(absorbed: Int64, survivor: Int64)] = []
            var others: [NumberReplacement] = []
            for replacement in replacements {
                let a = root[replacement.absorbed] ?? replacement.absorbed
                let s = root[replacement.survivor] ?? replacement.survivor
                guard a != s else { continue }
                if withCases.contains(a) || withCases.contains(s) || seen.contains(a) || seen.contains(s) {
                    others.append(replacement)
                } else {
                    seen.formUnion([a, s])
                    simple.append((a, s))
                }
            }
            for chunk in simple.chunked(into: 400) {
                var values: [BulkValue] = []
                for pair in chunk {
                    values += [.integer(pair.absorbed), .integer(pair.survivor), .text(PersonMerge.Reason.replacedNumber.rawValue),
                               .text("[]"), .text(""), .text(actor), .text(now)]
                }
                let ids = try await self.bulk(sql, """
                    INSERT INTO person_merges (absorbed_id, survivor_id, reason, explanation, moved_cases, merged_by, merged_at)
                    VALUES \(Store.placeholders(rows: chunk.count, columns: 7)) RETURNING id
                    """, values).compactMap { $0[0].integer }.sorted()
                try await self.audit(ids.map(audit), on: sql)
                let merges = Store.list(ids.count)
                let binds = ids.map { BulkValue.integer($0) }
                // Those merged into the absorbed person before, then the absorbed person, follow the survivor.
                for statement in [
                    "UPDATE persons SET merged_into = m.survivor_id FROM person_merges m WHERE m.id IN (\(merges)) AND persons.merged_into = m.absorbed_id",
                    "UPDATE persons SET merged_into = m.survivor_id FROM person_merges m WHERE m.id IN (\(merges)) AND persons.id = m.absorbed_id",
                    "UPDATE source_records SET person_id = m.survivor_id FROM person_merges m WHERE m.id IN (\(merges)) AND source_records.person_id = m.absorbed_id",
                    "UPDATE identity_links SET person_id = m.survivor_id FROM person_merges m WHERE m.id IN (\(merges)) AND identity_links.person_id = m.absorbed_id",
                    "DELETE FROM decisions WHERE person_id IN (SELECT absorbed_id FROM person_merges WHERE id IN (\(merges)))",
                    "DELETE FROM schedule WHERE person_id IN (SELECT absorbed_id FROM person_merges WHERE id IN (\(merges)))",
                ] {
                    _ = try await self.bulk(sql, statement, binds)
                }
                try await self.markDue(chunk.map(\.survivor), on: Store.dueAtOnce, sql)
            }
            return (simple.count, others)
        }
        var made = together
        for replacement in oneByOne {
            if try await merge(absorbed: replacement.absorbed, into: replacement.survivor, reason: .replacedNumber, probability: nil,
                               explanation: [], by: actor, audit: audit) != nil {
                made += 1
            }
        }
        return made
    }

    public func mergePosition() async throws -> Int64 {
        try await bulk(sql, "SELECT position FROM merge_progress WHERE name = 'number_replacements'", []).first?[0].integer ?? 0
    }

    public func setMergePosition(_ position: Int64) async throws {
        _ = try await bulk(sql, """
            INSERT INTO merge_progress (name, position) VALUES ('number_replacements', ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position
            """, [.integer(position)])
    }

    /// The person of an INSZ, created when Vangnet has no record of it yet (so that records that
    /// arrive later under that number follow a merge).
    public func person(of insz: INSZ) async throws -> Int64 {
        try await person(index: keyring.inszIndex(insz))
    }

    /// The person of a blind index, created when Vangnet has no record of that number yet.
    func person(index: Data) async throws -> Int64 {
        try await persons(indexes: [index])[index]!
    }

    public func mergeSide(person: Int64) async throws -> PersonMerge.Side {
        let root = try await mergeRoot(person, sql)
        let insz = try await insz(person: root, sql)
        let inRegister = try await bulk(sql, "SELECT 1 FROM source_records WHERE person_id = ? AND kind = 'person' LIMIT 1", [.integer(root)]).isEmpty == false
        return PersonMerge.Side(person: root, insz: insz, inRegister: inRegister)
    }

    public func registerIdentity(person: Int64) async throws -> KnownIdentity? {
        let facts = try await personFacts(try await mergeRoot(person, sql))
        for fact in facts.reversed() {
            if case .person(let record) = fact.record.body { return KnownIdentity(insz: fact.record.insz, person: record) }
        }
        return nil
    }

    /// The person a person's records belong to: itself, or the one it was merged into.
    func mergeRoot(_ person: Int64, _ sql: any SQLDatabase) async throws -> Int64 {
        try await bulk(sql, "SELECT COALESCE(merged_into, id) FROM persons WHERE id = ?", [.integer(person)]).first?[0].integer ?? person
    }

    public func merge(absorbed: Int64, into survivor: Int64, reason: PersonMerge.Reason, probability: Double?, explanation: [LinkTerm],
                      by actor: String, audit: @escaping @Sendable (Int64) -> AuditEntry) async throws -> Int64? {
        let now = timestamp()
        let today = clock.today()
        let explanationText = try Self.json(explanation)
        let merged: Int64? = try await transaction { sql in
            let a = try await self.mergeRoot(absorbed, sql)
            let s = try await self.mergeRoot(survivor, sql)
            guard a != s else { return nil }

            // The cases: the absorbed person's move to the survivor; of two open ones, the one
            // opened later is closed as merged.
            let casesA = try await sql.raw("SELECT * FROM cases WHERE person_id = \(bind: a) ORDER BY id").all().map(Case.init(row:))
            let casesS = try await sql.raw("SELECT * FROM cases WHERE person_id = \(bind: s) ORDER BY id").all().map(Case.init(row:))
            let openA = casesA.last(where: \.isOpen)
            let openS = casesS.last(where: \.isOpen)
            var closing: Case?
            var goingOn = openS ?? openA
            if let openA, let openS {
                goingOn = PersonMerge.caseGoingOn(openA, openS)
                closing = goingOn?.id == openA.id ? openS : openA
            }
            let row = try await self.bulk(sql, """
                INSERT INTO person_merges (absorbed_id, survivor_id, reason, probability_ppm, explanation, moved_cases, closed_case,
                                           closed_case_status, merged_by, merged_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                """, [.integer(a), .integer(s), .text(reason.rawValue), probability.map { .integer(Self.ppm($0)) } ?? .null,
                      .text(explanationText), .text(casesA.map { String($0.id) }.joined(separator: ",")),
                      closing.map { .integer($0.id) } ?? .null, BulkValue(closing?.status.rawValue), .text(actor), .text(now)])
            let id = row.first![0].integer!
            try await self.audit([audit(id)], on: sql)

            _ = try await self.bulk(sql, "UPDATE persons SET merged_into = ? WHERE id = ? OR merged_into = ?", [.integer(s), .integer(a), .integer(a)])
            _ = try await self.bulk(sql, "UPDATE source_records SET person_id = ? WHERE person_id = ?", [.integer(s), .integer(a)])
            _ = try await self.bulk(sql, "UPDATE identity_links SET person_id = ? WHERE person_id = ?", [.integer(s), .integer(a)])
            var events: [CaseEventRow] = []
            if let closing {
                try await self.withdrawPendingWork(ofCase: closing.id, now: now, sql)
                _ = try await self.bulk(sql, "UPDATE cases SET status = ?, closed_on = ?, suggestion = NULL, updated_at = ? WHERE id = ?",
                                        [.text(CaseStatus.merged.rawValue), .text(today.iso), .text(now), .integer(closing.id)])
                events.append(CaseEventRow(caseID: closing.id, at: now, actor: actor, event: .merged(otherCase: goingOn?.id, closed: true)))
            }
            if let goingOn {
                events.append(CaseEventRow(caseID: goingOn.id, at: now, actor: actor, event: .merged(otherCase: closing?.id, closed: false)))
            }
            _ = try await self.bulk(sql, "UPDATE cases SET person_id = ? WHERE person_id = ?", [.integer(s), .integer(a)])
            try await CaseEventRow.insert(events, sql, self)

            // The absorbed person is no longer decided; the survivor is, with the facts of both.
            _ = try await self.bulk(sql, "DELETE FROM decisions WHERE person_id = ?", [.integer(a)])
            _ = try await self.bulk(sql, "DELETE FROM schedule WHERE person_id = ?", [.integer(a)])
            try await self.markDue([s], on: Store.dueAtOnce, sql)
            return id
        }
        // The statistics follow from the merge's row (the "merges" feed of `refreshStatistics`).
        return merged
    }

    public func undoMerge(_ id: Int64, by actor: String, audit entry: AuditEntry) async throws -> MergeUndo {
        let now = timestamp()
        let outcome: (MergeUndo, [Int64]) = try await transaction { sql in
            guard let merge = try await self.merge(id, sql), merge.isActive else { return (.notActive, []) }
            let a = merge.absorbed
            let s = merge.survivor
            if let later = try await self.bulk(sql, "SELECT id FROM person_merges WHERE absorbed_id = ? AND undone_at IS NULL", [.integer(s)]).first?[0].integer {
                return (.laterMergeFirst(later), [])
            }
            try await self.audit([entry], on: sql)
            // The absorbed person's group: itself and whoever was merged into it before.
            var group: Set<Int64> = [a]
            var frontier = [a]
            while let next = frontier.popLast() {
                for row in try await self.bulk(sql, "SELECT absorbed_id FROM person_merges WHERE survivor_id = ? AND undone_at IS NULL", [.integer(next)]) {
                    if let person = row[0].integer, group.insert(person).inserted { frontier.append(person) }
                }
            }
            _ = try await self.bulk(sql, "UPDATE person_merges SET undone_by = ?, undone_at = ? WHERE id = ?", [.text(actor), .text(now), .integer(id)])
            _ = try await self.bulk(sql, "UPDATE persons SET merged_into = NULL WHERE id = ?", [.integer(a)])
            let others = group.subtracting([a]).sorted()
            if !others.isEmpty {
                _ = try await self.bulk(sql, "UPDATE persons SET merged_into = ? WHERE id IN (\(Store.list(others.count)))",
                                        [.integer(a)] + others.map { .integer($0) })
            }
            // The records of the group's numbers go back.
            let members = group.sorted()
            let indexes = Set(try await self.bulk(sql, "SELECT insz_index FROM persons WHERE id IN (\(Store.list(members.count)))",
                                                  members.map { .integer($0) }).compactMap { $0[0].blob })
            var back: [Int64] = []
            for row in try await self.bulk(sql, "SELECT seq, payload_sealed FROM source_records WHERE person_id = ?", [.integer(s)]) {
                let record = try self.keyring.openRecord(row[1].blob)
                if indexes.contains(self.keyring.inszIndex(record.insz)) { back.append(row[0].integer!) }
            }
            for chunk in back.chunked(into: 500) {
                _ = try await self.bulk(sql, "UPDATE source_records SET person_id = ? WHERE seq IN (\(Store.list(chunk.count)))",
                                        [.integer(a)] + chunk.map { .integer($0) })
            }
            // A link follows its record.
            _ = try await self.bulk(sql, """
                UPDATE identity_links SET person_id = ? WHERE person_id = ? AND EXISTS (
                    SELECT 1 FROM source_records r JOIN deliveries d ON d.id = r.delivery_id
                    WHERE r.person_id = ? AND d.name = 'linkage #' || CAST(identity_links.quarantine_id AS TEXT))
                """, [.integer(a), .integer(s), .integer(a)])

            // The cases it moved go back; the case it closed is given back its status, unless its
            // person has opened another since.
            let row = try await self.bulk(sql, "SELECT moved_cases, closed_case, closed_case_status FROM person_merges WHERE id = ?", [.integer(id)]).first!
            let moved = (row[0].text ?? "").split(separator: ",").compactMap { Int64($0) }
            if !moved.isEmpty {
                _ = try await self.bulk(sql, "UPDATE cases SET person_id = ? WHERE id IN (\(Store.list(moved.count)))",
                                        [.integer(a)] + moved.map { .integer($0) })
            }
            var events: [CaseEventRow] = []
            let closedCase = row[1].integer
            if let closedCase, let status = row[2].text.flatMap(CaseStatus.init(rawValue:)),
               let closed = try await sql.raw("SELECT * FROM cases WHERE id = \(bind: closedCase)").first().map(Case.init(row:)),
               closed.status == .merged,
               try await self.bulk(sql, "SELECT 1 FROM cases WHERE person_id = ? AND closed_on IS NULL", [.integer(closed.personID)]).isEmpty {
                _ = try await self.bulk(sql, "UPDATE cases SET status = ?, closed_on = NULL, updated_at = ? WHERE id = ?",
                                        [.text(status.rawValue), .text(now), .integer(closedCase)])
            }
            // Every case of the two that is open now hears of it.
            let open = try await self.bulk(sql, "SELECT id, person_id FROM cases WHERE person_id IN (?, ?) AND closed_on IS NULL ORDER BY id",
                                           [.integer(a), .integer(s)])
            for openCase in open {
                let other = open.first { $0[1].integer != openCase[1].integer }?[0].integer
                events.append(CaseEventRow(caseID: openCase[0].integer!, at: now, actor: actor, event: .mergeUndone(otherCase: other)))
            }
            try await CaseEventRow.insert(events, sql, self)
            try await self.markDue([a, s], on: Store.dueAtOnce, sql)
            return (.undone, [a, s])
        }
        if !outcome.1.isEmpty { try await refreshStatistics(persons: outcome.1) }
        return outcome.0
    }

    public func merge(_ id: Int64) async throws -> PersonMerge? {
        try await merge(id, sql)
    }

    func merge(_ id: Int64, _ sql: any SQLDatabase) async throws -> PersonMerge? {
        try await bulk(sql, "SELECT \(Self.mergeColumns) FROM person_merges WHERE id = ?", [.integer(id)]).first.flatMap(Self.personMerge)
    }

    public func recentMerges(limit: Int) async throws -> [MergeListing] {
        var listings: [MergeListing] = []
        for row in try await bulk(sql, "SELECT \(Self.mergeColumns), moved_cases FROM person_merges ORDER BY id DESC LIMIT \(limit)", []) {
            guard let merge = Self.personMerge(row) else { continue }
            listings.append(try await listing(merge, movedCases: row[9].text ?? ""))
        }
        return listings
    }

    /// A merge with the latest case of each side (the cases it moved, `movedCases`, are the absorbed side's).
    func listing(_ merge: PersonMerge, movedCases: String) async throws -> MergeListing {
        let moved = movedCases.split(separator: ",").compactMap { Int64($0) }
        let survivorCase = try await bulk(sql, """
            SELECT id FROM cases WHERE person_id = ? \(moved.isEmpty ? "" : "AND id NOT IN (\(Store.list(moved.count)))") ORDER BY id DESC LIMIT 1
            """, [.integer(merge.survivor)] + moved.map { .integer($0) }).first?[0].integer
        return MergeListing(merge: merge, survivorCase: survivorCase, absorbedCase: moved.last)
    }

    public func mergeDetail(_ id: Int64) async throws -> MergeDetail? {
        guard let row = try await bulk(sql, "SELECT \(Self.mergeColumns), moved_cases FROM person_merges WHERE id = ?", [.integer(id)]).first,
              let merge = Self.personMerge(row) else { return nil }
        var indexes: [Int64: Data] = [:]
        for row in try await bulk(sql, "SELECT id, insz_index FROM persons WHERE id IN (?, ?)", [.integer(merge.absorbed), .integer(merge.survivor)]) {
            if let person = row[0].integer, let index = row[1].blob { indexes[person] = index }
        }
        // While merged, both numbers' records are the survivor's (or of whom it was merged into since).
        let holders = merge.isActive ? [try await mergeRoot(merge.survivor, sql)] : [merge.absorbed, merge.survivor]
        let facts = try await facts(ofPersons: holders).values.flatMap { $0 }.sorted { $0.reference.sequence < $1.reference.sequence }
        func registration(_ person: Int64) -> MergeDetail.Registration {
            let own = facts.filter { keyring.inszIndex($0.record.insz) == indexes[person] }
            let identity = own.reversed().lazy.compactMap { fact -> PersonRecord? in
                if case .person(let record) = fact.record.body { record } else { nil }
            }.first
            return MergeDetail.Registration(insz: own.first?.record.insz, identity: identity)
        }
        return MergeDetail(listing: try await listing(merge, movedCases: row[9].text ?? ""), survivor: registration(merge.survivor), absorbed: registration(merge.absorbed))
    }

    static let mergeColumns = "id, absorbed_id, survivor_id, reason, probability_ppm, merged_by, merged_at, undone_by, undone_at"

    static func personMerge(_ row: [BulkValue]) -> PersonMerge? {
        guard let reason = row[3].text.flatMap(PersonMerge.Reason.init(rawValue:)) else { return nil }
        return PersonMerge(id: row[0].integer!, absorbed: row[1].integer!, survivor: row[2].integer!, reason: reason,
                           probability: row[4].integer.map { Double($0) / 1_000_000 }, mergedBy: row[5].text ?? "",
                           mergedAt: row[6].text ?? "", undoneBy: row[7].text, undoneAt: row[8].text)
    }

    /// What was waiting to go out on a case that closes without anyone deciding it (a withdrawal,
    /// a merge): a letter made but not handed over is withdrawn (its answer code removed), a
    /// registration request not yet sent is cancelled.
    func withdrawPendingWork(ofCase caseID: Int64, now: String, _ sql: any SQLDatabase) async throws {
        try await sql.raw("""
            DELETE FROM answer_codes WHERE letter_id IN (SELECT id FROM letters WHERE case_id = \(bind: caseID) AND status = 'in_batch')
            """).run()
        try await sql.raw("""
            UPDATE registration_outbox SET status = 'cancelled', updated_at = \(bind: now) WHERE case_id = \(bind: caseID) AND status IN ('pending', 'stuck')
            """).run()
        try await sql.raw("UPDATE letters SET status = 'withdrawn' WHERE case_id = \(bind: caseID) AND status = 'in_batch'").run()
    }
}
