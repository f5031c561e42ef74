import Domain

/// What the steward's use cases need from storage: a quarantined record, and closing it.
public protocol QuarantineRepository: Sendable {
    /// The record kept in quarantine, or nil when there is none with that number.
    func quarantinedRecord(_ id: Int64) async throws -> QuarantinedRecord?
    /// Closes the entry as `resolution`, with its audit entry, in one transaction.
    func resolve(_ id: Int64, as resolution: QuarantineResolution, audit: AuditEntry) async throws
}

/// Stores records as one delivery, exactly as an import does (records, quarantine, persons due).
public protocol RecordDelivery: Sendable {
    /// Returns how many records were accepted as new or corrected.
    func deliver(_ items: [IngestItem], name: String, format: String) async throws -> Int
}

public struct QuarantinedRecord: Sendable, Equatable {
    public var id: Int64
    /// The record type the delivery had, when known (a whole file's rejection has none).
    public var kind: RecordKind?
    public var isOpen: Bool

    public init(id: Int64, kind: RecordKind?, isOpen: Bool) {
        self.id = id
        self.kind = kind
        self.isOpen = isOpen
    }
}

public enum QuarantineResolution: String, Sendable {
    /// A corrected record was imported.
    case reprocessed
    /// Closed without processing.
    case dismissed
}
