import Foundation
import Prometheus
import Storage
import Vapor

/// `/health/live`, `/health/ready` (database reachable, migrations current) and `/metrics`.
struct HealthRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("health", "live", use: live)
        routes.get("health", "ready", use: ready)
        routes.get("metrics", use: metrics)
    }

    struct Status: Content {
        let status: String
        let checks: [String: String]?
    }

    func live(request: Request) async throws -> Status { Status(status: "ok", checks: nil) }

    func ready(request: Request) async throws -> Response {
        var checks: [String: String] = [:]
        var ok = true
        do {
            try await request.context.store.sql.raw("SELECT 1").run()
            let pending = try await request.context.store.pendingMigrations()
            checks["database"] = "ok"
            checks["migrations"] = pending.isEmpty ? "ok" : "\(pending.count) pending"
            ok = pending.isEmpty
        } catch {
            checks["database"] = "unreachable"
            ok = false
        }
        let response = Response(status: ok ? .ok : .serviceUnavailable)
        try response.content.encode(Status(status: ok ? "ok" : "unavailable", checks: checks))
        return response
    }

    func metrics(request: Request) async throws -> Response {
        var buffer: [UInt8] = []
        request.context.metrics.emit(into: &buffer)
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
        return Response(status: .ok, headers: headers, body: .init(data: Data(buffer)))
    }
}
