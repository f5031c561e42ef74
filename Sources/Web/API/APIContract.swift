import Domain
import Foundation
import Vapor

/// Refusals of the JSON API beyond the web layer's own (`WebError`). Like every Vangnet error each
/// says its kind (and so its HTTP status), a stable code and what to do instead; the one error
/// middleware answers it with the one error body.
enum APIError: VangnetError, AbortError {
    /// An `X-Purpose` the token's role may not name (`Permissions.purposes`); audited as `purpose.refused`.
    case purposeNotAllowed(Purpose, Role)

    var kind: ErrorKind {
        switch self {
        case .purposeNotAllowed: .forbidden
        }
    }

    var code: String {
        switch self {
        case .purposeNotAllowed: "purpose_not_allowed"
        }
    }

    var status: HTTPResponseStatus { HTTPResponseStatus(statusCode: kind.httpStatus) }

    var reason: String { description }

    var description: String {
        switch self {
        case .purposeNotAllowed(let purpose, let role):
            "X-Purpose: a \(role.rawValue) may not consult data for '\(purpose.rawValue)'; one of "
                + Permissions.allowedPurposes(for: role).map(\.rawValue).joined(separator: ", ")
        }
    }
}

/// Query parameters read as the OpenAPI document describes them: a parameter that is there must be
/// valid. An empty or malformed value is a 400 naming the parameter, never taken as absent (so
/// `limit=abc` is not silently the default page, and `after=` not the first page).
extension Request {
    /// The parameter's text as sent, nil when it is absent.
    func queryText(_ name: String) -> String? {
        query[String.self, at: name]
    }

    /// A whole number within `range`; `fallback` when absent. Only digits: `1e3`, `+5`, `5.0` and a
    /// number too large for an `Int` are refused, not rounded, clamped or ignored.
    func queryInteger(_ name: String, in range: ClosedRange<Int>, default fallback: Int) throws -> Int {
        guard let text = queryText(name) else { return fallback }
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let value = Int(text), range.contains(value) else {
            throw WebError.badRequest("\(name): between \(range.lowerBound) and \(range.upperBound)")
        }
        return value
    }

    /// A code of `Code`'s list; nil when absent.
    func queryCode<Code: RawRepresentable & CaseIterable>(_ name: String, _ type: Code.Type) throws -> Code?
    where Code.RawValue == String {
        guard let text = queryText(name) else { return nil }
        guard let code = Code(rawValue: text) else {
            throw WebError.badRequest("\(name): one of \(Code.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return code
    }

    /// Free text that is not empty; nil when absent.
    func queryNonEmpty(_ name: String) throws -> String? {
        guard let text = queryText(name) else { return nil }
        guard !text.isEmpty else { throw WebError.badRequest("\(name): empty; leave the parameter out instead") }
        return text
    }
}

extension Request {
    /// The body in the document's one media type, `application/json`: any other is a 415, although
    /// Vapor would read a form or plain text into the same fields.
    func decodeJSON<Value: Decodable>(_ type: Value.Type) throws -> Value {
        guard let mediaType = headers.contentType, mediaType.type.lowercased() == "application",
              mediaType.subType.lowercased() == "json" else {
            throw Abort(.unsupportedMediaType, reason: "the body must be application/json")
        }
        return try content.decode(Value.self)
    }
}
