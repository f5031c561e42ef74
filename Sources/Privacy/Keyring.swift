import Crypto
import Domain
import Foundation

/// The keys that protect personal data at rest (DESIGN.md §8). They come from configuration — a
/// key file (`VANGNET_KEY_FILE`) or the environment (`VANGNET_KEYS`) — and never from the database.
///
/// - Data keys (AES-256-GCM) encrypt INSZ, names, addresses, contact details, notes and the stored
///   records. Each ciphertext names its key, so a rotated-out key keeps decrypting old rows while the
///   current key encrypts new ones (`vangnet keys rotate`).
/// - The index key (HMAC-SHA256) makes blind indexes: INSZ look-ups, the audit log's subject
///   hashes and the pseudonyms of monitoring, without storing the number itself.
public struct Keyring: Sendable {
    public let currentKeyID: String
    let dataKeys: [String: SymmetricKey]
    let indexKey: SymmetricKey
    /// HMAC with the index key already absorbed: copying it is much cheaper than keying anew, and
    /// the import hashes every record.
    let keyedHMAC: HMAC<SHA256>
    /// SipHash keyed from the index key, for the records' 64-bit content hashes.
    let contentHasher: SipHash24

    public enum Problem: Error, CustomStringConvertible, Equatable {
        case unreadable(String)
        case invalid(String)
        case unknownKey(String)
        case cannotDecrypt

        public var description: String {
            switch self {
            case .unreadable(let why): "the key file cannot be read: \(why)"
            case .invalid(let why): "the keys are invalid: \(why)"
            case .unknownKey(let id): "data encrypted with key '\(id)', which the key file does not hold"
            case .cannotDecrypt: "encrypted data does not decrypt with its key (tampered, or the wrong key file)"
            }
        }
    }

    /// The key file's form: `{"current": "k1", "data_keys": {"k1": "<base64>"}, "index_key": "<base64>"}`.
    public struct File: Codable, Sendable {
        public var current: String
        public var dataKeys: [String: String]
        public var indexKey: String

        enum CodingKeys: String, CodingKey {
            case current
            case dataKeys = "data_keys"
            case indexKey = "index_key"
        }
    }

    public init(file: File) throws(Problem) {
        guard let index = Data(base64Encoded: file.indexKey), index.count >= 32 else {
            throw .invalid("index_key must be at least 32 bytes, base64")
        }
        var keys: [String: SymmetricKey] = [:]
        for (id, text) in file.dataKeys {
            guard !id.isEmpty, id.utf8.count < 64, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
                throw .invalid("key id '\(id)' must be letters, digits and dashes")
            }
            guard let bytes = Data(base64Encoded: text), bytes.count == 32 else {
                throw .invalid("data key '\(id)' must be 32 bytes, base64")
            }
            keys[id] = SymmetricKey(data: bytes)
        }
        guard keys[file.current] != nil else { throw .invalid("current key '\(file.current)' is not among data_keys") }
        currentKeyID = file.current
        dataKeys = keys
        indexKey = SymmetricKey(data: index)
        keyedHMAC = HMAC<SHA256>(key: indexKey)
        var derive = keyedHMAC
        derive.update(data: Data("content-hash-key".utf8))
        contentHasher = SipHash24(key: Array(Data(derive.finalize()).prefix(16)))
    }

    public init(json: Data) throws(Problem) {
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: json) } catch {
            throw .invalid("not a key file (expected current, data_keys, index_key)")
        }
        try self.init(file: file)
    }

    public init(path: String) throws(Problem) {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path) }
        try self.init(json: data)
    }

    /// A new key file with fresh random keys.
    public static func generateFile(keyID: String = "k1") -> File {
        File(current: keyID, dataKeys: [keyID: randomKey()], indexKey: randomKey())
    }

    static func randomKey() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }

    /// Writes a key file readable by its owner only.
    public static func write(_ file: File, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(file)
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw Problem.unreadable("cannot write \(path)")
        }
    }

    /// Adds a new data key and makes it current; the old keys stay for reading.
    /// Writes the file under a temporary name and renames it over `path`, so that a reader never
    /// sees half a key file.
    public static func replace(_ path: String, with file: File) throws {
        let temporary = path + ".new"
        try write(file, to: temporary)
        guard rename(temporary, path) == 0 else { throw Problem.unreadable("cannot replace \(path)") }
    }

    /// The file with one more data key (`k2`, `k3`, …), not yet current: step one of a rotation,
    /// so that every running server can open data sealed with it before anything is.
    public static func addingKey(_ file: File) -> (file: File, keyID: String) {
        var next = file
        var number = file.dataKeys.count + 1
        while file.dataKeys["k\(number)"] != nil { number += 1 }
        next.dataKeys["k\(number)"] = randomKey()
        return (next, "k\(number)")
    }

    /// The file with a new current data key; earlier keys stay to open older data.
    public static func rotated(_ file: File) -> File {
        var (next, id) = addingKey(file)
        next.current = id
        return next
    }

    /// The same blind-index key (the one key that cannot change).
    public func hasSameIndexKey(as other: Keyring) -> Bool {
        blindIndex("index-key-check", purpose: .personKey) == other.blindIndex("index-key-check", purpose: .personKey)
    }

    // MARK: - Encryption

    /// AES-256-GCM. The output is binary and names its key: one byte of key-id length, the key id,
    /// then nonce, ciphertext and tag. `context` (e.g. `persons.insz`) is authenticated, so a
    /// ciphertext cannot be moved to another column.
    public func seal(_ plaintext: some DataProtocol, context: String) -> Data {
        let key = dataKeys[currentKeyID]!
        var context = context
        let box = context.withUTF8 { contextBytes in
            try! AES.GCM.seal(plaintext, using: key, nonce: NonceSource.shared.next(), authenticating: UnsafeRawBufferPointer(contextBytes))
        }
        let combined = box.combined!
        var out = Data()
        let id = currentKeyID.utf8
        out.reserveCapacity(1 + id.count + combined.count)
        out.append(UInt8(id.count))
        out.append(contentsOf: id)
        out.append(combined)
        return out
    }

    public func seal(_ text: String, context: String) -> Data { seal(Data(text.utf8), context: context) }

    public func open(_ sealed: Data, context: String) throws(Problem) -> Data {
        guard let id = Keyring.keyID(of: sealed) else { throw .cannotDecrypt }
        guard let key = dataKeys[id] else { throw .unknownKey(id) }
        let body = sealed.dropFirst(1 + id.utf8.count)
        guard let box = try? AES.GCM.SealedBox(combined: body),
              let plain = try? AES.GCM.open(box, using: key, authenticating: Data(context.utf8)) else {
            throw .cannotDecrypt
        }
        return plain
    }

    public func openText(_ sealed: Data, context: String) throws(Problem) -> String {
        String(decoding: try open(sealed, context: context), as: UTF8.self)
    }

    /// The key id a ciphertext was made with.
    public static func keyID(of sealed: Data) -> String? {
        guard let length = sealed.first, sealed.count > Int(length) + 28 else { return nil }
        let start = sealed.startIndex + 1
        return String(decoding: sealed[start..<(start + Int(length))], as: UTF8.self)
    }

    // MARK: - Blind indexes

    /// A keyed hash for look-ups and joins: `purpose` separates the uses (the same INSZ gives
    /// unrelated values as a look-up key, an audit subject and a monitoring pseudonym).
    public func blindIndex(_ value: String, purpose: BlindIndexPurpose) -> String {
        mac(value, purpose: purpose).withUnsafeBytes { Data($0.prefix(16)) }.hexString
    }

    /// HMAC-SHA256 with the index key of `purpose`, a zero byte and `value`: the one keyed hash
    /// behind every blind index. Made without allocating (the import makes one per record).
    private func mac(_ value: String, purpose: BlindIndexPurpose) -> HMAC<SHA256>.MAC {
        var hmac = keyedHMAC
        var purpose = purpose.rawValue, value = value
        purpose.withUTF8 { hmac.update(data: UnsafeRawBufferPointer($0)) }
        withUnsafeBytes(of: UInt8(0)) { hmac.update(data: $0) }
        value.withUTF8 { hmac.update(data: UnsafeRawBufferPointer($0)) }
        return hmac.finalize()
    }

    /// The persons table's look-up key: 16 bytes of HMAC, stored as binary.
    public func inszIndex(_ insz: INSZ) -> Data { inszKey(insz).data }

    /// The same key as a value (the import's tables hold one per record).
    public func inszKey(_ insz: INSZ) -> InszKey {
        mac(insz.digits, purpose: .inszLookup).withUnsafeBytes { InszKey(first16: $0) }
    }

    /// How the audit log names a person.
    public func auditSubject(_ insz: INSZ) -> String { blindIndex(insz.digits, purpose: .auditSubject) }

    /// A 64-bit keyed hash (SipHash-2-4) of a record's stored text (`RecordCodec.encodedBytes`):
    /// with (source, record id) it identifies a version.
    public func contentHash(_ canonical: [UInt8]) -> Int64 { Int64(bitPattern: canonical.withUnsafeBytes { contentHasher.hash($0) }) }

    /// The audit chain's keyed hash: an attacker with write access to the database cannot recompute it.
    public func chainHash(previous: String, entry: String) -> String {
        var hmac = keyedHMAC
        hmac.update(data: Data("audit-chain".utf8))
        hmac.update(data: [0])
        hmac.update(data: Data(previous.utf8))
        hmac.update(data: [0])
        hmac.update(data: Data(entry.utf8))
        return Data(hmac.finalize()).hexString
    }
}

public enum BlindIndexPurpose: String, Sendable {
    case inszLookup = "insz"
    case auditSubject = "audit-subject"
    case recordContent = "record"
    case pseudonym = "pseudonym"
    case personKey = "person-key"
    case token = "token"
    /// A login name as typed, for throttling and for auditing a name that is no account: people
    /// type their national number there, and an unkeyed hash of it is reversed by trying them all.
    case loginName = "login-name"
    /// A personal answer code (a letter's), looked up without storing it.
    case answerCode = "answer-code"
    /// The answer page's short-lived token naming the case a code opened.
    case answerSession = "answer-session"
    /// An address a letter to the person came back from (with the person's id): no letters there.
    case returnedAddress = "returned-address"
}

extension Data {
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(count * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// GCM nonces as NIST SP 800-38D §8.2.1 describes: a random 8-byte field, fresh per process and
/// every 2^32 nonces, followed by a 4-byte counter. Unique without asking the kernel for randomness
/// at every seal (the import seals two values per record).
final class NonceSource: @unchecked Sendable {  // the lock guards every mutable field
    static let shared = NonceSource()
    private let lock = NSLock()
    private var prefix: UInt64 = 0
    private var counter: UInt32 = 0
    private var fresh = true

    func next() -> AES.GCM.Nonce {
        let (p, c) = lock.withLock {
            if fresh || counter == .max {
                var generator = SystemRandomNumberGenerator()
                prefix = generator.next()
                counter = 0
                fresh = false
            }
            counter += 1
            return (prefix, counter)
        }
        var bytes = [UInt8](repeating: 0, count: 12)
        withUnsafeBytes(of: p.bigEndian) { bytes.replaceSubrange(0..<8, with: $0) }
        withUnsafeBytes(of: c.bigEndian) { bytes.replaceSubrange(8..<12, with: $0) }
        return try! AES.GCM.Nonce(data: bytes)
    }
}
