import Domain
import Foundation

/// The tender partners' figures (docs/partners.md, "Monitoring"): per organisation and lot, over
/// all referrals sent to it — how many, accepted and declined, the acceptance rate, the median
/// working days to answer and to the intake, answers overdue now, capacity used this quarter,
/// the outcomes the partner reported, and the outcomes 3, 6 and 12 months (91, 182, 365 days)
/// after the referral was done as the facts say (a DIMONA job, an enrolment, a job-seeker
/// registration on that day). No names or national numbers; every count below 10 is shown as
/// "<10", a rate or median over fewer than 10 referrals is not shown, and the outcomes the partner
/// reported — which add up to the referrals done, shown in the chart — go through the results'
/// disclosure control (`Disclosure.protect`: secondary suppression), so that no small count can be
/// computed back from the done total.
public struct PartnerFigures: Sendable {
    public static let smallCount = Disclosure.threshold

    /// A count as published: the number from `smallCount` up, else "<10".
    public static func published(_ count: Int) -> String { count >= smallCount ? String(count) : "<\(smallCount)" }

    public struct Line: Sendable, Codable, Equatable {
        public var organisation: String
        public var kind: String
        public var lot: String
        public var provinces: String
        public var sent: String
        public var accepted: String
        public var declined: String
        public var acceptanceRate: String
        public var medianDaysToAnswer: String
        public var medianDaysToIntake: String
        public var overdue: String
        public var capacityUsed: String
        public var reportedInWork: String
        public var reportedInEducation: String
        public var reportedOther: String
        /// "in work / in education / registered" per the facts, of the done referrals old enough.
        public var facts3Months: String
        public var facts6Months: String
        public var facts12Months: String
        /// The bars of the lot's chart: sent, accepted, declined, done — each as published, with
        /// its length as a share of the longest (a count below 10 gets a short stub, not its length).
        public var bars: [Bar]
    }

    public struct Bar: Sendable, Codable, Equatable {
        public var step: String
        public var value: String
        public var share: Double
    }

    static func bars(_ counts: [(String, Int)]) -> [Bar] {
        let longest = Double(max(counts.map(\.1).filter { $0 >= smallCount }.max() ?? smallCount, smallCount))
        return counts.map { step, n in Bar(step: step, value: published(n), share: n >= smallCount ? Double(n) / longest : 0.04) }
    }

    public var lines: [Line]

    static func median(_ values: [Int]) -> Int? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        return sorted[(sorted.count - 1) / 2]
    }

    static func workingDays(from start: LocalDate, to end: LocalDate) -> Int {
        var days = 0
        var day = start
        while day < end {
            day = day.adding(days: 1)
            if HolidayCalendar.flanders.isWorkingDay(day) { days += 1 }
        }
        return days
    }

    public static func csv(_ lines: [Line]) -> String {
        let header = ["organisation", "kind", "lot", "provinces", "sent", "accepted", "declined", "acceptance_rate", "median_working_days_to_answer",
                      "median_working_days_to_intake", "overdue", "capacity_used_this_quarter", "reported_in_work", "reported_in_education",
                      "reported_other", "facts_3_months", "facts_6_months", "facts_12_months"]
        func field(_ text: String) -> String {
            text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        return ([header.joined(separator: ",")] + lines.map { l in
            [l.organisation, l.kind, l.lot, l.provinces, l.sent, l.accepted, l.declined, l.acceptanceRate, l.medianDaysToAnswer, l.medianDaysToIntake,
             l.overdue, l.capacityUsed, l.reportedInWork, l.reportedInEducation, l.reportedOther, l.facts3Months, l.facts6Months, l.facts12Months]
                .map(field).joined(separator: ",")
        }).joined(separator: "\n") + "\n"
    }
}

extension Store {
    /// The figures over the referrals sent from `from` to `to` (both included; nil: no bound), of
    /// the cases in `provinces` (nil: all; a team lead's own).
    public func partnerFigures(today: LocalDate, from: LocalDate? = nil, to: LocalDate? = nil,
                               provinces: [Province]? = nil) async throws -> PartnerFigures {
        let organisations = try await partnerOrganisations()
        let lots = try await partnerLots()
        var persons: [Int64: Int64] = [:]
        var caseProvinces: [Int64: Province] = [:]
        for row in try await bulk(sql, "SELECT r.case_id, c.person_id, c.province FROM referrals r JOIN cases c ON c.id = r.case_id", []) {
            persons[row[0].integer!] = row[1].integer ?? 0
            caseProvinces[row[0].integer!] = row[2].text.flatMap(Province.init(rawValue:))
        }
        let referrals = try await bulk(sql, "SELECT \(Self.referralColumns) FROM referrals WHERE status <> 'proposed' ORDER BY id", []).compactMap(referral)
            .filter { r in
                guard let sent = r.sentOn else { return false }
                if let provinces, !(caseProvinces[r.caseID].map(provinces.contains) ?? false) { return false }
                return (from.map { sent >= $0 } ?? true) && (to.map { sent <= $0 } ?? true)
            }
        let quarterStart = LocalDate(year: today.components.year, month: ((today.components.month - 1) / 3) * 3 + 1, day: 1)!
        var timelines: [Int64: PersonTimeline] = [:]
        func timeline(_ personID: Int64) async throws -> PersonTimeline? {
            if let known = timelines[personID] { return known }
            let facts = try await personFacts(personID)
            guard let insz = PersonTimeline.insz(of: facts) else { return nil }
            let t = PersonTimeline(insz: insz, versions: facts)
            timelines[personID] = t
            return t
        }
        func situation(_ t: PersonTimeline, on day: LocalDate) -> (work: Bool, education: Bool, registered: Bool) {
            (t.employments.contains { $0.1.covers(day) }, t.enrolments.contains { $0.1.covers(day) }, t.registrations.contains { $0.1.isActive(on: day) })
        }
        var lines: [PartnerFigures.Line] = []
        // The partner's reported outcomes per line (in work, in education, other), adding up to done.
        var reported: [[Int]] = []
        var doneCounts: [Int] = []
        let groups = Dictionary(grouping: referrals) { "\($0.organisationID)|\($0.lotID.map(String.init) ?? "")" }
        for key in groups.keys.sorted() {
            let group = groups[key]!
            guard let first = group.first, let organisation = organisations.first(where: { $0.id == first.organisationID }) else { continue }
            let lot = first.lotID.flatMap { id in lots.first { $0.id == id } }
            let answered = group.filter { $0.answeredOn != nil && $0.sentOn != nil }
            let accepted = group.filter { [.accepted, .done].contains($0.status) || ($0.status == .revoked && $0.answeredOn != nil && $0.declineReason == nil) }
            let declined = group.filter { $0.status == .declined }
            let toAnswer = answered.map { PartnerFigures.workingDays(from: $0.sentOn!, to: $0.answeredOn!) }
            let toIntake = group.compactMap { r in r.intakeOn.flatMap { intake in r.sentOn.map { PartnerFigures.workingDays(from: $0, to: intake) } } }
            let thisQuarter = accepted.filter { ($0.answeredOn ?? $0.proposedOn) >= quarterStart }.count
            let done = group.filter { $0.status == .done }
            var facts: [Int: (Int, Int, Int, Int)] = [:]
            for months in [3, 6, 12] {
                var counts = (0, 0, 0, 0)
                for r in done {
                    guard let outcomeOn = r.outcomeOn, let person = persons[r.caseID] else { continue }
                    let day = outcomeOn.adding(days: months == 3 ? 91 : months == 6 ? 182 : 365)
                    guard day <= today, let t = try await timeline(person) else { continue }
                    let s = situation(t, on: day)
                    counts.0 += 1
                    if s.work { counts.1 += 1 }
                    if s.education { counts.2 += 1 }
                    if s.registered { counts.3 += 1 }
                }
                facts[months] = counts
            }
            func factsText(_ months: Int) -> String {
                let c = facts[months] ?? (0, 0, 0, 0)
                guard c.0 > 0 else { return "–" }
                return "\(PartnerFigures.published(c.0)) (\(PartnerFigures.published(c.1)) / \(PartnerFigures.published(c.2)) / \(PartnerFigures.published(c.3)))"
            }
            let enough = answered.count >= PartnerFigures.smallCount
            let inWork = done.filter { $0.outcome == .inWork }.count
            let inEducation = done.filter { $0.outcome == .inEducation }.count
            reported.append([inWork, inEducation, done.count - inWork - inEducation])
            doneCounts.append(done.count)
            lines.append(PartnerFigures.Line(
                organisation: organisation.name, kind: organisation.kind.rawValue, lot: lot?.programme ?? "–",
                provinces: (lot?.provinces ?? organisation.provinces).map(\.name).joined(separator: ", "),
                sent: PartnerFigures.published(group.count), accepted: PartnerFigures.published(accepted.count),
                declined: PartnerFigures.published(declined.count),
                acceptanceRate: enough ? String(format: "%.0f%%", 100 * Double(accepted.count) / Double(max(1, answered.count))) : "–",
                medianDaysToAnswer: enough ? PartnerFigures.median(toAnswer).map(String.init) ?? "–" : "–",
                medianDaysToIntake: toIntake.count >= PartnerFigures.smallCount ? PartnerFigures.median(toIntake).map(String.init) ?? "–" : "–",
                overdue: PartnerFigures.published(group.filter { $0.isOverdue(on: today) }.count),
                capacityUsed: lot.map { "\(PartnerFigures.published(thisQuarter)) / \($0.capacityPerQuarter)" } ?? "–",
                reportedInWork: PartnerFigures.published(done.filter { $0.outcome == .inWork }.count),
                reportedInEducation: PartnerFigures.published(done.filter { $0.outcome == .inEducation }.count),
                reportedOther: PartnerFigures.published(done.filter { $0.outcome != .inWork && $0.outcome != .inEducation }.count),
                facts3Months: factsText(3), facts6Months: factsText(6), facts12Months: factsText(12),
                bars: PartnerFigures.bars([("sent", group.count), ("accepted", accepted.count), ("declined", declined.count), ("done", done.count)])))
        }
        // Secondary suppression over the reported outcomes and their total (the chart's "done").
        let protected = Disclosure.protect(reported, columns: 3, rowTotals: true, columnTotals: false)
        for index in lines.indices where !protected.withheld {
            let cells = protected.cells[index]
            lines[index].reportedInWork = cells[0].text
            lines[index].reportedInEducation = cells[1].text
            lines[index].reportedOther = cells[2].text
            if let done = protected.rowTotals?[index], let bar = lines[index].bars.firstIndex(where: { $0.step == "done" }) {
                lines[index].bars[bar].value = done.text
                if done.value == nil { lines[index].bars[bar].share = 0.04 }
            }
        }
        if protected.withheld {
            for index in lines.indices {
                lines[index].reportedInWork = "×"; lines[index].reportedInEducation = "×"; lines[index].reportedOther = "×"
            }
        }
        return PartnerFigures(lines: lines)
    }
}
