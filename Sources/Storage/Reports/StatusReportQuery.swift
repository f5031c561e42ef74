import Domain
import Foundation

/// What the status report says (docs/monitoring.md, "The status report"), for a period: the five
/// questions a member of parliament asked about the exchange between education and VDAB. Counts
/// only; the figures about young people come from the statistics store (`Dashboard`, protected),
/// the ones about the exchange from the deliveries and the quarantine (no personal data).
public struct StatusReport: Sendable {
    public struct SourceLine: Sendable, Equatable {
        public var source: Source
        /// The first delivery ever: "since when".
        public var since: LocalDate?
        public var lastDelivery: LocalDate?
        public var deliveries: Int
        public var records: Int
        public var accepted: Int
        public var quarantined: Int
        /// No delivery for longer than `DeliveryHealth` allows.
        public var stale: Bool
    }

    public var from: LocalDate
    public var to: LocalDate
    public var today: LocalDate
    /// (1) The sources and their deliveries in the period.
    public var sources: [SourceLine]
    /// (2) Rejected records in the period, by reason (code, count).
    public var quarantineReasons: [(reason: String, count: Int)]
    public var interruptedDeliveries: Int
    /// Requests to the job-seeker system and notices to partners waiting for a person now.
    public var stuckRegistrations: Int
    public var stuckPartnerNotices: Int
    /// (3) and (5): the dashboard of the young people who left school in the period (protected).
    public var dashboard: Dashboard
    /// (3) What was done in the period, by the day it was done: letters, answers, registrations, first contact attempts.
    public var outreach: [(step: String, count: Int)]
    /// (4) Referrals sent in the period, per organisation and lot (as published: `PartnerFigures`).
    public var partners: [PartnerFigures.Line]

    /// A count as published in the report: 1–9 as "<10".
    public static func published(_ n: Int) -> String { Disclosure.published(n) }
}

extension Store {
    /// The status report for `from`…`to` (both included), as of `today`.
    public func statusReport(from: LocalDate, to: LocalDate, today: LocalDate) async throws -> StatusReport {
        let start = from.iso, end = to.adding(days: 1).iso
        var since: [Source: LocalDate] = [:]
        for row in try await bulk(sql, "SELECT source, MIN(started_at) FROM deliveries WHERE source IS NOT NULL GROUP BY source", []) {
            if let source = Source(rawValue: row[0].text ?? ""), let day = row[1].text.flatMap(Self.belgianDay) { since[source] = day }
        }
        var lines: [Source: StatusReport.SourceLine] = [:]
        for row in try await bulk(sql, """
            SELECT source, MAX(started_at), COUNT(*), SUM(records), SUM(accepted), SUM(quarantined) FROM deliveries
            WHERE source IS NOT NULL AND started_at >= ? AND started_at < ? GROUP BY source
            """, [.text(start), .text(end)]) {
            guard let source = Source(rawValue: row[0].text ?? "") else { continue }
            lines[source] = StatusReport.SourceLine(source: source, since: since[source], lastDelivery: row[1].text.flatMap(Self.belgianDay),
                                                    deliveries: Int(row[2].integer ?? 0), records: Int(row[3].integer ?? 0),
                                                    accepted: Int(row[4].integer ?? 0), quarantined: Int(row[5].integer ?? 0), stale: false)
        }
        let health = try await sourceHealth()
        let sources = Source.allCases.compactMap { source -> StatusReport.SourceLine? in
            let stale = health.first { $0.source == source }?.isStale ?? false
            guard var line = lines[source] ?? since[source].map({ StatusReport.SourceLine(source: source, since: $0, lastDelivery: nil, deliveries: 0,
                                                                                         records: 0, accepted: 0, quarantined: 0, stale: false) })
            else { return nil }
            line.stale = stale
            return line
        }
        let reasons = try await bulk(sql, """
            SELECT reason, COUNT(*) FROM quarantine WHERE received_at >= ? AND received_at < ? GROUP BY reason ORDER BY COUNT(*) DESC, reason
            """, [.text(start), .text(end)]).map { (reason: $0[0].text ?? "", count: Int($0[1].integer ?? 0)) }
        let interrupted = try await bulk(sql, "SELECT COUNT(*) FROM deliveries WHERE status = 'interrupted' AND started_at >= ? AND started_at < ?",
                                         [.text(start), .text(end)]).first?.first?.integer ?? 0
        // The qualified leavers without a case only count (most leavers): as the dashboard reads them.
        let rows = try await statistics(qualified: false)
        let filter = StatisticsFilter(from: from, to: to)
        let dashboard = Dashboard(rows: rows, qualifiedCounts: try await qualifiedLeavers(filter, split: .province), filter: filter, split: .province,
                                  today: today, disclosure: true)
        func inPeriod(_ day: LocalDate?) -> Bool { day.map { $0 >= from && $0 <= to } ?? false }
        let outreach: [(String, Int)] = [
            ("case", rows.filter { inPeriod($0.caseOpenedOn) }.count), ("letter", rows.filter { inPeriod($0.firstLetterOn) }.count),
            ("answer", rows.filter { inPeriod($0.firstAnswerOn) }.count), ("first_attempt", rows.filter { inPeriod($0.firstAttemptOn) }.count),
            ("reached", rows.filter { inPeriod($0.firstReachedOn) }.count),
            // Registered by VDAB's doing: after the case opened (a registration before it is "already known to VDAB").
            ("registered", rows.filter { s in inPeriod(s.registeredOn) && s.caseOpenedOn.map { s.registeredOn! >= $0 } ?? false }.count),
            ("referred", rows.filter { inPeriod($0.referredOn) }.count),
        ]
        return StatusReport(
            from: from, to: to, today: today, sources: sources, quarantineReasons: reasons, interruptedDeliveries: Int(interrupted),
            stuckRegistrations: try await registrationCounts()["stuck"] ?? 0, stuckPartnerNotices: try await webhookCounts()["stuck"] ?? 0,
            dashboard: dashboard, outreach: outreach, partners: try await partnerFigures(today: today, from: from, to: to).lines)
    }
}
