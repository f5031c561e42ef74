import Domain
import Foundation
import Ingest
import Storage
import Vapor
import Workflows

/// The data steward: sources with their last delivery, volumes and lag; quarantined records with
/// their reasons and original text; re-processing after correction. No case contents.
struct StewardPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("steward", use: overview)
        routes.get("steward", "quarantine", ":id", use: detail)
        routes.post("steward", "quarantine", ":id", "reprocess", use: reprocess)
        routes.post("steward", "quarantine", ":id", "dismiss", use: dismiss)
        routes.post("steward", "quarantine", ":id", "unlink", use: unlink)
        routes.post("steward", "registrations", ":id", "retry", use: retryRegistration)
        routes.post("steward", "webhooks", ":id", "retry", use: retryWebhook)
        routes.get("steward", "reports", ":id", use: report)
        routes.post("steward", "reports", ":id", "handled", use: reportHandled)
    }

    struct ReportRow: Encodable {
        let id: Int64
        let caseNumber: String
        let at: String
    }

    struct ReportPage: Encodable {
        let t: TextTable
        let user: UserView?
        let csrf: String
        let id: Int64
        let caseNumber: String
        let at: String
        let lines: [String]
        let open: Bool
    }

    /// A young person's "something is wrong in this letter", with their text (the read is audited).
    func report(request: Request) async throws -> View {
        let principal = try request.principal
        try principal.require(.readQuarantine)
        guard let id = request.parameters.get("id").flatMap(Int64.init),
              let (report, text, open) = try await request.context.store.answerReport(id, actor: principal.actor.acting(for: .dataQuality))
        else { throw WebError.notFound }
        let words = request.language.words
        return try await request.view.render("answer-report", ReportPage(
            t: Texts.table(request.language), user: principal.view, csrf: principal.session?.csrfToken ?? "", id: report.id,
            caseNumber: CaseNumber.format(report.caseID), at: words.instant(report.at),
            lines: text.split(separator: "\n").map(String.init), open: open))
    }

    func reportHandled(request: Request) async throws -> Response {
        let principal = try request.principal
        try principal.require(.reprocessQuarantine)
        struct Form: Content { var note: String? }
        let note = try CaseNote.cleaned((try? request.content.decode(Form.self))?.note)
        guard let id = request.parameters.get("id").flatMap(Int64.init),
              try await request.context.store.handleAnswerReport(id, note: note, by: principal.actor.acting(for: .dataQuality)) else {
            throw WebError.notFound
        }
        return request.redirect(to: "/steward?done=report_handled#reports-title")
    }

    /// A registration request to VDAB's job-seeker system that got stuck, in words; the system's
    /// own answer as a secondary detail for the specialist.
    struct StuckRow: Encodable {
        let id: Int64
        let caseNumber: String
        let problem: String
        let detail: String
        let attempts: Int
        let since: String
    }

    /// A notice to a partner's system that got stuck: the organisation, the case, the endpoint's answer.
    struct StuckWebhookRow: Encodable {
        let id: Int64
        let organisation: String
        let caseNumber: String
        let detail: String
        let attempts: Int
        let since: String
    }

    struct SourceRow: Encodable {
        let name: String
        let lastDelivery: String
        let lag: String
        let deliveries: Int
        let records: Int
        let accepted: Int
        let quarantined: Int
        let open: Int
        let stale: Bool
    }

    struct Option: Encodable {
        let value: String
        let label: String
        let selected: Bool
    }

    /// A quarantined record in the steward's words: the reason and the field named, the code and
    /// the technical message kept as a secondary detail.
    struct EntryView: Encodable {
        let id: Int64
        let received: String
        let delivery: String
        let location: String
        let reason: String
        let code: String
        let field: String?
        let explanation: String
        let technical: String
        let status: String
        let open: Bool

        init(_ entry: QuarantineEntry, _ words: any Vocabulary, fieldLabel: String) {
            id = entry.id
            received = words.instant(entry.receivedAt)
            delivery = entry.delivery
            location = words.location(entry.location)
            let known = QuarantineReason(rawValue: entry.reason)
            reason = known.map(words.quarantineReason) ?? entry.reason
            code = entry.reason
            let field = entry.field.map(words.field)
            let reason = self.reason
            self.field = field
            explanation = field.map { "\(reason) (\(fieldLabel.lowercased()): \($0))" } ?? reason
            technical = entry.message
            status = words.quarantineStatus(entry.status)
            open = entry.status == "open"
        }
    }

    struct StewardPage: Encodable {
        let t: TextTable
        let user: UserView?
        let csrf: String
        let sources: [SourceRow]
        let entries: [EntryView]
        let reasons: [Option]
        let sourceOptions: [Option]
        let search: String
        let next: String?
        let registrations: String?
        let webhooks: String?
        let stuck: [StuckRow]
        let stuckWebhooks: [StuckWebhookRow]
        let flash: String?
        let reports: [ReportRow]
        let identities: [IdentityRow]
        let links: [IdentityRow]
        let merges: [MergeRow]
    }

    /// A merge in the steward's list: why, which case goes on and which joined it, and its undo.
    struct MergeRow: Encodable {
        let id: Int64
        let label: String
        let at: String
        let active: Bool
        let undone: String

        init(_ listing: MergeListing, _ t: TextTable, _ language: Language) {
            let merge = listing.merge
            id = merge.id
            let reason = t["merge_reason_" + merge.reason.rawValue] ?? merge.reason.rawValue
            // Which cases it concerns, by number (no names in a list): the one going on, the one joined.
            var cases = [listing.survivorCase.map { t["merges_goes_on_case"]!.replacingOccurrences(of: "{case}", with: CaseNumber.format($0)) },
                         listing.absorbedCase.map { t["merges_joined_case"]!.replacingOccurrences(of: "{case}", with: CaseNumber.format($0)) }]
                .compactMap { $0 }
            if cases.isEmpty { cases = [t["merge_no_case"]!] }
            label = reason + ": " + cases.joined(separator: ", ")
            at = language.words.instant(merge.mergedAt)
            active = merge.isActive
            undone = merge.undoneAt.map { t["merges_undone"]!.replacingOccurrences(of: "{at}", with: language.words.instant($0)) } ?? ""
        }
    }

    /// A proposed or made link in a list, without names: its record and its probability.
    struct IdentityRow: Encodable {
        let id: Int64
        let label: String
        let at: String

        init(id: Int64, template: String, kind: RecordKind?, quarantineID: Int64, probability: Double, at: String, _ language: Language) {
            self.id = id
            label = template.replacingOccurrences(of: "{kind}", with: (kind.map(language.words.recordKind) ?? "–").capitalizedFirst)
                .replacingOccurrences(of: "{quarantine}", with: String(quarantineID))
                .replacingOccurrences(of: "{probability}", with: FigureFormat.percent(probability, language))
            self.at = language.words.instant(at)
        }
    }

    func overview(request: Request) async throws -> View {
        let principal = try request.principal
        try principal.require(.readQuarantine)
        let t = Texts.table(request.language)
        let words = request.language.words
        let store = request.context.store
        let reason = try? request.query.get(String.self, at: "reason")
        let source = (try? request.query.get(String.self, at: "source")).flatMap(Source.init(rawValue:))
        let text = try? request.query.get(String.self, at: "q")
        let before = try? request.query.get(Int64.self, at: "before")
        let entries = try await store.searchQuarantine(reason: reason, source: source, text: text, limit: 50, before: before)
        let sources = try await store.sourceHealth().map { health in
            SourceRow(name: words.source(health.source), lastDelivery: health.lastDelivery.map(words.instant) ?? t["never"]!,
                      lag: health.lagHours.map(words.ago) ?? "–", deliveries: health.deliveries,
                      records: health.records, accepted: health.accepted, quarantined: health.quarantined, open: health.openQuarantine,
                      stale: health.isStale)
        }
        let counts = try await store.registrationCounts()
        let registrations: String? = counts.isEmpty ? nil : ["pending", "accepted", "confirmed", "stuck", "cancelled"].compactMap { status in
            counts[status].map { "\($0) \(t["registration_" + status]!)" }
        }.joined(separator: " · ")
        let hooks = try await store.webhookCounts()
        let webhooks: String? = hooks.isEmpty ? nil : ["pending", "delivered", "stuck"].compactMap { status in
            hooks[status].map { "\($0) \(t["webhook_" + status]!)" }
        }.joined(separator: " · ")
        let stuck = try await store.stuckRegistrations().map {
            StuckRow(id: $0.id, caseNumber: $0.caseNumber, problem: words.registrationProblem($0.problem).capitalizedFirst, detail: $0.detail,
                     attempts: $0.attempts, since: words.instant($0.since))
        }
        var query = request.url.query.map { $0.split(separator: "&").filter { !$0.hasPrefix("before=") }.joined(separator: "&") } ?? ""
        if !query.isEmpty { query += "&" }
        return try await request.view.render("steward", StewardPage(
            t: t, user: principal.view, csrf: principal.session?.csrfToken ?? "", sources: sources,
            entries: entries.map { EntryView($0, words, fieldLabel: t["field"]!) },
            reasons: QuarantineReason.allCases.map { Option(value: $0.rawValue, label: words.quarantineReason($0), selected: $0.rawValue == reason) },
            sourceOptions: Source.allCases.map { Option(value: $0.rawValue, label: words.source($0), selected: $0 == source) },
            search: text ?? "", next: entries.count == 50 ? entries.last.map { "/steward?\(query)before=\($0.id)" } : nil,
            registrations: registrations, webhooks: webhooks, stuck: stuck,
            stuckWebhooks: try await store.stuckWebhooks().map {
                StuckWebhookRow(id: $0.id, organisation: $0.organisation, caseNumber: $0.caseNumber ?? "–", detail: $0.detail, attempts: $0.attempts,
                                since: words.instant($0.since))
            },
            flash: (try? request.query.get(String.self, at: "done")).flatMap { t[$0] },
            reports: try await store.openAnswerReports().map {
                ReportRow(id: $0.id, caseNumber: CaseNumber.format($0.caseID), at: words.instant($0.at))
            },
            identities: try await store.reviewQueue(limit: 50).map { review in
                IdentityRow(id: review.id, template: t["identities_item"]!, kind: review.kind, quarantineID: review.quarantineID,
                            probability: review.probability, at: review.createdAt, request.language)
            },
            links: try await store.recentLinks(limit: 20).map { link in
                IdentityRow(id: link.quarantineID, template: t["identities_linked_item"]!, kind: link.kind, quarantineID: link.quarantineID,
                            probability: link.probability, at: link.at, request.language)
            },
            merges: try await store.recentMerges(limit: 20).map { MergeRow($0, t, request.language) }))
    }

    /// The steward sends a stuck registration request again, under the same key.
    func retryRegistration(request: Request) async throws -> Response {
        try await retry(request, done: "registration_retried", anchor: "registrations-title", request.context.store.retryRegistration)
    }

    /// The steward sends a stuck notice to a partner's system again, under the same key.
    func retryWebhook(request: Request) async throws -> Response {
        try await retry(request, done: "webhook_retried", anchor: "webhooks-title", request.context.store.retryWebhook)
    }

    /// A stuck outbox message sent again by `send` (false: not stuck, or no such message), then the
    /// steward page with what was done.
    func retry(_ request: Request, done: String, anchor: String, _ send: (Int64, Actor) async throws -> Bool) async throws -> Response {
        let principal = try request.principal
        try principal.require(.reprocessQuarantine)
        guard try await send(try pathID(request), principal.actor.acting(for: .dataQuality)) else { throw WebError.notFound }
        return request.redirect(to: "/steward?done=\(done)#\(anchor)")
    }

    struct DetailPage: Encodable {
        let t: TextTable
        let user: UserView?
        let csrf: String
        let detail: QuarantineDetail
        let entry: EntryView
        let header: String
        let corrected: String
        let error: String?
        let problems: [String]
        let flash: String?
    }

    /// The `:id` of the path, or 404.
    func pathID(_ request: Request) throws -> Int64 {
        guard let id = request.parameters.get("id").flatMap(Int64.init) else { throw WebError.notFound }
        return id
    }

    func load(_ request: Request) async throws -> (Principal, QuarantineDetail) {
        let principal = try request.principal
        try principal.require(.readQuarantine)
        let actor = principal.actor.acting(for: .dataQuality)
        guard let detail = try await request.context.store.quarantineDetail(try pathID(request), actor: actor) else {
            throw WebError.notFound
        }
        return (principal, detail)
    }

    /// The line's own file header when it was kept, else the canonical one of its record type.
    func header(for detail: QuarantineDetail) -> String {
        detail.header ?? detail.entry.kind.flatMap(RecordKind.init(rawValue:)).map(ExchangeWriter.csvHeader) ?? ""
    }

    func detail(request: Request) async throws -> View {
        let (principal, detail) = try await load(request)
        let t = Texts.table(request.language)
        let header = header(for: detail)
        let corrected = detail.original.hasPrefix("{") || header.isEmpty ? detail.original : header + "\n" + detail.original
        return try await request.view.render("quarantine", DetailPage(
            t: t, user: principal.view, csrf: principal.session?.csrfToken ?? "", detail: detail,
            entry: EntryView(detail.entry, request.language.words, fieldLabel: t["field"]!), header: header,
            corrected: corrected, error: nil, problems: [],
            flash: (try? request.query.get(String.self, at: "done")).flatMap { t[$0] }))
    }

    struct ReprocessForm: Content {
        var corrected: String
    }

    /// Reads the corrected record exactly as an import would (same validation), stores it, and
    /// closes the quarantine entry; or shows what is still wrong.
    func reprocess(request: Request) async throws -> Response {
        let (principal, detail) = try await load(request)
        try principal.require(.reprocessQuarantine)
        let form = try request.content.decode(ReprocessForm.self)
        let context = request.context
        let words = request.language.words
        let t = Texts.table(request.language)
        func again(_ problems: [String]) async throws -> Response {
            let page = DetailPage(t: t, user: principal.view, csrf: principal.session?.csrfToken ?? "", detail: detail,
                                  entry: EntryView(detail.entry, words, fieldLabel: t["field"]!), header: header(for: detail), corrected: form.corrected,
                                  error: t["still_rejected"], problems: problems, flash: nil)
            let response = try await request.view.render("quarantine", page).encodeResponse(for: request)
            response.status = .unprocessableEntity
            return response
        }
        switch try await context.quarantineWork.reprocess(detail.entry.id, corrected: form.corrected, by: principal.actor) {
        case nil, .alreadyClosed?: throw WebError.notFound
        case .empty?: return try await again([t["required"]!])
        case .stillRejected(let rejections)?:
            return try await again(rejections.map { r in
                "\(words.location(r.location).capitalizedFirst): \(words.quarantineReason(r.reason))" + (r.field.map { " (\(words.field($0)))" } ?? "")
            })
        case .reprocessed?:
            context.pipeline.poke()
            return request.redirect(to: "/steward/quarantine/\(detail.entry.id)?done=reprocessed")
        }
    }

    /// Undoes a link to a known person the steward finds wrong: the record goes back to quarantine,
    /// the pair is remembered as "not the same person", the person is decided again.
    func unlink(request: Request) async throws -> Response {
        let (principal, detail) = try await load(request)
        try principal.require(.reprocessQuarantine)
        guard try await request.context.identityWork.undo(detail.entry.id, by: principal.actor) else {
            return request.redirect(to: "/steward/quarantine/\(detail.entry.id)?done=identity_not_linked")
        }
        request.context.pipeline.poke()
        return request.redirect(to: "/steward/quarantine/\(detail.entry.id)?done=identity_unlinked")
    }

    func dismiss(request: Request) async throws -> Response {
        let (principal, detail) = try await load(request)
        try principal.require(.reprocessQuarantine)
        guard try await request.context.quarantineWork.dismiss(detail.entry.id, by: principal.actor) else { throw WebError.notFound }
        return request.redirect(to: "/steward/quarantine/\(detail.entry.id)?done=dismissed")
    }
}
