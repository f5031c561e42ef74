import Domain
import Foundation
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
        try await WebHarness.run { web in
            let number = try await web.leaverWithCase(serial: 101, postcode: "2000")
            try await web.store.setEventSecret(EventIntakeTests.secret, for: .agodi)
            let consultant = try await APITests.token(web, "crm", role: .consultant, provinces: [.antwerpen])
            let steward = try await APITests.token(web, "dq", role: .steward)
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
                    var headers = HTTPHeaders()
                    var body: Data?
                    let id = operation["operationId"] as! String
                    switch id {
                    case "listQuarantine": headers.bearerAuthorization = BearerAuthorization(token: steward)
                    case "listAuditEntries", "auditPerson", "personReport": headers.bearerAuthorization = BearerAuthorization(token: auditor)
                    case "deliverEvents", "getOpenAPI": break
                    default: headers.bearerAuthorization = BearerAuthorization(token: consultant)
                    }
                    switch id {
                    case "changeCaseStatus": body = EventIntakeTests.json(["status": "contacted", "note": "via API"])
                    case "logCaseContact": body = EventIntakeTests.json(["channel": "phone", "outcome": "reached"])
                    case "auditPerson", "personReport": body = EventIntakeTests.json(["insz": insz, "from": "2026-01-01"])
                    case "deliverEvents": body = EventIntakeTests.json(EventIntakeTests.enrolment(id: "openapi-1", record: "EV-OA"))
                    default: break
                    }
                    if id == "deliverEvents", let body {
                        let stamp = Int(Date().timeIntervalSince1970)
                        headers.add(name: "webhook-id", value: "oa")
                        headers.add(name: "webhook-timestamp", value: String(stamp))
                        headers.add(name: "webhook-signature", value: EventIntake.sign(id: "oa", timestamp: stamp, body: body, secret: EventIntakeTests.secret))
                        headers.contentType = HTTPMediaType(type: "application", subType: "cloudevents+json")
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
            #expect(called == 12)
            // Every API route the server has is in the document.
            let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) /api/v1" + path } })
            for route in web.app.routes.all where route.path.first?.description == "api" {
                let path = "/" + route.path.map { $0.description.hasPrefix(":") ? "{\($0.description.dropFirst())}" : $0.description }
                    .joined(separator: "/")
                #expect(documented.contains("\(route.method.rawValue) \(path)"), "\(route.method.rawValue) \(path) is not documented")
            }
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
