import Domain
import Foundation
import Privacy

/// A stored record is its canonical text (`RecordCodec`), sealed under one context: every reader
/// and writer of `source_records.payload_sealed` goes through these, so the context and the steps
/// are written once.
extension Keyring {
    /// The authenticated context of `source_records.payload_sealed`: a ciphertext from another
    /// column does not open as a record.
    static let recordContext = "source_records.payload"

    func sealRecord(_ canonical: [UInt8]) -> Data { seal(canonical, context: Self.recordContext) }

    /// A stored record, opened and decoded; a missing payload does not open (`cannotDecrypt`).
    func openRecord(_ sealed: Data?) throws -> SourceRecord {
        try RecordCodec.decode(openText(sealed ?? Data(), context: Self.recordContext))
    }

    /// A stored version of a record as the domain sees it: the record with where it is stored.
    func openFact(_ sealed: Data?, sequence: Int64) throws -> Fact {
        let record = try openRecord(sealed)
        return Fact(reference: FactReference(source: record.source, recordID: record.recordID, sequence: sequence), record: record)
    }
}
