import Domain
import Foundation
@testable import Privacy
import Testing

@Suite struct KeyringTests {
    let keyring = try! Keyring(file: Keyring.generateFile())
    static let knownInszIndex = "e958988e53612f8a296e57bfe7e44d34"

    @Test func sealedDataOpensOnlyWithItsContext() throws {
        let sealed = keyring.seal("85073003328", context: "persons.insz")
        #expect(sealed.range(of: Data("85073003328".utf8)) == nil)
        #expect(try keyring.openText(sealed, context: "persons.insz") == "85073003328")
        #expect(throws: Keyring.Problem.cannotDecrypt) { try keyring.open(sealed, context: "other.column") }
        var tampered = sealed
        tampered[tampered.count - 1] ^= 1
        #expect(throws: Keyring.Problem.cannotDecrypt) { try keyring.open(tampered, context: "persons.insz") }
    }

    @Test func everySealUsesAFreshNonce() {
        #expect(keyring.seal("same", context: "c") != keyring.seal("same", context: "c"))
    }

    @Test func aRotatedKeyringStillOpensWhatTheOldKeySealed() throws {
        let file = Keyring.generateFile()
        let old = try Keyring(file: file)
        let sealed = old.seal("note", context: "c")
        let rotated = try Keyring(file: Keyring.rotated(file))
        #expect(rotated.currentKeyID == "k2")
        #expect(try rotated.openText(sealed, context: "c") == "note")
        #expect(Keyring.keyID(of: rotated.seal("x", context: "c")) == "k2")
        #expect(Keyring.keyID(of: sealed) == "k1")
    }

    @Test func blindIndexesAreKeyedAndSeparatedByPurpose() throws {
        let insz = try INSZ("85073003328", today: LocalDate(year: 2026, month: 12, day: 1)!)
        let other = try Keyring(file: Keyring.generateFile())
        #expect(keyring.inszIndex(insz) == keyring.inszIndex(insz))
        #expect(keyring.inszIndex(insz) != other.inszIndex(insz))
        #expect(keyring.auditSubject(insz) != keyring.blindIndex(insz.digits, purpose: .pseudonym))
        #expect(!keyring.auditSubject(insz).contains("85073003328"))
    }

    /// The look-up key made without allocating is the one the database already holds: the first
    /// 16 bytes of HMAC(index key, purpose, 0, digits). A known key gives a known value.
    @Test func theInszKeyIsTheStoredBlindIndex() throws {
        let insz = try INSZ("85073003328", today: LocalDate(year: 2026, month: 12, day: 1)!)
        #expect(keyring.inszIndex(insz).hexString == keyring.blindIndex(insz.digits, purpose: .inszLookup))
        #expect(keyring.inszKey(insz).data == keyring.inszIndex(insz))
        #expect(InszKey(keyring.inszIndex(insz)) == keyring.inszKey(insz))
        #expect(InszKey(Data(count: 15)) == nil)
        let bytes = Data((0..<16).map { UInt8($0 * 17) })
        #expect(InszKey(bytes)?.data == bytes)
        var file = Keyring.generateFile()
        file.indexKey = Data(repeating: 7, count: 32).base64EncodedString()
        let fixed = try Keyring(file: file)
        // HMAC-SHA256(key 32 × 0x07, "insz" 0x00 "85073003328"), its first 16 bytes (Python's hmac).
        #expect(fixed.inszIndex(insz).hexString == Self.knownInszIndex)
        #expect(fixed.blindIndex(insz.digits, purpose: .inszLookup) == Self.knownInszIndex)
    }

    @Test func invalidKeyFilesAreRefusedWithAReason() {
        #expect(throws: Keyring.Problem.self) { try Keyring(json: Data("{}".utf8)) }
        var file = Keyring.generateFile()
        file.current = "missing"
        #expect(throws: Keyring.Problem.invalid("current key 'missing' is not among data_keys")) { try Keyring(file: file) }
    }

    /// The reference vectors of SipHash-2-4 (key 00..0f, messages 00, 00 01, …): the paper's appendix.
    @Test func sipHashMatchesTheReferenceVectors() {
        let hasher = SipHash24(key: Array(0..<16))
        let expected: [UInt64] = [0x726f_db47_dd0e_0e31, 0x74f8_39c5_93dc_67fd, 0x0d6c_8009_d9a9_4f5a, 0x8567_6696_d7fb_7e2d]
        for (length, value) in expected.enumerated() {
            let message = (0..<length).map { UInt8($0) }
            #expect(message.withUnsafeBytes { hasher.hash($0) } == value, "length \(length)")
        }
        let fifteen = (0..<15).map { UInt8($0) }
        #expect(fifteen.withUnsafeBytes { hasher.hash($0) } == 0xa129_ca61_49be_45e5)
    }
}
