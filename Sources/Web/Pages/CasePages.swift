import Domain
import Foundation
import Linkage
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
        routes.post("cases", ":number", "undo-close", use: undoClosing)
        routes.get("cases", ":number", "letters", ":reference", use: letter)
        routes.post("cases", ":number", "letters", "again", use: letterAgain)
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

    /// The rows of a caseload table as HTML, written here rather than by a `#for` in the template:
    /// Leaf serializes each pass of a loop body against a fresh copy of the page's context, and a
    /// caseload's 35 rows with their 17 expressions each were most of the page's rendering, itself
    /// a third of the server's CPU under the workspace benchmark's load. Every value is escaped.
    /// The overdue table has no school column and marks every row overdue.
    static func rowsHTML(_ rows: [Row], _ t: TextTable, overdueTable: Bool) -> String {
        let e = HTML.escape
        let labels = ["col_case", "col_name", "col_age", "col_place", "col_school", "col_status", "col_due", "col_consultant"]
            .map { " data-label=\"" + e(t[$0] ?? "") + "\"" }
        let badge = "<span class=\"badge overdue\">" + e(t["overdue_badge"] ?? "") + "</span> "
        var out = ""
        out.reserveCapacity(rows.count * 700)
        for r in rows {
            let number = e(r.number)
            out += "<tr><td" + labels[0] + "><a href=\"/cases/" + number + "\">" + number + "</a></td>"
            out += "<td" + labels[1] + ">" + e(r.name) + "</td><td" + labels[2] + ">" + e(r.age) + "</td>"
            out += "<td" + labels[3] + ">" + e(r.place) + "</td>"
            if !overdueTable { out += "<td" + labels[4] + ">" + e(r.school) + "</td>" }
            out += "<td" + labels[5] + ">" + e(r.status) + "</td>"
            out += "<td" + labels[6] + ">" + (overdueTable || r.overdue ? badge : "") + e(r.due) + "</td>"
            out += "<td" + labels[7] + ">" + e(r.consultant) + "</td></tr>\n"
        }
        return out
    }

    struct Option: Encodable {
        let value: String
        let label: String
        let selected: Bool
    }

    struct CaseloadPage: Encodable {
        let t: TextTable
        let user: UserView?
        let csrf: String
        let title: String
        let hasOverdue: Bool
        /// The overdue table's rows and the list's, as HTML (`rowsHTML`).
        let overdueRows: String
        let hasRows: Bool
        let rows: String
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
        let words = language.words
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
        let overdueCases = cursor == nil && !filter.overdueOnly
            ? try await store.caseSummaries(scope: scope, filter: overdueFilter, today: today, limit: 10, overdueFirst: true) : []
        let pageCases = try await store.caseSummaries(scope: scope, filter: filter, today: today, after: cursor, limit: 25)
        // The people of both lists in one read.
        let people = try await store.withPeople(overdueCases + pageCases, today: today)
        let overdue = Array(people.prefix(overdueCases.count)), page = Array(people.dropFirst(overdueCases.count))
        let total = try await store.caseCount(scope: scope, filter: filter, today: today)
        // Reading names and ages is reading personal data: one audit entry per young person shown.
        let shown = overdue + page
        let subjects = try await store.auditSubjects(cases: shown)
        try await context.audit.record(principal.actor, shown.map { (.caseListed($0.summary.id), subject: subjects[$0.summary.id]) })
        let names = try await store.displayNames()
        func row(_ item: CaseListItem) -> Row { Row(item, words: words, names: names, unassigned: t["unassigned"]!) }
        var parameters = request.url.query.map { $0.split(separator: "&").filter { !$0.hasPrefix("after=") }.joined(separator: "&") } ?? ""
        if !parameters.isEmpty { parameters += "&" }
        let next = page.count == 25 ? page.last.map { CaseCursor(openedAt: storedOpenedAt($0), id: $0.summary.id).token } : nil
        let provinces = scope == .all ? Province.allCases : principal.actor.provinces
        return try await request.view.render("caseload", CaseloadPage(
            t: t, user: principal.view, csrf: principal.session?.csrfToken ?? "",
            title: mine ? t["cases_title"]! : t["cases_team_title"]!,
            hasOverdue: !overdue.isEmpty, overdueRows: Self.rowsHTML(overdue.map(row), t, overdueTable: true),
            hasRows: !page.isEmpty, rows: Self.rowsHTML(page.map(row), t, overdueTable: false), total: total,
            next: next.map { "/cases?" + parameters + "after=" + $0 }, isFirstPage: cursor == nil,
            statuses: CaseStatus.allCases.map { Option(value: $0.rawValue, label: words.status($0), selected: filter.statuses.contains($0)) },
            provinces: provinces.map { Option(value: $0.rawValue, label: $0.name, selected: filter.province == $0) },
            sources: [Source.agodi, .syntra].map { Option(value: $0.rawValue, label: $0.displayName, selected: filter.source == $0) },
            tracks: Enrolment.Track.allCases.map { Option(value: $0.rawValue, label: words.track($0), selected: filter.track == $0) },
            overdueOnly: filter.overdueOnly, search: (try? q.get(String.self, at: "notfound")) == "1" ? t["search_not_found"]! : "", mine: mine,
            canSeeProvince: principal.actor.role == .consultant, query: parameters))
    }

    struct SearchForm: Content {
        var q: String
    }

    struct SearchPage: Encodable {
        let t: TextTable
        let user: UserView?
        let csrf: String
        let query: String
        let rows: [Row]
    }

    /// Finds a case by its number, by the young person's INSZ or by their name, within the user's
    /// scope. A POST, so that an INSZ or a name never appears in a URL (browser history, proxies,
    /// logs). One match opens the case; several are listed (and audited as shown).
    func search(request: Request) async throws -> Response {
        let principal = try request.principal
        try principal.require(.readCase)
        let text = try request.content.decode(SearchForm.self).q.trimmingCharacters(in: .whitespaces)
        let context = request.context
        if case .name(let name) = CaseSearch(text, allowTestNumbers: context.settings.allowsTestData, today: context.today) {
            let matches = try await context.store.casesNamed(name, scope: principal.scope(.readCase), today: context.today)
            let subjects = try await context.store.auditSubjects(cases: matches)
            try await context.audit.record(principal.actor, matches.map { (.caseSearched($0.summary.id), subject: subjects[$0.summary.id]) })
            if matches.count == 1 { return request.redirect(to: "/cases/" + matches[0].summary.number) }
            guard !matches.isEmpty else { return request.redirect(to: "/cases?notfound=1") }
            let words = request.language.words
            let names = try await context.store.displayNames()
            let t = Texts.table(request.language)
            let rows = matches.map { Row($0, words: words, names: names, unassigned: t["unassigned"]!) }
            return try await request.view.render("search", SearchPage(t: t, user: principal.view, csrf: principal.session?.csrfToken ?? "",
                                                                      query: text, rows: rows)).encodeResponse(for: request)
        }
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
        let facts: [FactRef]
    }

    struct FactRef: Encodable {
        let text: String
        /// The source and its record id, for a specialist.
        let reference: String
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
        let t: TextTable
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
        let openedBecause: String
        let outcome: String
        let changedSince: Bool
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
        let canUndoClosing: Bool
        let closed: Bool
        let flash: String?
        let error: String?
        let retention: String?
        let typed: Typed
        let letters: [LetterRow]
        let resendKinds: [Option]
        let referrals: ReferralPages.Section
        /// How the person's identity was found when a record came without a usable INSZ.
        let identity: String?
    }

    struct LetterRow: Encodable {
        let reference: String
        let madeOn: String
        let kind: String
        let status: String
    }

    static func letterStatus(_ letter: CaseLetter, _ t: TextTable, _ words: any Vocabulary) -> String {
        if letter.status == "returned", let reason = letter.returnReason {
            return t["case_letter_returned"]! + ": " + words.returnReason(reason) + (letter.returnedOn.map { " (" + words.date($0) + ")" } ?? "")
        }
        return t["case_letter_" + letter.status] ?? letter.status
    }

    func details(_ request: Request) async throws -> (Principal, CaseFile) {
        let principal = try request.principal
        try principal.require(.readCase)
        guard let details = try await request.context.store.caseDetails(try request.caseID(), scope: principal.scope(.readCase), actor: principal.actor)
        else { throw WebError.notFound }
        return (principal, details)
    }

    func show(request: Request) async throws -> View {
        let (principal, details) = try await details(request)
        let t = Texts.table(request.language)
        if let token = try? request.query.get(String.self, at: "draft"), let username = principal.user?.username,
           let draft = try await request.context.store.takeFormDraft(tokenHash: SessionCookie.tokenHash(token), username: username),
           let typed = Self.typed(draft.path, draft.fields, caseNumber: CaseNumber.format(details.summary.id)) {
            return try await render(request, principal: principal, details: details, flash: t["draft_restored"], error: nil, typed: typed)
        }
        return try await render(request, principal: principal, details: details,
                                flash: (try? request.query.get(String.self, at: "done")).flatMap { t[$0] }, error: nil)
    }

    /// A draft kept when the session had expired, back in its form (`Typed`), if it was posted to a
    /// form of this case.
    static func typed(_ path: String, _ fields: [String: String], caseNumber: String) -> Typed? {
        let prefix = "/cases/\(caseNumber)/"
        guard path.hasPrefix(prefix) else { return nil }
        func field(_ name: String) -> String { fields[name] ?? "" }
        switch path.dropFirst(prefix.count) {
        case "notes": return Typed(note: field("note"), errorField: "note")
        case "contacts":
            return Typed(channel: fields["channel"] ?? ContactChannel.phone.rawValue, contactOutcome: field("outcome"), contactNote: field("note"),
                         errorField: "contact-note")
        case "status": return Typed(status: field("status"), statusNote: field("note"), errorField: "new-status")
        case "next-action": return Typed(planAction: field("action"), planDue: field("due"), errorField: "plan-action")
        case "undo-close": return Typed(undoReason: field("reason"), errorField: "undo-reason")
        default: return nil
        }
    }

    /// "Identity found by name, birth date and address (probability 99.8 %, by Vangnet)": one line
    /// per record of the person that came without a usable INSZ and was linked (docs/linkage.md).
    static func identityNote(_ request: Request, personID: Int64, t: TextTable, person: (String) -> String) async throws -> String? {
        let links = try await request.context.store.identityLinks(person: personID)
        guard !links.isEmpty else { return nil }
        let language: LinkageLanguage = request.language == .en ? .english : .dutch
        return links.map { link in
            let fields = link.explanation.filter(\.supports).sorted { $0.weight > $1.weight }.compactMap { $0.linkageField.map(language.name) }
            let named = fields.count <= 1 ? fields.joined() : fields.dropLast().joined(separator: ", ") + " " + t["and"]! + " " + fields.last!
            let by = link.by.hasPrefix("system:") ? t["identity_by_system"]! : t["identity_by_person"]!.replacingOccurrences(of: "{name}", with: person(link.by))
            return t["case_identity_found"]!.replacingOccurrences(of: "{fields}", with: named)
                .replacingOccurrences(of: "{probability}", with: FigureFormat.percent(link.probability, request.language))
                .replacingOccurrences(of: "{by}", with: by)
        }.joined(separator: " · ")
    }

    /// The case page: the one case projection, in the reader's words.
    func render(_ request: Request, principal: Principal, details: CaseFile, flash: String?, error: String?,
                typed: Typed = Typed(), referrals: ReferralPages.Section? = nil) async throws -> View {
        let words = request.language.words
        let t = Texts.table(request.language)
        let settings = request.context.settings
        let view = CaseProjection(details, today: request.context.today, retention: settings.retention)
        let summary = view.summary
        let names = try await request.context.store.displayNames()
        func person(_ username: String) -> String { names[username] ?? username }
        let reasons = view.reasons.map { reason in
            ReasonView(rule: reason.rule.rawValue, text: words.reason(reason, policy: settings.policy),
                       facts: reason.facts.map { reference in
                           let fact = view.facts.first { $0.reference.source == reference.source && $0.reference.recordID == reference.recordID }
                           return FactRef(text: fact.map { words.fact($0.record) } ?? words.source(reference.source),
                                          reference: "\(reference.source.displayName) · \(reference.recordID)")
                       })
        }
        let timeline = view.timeline.map { entry in
            FactView(source: words.source(entry.fact.record.source), reference: entry.fact.record.recordID,
                     kind: words.recordKind(entry.fact.record.kind), text: words.fact(entry.fact.record), current: entry.current)
        }
        let events = view.history.map { entry in
            EventView(at: words.instant(entry.at), title: words.eventTitle(entry.event),
                      detail: words.eventDetail(entry.event, person: person),
                      actor: CaseRules.systemActors.contains(entry.actor) ? t["by_vangnet"]!
                          : entry.actor == CaseRules.youngPersonActor ? t["by_young_person"]! : person(entry.actor), note: entry.note)
        }
        let referralSection: ReferralPages.Section
        if let referrals { referralSection = referrals } else { referralSection = try await ReferralPages.section(request, summary) }
        let caseLetters = try await request.context.store.caseLetters(summary.id)
        let letters = caseLetters.map {
            LetterRow(reference: $0.reference, madeOn: words.date($0.madeOn), kind: words.letterKind($0.kind).capitalizedFirst,
                      status: Self.letterStatus($0, t, words))
        }
        var kinds: [LetterKind] = []
        for letter in caseLetters.reversed() where !kinds.contains(letter.kind) { kinds.append(letter.kind) }
        // Why the case was opened (an eligible decision, on the day it opened), and apart from it
        // whether the decision has changed since.
        let openedBecause = words.decisionOutcome(.eligible) + " (" + words.date(summary.openedOn) + ")"
        let identity = try await Self.identityNote(request, personID: summary.personID, t: t, person: person)
        let changedSince = view.decision.map { $0.outcome != .eligible } ?? false
        return try await request.view.render("case", CasePage(
            t: t, user: principal.view, csrf: principal.session?.csrfToken ?? "", number: summary.number,
            name: view.person.name ?? "–", insz: view.person.insz.formatted, birth: view.person.birthDate.map(words.date) ?? "–",
            age: view.person.age.map(words.years) ?? "–", address: view.person.address ?? "–",
            school: view.person.lastSchool.map { "\($0.name) (\($0.number))" } ?? "–", track: words.track(summary.track),
            province: summary.province?.name ?? "–", consultant: summary.consultant.map(person) ?? t["unassigned"]!,
            opened: words.date(summary.openedOn), status: words.status(summary.status), action: words.caseAction(summary.action),
            nextAction: summary.isOpen ? summary.nextAction.map(words.nextAction) ?? "–" : "–",
            due: summary.isOpen ? summary.dueOn.map(words.date) ?? "–" : "–",
            overdue: view.overdue, openedBecause: openedBecause,
            outcome: view.decision.map { words.decisionOutcome($0.outcome) } ?? "–", changedSince: changedSince,
            decidedOn: view.decision.map { words.date($0.decidedOn) } ?? "–", policyVersion: view.decision?.policyVersion ?? "–",
            reasons: reasons, suggestion: summary.suggestion.map(words.suggestion),
            suggestedStatus: view.suggestedStatus.map(words.status),
            timeline: timeline, events: events,
            channels: ContactChannel.allCases.map { Option(value: $0.rawValue, label: words.channel($0), selected: $0.rawValue == typed.channel) },
            outcomes: ContactOutcome.allCases.map { Option(value: $0.rawValue, label: words.contactOutcome($0), selected: $0.rawValue == typed.contactOutcome) },
            successors: view.successors.map { Option(value: $0.rawValue, label: words.status($0),
                                                     selected: typed.status.isEmpty ? $0 == view.suggestedStatus : $0.rawValue == typed.status) },
            canWork: Permissions.allows(.workCase, for: principal.actor.role) && summary.isOpen,
            canUndoClosing: Permissions.allows(.undoClosing, for: principal.actor.role) && !summary.isOpen, closed: !summary.isOpen,
            flash: flash, error: error,
            retention: retentionText(view, words, t), typed: typed, letters: letters,
            resendKinds: kinds.map { Option(value: $0.rawValue, label: words.letterKind($0).capitalizedFirst, selected: false) },
            referrals: referralSection, identity: identity))
    }

    struct LetterPage: Encodable {
        let t: TextTable
        let user: UserView?
        /// The logout form's token (the page chrome).
        let csrf: String
        let number: String
        let reference: String
        let kind: String
        let madeOn: String
        let status: String
        let template: String
        let lines: [String]
    }

    /// One letter of the case as it was sent (the personal code hidden): read after the audit entry.
    func letter(request: Request) async throws -> View {
        let principal = try request.principal
        try principal.require(.readCase)
        let id = try request.caseID()
        let store = request.context.store
        guard let reference = request.parameters.get("reference"), reference.count <= 40,
              let summary = try await store.caseSummary(id, scope: principal.scope(.readCase)) else {
            try await request.context.audit.record(principal.actor, .letterRead(id), outcome: .denied)
            throw WebError.notFound
        }
        try await request.context.audit.record(principal.actor, .letterRead(id), subject: try await store.auditSubject(of: summary))
        guard let (letter, text) = try await store.letterText(id, reference: reference) else { throw WebError.notFound }
        let t = Texts.table(request.language)
        let words = request.language.words
        return try await request.view.render("letter", LetterPage(
            t: t, user: principal.view, csrf: principal.session?.csrfToken ?? "", number: summary.number, reference: letter.reference, kind: words.letterKind(letter.kind).capitalizedFirst,
            madeOn: words.date(letter.madeOn), status: Self.letterStatus(letter, t, words), template: letter.template,
            lines: text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)))
    }

    /// The consultant asks for a letter to go again with the next batch.
    func letterAgain(request: Request) async throws -> Response {
        let principal = try request.principal
        try principal.require(.workCase)
        let id = try request.caseID()
        struct Form: Content { var kind: String? }
        guard let kind = (try? request.content.decode(Form.self))?.kind.flatMap(LetterKind.init(rawValue:)) else {
            throw WebError.badRequest("kind: invitation, reminder or registration_notice")
        }
        return try await perform(request, id, done: "letter_again_requested", Typed()) {
            try await request.context.caseWork.requestLetterAgain(id, kind: kind, by: principal.actor)
        }
    }

    /// When the case's data will be removed, by the retention policy.
    func retentionText(_ view: CaseProjection, _ words: any Vocabulary, _ t: TextTable) -> String {
        if let date = view.dataRemovedOn { return t["retention_closed"]!.replacingOccurrences(of: "{date}", with: words.date(date)) }
        return t["retention_open"]!.replacingOccurrences(of: "{years}", with: String(view.retention.closedCaseYears))
    }

    // MARK: - Actions

    func redirect(_ request: Request, _ id: Int64, done: String) -> Response {
        request.redirect(to: "/cases/" + CaseNumber.format(id) + "?done=" + done + "#actions")
    }

    /// What the user typed in the case page's forms, put back when a form is refused, with the
    /// field the error summary links to.
    struct Typed: Encodable {
        var channel = ContactChannel.phone.rawValue
        var contactOutcome = ""
        var contactNote = ""
        var status = ""
        var statusNote = ""
        var planAction = ""
        var planDue = ""
        var note = ""
        var undoReason = ""
        var errorField = "actions"
    }

    /// The case page again, with the problem in the error summary and what was typed kept (422).
    func refuse(_ request: Request, _ message: String, _ typed: Typed) async throws -> Response {
        let (principal, details) = try await details(request)
        let response = try await render(request, principal: principal, details: details, flash: nil, error: message, typed: typed)
            .encodeResponse(for: request)
        response.status = .unprocessableEntity
        return response
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
        var typed = Typed(channel: form.channel, contactOutcome: form.outcome, contactNote: form.note ?? "", errorField: "contact-outcome")
        guard let channel = ContactChannel(rawValue: form.channel), let outcome = ContactOutcome(rawValue: form.outcome) else {
            return try await refuse(request, Texts.table(request.language)["required"]!, typed)
        }
        typed.errorField = "contact-note"
        return try await perform(request, id, done: "contact_logged", typed) {
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
        return try await perform(request, id, done: "note_added", Typed(note: form.note, errorField: "note")) {
            try await request.context.caseWork.addNote(id, note: form.note, by: principal.actor)
        }
    }

    struct StatusForm: Content {
        var status: String
        var note: String?
        /// `1` when the user ticked "I confirm that this closes the case".
        var confirm: String?
    }

    func status(request: Request) async throws -> Response {
        let principal = try request.principal
        try principal.require(.workCase)
        let id = try request.caseID()
        let form = try request.content.decode(StatusForm.self)
        var typed = Typed(status: form.status, statusNote: form.note ?? "", errorField: "new-status")
        let t = Texts.table(request.language)
        guard let next = CaseStatus(rawValue: form.status) else { return try await refuse(request, t["required"]!, typed) }
        // Closing is a decision about a young person: it needs a reason and a confirmation.
        // The reason is the use case's rule (`CaseRuleViolation.reasonRequired`); the page asks
        // for the confirmation once a reason is there.
        if !next.isOpen, !(form.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, form.confirm != "1" {
            typed.errorField = "confirm-close"
            return try await refuse(request, t["confirm_closing"]!, typed)
        }
        typed.errorField = "status-note"
        return try await perform(request, id, done: "status_changed", typed) {
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
        var typed = Typed(planAction: form.action, planDue: form.due, errorField: "plan-due")
        let t = Texts.table(request.language)
        let due: LocalDate
        switch TypedDate(form.due) {
        case .date(let date): due = date
        case .empty, .notADate: return try await refuse(request, t["invalid_date"]!, typed)
        case .noSuchDay(let day, let month, let year):
            let words = request.language.words
            return try await refuse(request, "\(words.nonexistentDay(day: day, month: month, year: year)) \(t["does_not_exist"]!)", typed)
        }
        typed.errorField = "plan-action"
        return try await perform(request, id, done: "plan_saved", typed) {
            try await request.context.caseWork.planNextAction(id, action: form.action, due: due, by: principal.actor)
        }
    }

    struct UndoForm: Content {
        var reason: String?
    }

    /// A team lead undoes a closing made by mistake, with a reason (audited).
    func undoClosing(request: Request) async throws -> Response {
        let principal = try request.principal
        try principal.require(.undoClosing)
        let id = try request.caseID()
        let form = try request.content.decode(UndoForm.self)
        return try await perform(request, id, done: "closing_undone", Typed(undoReason: form.reason ?? "", errorField: "undo-reason")) {
            try await request.context.caseWork.undoClosing(id, reason: form.reason, by: principal.actor)
        }
    }

    /// Runs a use case on the case: back to the case page with what was done, or the page again
    /// with the rule that refused it and what was typed; a case outside the scope is not found.
    func perform(_ request: Request, _ id: Int64, done: String, _ typed: Typed, _ work: () async throws -> Case?) async throws -> Response {
        do {
            guard try await work() != nil else { throw WebError.notFound }
        } catch let refused as CaseRuleViolation {
            var typed = typed
            if case .illegalTransition = refused { typed.errorField = "new-status" }
            return try await refuse(request, Texts.table(request.language)[Self.problem(refused)]!, typed)
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
        case .reasonRequired: "reason_required"
        case .closed: "case_closed_text"
        case .consultantOutsideProvince, .notClosed: "not_allowed"
        }
    }
}

extension CasePages.Row {
    /// A case in a list, in the reader's words, its consultant by name.
    init(_ item: CaseListItem, words: any Vocabulary, names: [String: String], unassigned: String) {
        number = item.summary.number
        name = item.name ?? "–"
        age = item.age.map { "\($0)" } ?? "–"
        place = item.municipality ?? "–"
        school = item.school ?? "–"
        status = words.status(item.summary.status)
        due = item.summary.dueOn.map(words.shortDate) ?? "–"
        overdue = item.overdue
        consultant = item.summary.consultant.map { names[$0] ?? $0 } ?? unassigned
        track = words.track(item.summary.track)
    }
}
