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
    static func token(_ web: WebHarness, _ name: String, role: Role, provinces: [Province] = []) async throws -> String {
        let token = "vng_test_\(name)"
        try await web.store.saveAPIToken(name: name, tokenHash: APIAuth.tokenHash(token), role: role, provinces: provinces, organisation: nil)
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
}
