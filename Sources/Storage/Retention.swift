import Domain
import Foundation
import SQLKit

/// What a retention run did (or, in a dry run, would do).
public struct RetentionReport: Sendable, Codable, Equatable {
    public var asOf: String
    public var dryRun: Bool
    public var recordsDeleted = 0
    public var quarantineDeleted = 0
    public var casesAnonymised = 0
    public var notesRemoved = 0
    public var auditEntriesDeleted = 0
    /// Throttling rows (an account name or a client address) a day after their last failure.
    public var loginFailuresDeleted = 0

    enum CodingKeys: String, CodingKey {
        case asOf = "as_of"
        case dryRun = "dry_run"
        case recordsDeleted = "records_deleted"
        case quarantineDeleted = "quarantine_deleted"
        case casesAnonymised = "cases_anonymised"
        case notesRemoved = "notes_removed"
        case auditEntriesDeleted = "audit_entries_deleted"
        case loginFailuresDeleted = "login_failures_deleted"
    }
}

extension Store {
    /// Purges or anonymises what has passed its retention period on `today`, in one transaction,
    /// and logs what it did. Counts for statistics stay: decisions (pseudonymous) and case rows
    /// (status, province, dates) are kept, without their link to the person once anonymised.
    public func applyRetention(_ policy: RetentionPolicy, today: LocalDate, dryRun: Bool, actor: Actor) async throws -> RetentionReport {
        let quarantineCutoff = today.adding(days: -policy.quarantineDays).iso
        let casesCutoff = today.adding(days: -policy.closedCasesDays).iso
        let recordsCutoff = today.adding(days: -policy.rawRecordsDays).iso
        let auditCutoff = today.adding(days: -policy.auditDays).iso
        return try await transaction { sql in
            var report = RetentionReport(asOf: today.iso, dryRun: dryRun)
            func count(_ query: String, _ values: [BulkValue]) async throws -> Int {
                Int(try await self.bulk(sql, query, values).first?[0].integer ?? 0)
            }
            // Persons whose data must stay: an open case, or a case closed within its period.
            let live = "SELECT person_id FROM cases WHERE closed_on IS NULL OR closed_on >= ?"

            report.quarantineDeleted = try await count("SELECT COUNT(*) FROM quarantine WHERE received_at < ?", [.text(quarantineCutoff)])
            report.casesAnonymised = try await count("SELECT COUNT(*) FROM cases WHERE closed_on IS NOT NULL AND closed_on < ? AND person_id <> \(Store.anonymisedPerson)",
                                                     [.text(casesCutoff)])
            report.notesRemoved = try await count("""
                SELECT COUNT(*) FROM case_events WHERE note_sealed IS NOT NULL AND case_id IN
                (SELECT id FROM cases WHERE closed_on IS NOT NULL AND closed_on < ?)
                """, [.text(casesCutoff)])
            report.recordsDeleted = try await count("""
                SELECT COUNT(*) FROM source_records WHERE delivery_id IN (SELECT id FROM deliveries WHERE started_at < ?)
                AND person_id NOT IN (\(live))
                """, [.text(recordsCutoff), .text(casesCutoff)])
            report.auditEntriesDeleted = try await count("SELECT COUNT(*) FROM audit_log WHERE at < ?", [.text(auditCutoff)])
            // Lock-outs last at most a day; after that a throttling row only keeps an address.
            let now = self.timestamp()
            let failuresCutoff = storedTimestamp(self.clock.now().addingTimeInterval(-86_400))
            let staleFailures = "FROM login_failures WHERE last_failure_at < ? AND (locked_until IS NULL OR locked_until < ?)"
            report.loginFailuresDeleted = try await count("SELECT COUNT(*) " + staleFailures, [.text(failuresCutoff), .text(now)])

            if !dryRun {
                _ = try await self.bulk(sql, "DELETE FROM quarantine WHERE received_at < ?", [.text(quarantineCutoff)])
                _ = try await self.bulk(sql, "DELETE " + staleFailures, [.text(failuresCutoff), .text(now)])
                // Drafts of forms posted after a session expired, that nobody came back for.
                _ = try await self.bulk(sql, "DELETE FROM form_drafts WHERE created_at < ?", [.text(failuresCutoff)])
                _ = try await self.bulk(sql, """
                    UPDATE case_events SET note_sealed = NULL, data = '{}' WHERE case_id IN
                    (SELECT id FROM cases WHERE closed_on IS NOT NULL AND closed_on < ?) AND kind IN ('contact', 'note', 'status', 'next_action')
                    """, [.text(casesCutoff)])
                // Letters of those cases: their text goes (names, addresses); codes past their time go.
                _ = try await self.bulk(sql, """
                    UPDATE letters SET content_sealed = ? WHERE case_id IN (SELECT id FROM cases WHERE closed_on IS NOT NULL AND closed_on < ?)
                    """, [.blob(Data()), .text(casesCutoff)])
                _ = try await self.bulk(sql, "DELETE FROM answer_codes WHERE valid_until < ?", [.text(today.iso)])
                _ = try await self.bulk(sql, """
                    DELETE FROM returned_addresses WHERE person_id IN (SELECT person_id FROM cases WHERE closed_on IS NOT NULL AND closed_on < ?)
                    AND person_id NOT IN (\(live))
                    """, [.text(casesCutoff), .text(casesCutoff)])
                _ = try await self.bulk(sql, "UPDATE cases SET person_id = \(Store.anonymisedPerson) WHERE closed_on IS NOT NULL AND closed_on < ?", [.text(casesCutoff)])
                let emptied = try await self.bulk(sql, """
                    SELECT DISTINCT person_id FROM source_records WHERE delivery_id IN (SELECT id FROM deliveries WHERE started_at < ?)
                    AND person_id NOT IN (\(live))
                    """, [.text(recordsCutoff), .text(casesCutoff)]).compactMap { $0[0].integer }
                _ = try await self.bulk(sql, """
                    DELETE FROM source_records WHERE delivery_id IN (SELECT id FROM deliveries WHERE started_at < ?)
                    AND person_id NOT IN (\(live))
                    """, [.text(recordsCutoff), .text(casesCutoff)])
                for chunk in emptied.chunked(into: 500) {
                    // Without their records these persons are not decided again.
                    _ = try await self.bulk(sql, "DELETE FROM schedule WHERE person_id IN (\(Store.list(chunk.count)))", chunk.map { .integer($0) })
                }
                if report.auditEntriesDeleted > 0,
                   let last = try await self.bulk(sql, "SELECT seq, hash FROM audit_log WHERE at < ? ORDER BY seq DESC LIMIT 1",
                                                  [.text(auditCutoff)]).first {
                    // The chain now starts after the last purged entry: its hash is the anchor.
                    _ = try await self.bulk(sql, "UPDATE audit_anchor SET seq = ?, hash = ? WHERE id = 1", [last[0], last[1]])
                    _ = try await self.bulk(sql, "DELETE FROM audit_log WHERE seq <= ?", [last[0]])
                }
            }
            let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
            _ = try await self.bulk(sql, "INSERT INTO retention_runs (at, dry_run, report) VALUES (?, ?, ?)",
                                    [.text(self.timestamp()), .integer(dryRun ? 1 : 0), .text(json)])
            let purging = actor.acting(for: .retention)
            try await self.audit([AuditEntry(purging, .retentionRun(dryRun: dryRun))], on: sql)
            return report
        }
    }
}

extension Store {
    /// The person of an anonymised case: no person has it (ids start at 1).
    static let anonymisedPerson: Int64 = 0
}
