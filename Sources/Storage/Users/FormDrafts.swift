import Domain
import Foundation

/// Form drafts: the fields of a form posted after the session expired (a note, a contact), sealed,
/// bound to the user, taken back once (`takeFormDraft`) when they are logged in again. Retention
/// removes what nobody came back for after a day.
extension Store {
    /// How long a draft waits for its user.
    public static let formDraftSeconds: TimeInterval = 86_400

    /// Keeps `fields` (without the CSRF token) for `username`; `tokenHash` names it.
    public func saveFormDraft(tokenHash: String, username: String, path: String, fields: [String: String]) async throws {
        let json = String(decoding: try JSONEncoder().encode(fields), as: UTF8.self)
        _ = try await bulk(sql, "INSERT INTO form_drafts (token_hash, username, path, fields_sealed, created_at) VALUES (?, ?, ?, ?, ?)",
                           [.text(tokenHash), .text(username), .text(path), .blob(keyring.seal(json, context: "form_drafts.fields")),
                            .text(timestamp())])
    }

    /// The draft of this token if it is `username`'s and not older than a day, removed as it is
    /// read: a draft comes back once.
    public func takeFormDraft(tokenHash: String, username: String) async throws -> (path: String, fields: [String: String])? {
        let cutoff = storedTimestamp(clock.now().addingTimeInterval(-Self.formDraftSeconds))
        return try await transaction { sql in
            guard let row = try await self.bulk(sql, "SELECT path, fields_sealed FROM form_drafts WHERE token_hash = ? AND username = ? AND created_at >= ?",
                                                [.text(tokenHash), .text(username), .text(cutoff)]).first,
                  let sealed = row[1].blob else { return nil }
            _ = try await self.bulk(sql, "DELETE FROM form_drafts WHERE token_hash = ?", [.text(tokenHash)])
            // A draft sealed under a key that is gone since is lost, not an error.
            guard let json = try? self.keyring.openText(sealed, context: "form_drafts.fields") else { return nil }
            let fields = (try? JSONDecoder().decode([String: String].self, from: Data(json.utf8))) ?? [:]
            return (row[0].text ?? "", fields)
        }
    }
}
