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
            let person: InszKey
            let hash: Int64
            let recordedAt: String?
            let payload: Data
        }

        struct NewPerson: Sendable {
            let key: InszKey
        }

        let records: [Record]
        /// The distinct persons of `records`, in the order they first appear.
        let persons: [NewPerson]
        let rejections: [Rejection]
        /// Register records that name the number they replace: (the new number's index, the old one's).
        let replacements: [(current: Data, previous: Data)]
        /// Items read: records and rejections.
        let items: Int
        /// The kind of the first record, else of the first rejection; the source of the first record.
        let kind: RecordKind?
        let source: Source?

        /// Seals and hashes `items` (validation is already done): CPU only, no database, no shared
        /// state of its own — only the seal's nonce comes from the process-wide `NonceSource`.
        /// One batch on one core: the importer overlaps it with storing the previous batch on the
        /// other core (BENCHMARKS.md), so splitting a batch over cores would gain nothing there.
        public static func prepare(_ items: [IngestItem], keyring: Keyring) -> PreparedBatch {
            var records: [Record] = []
            var persons: [NewPerson] = []
            var rejections: [Rejection] = []
            var replacements: [(current: Data, previous: Data)] = []
            var seen: Set<InszKey> = []
            var first: SourceRecord?
            records.reserveCapacity(items.count)
            for item in items {
                switch item {
                case .record(let record, _):
                    let canonical = RecordCodec.encode(record)
                    let key = keyring.inszKey(record.insz)
                    records.append(Record(
                        source: record.source.rawValue, recordID: record.recordID, kind: record.kind.rawValue,
                        person: key, hash: keyring.contentHash(canonical), recordedAt: record.recordedAt,
                        payload: keyring.seal(canonical, context: "source_records.payload")))
                    if seen.insert(key).inserted { persons.append(NewPerson(key: key)) }
                    if case .person(let person) = record.body, let previous = person.previousINSZ, previous != record.insz {
                        replacements.append((key.data, keyring.inszIndex(previous)))
                    }
                    if first == nil { first = record }
                case .rejected(let rejection):
                    rejections.append(rejection)
                }
            }
            return PreparedBatch(records: records, persons: persons, rejections: rejections, replacements: replacements, items: items.count,
                                 kind: first?.kind ?? rejections.first?.kind, source: first?.source)
        }
    }

    /// Seals and hashes a batch with the store's keyring (see `PreparedBatch.prepare`); safe to run
    /// while the previous batch is stored.
    public func prepare(_ items: [IngestItem]) -> PreparedBatch {
        PreparedBatch.prepare(items, keyring: store.keyring)
    }
}
