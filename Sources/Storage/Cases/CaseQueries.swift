import Domain
import Foundation
import Privacy
import SQLKit

extension Case {
    init(row: any SQLRow) throws {
        func text(_ c: String) throws -> String? { try row.decodeNil(column: c) ? nil : try row.decode(column: c, as: String.self) }
        self.init(id: try row.decode(column: "id", as: Int64.self), personID: try row.decode(column: "person_id", as: Int64.self),
                  status: CaseStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .new,
                  action: CaseAction(rawValue: try row.decode(column: "action", as: String.self)) ?? .invite,
                  province: try text("province").flatMap(Province.init(rawValue:)), consultant: try text("consultant"),
                  openedOn: LocalDate(iso: try row.decode(column: "opened_on", as: String.self)) ?? LocalDate(ordinal: 0),
                  openedAt: try row.decode(column: "opened_at", as: String.self),
                  dueOn: try text("due_on").flatMap { LocalDate(iso: $0) }, nextAction: try text("next_action"),
                  closedOn: try text("closed_on").flatMap { LocalDate(iso: $0) },
                  suggestion: try text("suggestion").flatMap(Suggestion.init(rawValue:)),
                  track: try text("track").flatMap(Enrolment.Track.init(rawValue:)),
                  schoolSource: try text("school_source").flatMap(Source.init(rawValue:)))
    }
}

extension CaseScope {
    /// The scope as an SQL condition on `cases`.
    var condition: SQLQueryString {
        switch self {
        case .all: "1 = 1"
        case .provinces(let provinces):
            provinces.isEmpty ? "1 = 0" : "province IN (\(binds: provinces.map(\.rawValue)))"
        case .consultant(_, let provinces):
            provinces.isEmpty ? "1 = 0" : "province IN (\(binds: provinces.map(\.rawValue)))"
        case .none: "1 = 0"
        }
    }
}

extension Store {
    /// The case, if it exists within `scope`.
    public func caseSummary(_ id: Int64, scope: CaseScope) async throws -> Case? {
        try await reader.raw("SELECT * FROM cases WHERE id = \(bind: id) AND \(scope.condition)").first().map(Case.init(row:))
    }

    /// The whole case with the person's data — after writing the audit entry. A case outside the
    /// scope is not found, and the attempt is audited as denied; an anonymised case
    /// (`StoreError.anonymised`) has no person left to show.
    public func caseDetails(_ id: Int64, scope: CaseScope, actor: Actor) async throws -> CaseFile? {
        guard var summary = try await caseSummary(id, scope: scope) else {
            try await audit(AuditEntry(actor, .caseRead(id), outcome: .denied))
            return nil
        }
        var arrivals: [Fact] = []
        // The case and the records are two reads: a merge (the case moves to the surviving person)
        // or retention (the case is anonymised) can come between them. Then the case is read again.
        for attempt in 0..<3 {
            guard summary.personID != Store.anonymisedPerson else { throw StoreError.anonymised }
            arrivals = try await personFacts(summary.personID, on: reader)
            guard arrivals.isEmpty, attempt < 2 else { break }
            guard let again = try await caseSummary(id, scope: scope) else {
                try await audit(AuditEntry(actor, .caseRead(id), outcome: .denied))
                return nil
            }
            guard again.personID != summary.personID else { break }
            summary = again
        }
        guard let insz = PersonTimeline.insz(of: arrivals) else {
            throw StoreError.corrupted("a case points at a person without records")
        }
        // Fail closed: no audit entry, no data.
        try await audit(AuditEntry(actor, .caseRead(id), subject: keyring.auditSubject(insz)))
        let timeline = PersonTimeline(insz: insz, versions: arrivals)
        let decision = try await reader.raw("SELECT * FROM decisions WHERE person_id = \(bind: summary.personID)").first()
            .map { try StoredDecision(row: $0).decision }
        return CaseFile(summary: summary, insz: insz, register: timeline.personRecord(on: decision?.decidedOn ?? LocalDate(ordinal: .max / 2))?.1,
                           decision: decision, facts: timeline.facts, arrivals: arrivals, events: try await caseEvents(id))
    }

    /// How the audit log names the person of this case (for reads audited by the caller).
    public func auditSubject(of c: Case) async throws -> String? {
        try await auditSubject(person: c.personID, sql)
    }

    /// How the audit log names the person of a case.
    func auditSubject(person personID: Int64, _ sql: any SQLDatabase) async throws -> String? {
        try await insz(person: personID, sql).map(keyring.auditSubject)
    }

    /// A person's INSZ, from the first of their (sealed) records; for a person others were merged
    /// into, the number they go by (`PersonTimeline.insz(of:)`).
    func insz(person personID: Int64, _ sql: any SQLDatabase) async throws -> INSZ? {
        // One round trip: the first record, and whether anyone was merged into the person.
        guard let row = try await bulk(sql, """
            SELECT payload_sealed, (SELECT COUNT(*) FROM persons WHERE merged_into = ?) FROM source_records
            WHERE person_id = ? ORDER BY seq LIMIT 1
            """, [.integer(personID), .integer(personID)]).first, let sealed = row[0].blob else { return nil }
        if (row[1].integer ?? 0) > 0 { return PersonTimeline.insz(of: try await personFacts(personID, on: sql)) }
        return try keyring.openRecord(sealed).insz
    }

    /// Every stored version of every record about a person, oldest first.
    func personFacts(_ personID: Int64, on connection: (any SQLDatabase)? = nil) async throws -> [Fact] {
        try await facts(ofPersons: [personID], on: connection)[personID] ?? []
    }

    /// Every stored version of every record about these persons, oldest first per person, decrypted
    /// — 500 persons per query. `connection` is a transaction's (on SQLite its only connection).
    func facts(ofPersons ids: [Int64], on connection: (any SQLDatabase)? = nil) async throws -> [Int64: [Fact]] {
        let sql = connection ?? self.sql
        var facts: [Int64: [Fact]] = [:]
        for chunk in ids.chunked(into: 500) {
            let ids = Array(chunk)
            for row in try await bulk(sql, "SELECT seq, person_id, payload_sealed FROM source_records WHERE person_id IN (\(Store.list(ids.count))) ORDER BY seq",
                                      ids.map { .integer($0) }) {
                facts[row[1].integer!, default: []].append(try keyring.openFact(row[2].blob, sequence: row[0].integer!))
            }
        }
        return facts
    }

    /// The case's history, oldest first, notes decrypted. An event of a kind this version does not
    /// know is left out (none is written today).
    public func caseEvents(_ caseID: Int64) async throws -> [CaseHistoryEntry] {
        try await reader.raw("SELECT * FROM case_events WHERE case_id = \(bind: caseID) ORDER BY id").all().compactMap { row in
            let data = storedFields(try row.decode(column: "data", as: String.self))
            guard let event = CaseEvent(kind: try row.decode(column: "kind", as: String.self), fields: data) else { return nil }
            let sealed = try row.decodeNil(column: "note_sealed") ? nil : try row.decode(column: "note_sealed", as: Data.self)
            return CaseHistoryEntry(id: try row.decode(column: "id", as: Int64.self), at: try row.decode(column: "at", as: String.self),
                                    actor: try row.decode(column: "actor", as: String.self), event: event,
                                    note: try sealed.map { try keyring.openText($0, context: "case_events.note") })
        }
    }
}

extension Store {
    /// Open cases within the scope, newest first.
    public func openCases(scope: CaseScope, limit: Int) async throws -> [Case] {
        try await sql.raw("""
            SELECT * FROM cases WHERE closed_on IS NULL AND \(scope.condition) ORDER BY opened_at DESC, id DESC LIMIT \(literal: limit)
            """).all().map(Case.init(row:))
    }
}
