import Foundation
import Domain
import Ingest

/// The data steward's work on quarantined records: re-process a corrected record through the same
/// validation as an import, or close the entry without processing. Each is audited.
public struct QuarantineWork: Sendable {
    let quarantine: any QuarantineRepository
    let records: any RecordDelivery
    let audit: AuditRecorder
    let ingest: IngestOptions

    public init(quarantine: any QuarantineRepository, records: any RecordDelivery, audit: any AuditSink, ingest: IngestOptions) {
        self.quarantine = quarantine
        self.records = records
        self.audit = AuditRecorder(audit)
        self.ingest = ingest
    }

    public enum Outcome: Sendable, Equatable {
        /// Stored; the entry is closed.
        case reprocessed(accepted: Int)
        /// The correction is still refused, for these reasons; nothing was stored.
        case stillRejected([Rejection])
        /// Nothing to process.
        case empty
        /// The entry was closed before.
        case alreadyClosed
    }

    /// Reads `corrected` (CSV with its header line, or a JSON object) as a record of the entry's
    /// kind; stores it and closes the entry, or says what is still wrong. Nil when there is no such entry.
    public func reprocess(_ id: Int64, corrected: String, by actor: Actor) async throws -> Outcome? {
        guard let entry = try await quarantine.quarantinedRecord(id) else { return nil }
        guard entry.isOpen else { return .alreadyClosed }
        let text = corrected.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return .empty }
        switch try await store(text, kind: entry.kind, delivery: "reprocess #\(id)") {
        case .empty: return .empty
        case .rejected(let rejections): return .stillRejected(rejections)
        case .stored(let accepted):
            try await quarantine.resolve(id, as: .reprocessed, audit: AuditEntry(actor.acting(for: .dataQuality), .quarantineReprocessed(id)))
            return .reprocessed(accepted: accepted)
        }
    }

    enum Stored { case stored(accepted: Int), rejected([Rejection]), empty }

    /// A record's text read exactly as an import reads it, and stored as one delivery when
    /// nothing in it is refused (the steward's correction, a record linked to its person).
    func store(_ text: String, kind: RecordKind?, delivery name: String) async throws -> Stored {
        switch try read(text, kind: kind) {
        case .empty: return .empty
        case .rejected(let rejections): return .rejected(rejections)
        case .items(let items, let format): return .stored(accepted: try await records.deliver(items, name: name, format: format))
        }
    }

    enum Read { case items([IngestItem], format: String), rejected([Rejection]), empty }

    /// A record's text read exactly as an import reads it: its items when nothing in it is refused.
    func read(_ text: String, kind: RecordKind?) throws -> Read {
        var options = ingest
        options.kind = kind
        let reader = SourceFileReader(bytes: Array(text.utf8), name: text.hasPrefix("{") ? "record.jsonl" : "record.csv", options: options)
        var items: [IngestItem] = []
        while case let batch = try reader.next(maximum: 100), !batch.isEmpty { items += batch }
        let rejections = items.compactMap { if case .rejected(let r) = $0 { r } else { nil } }
        guard !items.isEmpty else { return .empty }
        guard rejections.isEmpty else { return .rejected(rejections) }
        return .items(items, format: reader.format.rawValue)
    }

    /// Closes the entry without processing; false when there is no such open entry.
    public func dismiss(_ id: Int64, by actor: Actor) async throws -> Bool {
        guard let entry = try await quarantine.quarantinedRecord(id), entry.isOpen else { return false }
        try await quarantine.resolve(id, as: .dismissed, audit: AuditEntry(actor.acting(for: .dataQuality), .quarantineDismissed(id)))
        return true
    }
}
