import Foundation
import Vapor

/// A method that a known API path does not have answers 405 with an `Allow` header naming the ones
/// it has (RFC 9110 §15.5.6), and `OPTIONS` answers 204 with the same header, where the router
/// alone answers 404 for both. The OpenAPI document says which methods each path has; clients and
/// the fuzzer (scripts/api-fuzz) hold the server to it. A path that no route has stays a 404.
/// Only where the answer is JSON (the API, the health checks): pages keep their 404 page.
struct MethodNotAllowedMiddleware: AsyncMiddleware {
    static let prefixes = ["/api/", "/health/"]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch let notFound as RouteNotFound {
            let path = request.url.path
            guard Self.prefixes.contains(where: { path.hasPrefix($0) }) else { throw notFound }
            let allowed = Self.allowedMethods(path: path, routes: request.application.routes.all)
            guard !allowed.isEmpty else { throw notFound }
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: "Allow", value: allowed.joined(separator: ", "))
            if request.method == .OPTIONS { return Response(status: .noContent, headers: headers) }
            let response = Response(status: .methodNotAllowed, headers: headers)
            try response.content.encode(APIErrorBody(
                error: "method_not_allowed",
                message: "\(request.method.rawValue) is not a method of this path; it has \(allowed.joined(separator: ", "))",
                requestID: request.requestID))
            return response
        }
    }

    /// The methods the routes have for `path`, with `HEAD` where there is a `GET` (Vapor answers
    /// it with the `GET` route) and `OPTIONS` (answered here); empty when no route has the path.
    static func allowedMethods(path: String, routes: [Route]) -> [String] {
        // Split as Vapor's router splits it: no percent-decoding, empty components dropped.
        let components = path.split(separator: "/").map(String.init)
        var methods = Set(routes.filter { matches($0.path, components) }.map { $0.method.rawValue })
        guard !methods.isEmpty else { return [] }
        if methods.contains("GET") { methods.insert("HEAD") }
        methods.insert("OPTIONS")
        let order = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
        func rank(_ method: String) -> Int { order.firstIndex(of: method) ?? order.count }
        return methods.sorted { (rank($0), $0) < (rank($1), $1) }
    }

    static func matches(_ pattern: [PathComponent], _ components: [String]) -> Bool {
        let pattern = pattern.filter { component in
            if case .constant(let text) = component, text.isEmpty { return false }
            return true
        }
        for (index, part) in pattern.enumerated() {
            switch part {
            case .catchall:
                return components.count > index
            case .anything, .parameter:
                if index >= components.count { return false }
            case .constant(let text):
                if index >= components.count || components[index] != text { return false }
            }
        }
        return pattern.count == components.count
    }
}
