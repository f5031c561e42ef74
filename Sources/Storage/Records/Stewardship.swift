import Domain
import Foundation
import SQLKit
import Workflows

/// A source's health, for the data steward.
public struct SourceHealth: Sendable, Codable, Equatable {
    public var source: Source
    public var lastDelivery: String?
    public var deliveries: Int
    public var records: Int
    public var accepted: Int
    public var quarantined: Int
    public var openQuarantine: Int
    /// Hours since the last delivery.
    public var lagHours: Double?

    /// Late by `DeliveryHealth`'s rule.
    public var isStale: Bool { DeliveryHealth.isStale(hoursSinceLastDelivery: lagHours) }
}

/// One quarantined record with its original text (reading it is audited).
public struct QuarantineDetail: Sendable, Codable, Equatable {
    public var entry: QuarantineEntry
    public var original: String
    /// Whether the original is valid UTF-8 (otherwise `original` shows replacement characters).
    public var originalIsText: Bool
    /// The header line of the CSV file the line came from, when it was kept.
    public var header: String?
    /// The probability of the best known person linkage found for it, when it looked.
    public var bestMatch: Double?
}

extension Store {
    public func sourceHealth() async throws -> [SourceHealth] {
        let now = clock.now()
        var health: [Source: SourceHealth] = [:]
        for row in try await bulk(sql, """
            SELECT source, MAX(started_at), COUNT(*), SUM(records), SUM(accepted), SUM(quarantined)
            FROM deliveries WHERE source IS NOT NULL GROUP BY source
            """, []) {
            guard let source = Source(rawValue: row[0].text ?? "") else { continue }
            health[source] = SourceHealth(source: source, lastDelivery: row[1].text, deliveries: Int(row[2].integer ?? 0),
                                          records: Int(row[3].integer ?? 0), accepted: Int(row[4].integer ?? 0),
                                          quarantined: Int(row[5].integer ?? 0), openQuarantine: 0, lagHours: nil)
        }
        for row in try await bulk(sql, "SELECT source, COUNT(*) FROM quarantine WHERE status = 'open' AND source IS NOT NULL GROUP BY source", []) {
            guard let source = Source(rawValue: row[0].text ?? "") else { continue }
            health[source, default: SourceHealth(source: source, lastDelivery: nil, deliveries: 0, records: 0, accepted: 0,
                                                 quarantined: 0, openQuarantine: 0, lagHours: nil)].openQuarantine = Int(row[1].integer ?? 0)
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return Source.allCases.map { source in
            var entry = health[source] ?? SourceHealth(source: source, lastDelivery: nil, deliveries: 0, records: 0, accepted: 0,
                                                       quarantined: 0, openQuarantine: 0, lagHours: nil)
            if let last = entry.lastDelivery, let date = formatter.date(from: last) {
                entry.lagHours = now.timeIntervalSince(date) / 3600
            }
            return entry
        }
    }

    /// Open quarantine entries, filtered by reason and source, and by a text in the message, the
    /// record id or the delivery's name.
    public func searchQuarantine(reason: String?, source: Source?, text: String?, status: String = "open",
                                 limit: Int = 50, before: Int64? = nil) async throws -> [QuarantineEntry] {
        var conditions: [String] = ["q.status = ?"]
        var values: [BulkValue] = [.text(status)]
        if let reason, !reason.isEmpty { conditions.append("q.reason = ?"); values.append(.text(reason)) }
        if let source { conditions.append("q.source = ?"); values.append(.text(source.rawValue)) }
        if let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            conditions.append("(q.message LIKE ? OR q.record_id LIKE ? OR d.name LIKE ?)")
            let like = "%" + text.replacingOccurrences(of: "%", with: "") + "%"
            values += [.text(like), .text(like), .text(like)]
        }
        if let before { conditions.append("q.id < ?"); values.append(.integer(before)) }
        return try await bulk(sql, """
            SELECT q.id, q.received_at, d.name, q.source, q.kind, q.record_id, q.location, q.reason, q.field, q.message,
                   q.original_bytes, q.status
            FROM quarantine q LEFT JOIN deliveries d ON d.id = q.delivery_id
            WHERE \(conditions.joined(separator: " AND ")) ORDER BY q.id DESC LIMIT \(limit)
            """, values).map { row in
            QuarantineEntry(id: row[0].integer!, receivedAt: row[1].text!, delivery: row[2].text ?? "-", source: row[3].text,
                            kind: row[4].text, recordID: row[5].text, location: row[6].text!, reason: row[7].text!,
                            field: row[8].text, message: row[9].text!, originalBytes: Int(row[10].integer ?? 0), status: row[11].text!)
        }
    }

    /// One entry with its original bytes, after writing the audit entry (the original may hold an INSZ).
    public func quarantineDetail(_ id: Int64, actor: Actor) async throws -> QuarantineDetail? {
        var found: QuarantineEntry?
        for status in ["open", "reprocessed", "dismissed", "linked"] where found == nil {
            found = try await searchQuarantine(reason: nil, source: nil, text: nil, status: status, limit: 1, before: id + 1)
                .first { $0.id == id }
        }
        guard let entry = found else { return nil }
        try await audit(AuditEntry(actor, .quarantineRead(id)))
        guard let row = try await bulk(sql, "SELECT original_sealed, header, best_match_ppm FROM quarantine WHERE id = ?", [.integer(id)]).first,
              let sealed = row[0].blob else {
            return nil
        }
        let bytes = try keyring.open(sealed, context: "quarantine.original")
        let text = String(validating: bytes, as: UTF8.self)
        return QuarantineDetail(entry: entry, original: text ?? String(decoding: bytes, as: UTF8.self), originalIsText: text != nil,
                                header: row[1].text, bestMatch: row[2].integer.map { Double($0) / 1_000_000 })
    }
}

/// The steward's use cases' storage (Workflows' ports).
extension Store: QuarantineRepository, RecordDelivery {
    public func quarantinedRecord(_ id: Int64) async throws -> QuarantinedRecord? {
        guard let row = try await bulk(sql, "SELECT status, kind FROM quarantine WHERE id = ?", [.integer(id)]).first else { return nil }
        return QuarantinedRecord(id: id, kind: row[1].text.flatMap(RecordKind.init(rawValue:)), isOpen: row[0].text == "open")
    }

    public func resolve(_ id: Int64, as resolution: QuarantineResolution, audit entry: AuditEntry) async throws {
        try await transaction { sql in
            try await self.audit([entry], on: sql)
            _ = try await self.bulk(sql, "UPDATE quarantine SET status = ?, resolved_at = ?, resolved_by = ? WHERE id = ?",
                                    [.text(resolution.rawValue), .text(self.timestamp()), .text(entry.actor), .integer(id)])
        }
    }

    public func deliver(_ items: [IngestItem], name: String, format: String) async throws -> Int {
        let writer = try await RecordWriter(store: self, channel: .file, name: name, format: format)
        try await writer.write(items)
        try await writer.finish()
        return writer.counts.accepted
    }
}
