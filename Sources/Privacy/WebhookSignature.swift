import Crypto
import Foundation

/// Signatures per Standard Webhooks (standardwebhooks.com, "Signature scheme"): the signed content
/// is `<webhook-id>.<webhook-timestamp>.<body>`, signed with HMAC-SHA256 under a secret given as
/// `whsec_` + base64, and sent as `webhook-signature: v1,<base64>` (several, space-separated, when
/// secrets rotate). The registration requests Vangnet sends and the callbacks it receives use it.
public struct WebhookSignature: Sendable {
    let key: SymmetricKey

    /// nil for a secret that is not `whsec_` + base64 of at least 24 bytes.
    public init?(secret: String) {
        guard secret.hasPrefix("whsec_"), let bytes = Data(base64Encoded: String(secret.dropFirst(6))), bytes.count >= 24 else { return nil }
        key = SymmetricKey(data: bytes)
    }

    /// A fresh secret in the scheme's format.
    public static func generateSecret() -> String {
        "whsec_" + Data(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }).base64EncodedString()
    }

    /// `v1,<base64>` for this message.
    public func sign(id: String, timestamp: Int, body: some DataProtocol) -> String {
        var content = Data("\(id).\(timestamp).".utf8)
        content.append(contentsOf: body)
        return "v1," + Data(HMAC<SHA256>.authenticationCode(for: content, using: key)).base64EncodedString()
    }

    /// Whether `header` (one or more `v1,<base64>`) signs this message, and the timestamp is within
    /// `tolerance` seconds of `now` (a replayed old message is refused). Compared in constant time.
    public func verify(id: String, timestamp: Int, body: some DataProtocol, header: String, now: Int, tolerance: Int = 300) -> Bool {
        guard abs(now - timestamp) <= tolerance, !id.isEmpty else { return false }
        var content = Data("\(id).\(timestamp).".utf8)
        content.append(contentsOf: body)
        for candidate in header.split(separator: " ") where candidate.hasPrefix("v1,") {
            guard let mac = Data(base64Encoded: String(candidate.dropFirst(3))) else { continue }
            if HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: content, using: key) { return true }
        }
        return false
    }
}
