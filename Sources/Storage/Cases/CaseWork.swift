import Domain
import Foundation
import SQLKit

/// A case in a list, with what the consultant needs to recognise the young person.
public struct CaseListItem: Sendable, Codable, Equatable {
    public var summary: Case
    public var name: String?
    public var age: Int?
    public var municipality: String?
    public var school: String?
    public var overdue: Bool
    /// The person as the audit log names them (a keyed hash), for auditing the list view.
    public var subject: String? = nil
}

/// Filters of the caseload (all optional).
public struct CaseFilter: Sendable, Equatable {
    public var statuses: [CaseStatus] = []
    public var province: Province?
    public var source: Source?
    public var track: Enrolment.Track?
    public var consultant: String?
    public var unassigned = false
    public var overdueOnly = false
    /// A case number or an INSZ.
    public var search: String?
    public var includeClosed = false

    public init() {}
}

/// Where a page of cases starts: after this case in "newest first" order.
public struct CaseCursor: Sendable, Equatable, Codable {
    public var openedAt: String
    public var id: Int64

    public init(openedAt: String, id: Int64) {
        self.openedAt = openedAt
        self.id = id
    }

    /// `2026-11-29T10:00:00.000Z_42` in URLs.
    public var token: String { openedAt + "_" + String(id) }

    public init?(token: String) {
        guard let split = token.lastIndex(of: "_"), let id = Int64(token[token.index(after: split)...]) else { return nil }
        openedAt = String(token[..<split])
        self.id = id
    }
}

/// The team lead's view of one consultant.
public struct ConsultantLoad: Sendable, Codable, Equatable {
    public var username: String
    public var displayName: String
    public var open: Int
    public var overdue: Int
}

extension Store {
    func filterCondition(_ filter: CaseFilter, scope: CaseScope, today: LocalDate) async throws -> SQLQueryString {
        var parts: [SQLQueryString] = [scope.condition]
        if !filter.includeClosed { parts.append("closed_on IS NULL") }
        if !filter.statuses.isEmpty { parts.append("status IN (\(binds: filter.statuses.map(\.rawValue)))") }
        if let province = filter.province { parts.append("province = \(bind: province.rawValue)") }
        if let source = filter.source { parts.append("school_source = \(bind: source.rawValue)") }
        if let track = filter.track { parts.append("track = \(bind: track.rawValue)") }
        if let consultant = filter.consultant { parts.append("consultant = \(bind: consultant)") }
        if filter.unassigned { parts.append("consultant IS NULL") }
        if filter.overdueOnly { parts.append("due_on < \(bind: today.iso)") }
        if let search = filter.search {
            switch CaseSearch(search, allowTestNumbers: true, today: today) {
            case .caseNumber(let id):
                parts.append("id = \(bind: id)")
            case .insz(let insz):
                let person = try await bulk(sql, "SELECT COALESCE(merged_into, id) FROM persons WHERE insz_index = ?", [.blob(keyring.inszIndex(insz))]).first?[0].integer
                parts.append("person_id = \(bind: person ?? -1)")
            case .name, .nothing:
                // Names live only in sealed records: the caller searches them (`casesNamed`).
                parts.append("1 = 0")
            }
        }
        return parts.joined(separator: " AND ")
    }

    /// Cases within the scope and filter, newest first, from `cursor` on; with the overdue ones
    /// flagged. Reading names is reading personal data: the caller audits the page.
    public func caseList(scope: CaseScope, filter: CaseFilter, today: LocalDate, after cursor: CaseCursor? = nil,
                         limit: Int = 25, overdueFirst: Bool = false) async throws -> [CaseListItem] {
        try await withPeople(try await caseSummaries(scope: scope, filter: filter, today: today, after: cursor, limit: limit,
                                                     overdueFirst: overdueFirst), today: today)
    }

    /// The cases of `caseList` without their people (a page that shows two lists reads the people of
    /// both at once: `withPeople`).
    public func caseSummaries(scope: CaseScope, filter: CaseFilter, today: LocalDate, after cursor: CaseCursor? = nil,
                              limit: Int = 25, overdueFirst: Bool = false) async throws -> [Case] {
        var condition = try await filterCondition(filter, scope: scope, today: today)
        if let cursor {
            condition = condition + " AND (opened_at < \(bind: cursor.openedAt) OR (opened_at = \(bind: cursor.openedAt) AND id < \(bind: cursor.id)))"
        }
        let order: SQLQueryString = overdueFirst ? "due_on ASC, id DESC" : "opened_at DESC, id DESC"
        return try await reader.raw("SELECT * FROM cases WHERE \(condition) ORDER BY \(order) LIMIT \(literal: limit)")
            .all().map(Case.init(row:))
    }

    public func caseCount(scope: CaseScope, filter: CaseFilter, today: LocalDate) async throws -> Int {
        let condition = try await filterCondition(filter, scope: scope, today: today)
        return try await reader.raw("SELECT COUNT(*) AS n FROM cases WHERE \(condition)").first()!.decode(column: "n", as: Int.self)
    }

    /// Names, ages, municipalities and schools, from the persons' sealed records (one read for all;
    /// opened only for persons whose records changed since a list last showed them, the others come
    /// from `caseListPeople`).
    public func withPeople(_ summaries: [Case], today: LocalDate) async throws -> [CaseListItem] {
        guard !summaries.isEmpty else { return [] }
        let persons = Array(Set(summaries.map(\.personID)))
        // Every record's sequence number (what `CaseListPeople` compares), and the sealed ones a
        // list shows from — in one statement, so that the two agree; only the changed are opened.
        var sequences: [Int64: [Int64]] = [:]
        var sealed: [Int64: [(seq: Int64, payload: Data)]] = [:]
        for row in try await bulk(reader, """
            SELECT seq, person_id, CASE WHEN kind IN ('person', 'enrolment') THEN payload_sealed END FROM source_records
            WHERE person_id IN (\(Store.list(persons.count))) ORDER BY seq
            """, persons.map { .integer($0) }) {
            let seq = row[0].integer!, person = row[1].integer!
            sequences[person, default: []].append(seq)
            if let payload = row[2].blob { sealed[person, default: []].append((seq, payload)) }
        }
        let stamps = sequences.mapValues(CaseListPeople.Stamp.init(sequences:))
        var people = caseListPeople.current(stamps, on: today)
        let changed = persons.filter { stamps[$0] != nil && people[$0] == nil }
        if !changed.isEmpty {
            var made: [Int64: CaseListPeople.Person] = [:]
            for id in changed {
                let versions = try (sealed[id] ?? []).map { seq, payload in try keyring.openFact(payload, sequence: seq) }
                guard let insz = PersonTimeline.insz(of: versions) else { continue }
                let timeline = PersonTimeline(insz: insz, versions: versions)
                let register = timeline.personRecord(on: today)?.1
                made[id] = CaseListPeople.Person(stamp: stamps[id]!, day: today, name: register?.fullName,
                                                 age: (timeline.birthDate.exact ?? timeline.birthDate.latestPossible)?.age(on: today),
                                                 municipality: register?.municipality, school: timeline.lastEnrolment?.schoolName,
                                                 subject: keyring.auditSubject(insz))
            }
            caseListPeople.keep(made)
            people.merge(made) { _, new in new }
        }
        return summaries.map { summary in
            guard let person = people[summary.personID] else { return CaseListItem(summary: summary, overdue: summary.isOverdue(on: today)) }
            return CaseListItem(summary: summary, name: person.name, age: person.age, municipality: person.municipality,
                                school: person.school, overdue: summary.isOverdue(on: today), subject: person.subject)
        }
    }

    /// Cases within the scope (open or closed) whose young person's name contains every word of
    /// `name`, ignoring case and accents; newest first. Names exist only inside sealed records, so
    /// this decrypts the persons of the scope's cases chunk by chunk, and looks at no more than
    /// `scanning` cases. Reading names is reading personal data: the caller audits what it shows.
    public func casesNamed(_ name: String, scope: CaseScope, today: LocalDate, limit: Int = 20,
                           scanning: Int = 20_000) async throws -> [CaseListItem] {
        func fold(_ text: String) -> String {
            text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "nl_BE")).lowercased()
        }
        let words = fold(name).split(whereSeparator: { $0 == " " || $0 == "-" }).map(String.init)
        guard !words.isEmpty else { return [] }
        var filter = CaseFilter()
        filter.includeClosed = true
        var found: [CaseListItem] = []
        var cursor: CaseCursor?
        var scanned = 0
        while scanned < scanning, found.count < limit {
            let page = try await caseList(scope: scope, filter: filter, today: today, after: cursor, limit: 500)
            guard let last = page.last else { break }
            scanned += page.count
            cursor = CaseCursor(openedAt: last.summary.openedAt, id: last.summary.id)
            for item in page {
                guard let full = item.name.map(fold) else { continue }
                if words.allSatisfy(full.contains) { found.append(item) }
                if found.count == limit { break }
            }
            if page.count < 500 { break }
        }
        return found
    }

    /// The audit subjects of the persons of these cases (for auditing a list view).
    public func auditSubjects(cases: [CaseListItem]) async throws -> [Int64: String] {
        var subjects: [Int64: String] = [:]
        for item in cases where subjects[item.summary.id] == nil {
            if let subject = item.subject {
                subjects[item.summary.id] = subject
            } else {
                subjects[item.summary.id] = try await auditSubject(person: item.summary.personID, reader)
            }
        }
        return subjects
    }

    /// Open and overdue cases per consultant of a province.
    public func consultantLoads(province: Province, today: LocalDate) async throws -> [ConsultantLoad] {
        let counts = try await bulk(sql, """
            SELECT consultant, COUNT(*), SUM(CASE WHEN due_on < ? THEN 1 ELSE 0 END) FROM cases
            WHERE closed_on IS NULL AND province = ? AND consultant IS NOT NULL GROUP BY consultant
            """, [.text(today.iso), .text(province.rawValue)])
        var loads: [String: (Int, Int)] = [:]
        for row in counts { loads[row[0].text!] = (Int(row[1].integer ?? 0), Int(row[2].integer ?? 0)) }
        var result: [ConsultantLoad] = []
        for consultant in try await consultants(in: province) {
            let load = loads[consultant.username] ?? (0, 0)
            result.append(ConsultantLoad(username: consultant.username, displayName: consultant.displayName, open: load.0, overdue: load.1))
        }
        for (username, load) in loads where !result.contains(where: { $0.username == username }) {
            result.append(ConsultantLoad(username: username, displayName: username, open: load.0, overdue: load.1))
        }
        return result.sorted { $0.username < $1.username }
    }
}
