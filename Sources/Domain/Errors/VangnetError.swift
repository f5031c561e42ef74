/// The one error shape of Vangnet (after the Swift Package Index server's subsystem errors): every
/// error type says what kind of failure it is, how loudly to log it, and a stable code. The web
/// layer's one error middleware turns the kind into an HTTP status and the code into the reader's
/// words; the command line prints the message on one line and exits non-zero.
public protocol VangnetError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, independent of the transport.
    var kind: ErrorKind { get }
    /// Stable, snake_case, for clients and for the UI's texts (`illegal_transition`, `invalid_insz`).
    var code: String { get }
    /// How loudly to log it.
    var level: ErrorLevel { get }
}

extension VangnetError {
    public var level: ErrorLevel { kind.defaultLevel }
}

/// Kinds of failure, each with its one HTTP status.
public enum ErrorKind: Sendable, Equatable {
    /// The input is unusable (a form field, a body, a file): 400.
    case invalidInput
    /// No credentials, or wrong ones: 401.
    case unauthenticated
    /// Allowed to see the thing, not to do this with it: 403.
    case forbidden
    /// Not there, or outside the actor's scope (the two answer alike): 404.
    case notFound
    /// It was there and is no more, on purpose (an anonymised case): 410.
    case gone
    /// The request contradicts the current state (an illegal status change, a second open case): 409.
    case conflict
    /// Too large: 413.
    case tooLarge
    /// Throttled: 429.
    case tooManyRequests
    /// A dependency (the database, the keys) is not available or not ready: 503.
    case unavailable
    /// A bug or corrupted data: 500.
    case internalFailure

    public var httpStatus: Int {
        switch self {
        case .invalidInput: 400
        case .unauthenticated: 401
        case .forbidden: 403
        case .notFound: 404
        case .gone: 410
        case .conflict: 409
        case .tooLarge: 413
        case .tooManyRequests: 429
        case .unavailable: 503
        case .internalFailure: 500
        }
    }

    public var defaultLevel: ErrorLevel {
        switch self {
        case .invalidInput, .notFound, .gone, .conflict, .tooLarge: .info
        case .unauthenticated, .forbidden, .tooManyRequests: .notice
        case .unavailable: .error
        case .internalFailure: .critical
        }
    }
}

/// Log levels, named as swift-log names them (the Domain does not import it).
public enum ErrorLevel: String, Sendable, Comparable, CaseIterable {
    case debug, info, notice, warning, error, critical

    public static func < (lhs: ErrorLevel, rhs: ErrorLevel) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

extension CaseStatus.IllegalTransition: VangnetError {
    public var kind: ErrorKind { .conflict }
    /// The API's code for every state conflict (docs/web.md).
    public var code: String { "conflict" }
}

extension INSZ.Invalid: VangnetError {
    public var kind: ErrorKind { .invalidInput }
}
