import Domain
import SQLKit

extension Store {
    /// The funnel from school leavers to open cases, in total and per province — counts only.
    public func funnel() async throws -> Funnel {
        let rows = try await sql.raw("""
            SELECT province, outcome, exclusion, qualified, CASE WHEN left_on IS NULL THEN 0 ELSE 1 END AS left_school,
                   COUNT(*) AS n, MAX(decided_on) AS latest
            FROM decisions
            GROUP BY province, outcome, exclusion, qualified, CASE WHEN left_on IS NULL THEN 0 ELSE 1 END
            """).all()
        var total = Funnel.Row()
        var provinces: [String: Funnel.Row] = [:]
        var latest = ""
        func add(_ key: String, _ update: (inout Funnel.Row) -> Void) {
            update(&total)
            update(&provinces[key, default: Funnel.Row()])
        }
        for row in rows {
            let province = try row.decodeNil(column: "province") ? Funnel.unknownProvince : try row.decode(column: "province", as: String.self)
            let outcome = try row.decode(column: "outcome", as: String.self)
            let exclusion = try row.decodeNil(column: "exclusion") ? nil : try row.decode(column: "exclusion", as: String.self)
            let qualified = try row.decode(column: "qualified", as: Int.self) != 0
            let left = try row.decode(column: "left_school", as: Int.self) != 0
            let n = try row.decode(column: "n", as: Int.self)
            latest = max(latest, try row.decode(column: "latest", as: String.self))
            add(province) { r in
                if left { r.leavers += n }
                if left && !qualified { r.unqualified += n }
                switch outcome {
                case "pending": r.pending += n
                case "not_in_target_group": r.notInTargetGroup[exclusion ?? "unknown", default: 0] += n
                case "eligible": r.eligible += n
                default: break
                }
            }
        }
        // Open cases by the province of their young person's decision (as the rows above), split by
        // whether that decision still says "to be reached", so that every figure reconciles.
        for row in try await sql.raw("""
            SELECT d.province AS province, CASE WHEN d.outcome = 'eligible' THEN 1 ELSE 0 END AS eligible, COUNT(*) AS n
            FROM cases c LEFT JOIN decisions d ON d.person_id = c.person_id
            WHERE c.closed_on IS NULL GROUP BY d.province, CASE WHEN d.outcome = 'eligible' THEN 1 ELSE 0 END
            """).all() {
            let province = try row.decodeNil(column: "province") ? Funnel.unknownProvince : try row.decode(column: "province", as: String.self)
            let n = try row.decode(column: "n", as: Int.self)
            let eligible = try row.decode(column: "eligible", as: Int.self) != 0
            add(province) { r in
                r.openCases += n
                if eligible { r.openCasesEligible += n }
            }
        }
        return Funnel(asOf: LocalDate(iso: latest) ?? LocalDate(ordinal: 0), total: total, provinces: provinces)
    }
}
