import Domain
import Foundation
import Privacy
import Storage
import TestSupport
import Testing
import Vapor
import VaporTesting
@testable import Web

/// The OpenAPI document is the contract: every documented operation is called, every answer's
/// status is documented for it, every JSON body validates against its schema, and every API
/// route the server has is documented.
@Suite struct OpenAPITests {
    @Test func everyDocumentedOperationBehavesAsDocumented() async throws {
        try await WebHarness.run(configure: { $0.registration = RegistrationSettings(endpoint: "http://127.0.0.1:9/none", secret: RegistrationTests.secret) }) { web in
            let number = try await web.leaverWithCase(serial: 101, postcode: "2000")
            try await web.store.sql.raw("""
                INSERT INTO registration_outbox (case_id, idempotency_key, body_sealed, status, attempts, next_attempt_at, created_at, updated_at)
                VALUES (\(bind: CaseNumber.parse(number)!), 'oa-request', \(bind: Data()), 'accepted', 1, '2026-11-29', '2026-11-29', '2026-11-29')
                """).run()
            try await web.store.setEventSecret(EventIntakeTests.secret, for: .agodi)
            let consultant = try await APITests.token(web, "crm", role: .consultant, provinces: [.antwerpen])
            let steward = try await APITests.token(web, "dq", role: .steward)
            let (partner, referral) = try await Self.partnerReferral(web, number)
            let auditor = try await APITests.token(web, "dpo", role: .auditor)
            let insz = PersonBuilder(born: "2006-03-14", serial: 101).insz.formatted
            var document: [String: Any] = [:]
            try await web.get("/api/v1/openapi.json", as: nil) { response in
                #expect(response.status == .ok)
                document = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as! [String: Any]
            }
            #expect(document["openapi"] as? String == "3.1.0")
            let schema = SchemaChecker(document: document)
            let paths = document["paths"] as! [String: [String: Any]]
            var called = 0
            for (path, operations) in paths.sorted(by: { $0.key < $1.key }) {
                for (method, value) in operations.sorted(by: { $0.key < $1.key }) {
                    let operation = value as! [String: Any]
                    let responses = operation["responses"] as! [String: Any]
                    let concrete = "/api/v1" + path.replacingOccurrences(of: "{number}", with: number)
                        .replacingOccurrences(of: "{referral}", with: String(referral.id)).replacingOccurrences(of: "{action}", with: "accept")
                    var headers = HTTPHeaders()
                    var body: Data?
                    let id = operation["operationId"] as! String
                    switch id {
                    case "listQuarantine": headers.bearerAuthorization = BearerAuthorization(token: steward)
                    case "listPartnerReferrals", "getPartnerReferral", "actOnPartnerReferral": headers.bearerAuthorization = BearerAuthorization(token: partner)
                    case "listAuditEntries", "auditPerson", "personReport": headers.bearerAuthorization = BearerAuthorization(token: auditor)
                    case "deliverEvents", "getOpenAPI", "registrationCallback": break
                    default: headers.bearerAuthorization = BearerAuthorization(token: consultant)
                    }
                    switch id {
                    case "changeCaseStatus": body = EventIntakeTests.json(["status": "contacted", "note": "via API"])
                    case "logCaseContact": body = EventIntakeTests.json(["channel": "phone", "outcome": "reached"])
                    case "auditPerson", "personReport": body = EventIntakeTests.json(["insz": insz, "from": "2026-01-01"])
                    case "deliverEvents": body = EventIntakeTests.json(EventIntakeTests.enrolment(id: "openapi-1", record: "EV-OA"))
                    case "actOnPartnerReferral": body = EventIntakeTests.json(["version": referral.version])
                    case "registrationCallback": body = EventIntakeTests.json(["request_id": "oa-request", "status": "registered", "registration_number": "WZ-1"])
                    default: break
                    }
                    if id == "deliverEvents", let body {
                        let stamp = Int(Date().timeIntervalSince1970)
                        headers.add(name: "webhook-id", value: "oa")
                        headers.add(name: "webhook-timestamp", value: String(stamp))
                        headers.add(name: "webhook-signature", value: EventIntake.sign(id: "oa", timestamp: stamp, body: body, secret: EventIntakeTests.secret))
                        headers.contentType = HTTPMediaType(type: "application", subType: "cloudevents+json")
                    } else if id == "registrationCallback", let body {
                        let stamp = Int(web.context.settings.clock.now().timeIntervalSince1970)
                        headers.add(name: "webhook-id", value: "oa-callback")
                        headers.add(name: "webhook-timestamp", value: String(stamp))
                        headers.add(name: "webhook-signature", value: WebhookSignature(secret: RegistrationTests.secret)!.sign(id: "oa-callback", timestamp: stamp, body: body))
                        headers.contentType = .json
                    } else if body != nil {
                        headers.contentType = .json
                    }
                    let sentHeaders = headers
                    let sentBody = body
                    try await web.app.testing().test(HTTPMethod(rawValue: method.uppercased()), concrete, beforeRequest: { request in
                        request.headers = sentHeaders
                        if let sentBody { request.body = ByteBuffer(data: sentBody) }
                    }, afterResponse: { response in
                        let status = String(response.status.code)
                        #expect(status.hasPrefix("2"), "\(id) answered \(status): \(response.body.string.prefix(200))")
                        let documented = try #require(responses[status] as? [String: Any], "\(id): status \(status) is not documented")
                        if let content = (documented["content"] as? [String: Any]) ?? schema.resolvedResponse(documented)["content"] as? [String: Any],
                           let json = content["application/json"] as? [String: Any], let expected = json["schema"] {
                            let value = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView), options: [.fragmentsAllowed])
                            let problems = schema.check(value, against: expected, at: id)
                            #expect(problems.isEmpty, "\(problems.joined(separator: "; "))")
                        }
                        called += 1
                    })
                    // Without credentials every protected operation answers a documented 401.
                    if operation["security"] == nil, id != "deliverEvents" {
                        try await web.app.testing().test(HTTPMethod(rawValue: method.uppercased()), concrete, afterResponse: { response in
                            #expect(response.status == .unauthorized)
                            #expect(responses["401"] != nil, "\(id): 401 not documented")
                        })
                    }
                }
            }
            #expect(called == 16)
            // Every API route the server has is in the document.
            let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) /api/v1" + path } })
            for route in web.app.routes.all where route.path.first?.description == "api" {
                let path = "/" + route.path.map { $0.description.hasPrefix(":") ? "{\($0.description.dropFirst())}" : $0.description }
                    .joined(separator: "/")
                #expect(documented.contains("\(route.method.rawValue) \(path)"), "\(route.method.rawValue) \(path) is not documented")
            }
        }
    }

    /// A partner token and a pending referral to its organisation.
    static func partnerReferral(_ web: WebHarness, _ number: String) async throws -> (String, Referral) {
        let today = web.context.today
        let organisation = try await web.store.savePartnerOrganisation(code: "oa-org", name: "OA vzw", kind: .localActor, contact: "-",
                                                                      provinces: [.antwerpen], activeFrom: today, activeUntil: nil)
        let referral = try #require(try await web.store.proposeReferral(
            caseID: CaseNumber.parse(number)!, scope: .all, organisationID: organisation.id, lotID: nil, offer: .guidance, reason: "OpenAPI",
            consent: Consent(givenOn: today, channel: .spoken, givenBy: .parent, extras: []), ageOfConsent: 18, by: testActor, today: today))
        let token = "vng_test_oa_partner"
        try await web.store.saveAPIToken(name: "oa-partner", tokenHash: APIAuth.tokenHash(token), role: .partner, provinces: [], organisation: "oa-org")
        return (token, referral)
    }

    static func document(_ web: WebHarness) async throws -> [String: Any] {
        var document: [String: Any] = [:]
        try await web.get("/api/v1/openapi.json", as: nil) { response in
            document = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as! [String: Any]
        }
        return document
    }

    /// The purpose is declared once, with the codes the server accepts, on every operation behind a
    /// token (each reads or changes personal data, and the audit log records the purpose); a 400
    /// for a code that is none and a 403 for one the role may not name are documented there.
    @Test func thePurposeHeaderIsDeclaredWhereverDataIsRead() async throws {
        try await WebHarness.run { web in
            let document = try await Self.document(web)
            let checker = SchemaChecker(document: document)
            let purpose = try #require(checker.resolve("#/components/parameters/Purpose") as? [String: Any])
            #expect(purpose["name"] as? String == "X-Purpose")
            #expect(purpose["in"] as? String == "header")
            #expect((purpose["schema"] as? [String: Any])?["enum"] as? [String] == APIAuth.purposeCodes.map(\.rawValue))
            let paths = document["paths"] as! [String: [String: Any]]
            for (path, operations) in paths {
                for (method, value) in operations {
                    let operation = value as! [String: Any]
                    guard operation["security"] == nil else { continue }
                    let references = (operation["parameters"] as? [[String: Any]] ?? []).compactMap { $0["$ref"] as? String }
                    #expect(references.contains("#/components/parameters/Purpose"), "\(method) \(path) does not declare X-Purpose")
                    let responses = operation["responses"] as! [String: Any]
                    #expect(responses["400"] != nil && responses["403"] != nil, "\(method) \(path): 400 and 403 not documented")
                }
            }
        }
    }

    /// The schema says what the server refuses: an empty query parameter is outside every one's
    /// schema (the server answers 400 to it), and a note's limit is the use case's.
    @Test func theSchemasRefuseWhatTheServerRefuses() async throws {
        try await WebHarness.run { web in
            let document = try await Self.document(web)
            let checker = SchemaChecker(document: document)
            let paths = document["paths"] as! [String: [String: Any]]
            for (path, operations) in paths {
                for (method, value) in operations {
                    let operation = value as! [String: Any]
                    for reference in operation["parameters"] as? [[String: Any]] ?? [] {
                        let parameter = (reference["$ref"] as? String).flatMap(checker.resolve) as? [String: Any] ?? reference
                        guard parameter["in"] as? String == "query", let name = parameter["name"] as? String else { continue }
                        let schema = parameter["schema"] as? [String: Any] ?? [:]
                        let isNumber = schema["type"] as? String == "integer"
                        let hasShape = schema["pattern"] != nil || schema["format"] != nil || schema["minLength"] != nil
                        let isCode = (schema["enum"] as? [String]).map { !$0.contains("") } ?? false
                        let refusesEmpty = isNumber || hasShape || isCode
                        #expect(refusesEmpty, "\(method) \(path): the schema of '\(name)' allows an empty value")
                    }
                }
            }
            func object(_ value: Any?, _ keys: String...) -> [String: Any]? {
                keys.reduce(value as? [String: Any]) { $0?[$1] as? [String: Any] }
            }
            for path in ["/cases/{number}/status", "/cases/{number}/contacts"] {
                let note = object(paths[path], "post", "requestBody", "content", "application/json", "schema", "properties", "note")
                let text = (note?["oneOf"] as? [[String: Any]])?.first { $0["type"] as? String == "string" }
                #expect(text.flatMap { $0["maxLength"] }.map { "\($0)" } == String(CaseRules.noteMaximumLength), "\(path): note's maxLength")
            }
            let insz = checker.resolve("#/components/schemas/PersonQuery/properties/insz") as? [String: Any]
            #expect(insz?["format"] as? String == "insz", "the INSZ has its own format (scripts/api_fuzz_hooks.py generates it)")
        }
    }

    /// The answers no single call above shows, each where the document says: a method a path does
    /// not have is a 405 naming the ones it has (`OPTIONS` a 204), and a body that is not JSON a 415.
    @Test func methodsAndMediaTypesAnswerAsDocumented() async throws {
        try await WebHarness.run { web in
            let number = try await web.leaverWithCase(serial: 101, postcode: "2000")
            let consultant = try await APITests.token(web, "crm", role: .consultant, provinces: [.antwerpen])
            let auditor = try await APITests.token(web, "dpo", role: .auditor)
            let (partner, referral) = try await Self.partnerReferral(web, number)
            let document = try await Self.document(web)
            let paths = document["paths"] as! [String: [String: Any]]
            for (path, operations) in paths.sorted(by: { $0.key < $1.key }) {
                let concrete = "/api/v1" + path.replacingOccurrences(of: "{number}", with: number)
                    .replacingOccurrences(of: "{referral}", with: String(referral.id)).replacingOccurrences(of: "{action}", with: "accept")
                let declared = Set(operations.keys.map { $0.uppercased() })
                var allowed = declared.union(["OPTIONS"])
                if declared.contains("GET") { allowed.insert("HEAD") }
                let expected = allowed
                for method in ["GET", "POST", "PUT", "PATCH", "DELETE", "TRACE", "QUERY"] where !declared.contains(method) {
                    try await web.app.testing().test(HTTPMethod(rawValue: method), concrete, beforeRequest: { request in
                        request.headers.bearerAuthorization = BearerAuthorization(token: consultant)
                    }, afterResponse: { response in
                        #expect(response.status == .methodNotAllowed, "\(method) \(path) answered \(response.status.code)")
                        let allow = (response.headers.first(name: "Allow") ?? "").split(separator: ",")
                            .map { $0.trimmingCharacters(in: .whitespaces) }
                        #expect(Set(allow) == expected, "\(method) \(path): Allow: \(allow)")
                        let body = try response.content.decode([String: String].self)
                        #expect(body["error"] == "method_not_allowed", "\(method) \(path)")
                        #expect(body["request_id"] == response.headers.first(name: "X-Request-ID"))
                    })
                }
                try await web.app.testing().test(.OPTIONS, concrete, afterResponse: { response in
                    #expect(response.status == .noContent, "OPTIONS \(path) answered \(response.status.code)")
                    let allow = (response.headers.first(name: "Allow") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                    #expect(Set(allow) == expected, "OPTIONS \(path): Allow: \(allow)")
                })
                for (method, value) in operations {
                    let operation = value as! [String: Any]
                    guard operation["requestBody"] != nil, operation["operationId"] as? String != "deliverEvents" else { continue }
                    let responses = operation["responses"] as! [String: Any]
                    #expect(responses["413"] != nil && responses["415"] != nil, "\(method) \(path): 413 and 415 not documented")
                    let token = path.hasPrefix("/cases") ? consultant : path.hasPrefix("/partner") ? partner : auditor
                    try await web.app.testing().test(HTTPMethod(rawValue: method.uppercased()), concrete, beforeRequest: { request in
                        request.headers.bearerAuthorization = BearerAuthorization(token: token)
                        request.body = ByteBuffer(string: "{}")
                    }, afterResponse: { response in
                        #expect(response.status == .unsupportedMediaType, "\(method) \(path) without a content type answered \(response.status.code)")
                        let body = try response.content.decode([String: String].self)
                        #expect(body["request_id"] == response.headers.first(name: "X-Request-ID"))
                    })
                }
            }
            // A path that no route has stays a 404, whatever the method.
            try await web.app.testing().test(.TRACE, "/api/v1/nowhere", afterResponse: { #expect($0.status == .notFound) })
            try await web.app.testing().test(.GET, "/api/v1/cases/\(number)/nowhere", afterResponse: { #expect($0.status == .notFound) })
        }
    }
}

/// A small JSON Schema checker for the parts the document uses: $ref, type (with null), required,
/// properties, items, enum, const, oneOf.
struct SchemaChecker {
    let document: [String: Any]

    func resolve(_ reference: String) -> Any? {
        reference.dropFirst(2).split(separator: "/").reduce(document as Any?) { ($0 as? [String: Any])?[String($1)] }
    }

    func resolvedResponse(_ response: [String: Any]) -> [String: Any] {
        (response["$ref"] as? String).flatMap(resolve) as? [String: Any] ?? response
    }

    func check(_ value: Any, against schema: Any, at path: String) -> [String] {
        guard var schema = schema as? [String: Any] else { return [] }
        if let reference = schema["$ref"] as? String, let resolved = resolve(reference) as? [String: Any] { schema = resolved }
        if let options = schema["oneOf"] as? [Any] {
            return options.contains { check(value, against: $0, at: path).isEmpty } ? [] : ["\(path): matches no option"]
        }
        var problems: [String] = []
        let types: [String] = (schema["type"] as? [String]) ?? (schema["type"] as? String).map { [$0] } ?? []
        if !types.isEmpty {
            let actual: String
            switch value {
            case is NSNull: actual = "null"
            case let number as NSNumber where String(cString: number.objCType) == "c": actual = "boolean"
            case let number as NSNumber: actual = number.doubleValue == number.doubleValue.rounded() ? "integer" : "number"
            case is String: actual = "string"
            case is [Any]: actual = "array"
            case is [String: Any]: actual = "object"
            default: actual = "unknown"
            }
            if !types.contains(actual) && !(actual == "integer" && types.contains("number")) {
                return ["\(path): \(actual) where \(types) expected"]
            }
        }
        if let allowed = schema["enum"] as? [String], let text = value as? String, !allowed.contains(text) {
            problems.append("\(path): '\(text)' not in enum")
        }
        if let object = value as? [String: Any] {
            for key in (schema["required"] as? [String]) ?? [] where object[key] == nil { problems.append("\(path).\(key) missing") }
            for (key, sub) in (schema["properties"] as? [String: Any]) ?? [:] {
                if let child = object[key] { problems += check(child, against: sub, at: "\(path).\(key)") }
            }
        }
        if let array = value as? [Any], let items = schema["items"] {
            for (index, child) in array.enumerated() { problems += check(child, against: items, at: "\(path)[\(index)]") }
        }
        return problems
    }
}
