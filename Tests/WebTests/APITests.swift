import Domain
import Foundation
import SQLKit
import Storage
import TestSupport
import Testing
import Vapor
import VaporTesting
@testable import Web

/// The JSON API: bearer tokens with a role and scope, the same access rules as the pages.
@Suite struct APITests {
    static func token(_ web: WebHarness, _ name: String, role: Role, provinces: [Province] = [], organisation: String? = nil) async throws -> String {
        let token = "vng_test_\(name)"
        try await web.store.saveAPIToken(name: name, tokenHash: APIAuth.tokenHash(token), role: role, provinces: provinces, organisation: organisation)
        return token
    }

    func request(_ web: WebHarness, _ method: HTTPMethod, _ path: String, token: String?, json: [String: String]? = nil,
                 _ check: (TestingHTTPResponse) async throws -> Void) async throws {
        try await web.app.testing().test(method, path, beforeRequest: { request in
            if let token { request.headers.bearerAuthorization = BearerAuthorization(token: token) }
            if let json { try request.content.encode(json, as: .json) }
        }, afterResponse: check)
    }

    @Test func withoutAValidTokenTheAPIAnswers401() async throws {
        try await WebHarness.run { web in
            try await request(web, .GET, "/api/v1/cases", token: nil) { response in
                #expect(response.status == .unauthorized)
                let body = try response.content.decode([String: String].self)
                #expect(body["error"] == "http_401")
                let requestID = try #require(body["request_id"])
                #expect(requestID == response.headers.first(name: "X-Request-ID"), "the reference to quote is the response's own id")
            }
            try await request(web, .GET, "/api/v1/cases", token: "vng_wrong") { #expect($0.status == .unauthorized) }
            let token = try await Self.token(web, "revoked", role: .consultant, provinces: [.antwerpen])
            try await web.store.revokeAPIToken(name: "revoked")
            try await request(web, .GET, "/api/v1/cases", token: token) { #expect($0.status == .unauthorized) }
        }
    }

    @Test func casesAreListedAndReadWithinTheTokensProvinceOnly() async throws {
        try await WebHarness.run { web in
            let antwerp = try await web.leaverWithCase(serial: 101, postcode: "2000")
            let limburg = try await web.leaverWithCase(serial: 103, postcode: "3500")
            let token = try await Self.token(web, "crm", role: .consultant, provinces: [.antwerpen])
            try await request(web, .GET, "/api/v1/cases", token: token) { response in
                #expect(response.status == .ok)
                let list = try response.content.decode(CasesAPI.CaseList.self)
                #expect(list.items.map(\.number) == [antwerp])
            }
            try await request(web, .GET, "/api/v1/cases/\(antwerp)", token: token) { response in
                #expect(response.status == .ok)
                let body = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as! [String: Any]
                #expect((body["person"] as! [String: Any])["name"] as? String == "Test Persoon")
                #expect(((body["decision"] as! [String: Any])["outcome"] as? String) == "eligible")
            }
            for path in ["", "/facts", "/decision"] {
                try await request(web, .GET, "/api/v1/cases/\(limburg)\(path)", token: token) { #expect($0.status == .notFound, "\(path)") }
            }
            try await request(web, .POST, "/api/v1/cases/\(limburg)/status", token: token, json: ["status": "contacted"]) {
                #expect($0.status == .notFound)
            }
            try await request(web, .GET, "/api/v1/cases?limit=0", token: token) { #expect($0.status == .badRequest) }
            try await request(web, .GET, "/api/v1/cases?status=lost", token: token) { #expect($0.status == .badRequest) }
        }
    }

    @Test func statusChangesFollowTheMachineAndContactsAreLogged() async throws {
        try await WebHarness.run { web in
            let number = try await web.leaverWithCase(serial: 101, postcode: "2000")
            let token = try await Self.token(web, "crm", role: .consultant, provinces: [.antwerpen])
            try await request(web, .POST, "/api/v1/cases/\(number)/status", token: token, json: ["status": "contacted"]) { response in
                #expect(response.status == .ok)
                let decoded = try response.content.decode(CasesAPI.CaseJSON.self).status
                #expect(decoded == "contacted")
            }
            try await request(web, .POST, "/api/v1/cases/\(number)/status", token: token, json: ["status": "new"]) { response in
                #expect(response.status == .conflict)
                let decoded = try response.content.decode([String: String].self)["error"]
                #expect(decoded == "conflict")
            }
            try await request(web, .POST, "/api/v1/cases/\(number)/contacts", token: token,
                              json: ["channel": "email", "outcome": "no_answer"]) { #expect($0.status == .created) }
            try await request(web, .POST, "/api/v1/cases/\(number)/contacts", token: token,
                              json: ["channel": "pigeon", "outcome": "no_answer"]) { #expect($0.status == .badRequest) }
            try await request(web, .GET, "/api/v1/cases/\(number)/facts", token: token) { response in
                let facts = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [[String: Any]] ?? []
                #expect(Set(facts.compactMap { $0["record_id"] as? String }) == ["E101", "P101"])
                #expect(facts.allSatisfy { $0["current"] as? Bool == true })
            }
        }
    }

    @Test func onlyStewardsReadTheQuarantineAndAnalystsNoCases() async throws {
        try await WebHarness.run { web in
            let steward = try await Self.token(web, "dq", role: .steward)
            let analyst = try await Self.token(web, "bi", role: .analyst)
            try await request(web, .GET, "/api/v1/quarantine", token: steward) { #expect($0.status == .ok) }
            try await request(web, .GET, "/api/v1/quarantine", token: analyst) { #expect($0.status == .notFound) }
            try await request(web, .GET, "/api/v1/cases", token: analyst) { #expect($0.status == .notFound) }
            try await request(web, .GET, "/api/v1/quarantine?reason=bogus", token: steward) { #expect($0.status == .badRequest) }
        }
    }

    @Test func oversizedBodiesAreRefusedWith413() async throws {
        try await WebHarness.run { web in
            let token = try await Self.token(web, "crm", role: .consultant, provinces: [.antwerpen])
            // Over a real connection: the in-memory tester does not apply body limits.
            try await web.app.testing(method: .running(port: 0)).test(.POST, "/api/v1/cases/VN-000001/status", beforeRequest: { request in
                request.headers.bearerAuthorization = BearerAuthorization(token: token)
                request.headers.contentType = .json
                request.body = ByteBuffer(string: "{\"status\":\"contacted\",\"note\":\"" + String(repeating: "x", count: 400_000) + "\"}")
            }, afterResponse: { response in
                #expect(response.status == .payloadTooLarge)
                let decoded = try response.content.decode([String: String].self)["error"]
                #expect(decoded == "payload_too_large")
            })
        }
    }

    /// The purposes each role may name (docs/security.md), written out here: a change to
    /// `Permissions.purposes` is a change to this table too.
    static let purposes: [Role: Set<Purpose>] = [
        .consultant: [.caseWork, .caseReview],
        .teamlead: [.caseWork, .caseReview, .teamManagement],
        .partner: [.caseWork],
        .analyst: [.caseWork],
        .manager: [.caseWork],
        .steward: [.dataQuality],
        .auditor: [.audit, .subjectAccessRequest],
        .admin: [.audit, .retention],
    ]

    @Test func eachRoleNamesOnlyItsOwnPurposes() async throws {
        try await WebHarness.run { web in
            for role in Role.allCases {
                let expected = try #require(Self.purposes[role])
                #expect(Set(Permissions.allowedPurposes(for: role)) == expected, "\(role.rawValue)")
                #expect(expected.contains(Purpose.implied(by: role)), "\(role.rawValue): the implied purpose is always allowed")
                let token = try await Self.token(web, "purpose-\(role.rawValue)", role: role, provinces: [.antwerpen])
                for purpose in Purpose.allCases {
                    let label = "\(role.rawValue) with X-Purpose \(purpose.rawValue)"
                    try await web.app.testing().test(.GET, "/api/v1/cases", beforeRequest: { request in
                        request.headers.bearerAuthorization = BearerAuthorization(token: token)
                        request.headers.add(name: "X-Purpose", value: purpose.rawValue)
                    }, afterResponse: { response in
                        if purpose == .intake || purpose == .login || purpose == .ownAccess || purpose == .policyAnalysis {
                            #expect(response.status == .badRequest, "\(label): the system records it, nobody names it")
                        } else if expected.contains(purpose) {
                            #expect(response.status != .forbidden && response.status != .badRequest, "\(label) answered \(response.status.code)")
                        } else {
                            #expect(response.status == .forbidden, "\(label) answered \(response.status.code)")
                            let body = try response.content.decode([String: String].self)
                            #expect(body["error"] == "purpose_not_allowed", "\(label)")
                            #expect(body["request_id"] == response.headers.first(name: "X-Request-ID"), "\(label)")
                        }
                    })
                }
            }
        }
    }

    @Test func aPurposeOfAnotherRoleIsRefusedBeforeAnythingIsReadAndAudited() async throws {
        try await WebHarness.run { web in
            let number = try await web.leaverWithCase(serial: 101, postcode: "2000")
            let token = try await Self.token(web, "crm", role: .consultant, provinces: [.antwerpen])
            for purpose in ["retention", "subject-access-request"] {
                try await web.app.testing().test(.GET, "/api/v1/cases/\(number)", beforeRequest: { request in
                    request.headers.bearerAuthorization = BearerAuthorization(token: token)
                    request.headers.add(name: "X-Purpose", value: purpose)
                }, afterResponse: { response in
                    #expect(response.status == .forbidden, "\(purpose) answered \(response.status.code)")
                    let body = try response.content.decode([String: String].self)
                    #expect(body["error"] == "purpose_not_allowed")
                    #expect(body["message"]?.hasSuffix("one of case-work, case-review") == true, "\(body["message"] ?? "")")
                    #expect(!response.body.string.contains("Test Persoon"), "nothing of the case is shown")
                })
            }
            try await request(web, .GET, "/api/v1/cases/\(number)", token: token) { #expect($0.status == .ok) }
            let rows = try await web.store.sql.raw("""
                SELECT action, outcome, purpose, object_id FROM audit_log WHERE actor = 'api:crm' ORDER BY seq
                """).all()
            let entries = try rows.map { row in
                [try row.decode(column: "action", as: String.self), try row.decode(column: "outcome", as: String.self),
                 try row.decode(column: "purpose", as: String.self), try row.decode(column: "object_id", as: String?.self) ?? ""]
            }
            let id = try #require(CaseNumber.parse(number))
            #expect(entries == [["purpose.refused", "denied", "retention", "GET /api/v1/cases/\(number)"],
                                ["purpose.refused", "denied", "subject-access-request", "GET /api/v1/cases/\(number)"],
                                ["case.read", "allowed", "case-work", String(id)]])
        }
    }

    @Test func aParameterThatIsThereMustBeValid() async throws {
        try await WebHarness.run { web in
            try await web.leaverWithCase(serial: 101, postcode: "2000")
            try await web.leaverWithCase(serial: 103, postcode: "2000")
            let crm = try await Self.token(web, "crm", role: .consultant, provinces: [.antwerpen])
            let dq = try await Self.token(web, "dq", role: .steward)
            let dpo = try await Self.token(web, "dpo", role: .auditor)
            let refused: [(token: String, path: String, message: String)] = [
                (crm, "/api/v1/cases?limit=abc", "limit: between 1 and 200"),
                (crm, "/api/v1/cases?limit=1e3", "limit: between 1 and 200"),
                (crm, "/api/v1/cases?limit=99999999999999999999", "limit: between 1 and 200"),
                (crm, "/api/v1/cases?limit=%2B5", "limit: between 1 and 200"),
                (crm, "/api/v1/cases?limit=", "limit: between 1 and 200"),
                (crm, "/api/v1/cases?after=", "after: not a cursor"),
                (crm, "/api/v1/cases?after=x_5", "after: not a cursor"),
                (crm, "/api/v1/cases?status=", "status: one of new,"),
                (crm, "/api/v1/cases?province=", "province: one of"),
                (dq, "/api/v1/quarantine?reason=", "reason: one of"),
                (dq, "/api/v1/quarantine?source=", "source: one of"),
                (dq, "/api/v1/quarantine?source=nobody", "source: one of"),
                (dq, "/api/v1/quarantine?limit=abc", "limit: between 1 and 200"),
                (dpo, "/api/v1/audit?actor=", "actor: empty"),
                (dpo, "/api/v1/audit?from=", "from: not a date"),
                (dpo, "/api/v1/audit?to=2026-02-30", "to: not a date"),
                (dpo, "/api/v1/audit?limit=1e3", "limit: between 1 and 1000"),
                (dpo, "/api/v1/persons/report?format=", "format: json or html"),
            ]
            for (token, path, message) in refused {
                let method: HTTPMethod = path.hasPrefix("/api/v1/persons") ? .POST : .GET
                let json: [String: String]? = method == .POST ? ["insz": PersonBuilder(born: "2006-03-14", serial: 101).insz.digits] : nil
                try await request(web, method, path, token: token, json: json) { response in
                    #expect(response.status == .badRequest, "\(path) answered \(response.status.code)")
                    let body = try response.content.decode([String: String].self)
                    #expect(body["error"] == "bad_request", "\(path)")
                    #expect(body["message"]?.hasPrefix(message) == true, "\(path): \(body["message"] ?? "")")
                }
            }
            // What the document allows works: the cursor as given, the number as the API writes it.
            var next = ""
            var first = ""
            try await request(web, .GET, "/api/v1/cases?limit=1", token: crm) { response in
                let page = try response.content.decode(CasesAPI.CaseList.self)
                next = page.next ?? ""
                first = page.items.first?.number ?? ""
            }
            try await request(web, .GET, "/api/v1/cases?limit=1&after=\(next)", token: crm) { response in
                #expect(response.status == .ok)
                let page = try response.content.decode(CasesAPI.CaseList.self)
                #expect(page.items.count == 1 && page.items.first?.number != first, "the second page")
            }
            // Another form of the case number is a case that is not found, like one outside the scope.
            let id = try #require(CaseNumber.parse(first))
            try await request(web, .GET, "/api/v1/cases/\(first)", token: crm) { #expect($0.status == .ok) }
            for other in [String(id), first.lowercased(), "VN-\(id)"] where other != first {
                try await request(web, .GET, "/api/v1/cases/\(other)", token: crm) { #expect($0.status == .notFound, "\(other)") }
            }
        }
    }

    @Test func bodiesAreReadAsTheDocumentSays() async throws {
        try await WebHarness.run { web in
            let number = try await web.leaverWithCase(serial: 101, postcode: "2000")
            let crm = try await Self.token(web, "crm", role: .consultant, provinces: [.antwerpen])
            let dpo = try await Self.token(web, "dpo", role: .auditor)
            let insz = PersonBuilder(born: "2006-03-14", serial: 101).insz.digits
            func send(_ path: String, _ token: String, _ body: String, contentType: HTTPMediaType? = .json,
                      _ check: (TestingHTTPResponse) async throws -> Void) async throws {
                try await web.app.testing().test(.POST, path, beforeRequest: { request in
                    request.headers.bearerAuthorization = BearerAuthorization(token: token)
                    if let contentType { request.headers.contentType = contentType }
                    request.body = ByteBuffer(string: body)
                }, afterResponse: check)
            }
            func refusedAsTooLong(_ response: TestingHTTPResponse, _ what: String) throws {
                #expect(response.status == .badRequest, "\(what) answered \(response.status.code)")
                let body = try response.content.decode([String: String].self)
                #expect(body["error"] == "too_long", "\(what)")
                #expect(body["message"] == "note: at most 4000 characters", "\(what)")
                #expect(body["request_id"] == response.headers.first(name: "X-Request-ID"), "\(what)")
            }
            let contacts = "/api/v1/cases/\(number)/contacts"
            func contact(note: String) -> String {
                String(decoding: try! JSONEncoder().encode(["channel": "phone", "outcome": "reached", "note": note]), as: UTF8.self)
            }
            // `maxLength: 4000` as JSON Schema counts: Unicode code points, as sent.
            try await send(contacts, crm, contact(note: String(repeating: "x", count: 20_000))) { try refusedAsTooLong($0, "20,000 characters") }
            try await send(contacts, crm, contact(note: String(repeating: " ", count: 4_001))) { try refusedAsTooLong($0, "4001 spaces") }
            try await send(contacts, crm, contact(note: String(repeating: "e\u{301}", count: 2_001))) { try refusedAsTooLong($0, "4002 code points") }
            try await send(contacts, crm, contact(note: String(repeating: "x", count: 4_000))) { #expect($0.status == .created) }
            try await send(contacts, crm, #"{"channel": "phone", "outcome": "reached", "note": null}"#) { #expect($0.status == .created) }
            try await send("/api/v1/cases/\(number)/status", crm, #"{"status": "contacted", "note": "\#(String(repeating: "x", count: 4_001))"}"#) {
                try refusedAsTooLong($0, "a status change's note")
            }
            try await request(web, .GET, "/api/v1/cases/\(number)", token: crm) { response in
                let body = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                #expect((body?["case"] as? [String: Any])?["status"] as? String == "new", "the refused change changed nothing")
            }
            // JSON only: a form, plain text or no content type is a 415 with the one error body.
            let notJSON: [HTTPMediaType?] = [.urlEncodedForm, .plainText, nil]
            for contentType in notJSON {
                try await send(contacts, crm, "channel=phone&outcome=reached", contentType: contentType) { response in
                    #expect(response.status == .unsupportedMediaType, "\(contentType?.description ?? "none") answered \(response.status.code)")
                    let body = try response.content.decode([String: String].self)
                    #expect(body["error"] == "http_415")
                    #expect(body["request_id"] == response.headers.first(name: "X-Request-ID"))
                }
            }
            // Dates in a body: a date, null or absent; an empty text is no date.
            try await send("/api/v1/audit/person", dpo, #"{"insz": "\#(insz)", "from": null, "to": "2099-12-31"}"#) { #expect($0.status == .ok) }
            try await send("/api/v1/audit/person", dpo, #"{"insz": "\#(insz)", "from": ""}"#) { response in
                #expect(response.status == .badRequest)
                #expect(response.body.string.contains("from: not a date"))
            }
            try await send("/api/v1/audit/person", dpo, #"{"insz": ""}"#) { response in
                #expect(response.status == .badRequest)
                #expect(response.body.string.contains("insz:"))
            }
        }
    }
}
