import Domain
import Foundation
import Storage
import Vapor

/// The JSON API for cases, facts, decisions and quarantine (`/api/v1`), with the same access rules
/// as the pages: a bearer token's role and provinces; anything out of scope is a 404.
struct CasesAPI: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("cases", use: list)
        routes.get("cases", ":number", use: show)
        routes.get("cases", ":number", "facts", use: facts)
        routes.get("cases", ":number", "decision", use: decision)
        routes.post("cases", ":number", "status", use: status)
        routes.post("cases", ":number", "contacts", use: contact)
        routes.get("quarantine", use: quarantine)
    }

    struct CaseJSON: Content {
        let number: String
        let status: String
        let action: String
        let province: String?
        let consultant: String?
        let openedOn: String
        let dueOn: String?
        let nextAction: String?
        let closedOn: String?
        let suggestion: String?
        let track: String?
        let schoolSource: String?

        init(_ s: Case) {
            number = s.number
            status = s.status.rawValue
            action = s.action.rawValue
            province = s.province?.rawValue
            consultant = s.consultant
            openedOn = s.openedOn.iso
            dueOn = s.dueOn?.iso
            nextAction = s.nextAction
            closedOn = s.closedOn?.iso
            suggestion = s.suggestion?.rawValue
            track = s.track?.rawValue
            schoolSource = s.schoolSource?.rawValue
        }
    }

    struct CaseList: Content {
        let items: [CaseJSON]
        let next: String?
    }

    func list(request: Request) async throws -> CaseList {
        let principal = try request.principal
        try principal.require(.listCases)
        var filter = CaseFilter()
        if let status = try request.queryCode("status", CaseStatus.self) { filter.statuses = [status] }
        filter.province = try request.queryCode("province", Province.self)
        let limit = try request.queryInteger("limit", in: 1...200, default: 50)
        var cursor: CaseCursor?
        if let after = request.queryText("after") {
            guard let parsed = Self.cursor(after) else { throw WebError.badRequest("after: not a cursor from this API") }
            cursor = parsed
        }
        let store = request.context.store
        let condition = principal.scope(.listCases)
        var rows: [Case] = []
        for item in try await store.caseList(scope: condition, filter: filter, today: request.context.today, after: cursor, limit: limit) {
            rows.append(item.summary)
        }
        return CaseList(items: rows.map(CaseJSON.init), next: rows.count == limit ? rows.last.map { CaseCursor(openedAt: $0.openedAt, id: $0.id).token } : nil)
    }

    /// `next` as this API writes it, the document's pattern: the opened-at timestamp
    /// (`2026-11-29T10:00:00.000Z`), `_`, the case id (at most 18 digits, so it always fits).
    /// Anything else is refused, so that every cursor the document allows also works.
    static func cursor(_ text: String) -> CaseCursor? {
        let shape = Array("0000-00-00T00:00:00.000Z_".utf8)
        let bytes = Array(text.utf8)
        guard bytes.count > shape.count, bytes.count <= shape.count + 18 else { return nil }
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        for (byte, expected) in zip(bytes, shape) {
            guard expected == UInt8(ascii: "0") ? isDigit(byte) : byte == expected else { return nil }
        }
        let id = bytes[shape.count...]
        guard id.first != UInt8(ascii: "0"), id.allSatisfy(isDigit) else { return nil }
        return CaseCursor(token: text)
    }

    /// The case named in the path, in the one form the document gives (`VN-` and at least six
    /// digits); any other form (`42`, `vn-42`) is a case that is not found.
    static func caseID(_ request: Request) throws -> Int64 {
        guard let text = request.parameters.get("number"), text.hasPrefix("VN-"), text.utf8.count >= 9,
              text.utf8.dropFirst(3).allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let id = CaseNumber.parse(text) else { throw WebError.notFound }
        return id
    }

    /// The document's `maxLength: 4000` counts the note's Unicode code points as sent (JSON
    /// Schema's rule); the use case counts what is left after cleaning (`CaseNote`). Checking both
    /// refuses what the document refuses, even a note that cleaning would have shortened.
    static func checkNoteLength(_ note: String?) throws {
        if let note, note.unicodeScalars.count > CaseRules.noteMaximumLength {
            throw CaseRuleViolation.tooLong(field: "note", maximum: CaseRules.noteMaximumLength)
        }
    }

    struct PersonJSON: Content {
        let insz: String
        let name: String?
        let birthDate: String?
        let address: String?
        let postcode: String?
        let municipality: String?
    }

    struct ReasonJSON: Content {
        let rule: String
        let date: String?
        let explanation: String
        let facts: [FactRef]
    }

    struct FactRef: Content {
        let source: String
        let recordID: String
        let sequence: Int64
    }

    struct DecisionJSON: Content {
        let outcome: String
        let exclusion: String?
        let pendingUntil: String?
        let leftSchoolOn: String?
        let qualified: Bool
        let decidedOn: String
        let policyVersion: String
        let reasons: [ReasonJSON]
    }

    struct EventJSON: Content {
        let at: String
        let kind: String
        let actor: String
        let data: [String: String]
        let note: String?
    }

    struct CaseDetailJSON: Content {
        let `case`: CaseJSON
        let person: PersonJSON
        let decision: DecisionJSON?
        let events: [EventJSON]
    }

    func details(_ request: Request) async throws -> CaseFile {
        let principal = try request.principal
        try principal.require(.readCase)
        guard let details = try await request.context.store.caseDetails(try Self.caseID(request), scope: principal.scope(.readCase), actor: principal.actor)
        else { throw WebError.notFound }
        return details
    }

    func decisionJSON(_ decision: Decision, _ request: Request) -> DecisionJSON {
        let policy = request.context.settings.policy
        return DecisionJSON(outcome: decision.outcome.code, exclusion: decision.exclusion?.rawValue, pendingUntil: decision.pendingUntil?.iso,
                            leftSchoolOn: decision.leftSchoolOn?.iso, qualified: decision.qualified, decidedOn: decision.decidedOn.iso,
                            policyVersion: decision.policyVersion, reasons: decision.reasons.map { reason in
            ReasonJSON(rule: reason.rule.rawValue, date: reason.date?.iso, explanation: English().reason(reason, policy: policy),
                       facts: reason.facts.map { FactRef(source: $0.source.rawValue, recordID: $0.recordID, sequence: $0.sequence) })
        })
    }

    func show(request: Request) async throws -> CaseDetailJSON {
        let details = try await details(request)
        let register = details.register
        return CaseDetailJSON(
            case: CaseJSON(details.summary),
            person: PersonJSON(insz: details.insz.digits, name: register?.fullName, birthDate: (register?.birthDate ?? details.insz.birthDate)?.iso,
                               address: register?.addressLine, postcode: register?.postcode, municipality: register?.municipality),
            decision: details.decision.map { decisionJSON($0, request) },
            events: details.events.map { EventJSON(at: $0.at, kind: $0.kind, actor: $0.actor, data: $0.data, note: $0.note) })
    }

    struct FactJSON: Content {
        let source: String
        let recordID: String
        let sequence: Int64
        let kind: String
        let current: Bool
        let recordedAt: String?
        let summary: String
    }

    func facts(request: Request) async throws -> [FactJSON] {
        let details = try await details(request)
        let current = Set(details.facts.map(\.reference))
        return details.arrivals.map { fact in
            FactJSON(source: fact.record.source.rawValue, recordID: fact.record.recordID, sequence: fact.reference.sequence,
                     kind: fact.record.kind.rawValue, current: current.contains(fact.reference), recordedAt: fact.record.recordedAt,
                     summary: English().fact(fact.record))
        }
    }

    func decision(request: Request) async throws -> DecisionJSON {
        guard let decision = try await details(request).decision else { throw WebError.notFound }
        return decisionJSON(decision, request)
    }

    struct StatusBody: Content {
        let status: String
        let note: String?
    }

    func status(request: Request) async throws -> CaseJSON {
        let principal = try request.principal
        try principal.require(.workCase)
        let id = try Self.caseID(request)
        let body = try request.decodeJSON(StatusBody.self)
        try Self.checkNoteLength(body.note)
        guard let next = CaseStatus(rawValue: body.status) else { throw WebError.badRequest("status: unknown status '\(body.status)'") }
        // An illegal transition or a second open case is a 409, by the one error mapping.
        guard let updated = try await request.context.caseWork.changeStatus(id, to: next, note: body.note, by: principal.actor)
        else { throw WebError.notFound }
        return CaseJSON(updated)
    }

    struct ContactBody: Content {
        let channel: String
        let outcome: String
        let note: String?
    }

    func contact(request: Request) async throws -> Response {
        let principal = try request.principal
        try principal.require(.workCase)
        let id = try Self.caseID(request)
        let body = try request.decodeJSON(ContactBody.self)
        try Self.checkNoteLength(body.note)
        guard let channel = ContactChannel(rawValue: body.channel) else {
            throw WebError.badRequest("channel: one of \(ContactChannel.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let outcome = ContactOutcome(rawValue: body.outcome) else {
            throw WebError.badRequest("outcome: one of \(ContactOutcome.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let updated = try await request.context.caseWork.logContact(id, channel: channel, outcome: outcome, note: body.note,
                                                                          by: principal.actor)
        else { throw WebError.notFound }
        let response = Response(status: .created)
        try response.content.encode(CaseJSON(updated))
        return response
    }

    func quarantine(request: Request) async throws -> [QuarantineEntry] {
        let principal = try request.principal
        try principal.require(.readQuarantine)
        let reason = try request.queryCode("reason", QuarantineReason.self)
        let source = try request.queryCode("source", Source.self)
        let limit = try request.queryInteger("limit", in: 1...200, default: 50)
        return try await request.context.store.searchQuarantine(reason: reason?.rawValue, source: source, text: nil, limit: limit)
    }
}

extension QuarantineEntry: Content {}
