import Domain
import Foundation
import Storage
import Vapor

/// `/api/v1/partner/referrals`: the partner's workspace for the partner's own case system, with a
/// token scoped to the organisation (`vangnet token add … --role partner --organisation <code>`):
/// pull the referrals that are pending or accepted, push the answer, the intake and the outcome.
/// The same rules and audit as the pages; the organisation is the token's, never the request's.
struct PartnerAPI: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("partner", "referrals", use: list)
        routes.get("partner", "referrals", ":referral", use: show)
        routes.post("partner", "referrals", ":referral", ":action", use: act)
    }

    struct ReferralJSON: Content {
        let id: Int64
        let caseNumber: String
        let status: String
        let offer: String
        let reason: String
        let sentOn: String?
        let answerDueOn: String?
        let intakeOn: String?
        let version: Int
        let name: String?
        let address: String?
        let birthDate: String?
        let consultant: String?
        let schoolHistory: String?

        enum CodingKeys: String, CodingKey {
            case id, caseNumber = "case_number", status, offer, reason, sentOn = "sent_on", answerDueOn = "answer_due_on", intakeOn = "intake_on"
            case version, name, address, birthDate = "birth_date", consultant, schoolHistory = "school_history"
        }

        /// The referral's state only (no personal data): the answer to a change.
        init(stored r: Referral) {
            id = r.id
            caseNumber = CaseNumber.format(r.caseID)
            status = r.status.rawValue
            offer = r.offer.rawValue
            reason = r.reason
            sentOn = r.sentOn?.iso
            answerDueOn = r.answerDueOn?.iso
            intakeOn = r.intakeOn?.iso
            version = r.version
            name = nil
            address = nil
            birthDate = nil
            consultant = nil
            schoolHistory = nil
        }

        init(_ view: PartnerView) {
            let r = view.referral
            id = r.id
            caseNumber = view.caseNumber
            status = r.status.rawValue
            offer = r.offer.rawValue
            reason = r.reason
            sentOn = r.sentOn?.iso
            answerDueOn = r.answerDueOn?.iso
            intakeOn = r.intakeOn?.iso
            version = r.version
            name = view.name
            address = view.address
            birthDate = view.birthDate?.iso
            consultant = view.consultant
            schoolHistory = view.schoolHistory
        }
    }

    struct ReferralList: Content { let items: [ReferralJSON] }

    /// The token's organisation: a partner token without one reaches nothing.
    func organisation(_ request: Request) throws -> (Principal, String) {
        let principal = try request.principal
        try principal.require(.handleReferrals)
        guard let code = principal.actor.organisation else { throw WebError.denied(.handleReferrals) }
        return (principal, code)
    }

    func list(request: Request) async throws -> ReferralList {
        let (principal, code) = try organisation(request)
        let store = request.context.store
        var items: [ReferralJSON] = []
        for referral in try await store.partnerReferrals(organisation: code) {
            if let view = try await store.partnerReferral(referral.id, organisation: code, actor: principal.actor, today: request.context.today) {
                items.append(ReferralJSON(view))
            }
        }
        return ReferralList(items: items)
    }

    func view(_ request: Request, _ id: Int64) async throws -> ReferralJSON {
        let (principal, code) = try organisation(request)
        guard let view = try await request.context.store.partnerReferral(id, organisation: code, actor: principal.actor, today: request.context.today)
        else { throw WebError.notFound }
        return ReferralJSON(view)
    }

    func show(request: Request) async throws -> ReferralJSON {
        guard let id = request.parameters.get("referral").flatMap(Int64.init) else { throw WebError.notFound }
        return try await view(request, id)
    }

    struct ActionBody: Decodable {
        let version: Int?
        let reason: String?
        let date: String?
        let note: String?
        let outcome: String?
        let organisation: String?

        enum CodingKeys: String, CodingKey { case version, reason, date, note, outcome, organisation }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            // A version as a number, or as the digits of one (a form-minded client).
            version = (try? c.decodeIfPresent(Int.self, forKey: .version)) ?? (try? c.decodeIfPresent(String.self, forKey: .version)).flatMap { $0.flatMap(Int.init) }
            reason = try c.decodeIfPresent(String.self, forKey: .reason)
            date = try c.decodeIfPresent(String.self, forKey: .date)
            note = try c.decodeIfPresent(String.self, forKey: .note)
            outcome = try c.decodeIfPresent(String.self, forKey: .outcome)
            organisation = try c.decodeIfPresent(String.self, forKey: .organisation)
        }
    }

    func act(request: Request) async throws -> ReferralJSON {
        let (principal, code) = try organisation(request)
        guard let id = request.parameters.get("referral").flatMap(Int64.init), let action = request.parameters.get("action") else { throw WebError.notFound }
        let body = try request.decodeJSON(ActionBody.self)
        if let claimed = body.organisation, claimed != code {
            throw WebError.badRequest("organisation: the token's organisation is used; leave the field out")
        }
        let today = request.context.today
        let day = body.date.flatMap { LocalDate(iso: $0) }
        if body.date != nil, day == nil { throw WebError.badRequest("date: YYYY-MM-DD") }
        let note = try ReferralRules.cleaned(body.note, required: false)
        let change: @Sendable (Referral, Int?) throws -> Referral
        switch action {
        case "accept": change = { r, _ in try r.accepting(on: today) }
        case "decline": change = { r, _ in try r.declining(because: body.reason, on: today) }
        case "intake":
            guard let day else { throw WebError.badRequest("date: required (YYYY-MM-DD)") }
            change = { r, _ in try r.recordingIntake(on: day, today: today) }
        case "done":
            guard let day else { throw WebError.badRequest("date: required (YYYY-MM-DD)") }
            guard let outcome = body.outcome.flatMap(ReferralOutcome.init(rawValue:)) else {
                throw WebError.badRequest("outcome: one of " + ReferralOutcome.allCases.map(\.rawValue).joined(separator: ", "))
            }
            change = { r, _ in try r.finishing(outcome: outcome, on: day, today: today) }
        default: throw WebError.notFound
        }
        guard let changed = try await request.context.store.changeReferral(id, version: body.version, access: .organisation(code),
                                                                           by: principal.actor.acting(for: .caseWork), note: note, today: today,
                                                                           progress: action == "intake", change)
        else { throw WebError.notFound }
        // After done or declined the referral is out of the partner's reach: answer with what was stored.
        return ReferralJSON(stored: changed)
    }
}
