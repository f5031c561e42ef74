import Domain
import Foundation
import Privacy
import SQLKit

/// The pseudonymised statistics store (docs/monitoring.md, "The statistics store"): `stat_persons`
/// holds one `PersonStatistics` per person under a keyed pseudonym. It is kept up to date from
/// three feeds — source records, decisions, case events — each read from where the store last
/// stopped (`stat_progress`), and can be rebuilt from scratch. The dashboard, the status report
/// and the analyst read only this table.
extension Store {
    /// The feeds the statistics follow: a table, its increasing id, and how to get from a row to its person.
    static let statisticsFeeds: [(feed: String, maxQuery: String, personsQuery: String)] = [
        ("records", "SELECT MAX(seq) FROM source_records",
         "SELECT DISTINCT person_id FROM source_records WHERE seq > ? AND seq <= ?"),
        ("decisions", "SELECT MAX(id) FROM decision_history",
         "SELECT DISTINCT person_id FROM decision_history WHERE id > ? AND id <= ?"),
        ("case_events", "SELECT MAX(id) FROM case_events",
         "SELECT DISTINCT c.person_id FROM case_events e JOIN cases c ON c.id = e.case_id WHERE e.id > ? AND e.id <= ?"),
        // A merge counts the absorbed person no more and the survivor with the facts of both.
        ("merges", "SELECT MAX(id) FROM person_merges",
         "SELECT DISTINCT p.id FROM person_merges m JOIN persons p ON p.id IN (m.absorbed_id, m.survivor_id) WHERE m.id > ? AND m.id <= ?"),
    ]

    /// The pseudonym of a person in the statistics (and in the policy simulation's examples): keyed,
    /// not the INSZ's blind index, so the statistics cannot be joined to the case data without the key.
    public func statisticsPseudonym(_ personID: Int64) -> String { keyring.blindIndex(String(personID), purpose: .pseudonym) }

    /// Where the statistics store's feeds stand: it changes with every refresh or rebuild that
    /// wrote something (a dashboard made at an earlier version is out of date).
    public func statisticsVersion() async throws -> String {
        try await bulk(reader, "SELECT feed, position FROM stat_progress ORDER BY feed", []).map { "\($0[0].text ?? ""):\($0[1].integer ?? 0)" }
            .joined(separator: ",")
    }

    /// Brings the statistics up to date with everything that happened since the last call: the
    /// persons with a new record, decision or case event. Returns how many persons it refreshed.
    @discardableResult
    public func refreshStatistics() async throws -> Int {
        var progress: [String: Int64] = [:]
        for row in try await bulk(sql, "SELECT feed, position FROM stat_progress", []) { progress[row[0].text ?? ""] = row[1].integer ?? 0 }
        var persons: Set<Int64> = []
        var reached: [(String, Int64)] = []
        for feed in Self.statisticsFeeds {
            let top = try await bulk(sql, feed.maxQuery, []).first?.first?.integer ?? 0
            let from = progress[feed.feed] ?? 0
            guard top > from else { continue }
            for row in try await bulk(sql, feed.personsQuery, [.integer(from), .integer(top)]) { if let id = row[0].integer { persons.insert(id) } }
            reached.append((feed.feed, top))
        }
        try await refreshStatistics(persons: persons.sorted())
        for (feed, position) in reached {
            _ = try await bulk(sql, "INSERT INTO stat_progress (feed, position) VALUES (?, ?) ON CONFLICT (feed) DO UPDATE SET position = excluded.position",
                               [.text(feed), .integer(position)])
        }
        return persons.count
    }

    /// Empties the statistics and makes them again from the records, decisions and cases of every
    /// person the figures count: the school leavers (a decision with a day of leaving) and the
    /// persons with a case (`writeStatistics` says why); nobody else gets a row, so nobody
    /// else is read. Returns the number of rows. The persons go in chunks of a thousand, `workers`
    /// chunks at a time: opening and decoding one chunk's records and computing its rows (one core)
    /// overlaps with the other chunk's statements (on SQLite's one connection, or PostgreSQL's pool).
    @discardableResult
    public func rebuildStatistics(workers: Int = 2) async throws -> Int {
        var tops: [(String, Int64)] = []
        for feed in Self.statisticsFeeds { tops.append((feed.feed, try await bulk(sql, feed.maxQuery, []).first?.first?.integer ?? 0)) }
        _ = try await transaction { sql in
            _ = try await self.bulk(sql, "DELETE FROM stat_persons", [])
            _ = try await self.bulk(sql, "DELETE FROM stat_leaver_counts", [])
            return try await self.nextStatisticsCounter("generation", sql)
        }
        // The persons who may be in the figures, read once (a school leaver's or a case's person
        // id per row: a few hundred thousand integers at ten school years).
        let candidates = try await bulk(sql, "SELECT person_id FROM decisions WHERE left_on IS NOT NULL UNION SELECT person_id FROM cases ORDER BY 1",
                                        []).compactMap { $0[0].integer }
        var count = 0
        try await withThrowingTaskGroup(of: Int.self) { group in
            var running = 0
            for chunk in candidates.chunked(into: 1000) {
                let ids = Array(chunk)
                if running == max(1, workers) {
                    count += try await group.next() ?? 0
                    running -= 1
                }
                group.addTask { try await self.writeStatistics(persons: ids, counting: false, emptied: true).written }
                running += 1
            }
            while let written = try await group.next() { count += written }
        }
        _ = try await bulk(sql, "INSERT INTO stat_leaver_counts (left_on, province, source, track, n) " + Self.leaverCountsSelect(where: ""), [])
        for (feed, position) in tops {
            _ = try await bulk(sql, "INSERT INTO stat_progress (feed, position) VALUES (?, ?) ON CONFLICT (feed) DO UPDATE SET position = excluded.position",
                               [.text(feed), .integer(position)])
        }
        return count
    }

    /// Makes the statistics of these persons again, and the qualified leavers' counts of the days
    /// they left on. A person whose records are gone (purged after the retention period) keeps the
    /// row they had: the statistics outlive the case data.
    @discardableResult
    func refreshStatistics(persons ids: [Int64]) async throws -> Int {
        let (written, days) = try await writeStatistics(persons: ids, counting: true)
        try await recountLeavers(days: days)
        return written
    }

    /// Writes the rows of these persons; with `counting`, returns the days of leaving whose
    /// qualified leavers' counts (`stat_leaver_counts`) the rows changed — the day a row counted
    /// on before and the day it counts on now. Every figure is about school leavers (a decision
    /// with a day of leaving) or persons with a case, so nobody else gets a row: at ten school years
    /// nine persons in ten (pupils still at school, children in the register), whose records are
    /// then not even opened. One who has a row keeps it up to date (a leaver whose leaving the
    /// school withdrew: the row stays, out of every figure, and a server's `StatisticsMirror` sees
    /// it leave) — unless the table was `emptied` just before (a rebuild), when no row exists.
    func writeStatistics(persons ids: [Int64], counting: Bool, emptied: Bool = false) async throws -> (written: Int, days: Set<String>) {
        var written = 0
        var days: Set<String> = []
        for chunk in ids.chunked(into: 500) {
            let ids = Array(chunk)
            let binds = ids.map { BulkValue.integer($0) }
            let list = Store.list(ids.count)
            let pseudonym = Dictionary(uniqueKeysWithValues: ids.map { ($0, statisticsPseudonym($0)) })
            // A person merged into another is counted once, as the other.
            let merged = Set(try await bulk(sql, "SELECT id FROM persons WHERE merged_into IS NOT NULL AND id IN (\(list))", binds)
                .compactMap { $0[0].integer })
            var decisions: [Int64: StatisticsInput.DecisionFacts] = [:]
            for row in try await bulk(sql, """
                SELECT person_id, outcome, exclusion, left_on, qualified, province, track, school_source FROM decisions WHERE person_id IN (\(list))
                """, binds) {
                decisions[row[0].integer!] = StatisticsInput.DecisionFacts(
                    outcome: row[1].text ?? "", exclusion: row[2].text, leftOn: row[3].text.flatMap { LocalDate(iso: $0) },
                    qualified: row[4].integer == 1, province: row[5].text.flatMap(Province.init(rawValue:)),
                    track: row[6].text.flatMap(Enrolment.Track.init(rawValue:)), source: row[7].text.flatMap(Source.init(rawValue:)))
            }
            var cases: [Int64: Case] = [:]
            for row in try await sql.raw("SELECT * FROM cases WHERE person_id IN (\(binds: ids))").all() {
                let c = try Case(row: row)
                cases[c.id] = c
            }
            // Whose row to write: those the figures count (a day of leaving, a case), and those out
            // of them who have a row to keep up to date. Nobody else's records are opened.
            let withCase = Set(cases.values.map(\.personID))
            var opened = ids.filter { !merged.contains($0) && (decisions[$0]?.leftOn != nil || withCase.contains($0)) }
            if !emptied {
                let counted = Set(opened)
                var others: [String: Int64] = [:]
                for id in ids where !merged.contains(id) && !counted.contains(id) { others[pseudonym[id]!] = id }
                for part in Array(others.keys).chunked(into: 500) where !part.isEmpty {
                    for row in try await bulk(sql, "SELECT pseudonym FROM stat_persons WHERE pseudonym IN (\(Store.list(part.count)))",
                                              part.map { BulkValue.text($0) }) {
                        if let id = row[0].text.flatMap({ others[$0] }) { opened.append(id) }
                    }
                }
            }
            let facts = try await facts(ofPersons: opened)
            var detected: [Int64: LocalDate] = [:]
            for part in opened.chunked(into: 500) where !part.isEmpty {
                for row in try await bulk(sql, """
                    SELECT person_id, MIN(decided_on) FROM decision_history WHERE left_on IS NOT NULL AND person_id IN (\(Store.list(part.count)))
                    GROUP BY person_id
                    """, part.map { BulkValue.integer($0) }) {
                    detected[row[0].integer!] = row[1].text.flatMap { LocalDate(iso: $0) }
                }
            }
            var events: [Int64: [(on: LocalDate, event: CaseEvent)]] = [:]
            for chunk in Array(cases.keys).chunked(into: 500) where !chunk.isEmpty {
                for row in try await bulk(sql, """
                    SELECT case_id, at, kind, data FROM case_events WHERE case_id IN (\(Store.list(chunk.count)))
                    AND kind IN ('letter', 'answer', 'contact', 'registration_confirmed', 'referral') ORDER BY id
                    """, chunk.map { .integer($0) }) {
                    guard let day = row[1].text.flatMap(Self.belgianDay),
                          let event = CaseEvent(kind: row[2].text ?? "", fields: storedFields(row[3].text ?? "{}")) else { continue }
                    events[row[0].integer!, default: []].append((day, event))
                }
            }
            let casesByPerson = Dictionary(grouping: cases.values, by: \.personID)
            let updatedAt = timestamp()
            var rows: [[BulkValue]] = []
            for id in opened {
                guard let versions = facts[id], let insz = PersonTimeline.insz(of: versions) else { continue }
                let input = StatisticsInput(
                    pseudonym: pseudonym[id]!, timeline: PersonTimeline(insz: insz, versions: versions), decision: decisions[id],
                    detectedOn: detected[id],
                    cases: (casesByPerson[id] ?? []).map { StatisticsInput.CaseFacts(summary: $0, events: events[$0.id] ?? []) })
                let statistics = PersonStatistics(input)
                if counting, statistics.qualified, statistics.caseOpenedOn == nil, let left = statistics.leftOn { days.insert(left.iso) }
                rows.append(Self.statisticsValues(statistics, updatedAt: updatedAt))
            }
            // The writing itself in one transaction that takes the next revision first: writers of
            // the statistics take turns on that counter until they commit, so revisions commit in
            // order (`StatisticsMirror` relies on it), and what a row counted on before is read
            // with no other writer in between.
            let pseudonyms = ids.map { BulkValue.text(pseudonym[$0]!) }
            let absorbed = merged.map { BulkValue.text(pseudonym[$0]!) }
            let values = rows
            let before = try await transaction { sql in
                let revision = try await self.nextStatisticsCounter("revision", sql)
                var before: Set<String> = []
                if counting {
                    for row in try await self.bulk(sql, """
                        SELECT left_on FROM stat_persons WHERE pseudonym IN (\(list)) AND \(Self.countedAsQualifiedLeaver)
                        """, pseudonyms) {
                        if let day = row[0].text { before.insert(day) }
                    }
                }
                if !absorbed.isEmpty, !(try await self.bulk(sql, """
                    DELETE FROM stat_persons WHERE pseudonym IN (\(Store.list(absorbed.count))) RETURNING pseudonym
                    """, absorbed)).isEmpty {
                    // A row gone: a process holding the rows in memory reads them all again.
                    _ = try await self.nextStatisticsCounter("generation", sql)
                }
                let columns = Self.statisticsColumns + ["revision"]
                for part in values.chunked(into: 200) where !part.isEmpty {
                    _ = try await self.bulk(sql, "INSERT INTO stat_persons (\(columns.joined(separator: ", "))) VALUES "
                        + Store.placeholders(rows: part.count, columns: columns.count)
                        + " ON CONFLICT (pseudonym) DO UPDATE SET "
                        + columns.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", "), part.flatMap { $0 + [.integer(revision)] })
                }
                return before
            }
            days.formUnion(before)
            written += values.count
        }
        return (written, days)
    }

    /// Moves one of the statistics' counters in `stat_progress` on and returns its new value:
    /// `revision` (every write), `generation` (rows deleted: read everything again).
    func nextStatisticsCounter(_ feed: String, _ sql: any SQLDatabase) async throws -> Int64 {
        try await bulk(sql, """
            INSERT INTO stat_progress (feed, position) VALUES (?, 1)
            ON CONFLICT (feed) DO UPDATE SET position = stat_progress.position + 1 RETURNING position
            """, [.text(feed)]).first?.first?.integer ?? 0
    }

    /// What `stat_leaver_counts` counts: a qualified school leaver without a case.
    static let countedAsQualifiedLeaver = "qualified = 1 AND case_opened_on IS NULL AND left_on IS NOT NULL"

    /// The qualified leavers per day of leaving, province, source and track, in `stat_persons`
    /// (`where`: more conditions, from " AND …"), as the rows of `stat_leaver_counts`.
    static func leaverCountsSelect(where more: String) -> String {
        let key = "left_on, COALESCE(province, ''), COALESCE(source, ''), COALESCE(track, '')"
        return "SELECT \(key), COUNT(*) FROM stat_persons WHERE \(countedAsQualifiedLeaver)\(more) GROUP BY \(key)"
    }

    /// Counts the qualified leavers of these days of leaving again. Idempotent (a count, not an
    /// increment): two processes refreshing at once leave the counts of what both wrote.
    func recountLeavers(days: Set<String>) async throws {
        for chunk in days.sorted().chunked(into: 200) where !chunk.isEmpty {
            let binds = chunk.map { BulkValue.text($0) }
            let list = Store.list(chunk.count)
            _ = try await transaction { sql in
                _ = try await self.bulk(sql, "DELETE FROM stat_leaver_counts WHERE left_on IN (\(list))", binds)
                _ = try await self.bulk(sql, "INSERT INTO stat_leaver_counts (left_on, province, source, track, n) "
                    + Self.leaverCountsSelect(where: " AND left_on IN (\(list))")
                    + " ON CONFLICT (left_on, province, source, track) DO UPDATE SET n = excluded.n", binds)
            }
        }
    }

    static let statisticsColumns = [
        "pseudonym", "birth_month", "sex", "province", "track", "school_number", "source", "left_on", "qualified", "outcome", "exclusion",
        "detected_on", "case_opened_on", "case_closed_on", "case_status", "first_letter_on", "first_answer_on", "first_attempt_on",
        "first_reached_on", "registered_on", "referred_on", "referral_accepted_on", "offer_on", "contacts", "situation_6", "situation_12",
        "situation_18", "job_seeking_one_year_later", "updated_at",
    ]

    static func statisticsValues(_ s: PersonStatistics, updatedAt: String) -> [BulkValue] {
        func day(_ d: LocalDate?) -> BulkValue { BulkValue(d?.iso) }
        return [
            .text(s.pseudonym), BulkValue(s.birthMonth), BulkValue(s.sex), BulkValue(s.province?.rawValue), BulkValue(s.track?.rawValue),
            BulkValue(s.schoolNumber), BulkValue(s.source?.rawValue), day(s.leftOn), .integer(s.qualified ? 1 : 0), .text(s.outcome),
            BulkValue(s.exclusion), day(s.detectedOn), day(s.caseOpenedOn), day(s.caseClosedOn), BulkValue(s.caseStatus?.rawValue),
            day(s.firstLetterOn), day(s.firstAnswerOn), day(s.firstAttemptOn), day(s.firstReachedOn), day(s.registeredOn), day(s.referredOn),
            day(s.referralAcceptedOn), day(s.offerOn), .integer(Int64(s.contacts)), BulkValue(s.situation6?.rawValue),
            BulkValue(s.situation12?.rawValue), BulkValue(s.situation18?.rawValue),
            s.jobSeekingOneYearLater.map { .integer($0 ? 1 : 0) } ?? .null, .text(updatedAt),
        ]
    }

    /// The Belgian calendar day of a stored UTC instant (`2026-03-01T23:30:00.000Z` is 2 March in Belgium).
    static func belgianDay(_ stored: String) -> LocalDate? {
        guard stored.count >= 19, let day = LocalDate(iso: String(stored.prefix(10))) else { return nil }
        let parts = stored.dropFirst(11).prefix(8).split(separator: ":").compactMap { Int($0) }
        guard parts.count == 3 else { return day }
        let seconds = Double(day.ordinal) * 86_400 + Double(parts[0] * 3600 + parts[1] * 60 + parts[2])
        return LocalDate(in: Clock.belgium, at: Date(timeIntervalSince1970: seconds))
    }
}

extension Store {
    /// The rows of the statistics store for the dashboard: school leavers and persons with a case,
    /// within the filter's provinces, source and track (the period is the dashboard's to apply:
    /// the consultants' work counts cases whatever the month of leaving).
    /// `qualified: false` leaves out the qualified school leavers without a case (most leavers: the
    /// dashboard counts them with `qualifiedLeavers` instead of reading them one by one).
    public func statistics(provinces: [Province] = [], source: Source? = nil, track: Enrolment.Track? = nil,
                           qualified: Bool = true) async throws -> [PersonStatistics] {
        var conditions: [String] = []
        var binds: [BulkValue] = []
        if !provinces.isEmpty {
            conditions.append("province IN (\(Store.list(provinces.count)))")
            binds += provinces.map { .text($0.rawValue) }
        }
        if let source {
            conditions.append("source = ?")
            binds.append(.text(source.rawValue))
        }
        if let track {
            conditions.append("track = ?")
            binds.append(.text(track.rawValue))
        }
        let columns = Self.statisticsColumns.dropLast().joined(separator: ", ")
        let filter = conditions.map { " AND " + $0 }.joined()
        // Two parts that each use an index: the leavers (of one kind or both), and the persons with
        // a case not among them.
        let leavers = qualified ? "left_on IS NOT NULL" : "qualified = 0 AND left_on IS NOT NULL"
        return try await bulk(reader, """
            SELECT \(columns) FROM stat_persons WHERE \(leavers)\(filter)
            UNION ALL
            SELECT \(columns) FROM stat_persons WHERE case_opened_on IS NOT NULL AND NOT (\(leavers))\(filter)
            """, binds + binds).map(Self.personStatistics)
    }

    /// What the dashboard reads one by one (`statistics(qualified: false)`, no filter), in SQL.
    static let readByTheDashboard = "((qualified = 0 AND left_on IS NOT NULL) OR case_opened_on IS NOT NULL)"

    /// The rows written in revisions `after`+1 … `upTo` (`StatisticsMirror`): those the dashboard
    /// reads, and the pseudonyms of those it no longer does.
    public func statistics(revisionsAfter after: Int64, upTo: Int64) async throws -> (rows: [PersonStatistics], leaving: [String]) {
        let columns = Self.statisticsColumns.dropLast().joined(separator: ", ")
        let range = "revision > ? AND revision <= ?"
        let binds: [BulkValue] = [.integer(after), .integer(upTo)]
        let rows = try await bulk(reader, "SELECT \(columns) FROM stat_persons WHERE \(range) AND \(Self.readByTheDashboard)", binds)
            .map(Self.personStatistics)
        let leaving = try await bulk(reader, "SELECT pseudonym FROM stat_persons WHERE \(range) AND NOT \(Self.readByTheDashboard)", binds)
            .compactMap { $0[0].text }
        return (rows, leaving)
    }

    /// The statistics' counters (`nextStatisticsCounter`): the last revision written, the generation.
    public func statisticsCounters() async throws -> [String: Int64] {
        var counters: [String: Int64] = [:]
        for row in try await bulk(reader, "SELECT feed, position FROM stat_progress WHERE feed IN ('revision', 'generation')", []) {
            counters[row[0].text ?? ""] = row[1].integer ?? 0
        }
        return counters
    }

    static func personStatistics(_ row: [BulkValue]) -> PersonStatistics {
        func day(_ i: Int) -> LocalDate? { row[i].text.flatMap { LocalDate(iso: $0) } }
        func situation(_ i: Int) -> PersonStatistics.Situation? { row[i].text.flatMap(PersonStatistics.Situation.init(rawValue:)) }
        return PersonStatistics(
            pseudonym: row[0].text ?? "", birthMonth: row[1].text, sex: row[2].text, province: row[3].text.flatMap(Province.init(rawValue:)),
            track: row[4].text.flatMap(Enrolment.Track.init(rawValue:)), schoolNumber: row[5].text, source: row[6].text.flatMap(Source.init(rawValue:)),
            leftOn: day(7), qualified: row[8].integer == 1, outcome: row[9].text ?? "", exclusion: row[10].text, detectedOn: day(11),
            caseOpenedOn: day(12), caseClosedOn: day(13), caseStatus: row[14].text.flatMap(CaseStatus.init(rawValue:)), firstLetterOn: day(15),
            firstAnswerOn: day(16), firstAttemptOn: day(17), firstReachedOn: day(18), registeredOn: day(19), referredOn: day(20),
            referralAcceptedOn: day(21), offerOn: day(22), contacts: Int(row[23].integer ?? 0), situation6: situation(24), situation12: situation(25),
            situation18: situation(26), jobSeekingOneYearLater: row[27].integer.map { $0 == 1 })
    }
}

extension Store {
    /// The qualified school leavers without a case, counted per row of the dashboard's split
    /// (`StatisticsSplit.key` in SQL), within the filter: what `statistics(qualified: false)` leaves
    /// out. Read from their counts per day (`stat_leaver_counts`), not from the persons.
    public func qualifiedLeavers(_ filter: StatisticsFilter, split: StatisticsSplit) async throws -> [String: Int] {
        let unknown = "'\(StatisticsTable.unknown)'"
        let key = switch split {
        case .month: "substr(left_on, 1, 7)"
        case .province: "CASE WHEN province = '' THEN \(unknown) ELSE province END"
        case .source: "CASE WHEN source = '' THEN \(unknown) ELSE source END"
        case .track: "CASE WHEN track = '' THEN \(unknown) ELSE track END"
        }
        var conditions = ["n > 0"]
        var binds: [BulkValue] = []
        if let from = filter.from { conditions.append("left_on >= ?"); binds.append(.text(from.iso)) }
        if let to = filter.to { conditions.append("left_on <= ?"); binds.append(.text(to.iso)) }
        if !filter.provinces.isEmpty {
            conditions.append("province IN (\(Store.list(filter.provinces.count)))")
            binds += filter.provinces.map { .text($0.rawValue) }
        }
        if let source = filter.source { conditions.append("source = ?"); binds.append(.text(source.rawValue)) }
        if let track = filter.track { conditions.append("track = ?"); binds.append(.text(track.rawValue)) }
        var counts: [String: Int] = [:]
        for row in try await bulk(reader, "SELECT \(key) AS k, SUM(n) FROM stat_leaver_counts WHERE \(conditions.joined(separator: " AND ")) GROUP BY \(key)", binds) {
            counts[row[0].text ?? StatisticsTable.unknown, default: 0] += Int(row[1].integer ?? 0)
        }
        return counts
    }
}

extension Store {
    /// School leavers and the unqualified among them per school number, track and school year
    /// (the year a school year starts in: a leaver of June 2026 belongs to 2025), within `provinces`
    /// (empty: all) — for the early warning per school.
    public func schoolLeaverCounts(provinces: [Province] = []) async throws -> [SchoolWarning.Count] {
        let year = "(CAST(substr(left_on, 1, 4) AS INTEGER) - CASE WHEN substr(left_on, 6, 2) < '09' THEN 1 ELSE 0 END)"
        var conditions = ["left_on IS NOT NULL", "school_number IS NOT NULL"]
        var binds: [BulkValue] = []
        if !provinces.isEmpty {
            conditions.append("province IN (\(Store.list(provinces.count)))")
            binds = provinces.map { .text($0.rawValue) }
        }
        return try await bulk(sql, """
            SELECT school_number, COALESCE(track, '\(StatisticsTable.unknown)'), \(year), COUNT(*), SUM(1 - qualified)
            FROM stat_persons WHERE \(conditions.joined(separator: " AND ")) GROUP BY school_number, COALESCE(track, '\(StatisticsTable.unknown)'), \(year)
            """, binds).map { row in
            SchoolWarning.Count(school: row[0].text ?? "", track: row[1].text ?? StatisticsTable.unknown, schoolYear: Int(row[2].integer ?? 0),
                                leavers: Int(row[3].integer ?? 0), unqualified: Int(row[4].integer ?? 0))
        }
    }
}
