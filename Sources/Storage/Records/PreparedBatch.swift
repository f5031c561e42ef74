import Domain
import Foundation
import Privacy

extension RecordWriter {
    /// A batch ready to store: sealed, hashed, nothing personal in the clear.
    public struct PreparedBatch: Sendable {
        struct Record: Sendable {
            let source: String
            let recordID: String
            let kind: String
            /// The record's person: a position in `persons`.
            let person: Int
            let hash: Int64
            let recordedAt: String?
            let payload: Data
        }

        let records: [Record]
        /// The distinct persons of `records`, in the order they first appear.
        let persons: [InszKey]
        /// Where each of `persons` is in it.
        let personPositions: [InszKey: Int]
        let rejections: [Rejection]
        /// Register records that name the number they replace: (the new number's index, the old one's).
        let replacements: [(current: Data, previous: Data)]
        /// Items read: records and rejections.
        let items: Int
        /// The kind of the first record, else of the first rejection; the source of the first record.
        let kind: RecordKind?
        let source: Source?
        /// What storing needs of the records that no database answer changes, worked out here —
        /// on the core that seals, beside the one that stores, which sets the import's pace:
        /// the distinct record ids per source (to find those already held), the records' positions
        /// by content hash (to find the record an inserted row came from), and the positions of
        /// records whose source and id another record of the batch has too (the others cannot be
        /// a second version within the batch).
        let recordIDsBySource: [(source: String, ids: [String])]
        let positionsByHash: [Int64: [Int]]
        let sharedReferences: Set<Int>

        /// Seals and hashes `items` (validation is already done): CPU only, no database, no shared
        /// state of its own — only the seal's nonce comes from the process-wide `NonceSource`.
        /// One batch on one core: the importer overlaps it with storing the previous batch on the
        /// other core (BENCHMARKS.md), so splitting a batch over cores would gain nothing there.
        public static func prepare(_ items: [IngestItem], keyring: Keyring) -> PreparedBatch {
            var records: [Record] = []
            var persons: [InszKey] = []
            var positions: [InszKey: Int] = [:]
            var rejections: [Rejection] = []
            var replacements: [(current: Data, previous: Data)] = []
            var first: SourceRecord?
            records.reserveCapacity(items.count)
            for item in items {
                switch item {
                case .record(let record, _):
                    let canonical = RecordCodec.encodedBytes(record)
                    let key = keyring.inszKey(record.insz)
                    let person: Int
                    if let known = positions[key] {
                        person = known
                    } else {
                        person = persons.count
                        positions[key] = person
                        persons.append(key)
                    }
                    records.append(Record(
                        source: record.source.rawValue, recordID: record.recordID, kind: record.kind.rawValue,
                        person: person, hash: keyring.contentHash(canonical), recordedAt: record.recordedAt,
                        payload: keyring.sealRecord(canonical)))
                    if case .person(let person) = record.body, let previous = person.previousINSZ, previous != record.insz {
                        replacements.append((key.data, keyring.inszIndex(previous)))
                    }
                    if first == nil { first = record }
                case .rejected(let rejection):
                    rejections.append(rejection)
                }
            }
            var idsBySource: [String: Set<String>] = [:]
            var positionsByHash: [Int64: [Int]] = [:]
            var firstOfReference: [RecordReference: Int] = [:]
            var shared: Set<Int> = []
            positionsByHash.reserveCapacity(records.count)
            for (position, record) in records.enumerated() {
                idsBySource[record.source, default: []].insert(record.recordID)
                positionsByHash[record.hash, default: []].append(position)
                if let earlier = firstOfReference.updateValue(position, forKey: RecordReference(source: record.source, recordID: record.recordID)) {
                    shared.insert(earlier)
                    shared.insert(position)
                }
            }
            return PreparedBatch(records: records, persons: persons, personPositions: positions, rejections: rejections,
                                 replacements: replacements, items: items.count,
                                 kind: first?.kind ?? rejections.first?.kind, source: first?.source,
                                 recordIDsBySource: idsBySource.map { (source: $0.key, ids: Array($0.value)) },
                                 positionsByHash: positionsByHash, sharedReferences: shared)
        }
    }

    /// Seals and hashes a batch with the store's keyring (see `PreparedBatch.prepare`); safe to run
    /// while the previous batch is stored.
    public func prepare(_ items: [IngestItem]) -> PreparedBatch {
        PreparedBatch.prepare(items, keyring: store.keyring)
    }
}
