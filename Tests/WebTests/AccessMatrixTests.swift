import Domain
import Foundation
import SQLKit
import Storage
import TestSupport
import Testing
import Workflows
import Vapor
import VaporTesting
@testable import Web

/// Every route and API operation × every role × an object in scope and one out of scope (a case of
/// another province; for roles without case access, any case). The expected answer comes from the
/// one permission table (`Permissions`): allowed attempts work; every other attempt answers 404,
/// changes nothing, and leaves a `denied` entry in the audit log.
@Suite struct AccessMatrixTests {
    /// What a probe touches.
    enum Object: Equatable {
        /// Nothing in particular (a list or an overview page).
        case none
        /// A case: the placeholder `{case}` (its number) or `{caseID}` is filled in.
        case `case`
        /// A quarantine entry: `{quarantine}` (one to read and reprocess) or `{quarantine2}` (to dismiss).
        case quarantine
        /// A referral to another organisation than the partner's (`{foreign}`): out of reach for everyone.
        case foreignReferral
    }

    struct Probe: CustomStringConvertible {
        let method: HTTPMethod
        let path: String
        let permission: Permission
        let object: Object
        var form: [String: String] = [:]
        var json: [String: String]? = nil
        /// A search: both answers are redirects; denial sends to "not found".
        var isSearch = false
        var isList = false

        var isAPI: Bool { path.hasPrefix("/api/") }
        var description: String { "\(method.rawValue) \(path)" }
    }

    /// The probes: every page route and every API operation that touches data. The last test
    /// below fails when a route is added without a probe here.
    static func probes(insz: String) -> [Probe] {
        [
            Probe(method: .GET, path: "/cases", permission: .listCases, object: .none, isList: true),
            Probe(method: .POST, path: "/cases/search", permission: .readCase, object: .case, form: ["q": "{case}"], isSearch: true),
            Probe(method: .GET, path: "/cases/{case}", permission: .readCase, object: .case),
            Probe(method: .POST, path: "/cases/{case}/contacts", permission: .workCase, object: .case,
                  form: ["channel": "phone", "outcome": "reached", "note": "Gebeld"]),
            Probe(method: .POST, path: "/cases/{case}/notes", permission: .workCase, object: .case, form: ["note": "Notitie"]),
            Probe(method: .POST, path: "/cases/{case}/status", permission: .workCase, object: .case, form: ["status": "contacted"]),
            Probe(method: .POST, path: "/cases/{case}/undo-close", permission: .undoClosing, object: .case, form: ["reason": "per vergissing"]),
            Probe(method: .POST, path: "/cases/{case}/next-action", permission: .workCase, object: .case,
                  form: ["action": "Terugbellen", "due": "2026-12-10"]),
            Probe(method: .GET, path: "/cases/{case}/letters/{letter}", permission: .readCase, object: .case),
            Probe(method: .POST, path: "/cases/{case}/letters/again", permission: .workCase, object: .case, form: ["kind": "invitation"]),
            Probe(method: .POST, path: "/cases/{case}/referrals", permission: .workCase, object: .case, form: ["offer": "guidance", "reason": "Werkervaring"]),
            Probe(method: .POST, path: "/cases/{case}/referrals/{referral}/send", permission: .workCase, object: .case),
            Probe(method: .POST, path: "/cases/{case}/referrals/{referral}/revoke", permission: .workCase, object: .case, form: ["reason": "Andere keuze"]),
            Probe(method: .POST, path: "/cases/{case}/referrals/{referral}/consent-withdrawn", permission: .workCase, object: .case),
            Probe(method: .GET, path: "/partner", permission: .handleReferrals, object: .none, isList: true),
            Probe(method: .GET, path: "/partner/referrals/{foreign}", permission: .handleReferrals, object: .foreignReferral),
            Probe(method: .POST, path: "/partner/referrals/{foreign}/{action}", permission: .handleReferrals, object: .foreignReferral),
            Probe(method: .GET, path: "/partners/monitoring", permission: .monitorPartners, object: .none),
            Probe(method: .GET, path: "/partners/monitoring.csv", permission: .monitorPartners, object: .none),
            Probe(method: .GET, path: "/partners/monitoring.json", permission: .monitorPartners, object: .none),
            Probe(method: .GET, path: "/admin/partners", permission: .administer, object: .none),
            Probe(method: .POST, path: "/admin/partners", permission: .administer, object: .none, form: ["code": "x"]),
            Probe(method: .POST, path: "/admin/partners/lots", permission: .administer, object: .none, form: ["lot_code": "x"]),
            Probe(method: .GET, path: "/team", permission: .reassignCases, object: .none),
            Probe(method: .POST, path: "/team/reassign", permission: .reassignCases, object: .case,
                  form: ["cases[]": "{caseID}", "consultant": "consultant-antwerpen"]),
            Probe(method: .GET, path: "/steward", permission: .readQuarantine, object: .none),
            Probe(method: .GET, path: "/steward/quarantine/{quarantine}", permission: .readQuarantine, object: .quarantine),
            Probe(method: .POST, path: "/steward/quarantine/{quarantine}/reprocess", permission: .reprocessQuarantine, object: .quarantine,
                  form: ["corrected": "record_id,insz,registration_date\nV9,\(insz),2026-02-03"]),
            Probe(method: .POST, path: "/steward/quarantine/{quarantine2}/dismiss", permission: .reprocessQuarantine, object: .quarantine),
            Probe(method: .POST, path: "/steward/quarantine/{quarantine}/unlink", permission: .reprocessQuarantine, object: .quarantine),
            Probe(method: .POST, path: "/steward/registrations/{registration}/retry", permission: .reprocessQuarantine, object: .none),
            Probe(method: .POST, path: "/steward/webhooks/{webhook}/retry", permission: .reprocessQuarantine, object: .none),
            Probe(method: .GET, path: "/steward/reports/{report}", permission: .readQuarantine, object: .none),
            Probe(method: .POST, path: "/steward/reports/{report}/handled", permission: .reprocessQuarantine, object: .none),
            Probe(method: .GET, path: "/steward/identities/{identity}", permission: .readQuarantine, object: .none),
            Probe(method: .POST, path: "/steward/identities/{identity}/decide", permission: .reprocessQuarantine, object: .none,
                  form: ["same": "no"]),
            Probe(method: .POST, path: "/steward/identities/run", permission: .reprocessQuarantine, object: .none),
            Probe(method: .GET, path: "/steward/merges/compare", permission: .readQuarantine, object: .none),
            Probe(method: .POST, path: "/steward/merges", permission: .reprocessQuarantine, object: .none, form: ["first": "x", "second": "y"]),
            Probe(method: .GET, path: "/steward/merges/{merge}", permission: .readQuarantine, object: .none),
            Probe(method: .POST, path: "/steward/merges/{merge}/undo", permission: .reprocessQuarantine, object: .none),
            Probe(method: .GET, path: "/steward/letters", permission: .handleLetters, object: .none),
            Probe(method: .GET, path: "/steward/letters/{batch}/pdf", permission: .handleLetters, object: .none),
            Probe(method: .GET, path: "/steward/letters/{batch}/manifest", permission: .handleLetters, object: .none),
            Probe(method: .POST, path: "/steward/letters/{batch}/handed-over", permission: .handleLetters, object: .none),
            Probe(method: .POST, path: "/steward/letters/batch", permission: .handleLetters, object: .none),
            Probe(method: .POST, path: "/steward/letters/files", permission: .handleLetters, object: .none, form: ["kind": "returns"]),
            Probe(method: .GET, path: "/steward/letters/files/{mailfile}", permission: .handleLetters, object: .none),
            Probe(method: .GET, path: "/reports", permission: .readReports, object: .none),
            Probe(method: .GET, path: "/dashboard", permission: .readStatistics, object: .none),
            Probe(method: .GET, path: "/dashboard/steps.csv", permission: .readStatistics, object: .none),
            Probe(method: .GET, path: "/reports/status", permission: .readStatusReport, object: .none),
            Probe(method: .GET, path: "/reports/status/md", permission: .readStatusReport, object: .none),
            Probe(method: .GET, path: "/policy/simulation", permission: .simulatePolicy, object: .none),
            Probe(method: .GET, path: "/schools", permission: .readStatistics, object: .none),
            Probe(method: .POST, path: "/policy/simulation", permission: .simulatePolicy, object: .none,
                  form: ["asOf": "29/11/2026", "gracePeriodDays": "30", "maximumAge": "25", "knownToVDAB": "any", "action": "invite"]),
            Probe(method: .GET, path: "/audit", permission: .readAudit, object: .none),
            Probe(method: .POST, path: "/audit/person", permission: .readAudit, object: .none, form: ["insz": insz]),
            Probe(method: .POST, path: "/audit/person/report", permission: .exportPerson, object: .none, form: ["insz": insz]),
            Probe(method: .POST, path: "/audit/verify", permission: .readAudit, object: .none),
            Probe(method: .GET, path: "/api/v1/cases", permission: .listCases, object: .none, isList: true),
            Probe(method: .GET, path: "/api/v1/cases/{case}", permission: .readCase, object: .case),
            Probe(method: .GET, path: "/api/v1/cases/{case}/facts", permission: .readCase, object: .case),
            Probe(method: .GET, path: "/api/v1/cases/{case}/decision", permission: .readCase, object: .case),
            Probe(method: .POST, path: "/api/v1/cases/{case}/status", permission: .workCase, object: .case, json: ["status": "contacted"]),
            Probe(method: .POST, path: "/api/v1/cases/{case}/contacts", permission: .workCase, object: .case,
                  json: ["channel": "email", "outcome": "no_answer"]),
            Probe(method: .GET, path: "/api/v1/quarantine", permission: .readQuarantine, object: .none),
            Probe(method: .GET, path: "/api/v1/partner/referrals", permission: .handleReferrals, object: .none, isList: true),
            Probe(method: .GET, path: "/api/v1/partner/referrals/{foreign}", permission: .handleReferrals, object: .foreignReferral),
            Probe(method: .POST, path: "/api/v1/partner/referrals/{foreign}/{action}", permission: .handleReferrals, object: .foreignReferral,
                  json: ["version": "1"]),
            Probe(method: .GET, path: "/api/v1/audit", permission: .readAudit, object: .none),
            Probe(method: .POST, path: "/api/v1/audit/person", permission: .readAudit, object: .none, json: ["insz": insz]),
            Probe(method: .POST, path: "/api/v1/persons/report", permission: .exportPerson, object: .none, json: ["insz": insz]),
        ]
    }

    /// One actor per role: a user for the pages and a token with the same role and scope for the API.
    static let actors: [(username: String, role: Role, provinces: [Province])] = [
        ("consultant-antwerpen", .consultant, [.antwerpen]), ("teamlead-antwerpen", .teamlead, [.antwerpen]),
        ("partner", .partner, []), ("analyst", .analyst, []), ("manager", .manager, []), ("steward", .steward, []), ("auditor", .auditor, []), ("admin", .admin, []),
    ]

    /// What the table says: may this role do this to a case in `province`?
    static func expected(_ probe: Probe, role: Role, provinces: [Province], caseProvince: Province?) -> Bool {
        let scope = Permissions.scope(probe.permission, for: role)
        if probe.object == .foreignReferral { return false }
        guard probe.object == .case, let caseProvince else { return scope != .none }
        switch scope {
        case .all: return true
        case .ownProvinces: return provinces.contains(caseProvince)
        case .ownOrganisation, .none: return false
        }
    }

    @Test(arguments: StoreKind.allCases)
    func everyOutOfScopeAttemptIsDeniedAuditedAndChangesNothing(_ kind: StoreKind) async throws {
        try await WebHarness.run(kind) { web in
            let antwerp = try await web.leaverWithCase(serial: 101, postcode: "2000")
            let limburg = try await web.leaverWithCase(serial: 103, postcode: "3500")
            let insz = PersonBuilder(born: "2006-03-14", serial: 101).insz
            for recordID in ["V9", "V10"] {
                let bad = Rejection(.invalidDate, field: "registration_date", message: "registration_date: not a date", location: "line 2",
                                    kind: .jobseeker, source: .vdab, recordID: recordID,
                                    original: Array("\(recordID),\(insz.digits),2026-02-30".utf8))
                try await deliver([.rejected(bad)], to: web.store, name: "vdab-\(recordID).csv")
            }
            let entries = try await web.store.quarantine().sorted { $0.id < $1.id }
            try #require(entries.count == 2)
            // A letter batch, for the steward's letter routes.
            let batch = try #require(try await web.context.letterBatchWork.make().0.batchID)
            let mailFile = try await MailHouseWork(letters: web.store, clock: web.context.settings.clock)
                .importFile(Array("reference,returned_on,reason\nVN-999999-1,2026-11-29,moved\n".utf8), as: .returns, name: "r.csv",
                            by: Actor(username: "steward", role: .steward, purpose: .dataQuality)).fileID
            // A stuck registration request, for the steward's retry (sent again each time it is allowed).
            try await web.store.sql.raw("""
                INSERT INTO registration_outbox (case_id, idempotency_key, body_sealed, status, attempts, next_attempt_at, created_at, updated_at)
                VALUES (\(bind: CaseNumber.parse(antwerp)!), 'matrix', \(bind: Data()), 'stuck', 8, '2026-11-29', '2026-11-29', '2026-11-29')
                """).run()
            let stuckRegistration = try await web.store.sql.raw("SELECT id FROM registration_outbox").first()!.decode(column: "id", as: Int64.self)
            // A young person's "something is wrong", for the steward's reports.
            try await AnswerWork(answers: web.store, cases: web.store, audit: web.store, clock: web.context.settings.clock)
                .answer(CaseNumber.parse(antwerp)!, .init(choice: .somethingWrong, text: "Klopt niet", phone: nil, email: nil, moment: nil, consent: false),
                        subject: nil, requestID: nil)
            let report = try #require(try await web.store.openAnswerReports().first).id
            // A proposed identity for the first quarantine entry, for the steward's review queue.
            try await web.store.queueReview(ProposedLink(quarantineID: entries[0].id, candidate: insz, probability: 0.7, explanation: []))
            let identity = try #require(try await web.store.openReviews(limit: 1).first).id
            // A merge of two registered persons without cases, for the steward's merge page.
            try await deliver([PersonBuilder(born: "2004-01-01", serial: 301).lives(id: "M1"), PersonBuilder(born: "2004-01-01", serial: 303).lives(id: "M2")],
                              to: web.store)
            let mergedA = try await web.store.person(of: PersonBuilder(born: "2004-01-01", serial: 301).insz)
            let mergedB = try await web.store.person(of: PersonBuilder(born: "2004-01-01", serial: 303).insz)
            let merge = try #require(try await web.store.merge(absorbed: mergedB, into: mergedA, reason: .steward, probability: nil, explanation: [],
                                                              by: "steward", audit: { AuditEntry(testActor, .personsMerged($0)) }))
            // Referrals: a proposed one on each case (for the consultant's routes), and a pending one to
            // an organisation that is not the matrix partner's.
            let today = web.context.today
            let organisation = try await web.store.savePartnerOrganisation(code: "matrix-org", name: "Matrix vzw", kind: .tenderPartner, contact: "-",
                                                                          provinces: [.antwerpen, .limburg], activeFrom: today, activeUntil: nil)
            var referralOf: [String: Int64] = [:]
            for number in [antwerp, limburg] {
                referralOf[number] = try await web.store.proposeReferral(caseID: CaseNumber.parse(number)!, scope: .all, organisationID: organisation.id,
                                                                         lotID: nil, offer: .guidance, reason: "Matrix", consent: nil, ageOfConsent: 18,
                                                                         by: testActor, today: today)?.id
            }
            let other = try await web.store.savePartnerOrganisation(code: "other-org", name: "Andere vzw", kind: .localActor, contact: "-",
                                                                   provinces: [.antwerpen], activeFrom: today, activeUntil: nil)
            let foreign = try #require(try await web.store.proposeReferral(
                caseID: CaseNumber.parse(antwerp)!, scope: .all, organisationID: other.id, lotID: nil, offer: .training, reason: "Matrix",
                consent: Consent(givenOn: today, channel: .spoken, givenBy: .parent, extras: []), ageOfConsent: 18, by: testActor, today: today)).id
            // A stuck notice to a partner's system, for the steward's "send again".
            try await web.store.sql.raw("""
                INSERT INTO partner_webhook_outbox (organisation_id, referral_id, idempotency_key, body, status, attempts, next_attempt_at, created_at, updated_at)
                VALUES (\(bind: other.id), \(bind: foreign), 'matrix', '{}', 'stuck', 8, '2026-11-29', '2026-11-29', '2026-11-29')
                """).run()
            let stuckWebhook = try await web.store.sql.raw("SELECT id FROM partner_webhook_outbox WHERE status = 'stuck'").first()!.decode(column: "id", as: Int64.self)
            let probes = Self.probes(insz: insz.formatted)

            for actor in Self.actors {
                let session = try await web.login(actor.username)
                let token = try await APITests.token(web, "matrix-\(actor.username)", role: actor.role, provinces: actor.provinces,
                                                     organisation: actor.role == .partner ? "Jobpunt vzw" : nil)
                let auditName = { (probe: Probe) in probe.isAPI ? "api:matrix-\(actor.username)" : actor.username }
                for probe in probes {
                    let targets: [(number: String, province: Province?)] = probe.object == .case
                        ? [(antwerp, .antwerpen), (limburg, .limburg)] : [("", nil)]
                    for target in targets {
                        let path = probe.path.replacingOccurrences(of: "{case}", with: target.number)
                            .replacingOccurrences(of: "{quarantine}", with: String(entries[0].id))
                            .replacingOccurrences(of: "{quarantine2}", with: String(entries[1].id))
                            .replacingOccurrences(of: "{batch}", with: String(batch))
                            .replacingOccurrences(of: "{mailfile}", with: String(mailFile))
                            .replacingOccurrences(of: "{registration}", with: String(stuckRegistration))
                            .replacingOccurrences(of: "{letter}", with: target.number + "-1")
                            .replacingOccurrences(of: "{report}", with: String(report))
                            .replacingOccurrences(of: "{identity}", with: String(identity)).replacingOccurrences(of: "{merge}", with: String(merge)).replacingOccurrences(of: "{webhook}", with: String(stuckWebhook))
                            .replacingOccurrences(of: "{referral}", with: String(referralOf[target.number] ?? 0))
                            .replacingOccurrences(of: "{foreign}", with: String(foreign)).replacingOccurrences(of: "{action}", with: "accept")
                        var form = probe.form.mapValues {
                            $0.replacingOccurrences(of: "{case}", with: target.number)
                                .replacingOccurrences(of: "{caseID}", with: String(CaseNumber.parse(target.number) ?? 0))
                        }
                        form["_csrf"] = session.csrf
                        let allowed = Self.expected(probe, role: actor.role, provinces: actor.provinces, caseProvince: target.province)
                        let label = "\(actor.username) \(probe.method.rawValue) \(path)"
                        let deniedBefore = try await deniedCount(web, actor: auditName(probe))
                        let stateBefore = try await state(web)
                        var status: HTTPResponseStatus = .ok
                        var location = ""
                        var body = ""
                        let sentForm = form
                        try await web.app.testing().test(probe.method, path, beforeRequest: { request in
                            if probe.isAPI {
                                request.headers.bearerAuthorization = BearerAuthorization(token: token)
                                if let json = probe.json { try request.content.encode(json, as: .json) }
                            } else {
                                session.apply(&request)
                                if probe.method == .POST { try request.content.encode(sentForm, as: .urlEncodedForm) }
                            }
                        }, afterResponse: { response in
                            status = response.status
                            location = response.headers.first(name: .location) ?? ""
                            body = response.body.string
                        })
                        let deniedAfter = try await deniedCount(web, actor: auditName(probe))
                        if probe.isSearch && Permissions.allows(probe.permission, for: actor.role) {
                            #expect(status == .seeOther, "\(label)")
                            #expect(location.hasSuffix("/cases/\(target.number)") == allowed, "\(label) → \(location)")
                        } else if allowed {
                            #expect(![.notFound, .unauthorized, .internalServerError].contains(status), "\(label) answered \(status.code)")
                        } else {
                            #expect(status == .notFound, "\(label) answered \(status.code), expected 404")
                            #expect(!body.contains("Test Persoon") && !body.contains(insz.formatted), "\(label) showed personal data")
                        }
                        if !allowed {
                            #expect(deniedAfter > deniedBefore, "\(label): the denied attempt is not in the audit log")
                            #expect(try await state(web) == stateBefore, "\(label) changed something")
                        }
                        if probe.isList && allowed {
                            #expect(!body.contains(limburg), "\(label) lists a case of another province")
                            if Permissions.scope(.listCases, for: actor.role) == .ownProvinces {
                                #expect(body.contains(antwerp), "\(label) does not list the province's case")
                            }
                        }
                    }
                }
            }
        }
    }

    /// Every route the application has is probed above, or is public on purpose.
    @Test func everyRouteIsInTheMatrix() async throws {
        try await WebHarness.run { web in
            // Each placeholder of a probe's path as the route names its parameter.
            let parameters: [(String, String)] = [
                ("{case}", ":number"), ("{quarantine}", ":id"), ("{quarantine2}", ":id"), ("{batch}", ":batch"), ("{mailfile}", ":file"),
                ("{registration}", ":id"), ("{letter}", ":reference"), ("{report}", ":id"), ("{identity}", ":id"), ("{merge}", ":id"),
                ("{webhook}", ":id"), ("{referral}", ":referral"), ("{foreign}", ":referral"), ("{action}", ":action"),
                ("/dashboard/steps.csv", "/dashboard/:table"), ("/reports/status/md", "/reports/status/:format"),
            ]
            let probed = Set(Self.probes(insz: "").map { probe -> String in
                var path = probe.path
                for (placeholder, parameter) in parameters { path = path.replacingOccurrences(of: placeholder, with: parameter) }
                return "\(probe.method.rawValue) " + path
            })
            // Public, or about one's own session: no personal data of anyone else.
            let open: Set<String> = ["GET /", "GET /login", "POST /login", "POST /logout", "GET /lang/:code", "GET /style.css",
                                     "GET /health/live", "GET /health/ready", "GET /metrics", "GET /api/v1/openapi.json",
                                     "POST /api/v1/events", "POST /api/v1/registrations/callback", "GET /antwoord", "POST /antwoord", "POST /antwoord/keuze",
                                     "POST /antwoord/toestemming"]
            for route in web.app.routes.all {
                let path = "/" + route.path.map(\.description).joined(separator: "/")
                let key = "\(route.method.rawValue) \(path)"
                #expect(probed.contains(key) || open.contains(key), "\(key) is not in the access matrix")
            }
        }
    }

    func deniedCount(_ web: WebHarness, actor: String) async throws -> Int {
        try await web.store.sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE actor = \(bind: actor) AND outcome = 'denied'")
            .first()!.decode(column: "n", as: Int.self)
    }

    /// Everything a denied attempt could have changed.
    func state(_ web: WebHarness) async throws -> [String] {
        let sql = web.store.sql
        var lines: [String] = []
        for row in try await sql.raw("SELECT id, status, consultant, next_action, due_on, closed_on FROM cases ORDER BY id").all() {
            lines.append([String(try row.decode(column: "id", as: Int64.self)), try row.decode(column: "status", as: String.self),
                          try row.decode(column: "consultant", as: String?.self) ?? "", try row.decode(column: "next_action", as: String?.self) ?? "",
                          try row.decode(column: "due_on", as: String?.self) ?? "", try row.decode(column: "closed_on", as: String?.self) ?? ""]
                .joined(separator: "|"))
        }
        for row in try await sql.raw("SELECT id, status FROM quarantine ORDER BY id").all() {
            lines.append("q\(try row.decode(column: "id", as: Int64.self))|\(try row.decode(column: "status", as: String.self))")
        }
        for row in try await sql.raw("SELECT id, status, version FROM referrals ORDER BY id").all() {
            lines.append("r\(try row.decode(column: "id", as: Int64.self))|\(try row.decode(column: "status", as: String.self))|\(try row.decode(column: "version", as: Int.self))")
        }
        for table in ["case_events", "source_records", "deliveries", "users", "api_tokens"] {
            let n = try await sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()!.decode(column: "n", as: Int.self)
            lines.append("\(table)=\(n)")
        }
        return lines
    }
}
