import Foundation

/// The persons table's look-up key (`Keyring.inszKey`) as a value: its 16 bytes in two words.
/// The import holds one per record in several tables (who is known, who is new, who a returned row
/// is); as a `Data` each was a heap allocation with reference counting and a generic hash, which
/// profiling put at a tenth of the import's CPU (BENCHMARKS.md).
public struct InszKey: Hashable, Sendable {
    let high: UInt64
    let low: UInt64

    /// The key of a stored blind index; nil unless it has 16 bytes.
    public init?(_ bytes: Data) {
        guard bytes.count == 16 else { return nil }
        self = bytes.withUnsafeBytes { InszKey(first16: $0) }
    }

    /// The first 16 bytes of `raw`, which holds at least that many.
    init(first16 raw: UnsafeRawBufferPointer) {
        var high: UInt64 = 0
        var low: UInt64 = 0
        for i in 0..<8 { high = high << 8 | UInt64(raw[i]) }
        for i in 8..<16 { low = low << 8 | UInt64(raw[i]) }
        self.high = high
        self.low = low
    }

    /// The 16 bytes, as the database stores them.
    public var data: Data {
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<8 {
            bytes[i] = UInt8(truncatingIfNeeded: high >> (56 - 8 * UInt64(i)))
            bytes[8 + i] = UInt8(truncatingIfNeeded: low >> (56 - 8 * UInt64(i)))
        }
        return Data(bytes)
    }
}
