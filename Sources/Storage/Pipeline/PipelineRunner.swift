import Domain
import Foundation
import Logging
import Privacy
import SQLKit

/// What one pipeline run did.
public struct PipelineReport: Codable, Sendable, Equatable {
    /// Persons decided (again).
    public var decided = 0
    /// Decisions that changed.
    public var changed = 0
    public var casesOpened = 0
    public var casesReopened = 0
    /// Open cases nobody had acted on, closed because the young person is no longer to be reached.
    public var casesWithdrawn = 0
    /// Registration requests written into the outbox (policy action `auto-register`).
    public var registrationsRequested = 0
    /// New cases that found no consultant for their province.
    public var unassigned = 0
    /// Suggestions put on open cases (started work, re-enrolled, …).
    public var suggestions = 0
    /// New facts attached to open cases.
    public var factsAttached = 0

    public init() {}

    static func + (lhs: PipelineReport, rhs: PipelineReport) -> PipelineReport {
        var sum = lhs
        sum.decided += rhs.decided; sum.changed += rhs.changed; sum.casesOpened += rhs.casesOpened
        sum.casesReopened += rhs.casesReopened; sum.unassigned += rhs.unassigned; sum.suggestions += rhs.suggestions
        sum.factsAttached += rhs.factsAttached; sum.casesWithdrawn += rhs.casesWithdrawn
        sum.registrationsRequested += rhs.registrationsRequested
        return sum
    }

    enum CodingKeys: String, CodingKey {
        case decided, changed
        case casesOpened = "cases_opened"
        case casesReopened = "cases_reopened"
        case casesWithdrawn = "cases_withdrawn"
        case registrationsRequested = "registrations_requested"
        case unassigned, suggestions
        case factsAttached = "facts_attached"
    }
}

/// Turns the schedule into decisions and cases: every person due on `today` is decided again from
/// their facts, the decision stored when it changed, their case opened, reopened or annotated, and
/// their next timer set. Persons are claimed in chunks, each chunk in one transaction (on
/// PostgreSQL with `FOR UPDATE SKIP LOCKED`, so several workers can share the schedule).
public struct PipelineRunner: Sendable {
    public let store: Store
    public let decider: Decider
    public let regions: Regions
    public let today: LocalDate
    public var chunkSize = 1000
    let logger = Logger(label: "vangnet.pipeline")

    public init(store: Store, policy: Policy, regions: Regions, today: LocalDate) {
        self.store = store
        self.decider = Decider(policy: policy, brusselsProvince: regions.brusselsProvince)
        self.regions = regions
        self.today = today
    }

    /// Runs until no one is due. `progress` is called after each chunk with the persons decided so far.
    public func run(progress: (@Sendable (Int) -> Void)? = nil) async throws -> PipelineReport {
        var assigner = CaseAssigner(consultants: regions.consultants, openCases: try await openCaseLoad())
        var report = PipelineReport()
        while true {
            let current = assigner
            let (chunk, next) = try await store.transaction { sql in
                try await self.processChunk(sql, assigner: current)
            }
            assigner = next
            if chunk.decided == 0 { break }
            report = report + chunk
            progress?(report.decided)
        }
        logger.info("pipeline run", metadata: [
            "component": "pipeline", "decided": "\(report.decided)", "changed": "\(report.changed)",
            "cases_opened": "\(report.casesOpened)", "as_of": "\(today.iso)",
        ])
        return report
    }

    func openCaseLoad() async throws -> [String: Int] {
        let rows = try await store.sql.raw("""
            SELECT consultant, COUNT(*) AS n FROM cases WHERE closed_on IS NULL AND consultant IS NOT NULL GROUP BY consultant
            """).all()
        var load: [String: Int] = [:]
        for row in rows { load[try row.decode(column: "consultant", as: String.self)] = try row.decode(column: "n", as: Int.self) }
        return load
    }

    /// A person's case with the last fact it has seen.
    struct CaseRow {
        let state: Case
        let lastFactSeq: Int64
        var id: Int64 { state.id }
        var open: Bool { state.isOpen }
    }

    func processChunk(_ sql: any SQLDatabase, assigner initial: CaseAssigner) async throws -> (PipelineReport, CaseAssigner) {
        var assigner = initial
        var report = PipelineReport()
        let keyring = store.keyring
        let todayText = today.iso

        // 1. Claim the persons due today.
        let claimed = try await store.bulk(sql, "SELECT person_id FROM schedule WHERE due_on <= ? ORDER BY due_on, person_id LIMIT \(chunkSize)"
                                           + store.skipLocked, [.text(todayText)]).compactMap { $0[0].integer }
        guard !claimed.isEmpty else { return (report, assigner) }

        // 2. Their records, every version; and versions of the same records that now belong to
        //    someone else (a correction that moved a record to another INSZ).
        var versions: [Int64: [Fact]] = [:]
        let rows = try await store.bulk(sql, "SELECT seq, person_id, payload_sealed FROM source_records WHERE person_id IN ("
                                        + Store.list(claimed.count) + ")", claimed.map { .integer($0) })
        for row in rows {
            versions[row[1].integer!, default: []].append(try keyring.openFact(row[2].blob, sequence: row[0].integer!))
        }
        let moved = try await store.bulk(sql, """
            SELECT r.person_id, o.source, o.record_id, o.seq, o.recorded_at
            FROM source_records r JOIN source_records o ON o.source = r.source AND o.record_id = r.record_id
            WHERE r.person_id IN (\(Store.list(claimed.count))) AND o.person_id <> r.person_id
            """, claimed.map { .integer($0) })
        var foreign: [Int64: [String: VersionOrder.ForeignVersion]] = [:]
        for row in moved {
            let person = row[0].integer!
            guard let source = Source(rawValue: row[1].text ?? "") else { continue }
            let key = VersionOrder.recordKey(source: source, recordID: row[2].text!)
            let seq = row[3].integer!
            if let held = foreign[person]?[key], held.sequence > seq { continue }
            foreign[person, default: [:]][key] = VersionOrder.ForeignVersion(sequence: seq, recordedAt: row[4].text)
        }

        // 3. What was decided before, and their cases.
        var previous: [Int64: StoredDecision] = [:]
        for row in try await store.bulk(sql, "SELECT \(StoredDecision.columns) FROM decisions WHERE person_id IN (\(Store.list(claimed.count)))",
                                        claimed.map { .integer($0) }) {
            let stored = StoredDecision(bulk: row)
            previous[stored.personID] = stored
        }
        var cases: [Int64: [CaseRow]] = [:]
        for row in try await sql.raw("SELECT * FROM cases WHERE person_id IN (\(binds: claimed)) ORDER BY id").all() {
            let state = try Case(row: row)
            cases[state.personID, default: []].append(CaseRow(state: state, lastFactSeq: try row.decode(column: "last_fact_seq", as: Int64.self)))
        }
        // Which of their open cases someone acted on (CaseRules.actedOn): the others may be withdrawn.
        let openIDs = cases.values.flatMap { $0.filter(\.open).map(\.state.id) }
        var actors: [Int64: Set<String>] = [:]
        var handedOver: Set<Int64> = []
        var registrationSent: Set<Int64> = []
        if !openIDs.isEmpty {
            for row in try await store.bulk(sql, """
                SELECT DISTINCT case_id FROM registration_outbox WHERE status IN ('accepted', 'confirmed') AND case_id IN (\(Store.list(openIDs.count)))
                """, openIDs.map { .integer($0) }) {
                registrationSent.insert(row[0].integer!)
            }
            for row in try await store.bulk(sql, "SELECT DISTINCT case_id, actor FROM case_events WHERE case_id IN (\(Store.list(openIDs.count)))",
                                            openIDs.map { .integer($0) }) {
                actors[row[0].integer!, default: []].insert(row[1].text ?? "")
            }
            for row in try await store.bulk(sql, "SELECT DISTINCT case_id FROM letters WHERE status <> 'in_batch' AND case_id IN (\(Store.list(openIDs.count)))",
                                            openIDs.map { .integer($0) }) {
                handedOver.insert(row[0].integer!)
            }
        }

        // 4. Decide.
        let now = store.timestamp()
        var decisionRows: [(Int64, StoredDecision)] = []
        var historyRows: [(Int64, StoredDecision)] = []
        var timers: [(Int64, String)] = []
        var events: [CaseEventRow] = []
        for personID in claimed {
            report.decided += 1
            // Without the records whose current version now belongs to another person.
            let facts = VersionOrder.withoutMovedRecords(versions[personID] ?? [], foreign: foreign[personID] ?? [:])
            let decision = PersonTimeline.insz(of: facts).map { decider.decide(PersonTimeline(insz: $0, versions: facts), on: today) }
                ?? decider.decideWithoutRecords(on: today)
            let stored = StoredDecision(personID: personID, decision: decision, decidedAt: now)
            let before = previous[personID]
            let changed = before.map { !$0.saysTheSame(as: stored) } ?? true
            if changed {
                report.changed += 1
                decisionRows.append((personID, stored))
                if decision.leftSchoolOn != nil || before?.leftOn != nil { historyRows.append((personID, stored)) }
            }
            if let review = decision.reviewOn { timers.append((personID, review.iso)) }

            // 5. The case follows.
            let personCases = cases[personID] ?? []
            let openCase = personCases.last { $0.open }
            // A case closed by a merge goes on in the other case: it is not the one to reopen.
            let closedCase = personCases.last { !$0.open && $0.state.status != .merged }
            let maxSeq = facts.map(\.reference.sequence).max() ?? 0
            let update = CaseUpdate.after(previous: before?.outline, current: decision,
                                          hasOpenCase: openCase != nil, hasClosedCase: closedCase != nil)
            var withdrew = false
            switch update {
            case .none:
                break
            case .open(let action, let province):
                let consultant = assigner.assign(in: province)
                if consultant == nil { report.unassigned += 1 }
                let opening = Case.opening(action: action, province: province, consultant: consultant,
                                           policyVersion: decision.policyVersion, on: today)
                let row = try await sql.raw("""
                    INSERT INTO cases (person_id, status, action, province, consultant, opened_on, opened_at, due_on,
                    next_action, track, school_source, last_fact_seq, updated_at)
                    VALUES (\(bind: personID), \(bind: opening.status.rawValue), \(bind: opening.action.rawValue),
                    \(bind: opening.province?.rawValue), \(bind: opening.consultant), \(bind: opening.openedOn.iso), \(bind: now),
                    \(bind: opening.dueOn.iso), \(bind: opening.nextAction), \(bind: decision.track?.rawValue),
                    \(bind: decision.schoolSource?.rawValue), \(bind: maxSeq), \(bind: now))
                    RETURNING id
                    """).first()
                let caseID = try row!.decode(column: "id", as: Int64.self)
                report.casesOpened += 1
                if action == .autoRegister, let insz = PersonTimeline.insz(of: facts) {
                    try await requestRegistration(caseID: caseID, insz: insz, facts: facts, decision: decision, sql)
                    report.registrationsRequested += 1
                }
                events += opening.events.map { CaseEventRow(caseID: caseID, at: now, actor: Self.actor, event: $0) }
            case .reopen:
                guard let closedCase, let (reopened, event) = try? closedCase.state.reopened(on: today, outcome: decision.outcome.code)
                else { break }
                try await sql.raw("""
                    UPDATE cases SET status = \(bind: reopened.status.rawValue), closed_on = NULL, suggestion = NULL,
                    due_on = \(bind: reopened.dueOn?.iso), next_action = \(bind: reopened.nextAction),
                    last_fact_seq = \(bind: maxSeq), updated_at = \(bind: now)
                    WHERE id = \(bind: closedCase.id)
                    """).run()
                report.casesReopened += 1
                events.append(CaseEventRow(caseID: closedCase.id, at: now, actor: Self.actor, event: event))
                if closedCase.state.action == .autoRegister, let insz = PersonTimeline.insz(of: facts) {
                    try await requestRegistration(caseID: closedCase.id, insz: insz, facts: facts, decision: decision, sql)
                    report.registrationsRequested += 1
                }
            case .suggest(let suggestion):
                guard let openCase, openCase.state.takesSuggestion(suggestion) else { break }
                if !CaseRules.actedOn(eventActors: actors[openCase.state.id] ?? [], letterHandedOver: handedOver.contains(openCase.state.id),
                                      registrationRequested: registrationSent.contains(openCase.state.id)),
                   let (withdrawn, event) = try? openCase.state.withdrawing(because: suggestion, outcome: decision.outcome.code, on: today) {
                    try await sql.raw("""
                        UPDATE cases SET status = \(bind: withdrawn.status.rawValue), closed_on = \(bind: withdrawn.closedOn?.iso), suggestion = NULL,
                        last_fact_seq = \(bind: maxSeq), updated_at = \(bind: now) WHERE id = \(bind: openCase.state.id)
                        """).run()
                    // A letter made but not yet handed over is not to be posted: the steward takes it out.
                    try await store.withdrawPendingWork(ofCase: openCase.state.id, now: now, sql)
                    report.casesWithdrawn += 1
                    events.append(CaseEventRow(caseID: openCase.state.id, at: now, actor: Self.actor, event: event))
                    withdrew = true
                    break
                }
                let (suggested, event) = openCase.state.suggesting(suggestion, outcome: decision.outcome.code)
                try await sql.raw("""
                    UPDATE cases SET suggestion = \(bind: suggested.suggestion?.rawValue), updated_at = \(bind: now) WHERE id = \(bind: openCase.id)
                    """).run()
                report.suggestions += 1
                events.append(CaseEventRow(caseID: openCase.id, at: now, actor: Self.actor, event: event))
            }
            // New facts on an open case are attached to it, whatever they changed.
            if let openCase, !update.opensCase, !withdrew {
                let fresh = facts.filter { $0.reference.sequence > openCase.lastFactSeq }
                    .sorted { $0.reference.sequence < $1.reference.sequence }
                if !fresh.isEmpty {
                    for fact in fresh {
                        events.append(CaseEventRow(caseID: openCase.id, at: now, actor: Self.actor, event: .factArrived(
                            source: fact.record.source, recordID: fact.record.recordID, kind: fact.record.kind,
                            sequence: fact.reference.sequence)))
                    }
                    report.factsAttached += fresh.count
                    try await sql.raw("UPDATE cases SET last_fact_seq = \(bind: maxSeq) WHERE id = \(bind: openCase.id)").run()
                }
            }
        }

        // 6. Write: decisions, history, case events, timers.
        try await StoredDecision.upsert(decisionRows, sql, store)
        try await StoredDecision.appendHistory(historyRows, sql, store)
        try await CaseEventRow.insert(events, sql, store)
        _ = try await store.bulk(sql, "DELETE FROM schedule WHERE person_id IN (\(Store.list(claimed.count)))", claimed.map { .integer($0) })
        for chunk in timers.chunked(into: 500) {
            _ = try await store.bulk(sql, "INSERT INTO schedule (person_id, due_on) VALUES " + Store.placeholders(rows: chunk.count, columns: 2),
                                     chunk.flatMap { [BulkValue.integer($0.0), .text($0.1)] })
        }
        return (report, assigner)
    }

    /// Writes the case's registration request into the outbox, on this transaction: the register's
    /// current state of the person and the decision, as the job-seeker system needs them.
    func requestRegistration(caseID: Int64, insz: INSZ, facts: [Fact], decision: Decision, _ sql: any SQLDatabase) async throws {
        let person = PersonTimeline(insz: insz, versions: facts).personRecord(on: today)?.1
        let body = RegistrationRequestBody(requestID: UUID().uuidString.lowercased(), caseNumber: CaseNumber.format(caseID), insz: insz,
                                           person: person, decision: decision)
        try await store.enqueueRegistration(caseID: caseID, body: body, sql)
    }

    /// Who the case history names for what the pipeline did.
    static let actor = "pipeline"
}

extension CaseUpdate {
    /// Whether this update opens or reopens a case (then the facts are the case's basis, not news).
    var opensCase: Bool {
        switch self {
        case .open, .reopen: true
        default: false
        }
    }
}
