/// SipHash-2-4 (Aumasson & Bernstein, 2012): a keyed pseudo-random function with a 64-bit output,
/// made for short inputs. Used for the records' content hashes, where a keyed HMAC-SHA256 per
/// record was a tenth of the import's time. Written here because no available package offers it;
/// checked against the reference test vectors (PrivacyTests).
struct SipHash24 {
    let k0: UInt64
    let k1: UInt64

    init(key: [UInt8]) {
        precondition(key.count == 16)
        func word(_ offset: Int) -> UInt64 { (0..<8).reduce(UInt64(0)) { $0 | UInt64(key[offset + $1]) << (8 * UInt64($1)) } }
        k0 = word(0)
        k1 = word(8)
    }

    func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var v0: UInt64 = 0x736f_6d65_7073_6575 ^ k0
        var v1: UInt64 = 0x646f_7261_6e64_6f6d ^ k1
        var v2: UInt64 = 0x6c79_6765_6e65_7261 ^ k0
        var v3: UInt64 = 0x7465_6462_7974_6573 ^ k1

        @inline(__always) func round() {
            v0 &+= v1; v1 = (v1 << 13) | (v1 >> 51); v1 ^= v0; v0 = (v0 << 32) | (v0 >> 32)
            v2 &+= v3; v3 = (v3 << 16) | (v3 >> 48); v3 ^= v2
            v0 &+= v3; v3 = (v3 << 21) | (v3 >> 43); v3 ^= v0
            v2 &+= v1; v1 = (v1 << 17) | (v1 >> 47); v1 ^= v2; v2 = (v2 << 32) | (v2 >> 32)
        }

        let count = bytes.count
        let whole = count & ~7
        var index = 0
        while index < whole {
            var m: UInt64 = 0
            for i in 0..<8 { m |= UInt64(bytes[index + i]) << (8 * UInt64(i)) }
            v3 ^= m
            round(); round()
            v0 ^= m
            index += 8
        }
        var last = UInt64(count & 0xFF) << 56
        for i in 0..<(count - whole) { last |= UInt64(bytes[whole + i]) << (8 * UInt64(i)) }
        v3 ^= last
        round(); round()
        v0 ^= last
        v2 ^= 0xFF
        round(); round(); round(); round()
        return v0 ^ v1 ^ v2 ^ v3
    }
}
