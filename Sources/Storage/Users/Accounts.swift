import Domain
import Foundation
import SQLKit

/// A staff account: who may log in, with which role, for which provinces.
public struct StaffUser: Sendable, Codable, Equatable {
    public var id: Int64
    public var username: String
    public var displayName: String
    public var role: Role
    public var provinces: [Province]
    public var organisation: String?
    public var active: Bool
    public var passwordHash: String?
    /// Sessions started before this instant are no longer valid (set when the account changes).
    public var sessionsValidAfter: String

    init(row: [BulkValue]) {
        id = row[0].integer!
        username = row[1].text!
        displayName = row[2].text!
        role = Role(rawValue: row[3].text!) ?? .analyst
        provinces = (row[4].text ?? "").split(separator: ",").compactMap { Province(rawValue: String($0)) }
        organisation = row[5].text
        active = row[6].integer != 0
        passwordHash = row[7].text
        sessionsValidAfter = row[8].text ?? ""
    }

    static let columns = "id, username, display_name, role, provinces, organisation, active, password_hash, sessions_valid_after"

    public func actor(purpose: Purpose, requestID: String?) -> Actor {
        Actor(username: username, role: role, provinces: provinces, organisation: organisation, purpose: purpose, requestID: requestID)
    }
}

/// A server-side session.
public struct SessionRecord: Sendable, Equatable {
    public var tokenHash: String
    public var userID: Int64
    public var csrfToken: String
    public var language: String
    public var createdAt: String
    public var lastSeenAt: String
}

extension SessionRecord {
    /// Seconds since the session's last request (a time that cannot be read: as if long ago).
    public func secondsIdle(at now: Date) -> Double {
        now.timeIntervalSince(parseStoredTimestamp(lastSeenAt) ?? .distantPast)
    }

    /// Whether the session still opens pages at `now`: within `idleLimit` seconds of its last
    /// request and `absoluteLimit` seconds of the login.
    public func isLive(at now: Date, idleLimit: Double, absoluteLimit: Double) -> Bool {
        secondsIdle(at: now) <= idleLimit && now.timeIntervalSince(parseStoredTimestamp(createdAt) ?? .distantPast) <= absoluteLimit
    }
}

/// An API client's token, as stored (the token itself is never stored).
public struct APIToken: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var role: Role
    public var provinces: [Province]
    public var organisation: String?
}

extension Store {
    // MARK: - Accounts

    /// Creates the account, or updates it (the password only when a hash is given). Changing the
    /// role, provinces or activity ends the account's sessions at once.
    @discardableResult
    public func saveUser(username: String, displayName: String, role: Role, provinces: [Province], organisation: String? = nil,
                         passwordHash: String?, active: Bool = true) async throws -> StaffUser {
        let now = self.timestamp()
        let provinceList = provinces.map(\.rawValue).sorted().joined(separator: ",")
        return try await transaction { sql in
            if let existing = try await self.bulk(sql, "SELECT \(StaffUser.columns) FROM users WHERE username = ?", [.text(username)]).first {
                let user = StaffUser(row: existing)
                let changed = user.role != role || Set(user.provinces) != Set(provinces) || user.active != active
                    || user.organisation != organisation
                _ = try await self.bulk(sql, """
                    UPDATE users SET display_name = ?, role = ?, provinces = ?, organisation = ?, active = ?,
                    password_hash = COALESCE(?, password_hash), updated_at = ?, sessions_valid_after = ? WHERE id = ?
                    """, [.text(displayName), .text(role.rawValue), .text(provinceList), BulkValue(organisation),
                          .integer(active ? 1 : 0), BulkValue(passwordHash), .text(now),
                          .text(changed || passwordHash != nil ? now : user.sessionsValidAfter), .integer(user.id)])
                if changed { try await self.revokeSessions(user: user.id, sql) }
            } else {
                _ = try await self.bulk(sql, """
                    INSERT INTO users (username, display_name, role, provinces, organisation, password_hash, active, created_at,
                    updated_at, sessions_valid_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, [.text(username), .text(displayName), .text(role.rawValue), .text(provinceList), BulkValue(organisation),
                          BulkValue(passwordHash), .integer(active ? 1 : 0), .text(now), .text(now), .text(now)])
            }
            return StaffUser(row: try await self.bulk(sql, "SELECT \(StaffUser.columns) FROM users WHERE username = ?", [.text(username)])[0])
        }
    }

    public func user(username: String) async throws -> StaffUser? {
        try await bulk(sql, "SELECT \(StaffUser.columns) FROM users WHERE username = ?", [.text(username)]).first.map(StaffUser.init(row:))
    }

    public func users() async throws -> [StaffUser] {
        try await bulk(sql, "SELECT \(StaffUser.columns) FROM users ORDER BY username", []).map(StaffUser.init(row:))
    }

    /// Every account's display name by user name, for showing people by name rather than login.
    public func displayNames() async throws -> [String: String] {
        var names: [String: String] = [:]
        for row in try await bulk(reader, "SELECT username, display_name FROM users", []) {
            if let username = row[0].text, let name = row[1].text { names[username] = name }
        }
        return names
    }

    /// Active consultants of a province (for assignment choices).
    public func consultants(in province: Province) async throws -> [StaffUser] {
        try await users().filter { $0.active && $0.role == .consultant && $0.provinces.contains(province) }
    }

    // MARK: - Sessions

    public func createSession(userID: Int64, tokenHash: String, csrfToken: String, language: String) async throws {
        let now = self.timestamp()
        _ = try await bulk(sql, """
            INSERT INTO sessions (token_hash, user_id, csrf_token, language, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)
            """, [.text(tokenHash), .integer(userID), .text(csrfToken), .text(language), .text(now), .text(now)])
    }

    /// The session and its account, if the session is live: not revoked, the account active, and
    /// started after the account last changed.
    public func session(tokenHash: String) async throws -> (SessionRecord, StaffUser)? {
        guard let row = try await bulk(reader, """
            SELECT s.token_hash, s.user_id, s.csrf_token, s.language, s.created_at, s.last_seen_at, s.revoked_at,
                   \(StaffUser.columns.split(separator: ",").map { "u." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", "))
            FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?
            """, [.text(tokenHash)]).first else { return nil }
        let session = SessionRecord(tokenHash: row[0].text!, userID: row[1].integer!, csrfToken: row[2].text!,
                                    language: row[3].text!, createdAt: row[4].text!, lastSeenAt: row[5].text!)
        let user = StaffUser(row: Array(row[7...]))
        guard row[6].text == nil, user.active, session.createdAt >= user.sessionsValidAfter else { return nil }
        return (session, user)
    }

    public func touchSession(tokenHash: String, language: String? = nil) async throws {
        _ = try await bulk(sql, "UPDATE sessions SET last_seen_at = ?, language = COALESCE(?, language) WHERE token_hash = ?",
                           [.text(self.timestamp()), BulkValue(language), .text(tokenHash)])
    }

    public func revokeSession(tokenHash: String) async throws {
        _ = try await bulk(sql, "UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
                           [.text(self.timestamp()), .text(tokenHash)])
    }

    func revokeSessions(user: Int64, _ sql: any SQLDatabase) async throws {
        _ = try await bulk(sql, "UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                           [.text(self.timestamp()), .integer(user)])
    }

    // MARK: - Login throttling

    /// When the key (an account or an address) may try again, if it is locked out now.
    public func loginLockedUntil(_ key: String) async throws -> String? {
        let now = timestamp()
        guard let until = try await bulk(sql, "SELECT locked_until FROM login_failures WHERE key = ?", [.text(key)]).first?[0].text,
              until > now else { return nil }
        return until
    }

    /// Counts a failed login and locks the key out as `throttle` says, with `threshold` failures
    /// allowed. Returns the lock, if any.
    @discardableResult
    public func recordLoginFailure(_ key: String, threshold: Int, throttle: LoginThrottle) async throws -> String? {
        try await transaction { sql in
            let now = self.clock.now()
            let failures = (try await self.bulk(sql, "SELECT failures FROM login_failures WHERE key = ?", [.text(key)]).first?[0].integer ?? 0) + 1
            var until: String?
            if let seconds = throttle.lockSeconds(afterFailures: Int(failures), threshold: threshold) {
                until = storedTimestamp(now.addingTimeInterval(TimeInterval(seconds)))
            }
            _ = try await self.bulk(sql, """
                INSERT INTO login_failures (key, failures, last_failure_at, locked_until) VALUES (?, ?, ?, ?)
                ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, last_failure_at = excluded.last_failure_at,
                locked_until = excluded.locked_until
                """, [.text(key), .integer(failures), .text(storedTimestamp(now)), BulkValue(until)])
            return until
        }
    }

    public func clearLoginFailures(_ key: String) async throws {
        _ = try await bulk(sql, "DELETE FROM login_failures WHERE key = ?", [.text(key)])
    }

    // MARK: - API tokens

    public func saveAPIToken(name: String, tokenHash: String, role: Role, provinces: [Province], organisation: String?) async throws {
        _ = try await bulk(sql, """
            INSERT INTO api_tokens (name, token_hash, role, provinces, organisation, created_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (name) DO UPDATE SET token_hash = excluded.token_hash, role = excluded.role, provinces = excluded.provinces,
            organisation = excluded.organisation, created_at = excluded.created_at, revoked_at = NULL
            """, [.text(name), .text(tokenHash), .text(role.rawValue), .text(provinces.map(\.rawValue).joined(separator: ",")),
                  BulkValue(organisation), .text(self.timestamp())])
    }

    public func apiToken(hash: String) async throws -> APIToken? {
        guard let row = try await bulk(sql, """
            SELECT id, name, role, provinces, organisation FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL
            """, [.text(hash)]).first, let role = Role(rawValue: row[2].text ?? "") else { return nil }
        return APIToken(id: row[0].integer!, name: row[1].text!, role: role,
                        provinces: (row[3].text ?? "").split(separator: ",").compactMap { Province(rawValue: String($0)) },
                        organisation: row[4].text)
    }

    @discardableResult
    public func revokeAPIToken(name: String) async throws -> Bool {
        let rows = try await bulk(sql, "UPDATE api_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL RETURNING id",
                                  [.text(self.timestamp()), .text(name)])
        return !rows.isEmpty
    }

    // MARK: - Event sources

    public func setEventSecret(_ secret: String, for source: Source) async throws {
        _ = try await bulk(sql, """
            INSERT INTO event_sources (source, secret_sealed, created_at) VALUES (?, ?, ?)
            ON CONFLICT (source) DO UPDATE SET secret_sealed = excluded.secret_sealed, created_at = excluded.created_at
            """, [.text(source.rawValue), .blob(keyring.seal(secret, context: "event_sources.secret")), .text(self.timestamp())])
    }

    /// Every source's webhook secret (`whsec_…`), decrypted.
    public func eventSecrets() async throws -> [Source: String] {
        var secrets: [Source: String] = [:]
        for row in try await bulk(sql, "SELECT source, secret_sealed FROM event_sources", []) {
            guard let source = Source(rawValue: row[0].text ?? ""), let sealed = row[1].blob else { continue }
            secrets[source] = try keyring.openText(sealed, context: "event_sources.secret")
        }
        return secrets
    }
}
