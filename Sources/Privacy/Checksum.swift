import Crypto
import Foundation

/// An unkeyed SHA-256, written as lowercase hex: a file's checksum, or the stored form of a
/// random token (which nobody can guess, so it needs no key). A value a person could be guessed
/// from (a national number, a typed login name) goes through `Keyring.blindIndex` instead.
public enum Checksum {
    public static func sha256Hex(_ bytes: some DataProtocol) -> String {
        Data(SHA256.hash(data: bytes)).hexString
    }
}
