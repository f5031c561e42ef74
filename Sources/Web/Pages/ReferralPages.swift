import Domain
import Foundation
import Storage
import Vapor

/// Referrals to partner organisations (docs/partners.md): the consultant's section on the case page
/// (propose with consent, send, revoke, record a withdrawn consent), the partner's workspace
/// (accept, decline, intake, done with feedback), and the tender partners' monitoring.
struct ReferralPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("cases", ":number", "referrals", use: propose)
        routes.post("cases", ":number", "referrals", ":referral", "send", use: send)
        routes.post("cases", ":number", "referrals", ":referral", "revoke", use: revoke)
        routes.post("cases", ":number", "referrals", ":referral", "consent-withdrawn", use: consentWithdrawn)
        routes.get("partner", use: partnerList)
        routes.get("partner", "referrals", ":referral", use: partnerReferral)
        routes.post("partner", "referrals", ":referral", ":action", use: partnerAction)
        routes.get("partners", "monitoring", use: monitoring)
        routes.get("partners", "monitoring.csv", use: monitoringCSV)
        routes.get("partners", "monitoring.json", use: monitoringJSON)
    }

    // MARK: - The case page's section

    /// What the consultant typed in the referral forms, put back when one is refused.
    struct Typed: Encodable {
        var organisation = ""
        var offer = ""
        var reason = ""
        var consent = false
        var consentDate = ""
        var channel = ""
        var givenBy = ""
        var extras: [String] = []
    }

    struct Option: Encodable {
        let value: String
        let label: String
        let selected: Bool
    }

    struct Row: Encodable {
        let id: Int64
        let version: Int
        let organisation: String
        let offer: String
        let status: String
        let dates: String
        let overdue: Bool
        let reason: String
        let feedback: String?
        let canSend: Bool
        let canRevoke: Bool
        let canWithdrawConsent: Bool
    }

    struct Section: Encodable {
        let rows: [Row]
        let organisations: [Option]
        let offers: [Option]
        let channels: [Option]
        let givers: [Option]
        let extras: [Option]
        let typed: Typed
        let error: String?
        let today: String
    }

    static func option(_ value: String, _ label: String, _ typed: String) -> Option { Option(value: value, label: label, selected: value == typed) }

    /// The section's content for a case (its referrals, the organisations it may go to).
    static func section(_ request: Request, _ summary: Case, typed: Typed = Typed(), error: String? = nil) async throws -> Section {
        let t = Texts.table(request.language)
        let words = request.language.words
        let store = request.context.store
        let today = request.context.today
        let organisations = try await store.partnerOrganisations()
        let referrals = try await store.referrals(ofCase: summary.id)
        let rows = referrals.map { r in
            let org = organisations.first { $0.id == r.organisationID }?.name ?? "–"
            var dates = t["referral_proposed_on"]! + " " + words.date(r.proposedOn)
            if let sent = r.sentOn { dates += " · " + t["referral_sent_on"]! + " " + words.date(sent) }
            if r.status == .pending, let due = r.answerDueOn { dates += " · " + t["referral_answer_due"]! + " " + words.date(due) }
            if let intake = r.intakeOn { dates += " · " + t["referral_intake_on"]! + " " + words.date(intake) }
            if let closed = r.closedOn { dates += " · " + t["referral_closed_on"]! + " " + words.date(closed) }
            var feedback: String?
            if let outcome = r.outcome { feedback = t["outcome_" + outcome.rawValue]! + (r.outcomeOn.map { " (" + words.date($0) + ")" } ?? "") }
            if let reason = r.declineReason { feedback = t["referral_decline_reason"]! + ": " + reason }
            if r.status == .revoked, let reason = r.endReason {
                feedback = reason == Referral.refusedOnAnswerPage ? t["referral_refused_on_answer_page"]! : t["referral_revoke_reason"]! + ": " + reason
            }
            return Row(id: r.id, version: r.version, organisation: org, offer: t["offer_" + r.offer.rawValue]!, status: words.referralStatus(r.status),
                       dates: dates, overdue: r.isOverdue(on: today), reason: r.reason, feedback: feedback, canSend: r.status == .proposed,
                       canRevoke: r.status.isOpen, canWithdrawConsent: r.status.isVisibleToPartner)
        }
        let available = organisations.filter { $0.takes(summary.province, on: today) }
        return Section(
            rows: rows,
            organisations: available.map { option(String($0.id), $0.name + " (" + t["org_" + $0.kind.rawValue]! + ")", typed.organisation) },
            offers: ReferralOffer.allCases.map { option($0.rawValue, t["offer_" + $0.rawValue]!, typed.offer) },
            channels: Consent.Channel.allCases.map { option($0.rawValue, t["consent_" + $0.rawValue]!, typed.channel) },
            givers: Consent.GivenBy.allCases.map { option($0.rawValue, t["consent_by_" + $0.rawValue]!, typed.givenBy) },
            extras: Consent.Extra.allCases.map { Option(value: $0.rawValue, label: t["consent_extra_" + $0.rawValue]!, selected: typed.extras.contains($0.rawValue)) },
            typed: typed, error: error, today: today.iso)
    }

    struct ProposeForm: Content {
        var organisation: String?
        var offer: String?
        var reason: String?
        var consent: String?
        var consent_date: String?
        var channel: String?
        var given_by: String?
        var extras: [String]?
    }

    /// The consent in a form, or nil when the box is not ticked.
    static func consent(_ form: ProposeForm, today: LocalDate) throws(ReferralRuleViolation) -> Consent? {
        guard form.consent != nil else { return nil }
        guard let channel = form.channel.flatMap(Consent.Channel.init(rawValue:)), let givenBy = form.given_by.flatMap(Consent.GivenBy.init(rawValue:))
        else { throw .consentRequired }
        let day = form.consent_date.flatMap { TypedDate($0).date } ?? today
        guard day <= today else { throw .dateInFuture }
        return Consent(givenOn: day, channel: channel, givenBy: givenBy, extras: (form.extras ?? []).compactMap(Consent.Extra.init(rawValue:)))
    }

    static func typed(_ form: ProposeForm) -> Typed {
        Typed(organisation: form.organisation ?? "", offer: form.offer ?? "", reason: form.reason ?? "", consent: form.consent != nil,
              consentDate: form.consent_date ?? "", channel: form.channel ?? "", givenBy: form.given_by ?? "", extras: form.extras ?? [])
    }

    /// The case page again with the refusal and what was typed (nothing is lost).
    func refuse(_ request: Request, _ refusal: ReferralRuleViolation, _ typed: Typed) async throws -> Response {
        let pages = CasePages()
        let (principal, details) = try await pages.details(request)
        let t = Texts.table(request.language)
        let message = t["referral_error_" + refusal.code] ?? t["referral_error_referral_conflict"]!
        let section = try await Self.section(request, details.summary, typed: typed, error: message)
        return try await pages.render(request, principal: principal, details: details, flash: nil, error: nil, referrals: section)
            .encodeResponse(status: refusal.kind == .conflict ? .conflict : .unprocessableEntity, for: request)
    }

    func done(_ request: Request, _ caseID: Int64, _ key: String) -> Response {
        request.redirect(to: "/cases/" + CaseNumber.format(caseID) + "?done=" + key + "#referrals")
    }

    func propose(request: Request) async throws -> Response {
        let principal = try request.principal
        try principal.require(.workCase)
        let id = try request.caseID()
        let form = (try? request.content.decode(ProposeForm.self)) ?? ProposeForm()
        let context = request.context
        do {
            guard let organisation = form.organisation.flatMap(Int64.init), let offer = form.offer.flatMap(ReferralOffer.init(rawValue:)) else {
                throw ReferralRuleViolation.organisationNotAvailable
            }
            let consent = try Self.consent(form, today: context.today)
            guard let referral = try await context.store.proposeReferral(
                caseID: id, scope: principal.scope(.workCase), organisationID: organisation, lotID: nil, offer: offer, reason: form.reason,
                consent: consent, ageOfConsent: context.settings.ageOfConsent, by: principal.actor, today: context.today) else { throw WebError.notFound }
            return done(request, id, referral.status == .pending ? "referral_sent" : "referral_proposed")
        } catch let refusal as ReferralRuleViolation {
            return try await refuse(request, refusal, Self.typed(form))
        }
    }

    struct VersionForm: Content {
        var version: Int?
        var reason: String?
    }

    func change(_ request: Request, done key: String, consentFrom form: ProposeForm? = nil,
                _ change: @escaping @Sendable (Referral, Int?, LocalDate, VersionForm) throws -> Referral) async throws -> Response {
        let principal = try request.principal
        try principal.require(.workCase)
        let id = try request.caseID()
        guard let referralID = request.parameters.get("referral").flatMap(Int64.init) else { throw WebError.notFound }
        let versionForm = (try? request.content.decode(VersionForm.self)) ?? VersionForm()
        let context = request.context
        let today = context.today
        do {
            let existing = try await context.store.referrals(ofCase: id)
            guard existing.contains(where: { $0.id == referralID }) else { throw WebError.notFound }
            guard try await context.store.changeReferral(referralID, version: versionForm.version, access: .cases(principal.scope(.workCase)),
                                                         by: principal.actor, ageOfConsent: context.settings.ageOfConsent, today: today,
                                                         { referral, age in try change(referral, age, today, versionForm) }) != nil
            else { throw WebError.notFound }
            return done(request, id, key)
        } catch let refusal as ReferralRuleViolation {
            return try await refuse(request, refusal, form.map(Self.typed) ?? Typed())
        }
    }

    func send(request: Request) async throws -> Response {
        let form = (try? request.content.decode(ProposeForm.self)) ?? ProposeForm()
        let today = request.context.today
        let consent = try? Self.consent(form, today: today)
        let ageOfConsent = request.context.settings.ageOfConsent
        let lots = try await request.context.store.partnerLots()
        return try await change(request, done: "referral_sent", consentFrom: form) { referral, age, today, _ in
            guard let consent else { throw ReferralRuleViolation.consentRequired }
            return try referral.sending(with: consent, age: age, ageOfConsent: ageOfConsent, lot: lots.first { $0.id == referral.lotID }, on: today)
        }
    }

    func revoke(request: Request) async throws -> Response {
        try await change(request, done: "referral_revoked") { referral, _, today, form in try referral.revoking(because: form.reason, on: today) }
    }

    func consentWithdrawn(request: Request) async throws -> Response {
        try await change(request, done: "referral_consent_withdrawn") { referral, _, today, _ in try referral.withdrawingConsent(on: today) }
    }

    // MARK: - The partner's workspace

    struct PartnerRow: Encodable {
        let id: Int64
        let caseNumber: String
        let offer: String
        let status: String
        let sent: String
        let due: String
        let overdue: Bool
    }

    struct PartnerListPage: Encodable {
        let t: TextTable
        let user: UserView?
        let csrf: String
        let organisation: String
        let rows: [PartnerRow]
        let flash: String?
    }

    func organisation(_ principal: Principal) throws -> String {
        try principal.require(.handleReferrals)
        guard let code = principal.actor.organisation else { throw WebError.denied(.handleReferrals) }
        return code
    }

    func partnerList(request: Request) async throws -> View {
        let principal = try request.principal
        let code = try organisation(principal)
        let t = Texts.table(request.language)
        let words = request.language.words
        let store = request.context.store
        let today = request.context.today
        let name = try await store.partnerOrganisations().first { $0.code == code }?.name ?? code
        let rows = try await store.partnerReferrals(organisation: code).map { r in
            PartnerRow(id: r.id, caseNumber: CaseNumber.format(r.caseID), offer: t["offer_" + r.offer.rawValue]!, status: words.referralStatus(r.status),
                       sent: r.sentOn.map(words.date) ?? "–", due: r.status == .pending ? r.answerDueOn.map(words.date) ?? "–" : "–",
                       overdue: r.isOverdue(on: today))
        }
        return try await request.view.render("partner", PartnerListPage(
            t: t, user: principal.view, csrf: principal.session?.csrfToken ?? "", organisation: name, rows: rows,
            flash: (try? request.query.get(String.self, at: "done")).flatMap { t[$0] }))
    }

    struct PartnerReferralPage: Encodable {
        let t: TextTable
        let user: UserView?
        let csrf: String
        let id: Int64
        let version: Int
        let caseNumber: String
        let name: String
        let address: String
        let birth: String
        let age: String
        let consultant: String
        let offer: String
        let reason: String
        let status: String
        let pending: Bool
        let accepted: Bool
        let intake: String
        let schoolHistory: String?
        let outcomes: [Option]
        let error: String?
        let today: String
    }

    func partnerReferral(request: Request) async throws -> View {
        try await partnerPage(request, error: nil)
    }

    func partnerPage(_ request: Request, error: String?) async throws -> View {
        let principal = try request.principal
        let code = try organisation(principal)
        guard let id = request.parameters.get("referral").flatMap(Int64.init),
              let view = try await request.context.store.partnerReferral(id, organisation: code, actor: principal.actor,
                                                                         today: request.context.today) else { throw WebError.notFound }
        let t = Texts.table(request.language)
        let words = request.language.words
        let r = view.referral
        return try await request.view.render("partner-referral", PartnerReferralPage(
            t: t, user: principal.view, csrf: principal.session?.csrfToken ?? "", id: r.id, version: r.version, caseNumber: view.caseNumber,
            name: view.name, address: view.address ?? "–", birth: view.birthDate.map(words.date) ?? "–", age: view.age.map(words.years) ?? "–",
            consultant: view.consultant ?? "–", offer: t["offer_" + r.offer.rawValue]!, reason: r.reason, status: words.referralStatus(r.status),
            pending: r.status == .pending, accepted: r.status == .accepted, intake: r.intakeOn.map(words.date) ?? "–",
            schoolHistory: view.schoolHistory, outcomes: ReferralOutcome.allCases.map { Option(value: $0.rawValue, label: t["outcome_" + $0.rawValue]!, selected: false) },
            error: error, today: request.context.today.iso))
    }

    struct PartnerForm: Content {
        var version: Int?
        var reason: String?
        var date: String?
        var note: String?
        var outcome: String?
    }

    /// accept, decline, intake, done: each on the current version of the referral, by its organisation.
    func partnerAction(request: Request) async throws -> Response {
        let principal = try request.principal
        let code = try organisation(principal)
        guard let id = request.parameters.get("referral").flatMap(Int64.init), let action = request.parameters.get("action") else { throw WebError.notFound }
        let form = (try? request.content.decode(PartnerForm.self)) ?? PartnerForm()
        let today = request.context.today
        let day = form.date.flatMap { TypedDate($0).date }
        let note = try? ReferralRules.cleaned(form.note, required: false)
        do {
            let change: @Sendable (Referral, Int?) throws -> Referral
            switch action {
            case "accept": change = { r, _ in try r.accepting(on: today) }
            case "decline": change = { r, _ in try r.declining(because: form.reason, on: today) }
            case "intake":
                guard let day else { throw ReferralRuleViolation.textRequired }
                change = { r, _ in try r.recordingIntake(on: day, today: today) }
            case "done":
                guard let day, let outcome = form.outcome.flatMap(ReferralOutcome.init(rawValue:)) else { throw ReferralRuleViolation.textRequired }
                change = { r, _ in try r.finishing(outcome: outcome, on: day, today: today) }
            default: throw WebError.notFound
            }
            guard try await request.context.store.changeReferral(id, version: form.version, access: .organisation(code),
                                                                 by: principal.actor.acting(for: .caseWork), note: note ?? nil, today: today,
                                                                 progress: action == "intake", change) != nil
            else { throw WebError.notFound }
            return request.redirect(to: action == "done" || action == "decline" ? "/partner?done=" + (action == "done" ? "partner_closed" : "partner_declined") : "/partner/referrals/\(id)")
        } catch let refusal as ReferralRuleViolation {
            let t = Texts.table(request.language)
            return try await partnerPage(request, error: t["referral_error_" + refusal.code] ?? t["referral_error_referral_conflict"]!)
                .encodeResponse(status: refusal.kind == .conflict ? .conflict : .unprocessableEntity, for: request)
        }
    }

    // MARK: - Monitoring

    struct MonitoringPage: Encodable {
        let t: TextTable
        let user: UserView?
        let csrf: String
        let rows: [Card]
        let asOf: String
        let from: String
        let to: String
        let period: String
        let query: String
        let error: String?
        /// The team lead's own provinces, named; nil for all of Flanders.
        let scope: String?
    }

    /// The period asked for (`from`, `to`, as typed), or a refusal in words.
    func period(_ request: Request) -> (from: LocalDate?, to: LocalDate?, typed: (String, String), error: String?) {
        let fromText = (try? request.query.get(String.self, at: "from")) ?? ""
        let toText = (try? request.query.get(String.self, at: "to")) ?? ""
        let from = TypedDate(fromText), to = TypedDate(toText)
        let t = Texts.table(request.language)
        if (from != .empty && from.date == nil) || (to != .empty && to.date == nil) { return (nil, nil, (fromText, toText), t["monitoring_error_date"]) }
        if let f = from.date, let e = to.date, e < f { return (nil, nil, (fromText, toText), t["monitoring_error_order"]) }
        return (from.date, to.date, (fromText, toText), nil)
    }

    /// A lot's figures with its chart.
    struct Card: Encodable {
        let line: PartnerFigures.Line
        let chart: String
    }

    /// A team lead sees the referrals of their own provinces' cases; nil: all of Flanders.
    static func provinces(_ principal: Principal) -> [Province]? {
        switch principal.scope(.monitorPartners) {
        case .provinces(let own), .consultant(_, let own): own
        case .none: []
        case .all: nil
        }
    }

    func figures(_ request: Request) async throws -> [PartnerFigures.Line] {
        let principal = try request.principal
        try principal.require(.monitorPartners)
        let provinces = Self.provinces(principal)
        let period = period(request)
        return try await request.context.store.partnerFigures(today: request.context.today, from: period.from, to: period.to,
                                                              provinces: provinces).lines
    }

    func monitoring(request: Request) async throws -> View {
        let principal = try request.principal
        let lines = try await figures(request)
        let t = Texts.table(request.language)
        let cards = lines.enumerated().map { index, line in
            Card(line: line, chart: BarChart.svg(id: "lot-\(index)", title: line.organisation + " – " + line.lot + ": " + t["monitoring_chart"]!,
                                                 bars: line.bars.map { (t["monitoring_bar_" + $0.step]!, $0.value, $0.share, $0.value.hasPrefix("<")) }))
        }
        let period = period(request)
        let words = request.language.words
        let described: String
        switch (period.from, period.to) {
        case (nil, nil): described = t["monitoring_all"]!
        case (let f?, nil): described = t["monitoring_since"]! + " " + words.date(f)
        case (nil, let e?): described = t["monitoring_until"]! + " " + words.date(e)
        case (let f?, let e?): described = words.date(f) + " – " + words.date(e)
        }
        let query = [period.from.map { "from=" + $0.iso }, period.to.map { "to=" + $0.iso }].compactMap { $0 }.joined(separator: "&")
        return try await request.view.render("monitoring", MonitoringPage(
            t: t, user: principal.view, csrf: principal.session?.csrfToken ?? "", rows: cards,
            asOf: words.date(request.context.today), from: period.typed.0, to: period.typed.1, period: described,
            query: query.isEmpty ? "" : "?" + query, error: period.error,
            scope: Self.provinces(principal).map { $0.map(\.name).joined(separator: ", ") }))
    }

    func monitoringCSV(request: Request) async throws -> Response {
        let lines = try await figures(request)
        let response = Response(status: .ok, body: .init(string: PartnerFigures.csv(lines)))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"vangnet-partners-\(request.context.today.iso).csv\"")
        return response
    }

    func monitoringJSON(request: Request) async throws -> Response {
        let lines = try await figures(request)
        let response = Response(status: .ok)
        try response.content.encode(lines, as: .json)
        return response
    }
}
