import Domain

/// Where audit entries go: the hash-chained log. Appending must succeed before personal data is
/// shown (fail closed): a throwing sink stops the use case.
public protocol AuditSink: Sendable {
    func append(_ entries: [AuditEntry]) async throws
}
