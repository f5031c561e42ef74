import Domain
import Foundation
import SQLKit

/// A decision as a row of `decisions`.
struct StoredDecision: Sendable {
    let personID: Int64
    let outcome: String
    let exclusion: String?
    let pendingUntil: String?
    let leftOn: String?
    let qualified: Bool
    let province: String?
    let track: String?
    let schoolSource: String?
    let action: String?
    let reviewOn: String?
    let decidedOn: String
    let decidedAt: String
    let policyVersion: String
    let reasons: String

    init(personID: Int64, decision: Decision, decidedAt: String) {
        self.personID = personID
        outcome = decision.outcome.code
        exclusion = decision.exclusion?.rawValue
        pendingUntil = decision.pendingUntil?.iso
        leftOn = decision.leftSchoolOn?.iso
        qualified = decision.qualified
        province = decision.province?.rawValue
        track = decision.track?.rawValue
        schoolSource = decision.schoolSource?.rawValue
        action = decision.action?.rawValue
        reviewOn = decision.reviewOn?.iso
        decidedOn = decision.decidedOn.iso
        self.decidedAt = decidedAt
        policyVersion = decision.policyVersion
        reasons = ReasonsJSON.encode(decision.reasons)
    }

    init(row: any SQLRow) throws {
        func text(_ column: String) throws -> String? {
            try row.decodeNil(column: column) ? nil : try row.decode(column: column, as: String.self)
        }
        personID = try row.decode(column: "person_id", as: Int64.self)
        outcome = try row.decode(column: "outcome", as: String.self)
        exclusion = try text("exclusion")
        pendingUntil = try text("pending_until")
        leftOn = try text("left_on")
        qualified = try row.decode(column: "qualified", as: Int.self) != 0
        province = try text("province")
        track = try text("track")
        schoolSource = try text("school_source")
        action = try text("action")
        reviewOn = try text("review_on")
        decidedOn = try row.decode(column: "decided_on", as: String.self)
        decidedAt = try row.decode(column: "decided_at", as: String.self)
        policyVersion = try row.decode(column: "policy_version", as: String.self)
        reasons = try row.decode(column: "reasons", as: String.self)
    }

    /// From a bulk row in the order of `columns`.
    init(bulk row: [BulkValue]) {
        personID = row[0].integer!
        outcome = row[1].text!
        exclusion = row[2].text
        pendingUntil = row[3].text
        leftOn = row[4].text
        qualified = row[5].integer != 0
        province = row[6].text
        track = row[7].text
        schoolSource = row[8].text
        action = row[9].text
        reviewOn = row[10].text
        decidedOn = row[11].text!
        decidedAt = row[12].text!
        policyVersion = row[13].text!
        reasons = row[14].text!
    }

    /// Same content, whenever it was decided.
    func saysTheSame(as other: StoredDecision) -> Bool {
        outcome == other.outcome && exclusion == other.exclusion && pendingUntil == other.pendingUntil
            && leftOn == other.leftOn && qualified == other.qualified && province == other.province
            && track == other.track && schoolSource == other.schoolSource && action == other.action
            && reviewOn == other.reviewOn && policyVersion == other.policyVersion && reasons == other.reasons
    }

    var outcomeValue: Decision.Outcome {
        switch outcome {
        case "pending": .pending(until: pendingUntil.flatMap { LocalDate(iso: $0) } ?? LocalDate(ordinal: 0))
        case "not_in_target_group": .notInTargetGroup(exclusion.flatMap(Decision.Exclusion.init(rawValue:)) ?? .tooOld)
        case "eligible": .eligible
        default: .notALeaver
        }
    }

    /// The decision back as a value (reasons read from JSON).
    var decision: Decision {
        Decision(outcome: outcomeValue, reasons: ReasonsJSON.decode(reasons), leftSchoolOn: leftOn.flatMap { LocalDate(iso: $0) },
                 qualified: qualified, decidedOn: LocalDate(iso: decidedOn) ?? LocalDate(ordinal: 0),
                 policyVersion: policyVersion, reviewOn: reviewOn.flatMap { LocalDate(iso: $0) },
                 province: province.flatMap(Province.init(rawValue:)), track: track.flatMap(Enrolment.Track.init(rawValue:)),
                 schoolSource: schoolSource.flatMap(Source.init(rawValue:)), action: action.flatMap(CaseAction.init(rawValue:)))
    }

    /// Without reading the reasons: what the case rules need.
    var outline: Decision {
        Decision(outcome: outcomeValue, reasons: [], leftSchoolOn: leftOn.flatMap { LocalDate(iso: $0) }, qualified: qualified,
                 decidedOn: LocalDate(iso: decidedOn) ?? LocalDate(ordinal: 0), policyVersion: policyVersion,
                 province: province.flatMap(Province.init(rawValue:)), action: action.flatMap(CaseAction.init(rawValue:)))
    }

    static let columns = "person_id, outcome, exclusion, pending_until, left_on, qualified, province, track, school_source, "
        + "action, review_on, decided_on, decided_at, policy_version, reasons"

    var values: [BulkValue] {
        [.integer(personID), .text(outcome), BulkValue(exclusion), BulkValue(pendingUntil), BulkValue(leftOn),
         .integer(qualified ? 1 : 0), BulkValue(province), BulkValue(track), BulkValue(schoolSource), BulkValue(action),
         BulkValue(reviewOn), .text(decidedOn), .text(decidedAt), .text(policyVersion), .text(reasons)]
    }

    static func upsert(_ rows: [(Int64, StoredDecision)], _ sql: any SQLDatabase, _ store: Store) async throws {
        for chunk in rows.chunked(into: 400) {
            _ = try await store.bulk(sql, "INSERT INTO decisions (\(columns)) VALUES " + Store.placeholders(rows: chunk.count, columns: 15)
                + """
                 ON CONFLICT (person_id) DO UPDATE SET outcome = excluded.outcome, exclusion = excluded.exclusion,
                pending_until = excluded.pending_until, left_on = excluded.left_on, qualified = excluded.qualified,
                province = excluded.province, track = excluded.track, school_source = excluded.school_source,
                action = excluded.action, review_on = excluded.review_on, decided_on = excluded.decided_on,
                decided_at = excluded.decided_at, policy_version = excluded.policy_version, reasons = excluded.reasons
                """, chunk.flatMap(\.1.values))
        }
    }

    static func appendHistory(_ rows: [(Int64, StoredDecision)], _ sql: any SQLDatabase, _ store: Store) async throws {
        for chunk in rows.chunked(into: 400) {
            _ = try await store.bulk(sql, """
                INSERT INTO decision_history (person_id, outcome, exclusion, pending_until, left_on, province, decided_on,
                decided_at, policy_version, reasons) VALUES
                """ + Store.placeholders(rows: chunk.count, columns: 10), chunk.flatMap { _, d -> [BulkValue] in
                [.integer(d.personID), .text(d.outcome), BulkValue(d.exclusion), BulkValue(d.pendingUntil), BulkValue(d.leftOn),
                 BulkValue(d.province), .text(d.decidedOn), .text(d.decidedAt), .text(d.policyVersion), .text(d.reasons)]
            })
        }
    }
}

/// A row of `case_events`. `data` holds codes and references only; free text goes in `note_sealed`.
/// A case event as stored: its kind and fields, and the note sealed.
struct CaseEventRow: Sendable {
    let caseID: Int64
    let at: String
    let actor: String
    let event: CaseEvent
    var noteSealed: Data? = nil

    var kind: String { event.kind }
    var data: [String: String] { event.fields }

    static func insert(_ rows: [CaseEventRow], _ sql: any SQLDatabase, _ store: Store) async throws {
        for chunk in rows.chunked(into: 300) {
            _ = try await store.bulk(sql, "INSERT INTO case_events (case_id, at, kind, actor, data, note_sealed) VALUES "
                                     + Store.placeholders(rows: chunk.count, columns: 6), chunk.flatMap { e -> [BulkValue] in
                [.integer(e.caseID), .text(e.at), .text(e.kind), .text(e.actor), .text(flatJSON(e.data)),
                 e.noteSealed.map(BulkValue.blob) ?? .null]
            })
        }
    }
}

/// The fields of a stored case event (`case_events.data`); empty when unreadable.
func storedFields(_ json: String) -> [String: String] {
    (try? JSONDecoder().decode([String: String].self, from: Data(json.utf8))) ?? [:]
}

/// A flat string-to-string JSON object with sorted keys.
func flatJSON(_ values: [String: String]) -> String {
    "{" + values.keys.sorted().map { ReasonsJSON.jsonString($0) + ":" + ReasonsJSON.jsonString(values[$0]!) }
        .joined(separator: ",") + "}"
}
