import Domain
import Foundation
import Storage
import Vapor

/// The consultant's pages: the caseload and the case page with everything done on a case.
struct CasePages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("cases", use: caseload)
        routes.post("cases", "search", use: search)
        routes.get("cases", ":number", use: show)
        routes.post("cases", ":number", "contacts", use: contact)
        routes.post("cases", ":number", "notes", use: note)
        routes.post("cases", ":number", "status", use: status)
        routes.post("cases", ":number", "next-action", use: nextAction)
    }

    // MARK: - Caseload

    struct Row: Encodable {
        let number: String
        let name: String
        let age: String
        let place: String
        let school: String
        let status: String
        let due: String
        let overdue: Bool
        let consultant: String
        let track: String
    }

    struct Option: Encodable {
        let value: String
        let label: String
        let selected: Bool
    }

    struct CaseloadPage: Encodable {
        let t: [String: String]
        let user: UserView?
        let csrf: String
        let title: String
        let overdue: [Row]
        let rows: [Row]
        let total: Int
        let next: String?
        let isFirstPage: Bool
        let statuses: [Option]
        let provinces: [Option]
        let sources: [Option]
        let tracks: [Option]
        let overdueOnly: Bool
        let search: String
        let mine: Bool
        let canSeeProvince: Bool
        let query: String
    }

    func caseload(request: Request) async throws -> View {
        let principal = try request.principal
        try principal.require(.listCases)
        let context = request.context
        let language = request.language
        let t = Texts.table(language)
        let today = context.today
        var filter = CaseFilter()
        let q = request.query
        if let status = try? q.get(String.self, at: "status"), let value = CaseStatus(rawValue: status) { filter.statuses = [value] }
        if let province = try? q.get(String.self, at: "province") { filter.province = Province(rawValue: province) }
        if let source = try? q.get(String.self, at: "source") { filter.source = Source(rawValue: source) }
        if let track = try? q.get(String.self, at: "track") { filter.track = Enrolment.Track(rawValue: track) }
        filter.overdueOnly = (try? q.get(String.self, at: "overdue")) == "1"
        // A consultant's own cases by default; "all=1" shows the whole province (within scope).
        let mine = CaseloadDefault.showsOwnCasesOnly(role: principal.actor.role, askedForAll: (try? q.get(String.self, at: "all")) == "1")
        if mine { filter.consultant = principal.actor.username }
        let cursor = (try? q.get(String.self, at: "after")).flatMap(CaseCursor.init(token:))
        let scope = principal.scope(.listCases)
        let store = context.store
        var overdueFilter = filter
        overdueFilter.overdueOnly = true
        let overdue = cursor == nil && !filter.overdueOnly
            ? try await store.caseList(scope: scope, filter: overdueFilter, today: today, limit: 10, overdueFirst: true) : []
        let page = try await store.caseList(scope: scope, filter: filter, today: today, after: cursor, limit: 25)
        let total = try await store.caseCount(scope: scope, filter: filter, today: today)
        // Reading names and ages is reading personal data: one audit entry per young person shown.
        let shown = overdue + page
        let subjects = try await store.auditSubjects(cases: shown)
        try await context.audit.record(principal.actor, shown.map { (.caseListed($0.summary.id), subject: subjects[$0.summary.id]) })
        func row(_ item: CaseListItem) -> Row {
            Row(number: item.summary.number, name: item.name ?? "–", age: item.age.map { "\($0)" } ?? "–",
                place: item.municipality ?? "–", school: item.school ?? "–", status: Texts.status(item.summary.status, language),
                due: item.summary.dueOn?.iso ?? "–", overdue: item.overdue, consultant: item.summary.consultant ?? t["unassigned"]!,
                track: Texts.track(item.summary.track))
        }
        var parameters = request.url.query.map { $0.split(separator: "&").filter { !$0.hasPrefix("after=") }.joined(separator: "&") } ?? ""
        if !parameters.isEmpty { parameters += "&" }
        let next = page.count == 25 ? page.last.map { CaseCursor(openedAt: storedOpenedAt($0), id: $0.summary.id).token } : nil
        let provinces = scope == .all ? Province.allCases : principal.actor.provinces
        return try await request.view.render("caseload", CaseloadPage(
            t: t, user: principal.view, csrf: principal.session?.csrfToken ?? "",
            title: mine ? t["cases_title"]! : t["cases_team_title"]!, overdue: overdue.map(row), rows: page.map(row), total: total,
            next: next.map { "/cases?" + parameters + "after=" + $0 }, isFirstPage: cursor == nil,
            statuses: CaseStatus.allCases.map { Option(value: $0.rawValue, label: Texts.status($0, language), selected: filter.statuses.contains($0)) },
            provinces: provinces.map { Option(value: $0.rawValue, label: $0.name, selected: filter.province == $0) },
            sources: [Source.agodi, .syntra].map { Option(value: $0.rawValue, label: $0.displayName, selected: filter.source == $0) },
            tracks: Enrolment.Track.allCases.map { Option(value: $0.rawValue, label: Texts.track($0), selected: filter.track == $0) },
            overdueOnly: filter.overdueOnly, search: (try? q.get(String.self, at: "notfound")) == "1" ? t["search_not_found"]! : "", mine: mine,
            canSeeProvince: principal.actor.role == .consultant, query: parameters))
    }

    struct SearchForm: Content {
        var q: String
    }

    /// Finds a case by its number or by the young person's INSZ. A POST, so that an INSZ never
    /// appears in a URL (browser history, proxies, logs).
    func search(request: Request) async throws -> Response {
        let principal = try request.principal
        try principal.require(.readCase)
        let text = try request.content.decode(SearchForm.self).q.trimmingCharacters(in: .whitespaces)
        var filter = CaseFilter()
        filter.search = text
        filter.includeClosed = true
        let store = request.context.store
        let today = request.context.today
        if let found = try await store.caseList(scope: principal.scope(.readCase), filter: filter, today: today, limit: 1).first {
            return request.redirect(to: "/cases/" + found.summary.number)
        }
        // A case outside the scope answers exactly as no case at all, and the attempt is audited.
        if let elsewhere = try await store.caseList(scope: .all, filter: filter, today: today, limit: 1).first {
            try await request.context.audit.denied(principal.actor, [.caseSearched(elsewhere.summary.id)])
        }
        return request.redirect(to: "/cases?notfound=1")
    }

    /// The case's opening instant, for the keyset cursor.
    func storedOpenedAt(_ item: CaseListItem) -> String { item.summary.openedAt }

    // MARK: - Case page

    struct ReasonView: Encodable {
        let rule: String
        let text: String
        let facts: [String]
    }

    struct FactView: Encodable {
        let source: String
        let reference: String
        let kind: String
        let text: String
        let current: Bool
    }

    struct EventView: Encodable {
        let at: String
        let title: String
        let detail: String
        let actor: String
        let note: String?
    }

    struct CasePage: Encodable {
        let t: [String: String]
        let user: UserView?
        let csrf: String
        let number: String
        let name: String
        let insz: String
        let birth: String
        let age: String
        let address: String
        let school: String
        let track: String
        let province: String
        let consultant: String
        let opened: String
        let status: String
        let action: String
        let nextAction: String
        let due: String
        let overdue: Bool
        let outcome: String
        let decidedOn: String
        let policyVersion: String
        let reasons: [ReasonView]
        let suggestion: String?
        let suggestedStatus: String?
        let timeline: [FactView]
        let events: [EventView]
        let channels: [Option]
        let outcomes: [Option]
        let successors: [Option]
        let canWork: Bool
        let flash: String?
        let error: String?
        let retention: String?
    }

    func details(_ request: Request) async throws -> (Principal, CaseDetails) {
        let principal = try request.principal
        try principal.require(.readCase)
        guard let details = try await request.context.store.caseDetails(try request.caseID(), scope: principal.scope(.readCase), actor: principal.actor)
        else { throw WebError.notFound }
        return (principal, details)
    }

    func show(request: Request) async throws -> View {
        let (principal, details) = try await details(request)
        return try await render(request, principal: principal, details: details,
                                flash: (try? request.query.get(String.self, at: "done")).flatMap { Texts.table(request.language)[$0] },
                                error: (try? request.query.get(String.self, at: "problem")).flatMap { Texts.table(request.language)[$0] })
    }

    func render(_ request: Request, principal: Principal, details: CaseDetails, flash: String?, error: String?) async throws -> View {
        let language = request.language
        let t = Texts.table(language)
        let policy = request.context.settings.policy
        let today = request.context.today
        let register = details.register
        let timeline = PersonTimeline(insz: details.insz, versions: details.arrivals)
        let birth = register?.birthDate ?? details.insz.birthDate
        let lastSchool = timeline.enrolments.max { ($0.1.endDate ?? .init(ordinal: .max)) < ($1.1.endDate ?? .init(ordinal: .max)) }?.1
        let summary = details.summary
        let current = Set(details.facts.map(\.reference))
        let reasons = (details.decision?.reasons ?? []).map { reason in
            ReasonView(rule: reason.rule.rawValue, text: Explanation.reason(reason, policy: policy, language),
                       facts: reason.facts.map { "\(Source(rawValue: $0.source.rawValue)?.displayName ?? $0.source.rawValue) · \($0.recordID)" })
        }
        let facts = details.arrivals.sorted { $0.reference.sequence > $1.reference.sequence }.map { fact in
            FactView(source: fact.record.source.displayName, reference: fact.record.recordID, kind: fact.record.kind.rawValue,
                     text: FactText.describe(fact.record, language), current: current.contains(fact.reference))
        }
        let events = details.events.reversed().map { event in EventView(
            at: String(event.at.prefix(16)).replacingOccurrences(of: "T", with: " "),
            title: t["event_" + event.kind] ?? event.kind, detail: describe(event.event, language), actor: event.actor, note: event.note)
        }
        let successors = summary.status.successors
        return try await request.view.render("case", CasePage(
            t: t, user: principal.view, csrf: principal.session?.csrfToken ?? "", number: summary.number,
            name: register?.fullName ?? "–", insz: details.insz.formatted, birth: birth?.iso ?? "–",
            age: birth.map { "\($0.age(on: today)) \(t["years"]!)" } ?? "–", address: register?.addressLine ?? "–",
            school: lastSchool.map { "\($0.schoolName) (\($0.schoolNumber))" } ?? "–", track: Texts.track(summary.track),
            province: summary.province?.name ?? "–", consultant: summary.consultant ?? t["unassigned"]!, opened: summary.openedOn.iso,
            status: Texts.status(summary.status, language), action: summary.action == .invite
                ? (language == .nl ? "Uitnodiging" : "Invitation") : (language == .nl ? "Automatische inschrijving" : "Automatic registration"),
            nextAction: summary.nextAction.map { nextActionText($0, language) } ?? "–", due: summary.dueOn?.iso ?? "–",
            overdue: summary.isOverdue(on: today),
            outcome: details.decision.map { Explanation.outcome($0.outcome, language) } ?? "–",
            decidedOn: details.decision?.decidedOn.iso ?? "–", policyVersion: details.decision?.policyVersion ?? "–",
            reasons: reasons, suggestion: summary.suggestion.map { Texts.suggestion($0, language) },
            suggestedStatus: summary.suggestion?.suggestedStatus.map { Texts.status($0, language) },
            timeline: facts, events: Array(events),
            channels: ContactChannel.allCases.map { Option(value: $0.rawValue, label: Texts.channel($0, language), selected: $0 == .phone) },
            outcomes: ContactOutcome.allCases.map { Option(value: $0.rawValue, label: Texts.outcome($0, language), selected: false) },
            successors: successors.map { Option(value: $0.rawValue, label: Texts.status($0, language),
                                                selected: $0 == summary.suggestion?.suggestedStatus) },
            canWork: Permissions.allows(.workCase, for: principal.actor.role), flash: flash, error: error,
            retention: retentionText(summary, request.context.settings, language)))
    }

    /// When the case's data will be removed, by the retention policy.
    func retentionText(_ summary: Case, _ settings: WebSettings, _ language: Language) -> String {
        if let date = settings.retention.caseDataRemoved(closedOn: summary.closedOn) {
            return language == .nl ? "De notities en de koppeling met de jongere worden verwijderd op \(Explanation.dutch(date))."
                : "The notes and the link to the young person are removed on \(date.iso)."
        }
        let years = settings.retention.closedCaseYears
        return language == .nl ? "Bewaard zolang het dossier open is; na afsluiting nog \(years) jaar, daarna worden de notities en de koppeling met de jongere verwijderd."
            : "Kept while the case is open; after closing for \(years) more years, then the notes and the link to the young person are removed."
    }

    func describe(_ event: CaseEvent, _ language: Language) -> String {
        switch event {
        case .statusChanged(let from, let to):
            return "\(Texts.status(from, language)) → \(Texts.status(to, language))"
        case .contact(let channel, let outcome):
            return "\(Texts.channel(channel, language)): \(Texts.outcome(outcome, language))"
        case .assigned(let consultant, _): return consultant
        case .factArrived(let source, let recordID, _, _):
            return "\(source.displayName) · \(recordID)"
        case .suggestion(let suggestion, _): return Texts.suggestion(suggestion, language)
        case .nextActionSet(let action, let due): return "\(nextActionText(action, language)) · \(due.iso)"
        case .opened(let action, _, _): return action == .invite ? (language == .nl ? "Uitnodiging" : "Invitation")
            : (language == .nl ? "Automatische inschrijving" : "Automatic registration")
        case .reopened, .note: return ""
        }
    }

    func nextActionText(_ action: String, _ language: Language) -> String {
        switch (action, language) {
        case ("first_contact", .nl): "Eerste contact"
        case ("first_contact", .en): "First contact"
        case ("registration_follow_up", .nl): "Opvolging inschrijving"
        case ("registration_follow_up", .en): "Follow up the registration"
        default: action
        }
    }

    // MARK: - Actions

    func redirect(_ request: Request, _ id: Int64, done: String? = nil, problem: String? = nil) -> Response {
        var path = "/cases/" + CaseNumber.format(id)
        if let done { path += "?done=" + done } else if let problem { path += "?problem=" + problem }
        return request.redirect(to: path + "#actions")
    }

    struct ContactForm: Content {
        var channel: String
        var outcome: String
        var note: String?
    }

    func contact(request: Request) async throws -> Response {
        let principal = try request.principal
        try principal.require(.workCase)
        let id = try request.caseID()
        let form = try request.content.decode(ContactForm.self)
        guard let channel = ContactChannel(rawValue: form.channel), let outcome = ContactOutcome(rawValue: form.outcome) else {
            return redirect(request, id, problem: "required")
        }
        return try await perform(request, id, done: "contact_logged") {
            try await request.context.caseWork.logContact(id, channel: channel, outcome: outcome, note: form.note, by: principal.actor)
        }
    }

    struct NoteForm: Content {
        var note: String
    }

    func note(request: Request) async throws -> Response {
        let principal = try request.principal
        try principal.require(.workCase)
        let id = try request.caseID()
        let form = try request.content.decode(NoteForm.self)
        return try await perform(request, id, done: "note_added") {
            try await request.context.caseWork.addNote(id, note: form.note, by: principal.actor)
        }
    }

    struct StatusForm: Content {
        var status: String
        var note: String?
    }

    func status(request: Request) async throws -> Response {
        let principal = try request.principal
        try principal.require(.workCase)
        let id = try request.caseID()
        let form = try request.content.decode(StatusForm.self)
        guard let next = CaseStatus(rawValue: form.status) else { return redirect(request, id, problem: "required") }
        return try await perform(request, id, done: "status_changed") {
            try await request.context.caseWork.changeStatus(id, to: next, note: form.note, by: principal.actor)
        }
    }

    struct PlanForm: Content {
        var action: String
        var due: String
    }

    func nextAction(request: Request) async throws -> Response {
        let principal = try request.principal
        try principal.require(.workCase)
        let id = try request.caseID()
        let form = try request.content.decode(PlanForm.self)
        guard let due = LocalDate(iso: form.due.trimmingCharacters(in: .whitespaces)) else { return redirect(request, id, problem: "invalid_date") }
        return try await perform(request, id, done: "plan_saved") {
            try await request.context.caseWork.planNextAction(id, action: form.action, due: due, by: principal.actor)
        }
    }

    /// Runs a use case on the case: back to the case page with what was done, or with the rule
    /// that refused it; a case outside the scope is not found.
    func perform(_ request: Request, _ id: Int64, done: String, _ work: () async throws -> Case?) async throws -> Response {
        do {
            guard try await work() != nil else { throw WebError.notFound }
        } catch let refused as CaseRuleViolation {
            return redirect(request, id, problem: Self.problem(refused))
        }
        return redirect(request, id, done: done)
    }

    /// The text key of the message that explains a refusal on the case page.
    static func problem(_ refused: CaseRuleViolation) -> String {
        switch refused {
        case .illegalTransition: "not_allowed"
        case .secondOpenCase: "second_open_case"
        case .tooLong: "too_long"
        case .emptyNextAction, .emptyNote, .unknownConsultant: "required"
        case .closed, .consultantOutsideProvince: "not_allowed"
        }
    }
}

/// One line per fact, in the reader's language.
enum FactText {
    static func describe(_ record: SourceRecord, _ language: Language) -> String {
        let nl = language == .nl
        switch record.body {
        case .enrolment(let e):
            let programme: String
            switch e.programme {
            case .fulltime: programme = nl ? "voltijds" : "full-time"
            case .dbso: programme = nl ? "deeltijds (DBSO)" : "part-time (DBSO)"
            case .apprenticeship: programme = nl ? "leertijd" : "apprenticeship"
            case nil: programme = e.level.rawValue
            }
            let until = e.endDate.map { $0.iso } ?? (nl ? "nu" : "now")
            var text = (nl ? "Ingeschreven" : "Enrolled") + " \(programme) \(Texts.track(e.effectiveTrack)) — \(e.schoolName), \(e.startDate.iso) – \(until)"
            if let exit = e.exitReason {
                let reasons: [Enrolment.ExitReason: (String, String)] = [
                    .endOfSchoolYear: ("einde schooljaar", "end of school year"), .pupilOrParents: ("op vraag van leerling of ouders", "at the pupil's or parents' request"),
                    .schoolOrCLB: ("op advies van school of CLB", "on the school's or CLB's advice"), .disciplinary: ("definitief uitgesloten", "definitively excluded")]
                text += " (" + (nl ? reasons[exit]!.0 : reasons[exit]!.1) + ")"
            }
            return text
        case .qualification(let q):
            let status = q.status == .cancelled ? (nl ? " — geannuleerd" : " — cancelled") : ""
            return (q.title ?? q.certificateType.rawValue) + ", \(q.awardDate.iso)" + status
        case .person(let p):
            var text = (nl ? "Rijksregister: " : "National register: ") + (p.addressLine.isEmpty ? "–" : p.addressLine)
            if let e = p.emigrationDate { text += nl ? ", vertrokken naar het buitenland op \(e.iso)" : ", left for abroad on \(e.iso)" }
            if let d = p.deathDate { text += nl ? ", overleden op \(d.iso)" : ", died on \(d.iso)" }
            return text
        case .jobseeker(let j):
            return (nl ? "Werkzoekende sinds " : "Job seeker since ") + j.registrationDate.iso
                + (j.deregistrationDate.map { nl ? " tot \($0.iso)" : " until \($0.iso)" } ?? "")
        case .employment(let e):
            let until = e.endDate.map { $0.iso } ?? (nl ? "nu" : "now")
            return (nl ? "Aan het werk " : "Employed ") + "\(e.startDate.iso) – \(until)" + (e.cancelled ? (nl ? " (geannuleerd)" : " (cancelled)") : "")
        }
    }
}
