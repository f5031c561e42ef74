import Domain
import Foundation

extension Store {
    /// Decides every person as of `date` with `current` and with `alternative`, from their stored
    /// records (every version, as the pipeline reads them, without the "record moved to another
    /// person" correction), a thousand persons at a time; writes nothing but the audit entry
    /// (`policy.simulate`, purpose `policy-analysis`, the number of persons read).
    public func simulatePolicy(current: Policy, alternative: Policy, regions: Regions, on date: LocalDate, by actor: Actor) async throws -> PolicySimulation {
        let now = Decider(policy: current, brusselsProvince: regions.brusselsProvince)
        let other = Decider(policy: alternative, brusselsProvince: regions.brusselsProvince)
        var simulation = PolicySimulation(asOf: date, currentPolicy: current.version, alternativePolicy: alternative.version)
        var after: Int64 = 0
        while true {
            let ids = try await bulk(sql, "SELECT id FROM persons WHERE id > ? ORDER BY id LIMIT 1000", [.integer(after)]).compactMap { $0[0].integer }
            guard let last = ids.last else { break }
            after = last
            let facts = try await facts(ofPersons: ids)
            for id in ids {
                guard let versions = facts[id], let insz = PersonTimeline.insz(of: versions) else { continue }
                let timeline = PersonTimeline(insz: insz, versions: versions)
                simulation.add(current: now.decide(timeline, on: date, withTimer: false),
                               alternative: other.decide(timeline, on: date, withTimer: false),
                               pseudonym: String(keyring.blindIndex(String(id), purpose: .pseudonym).prefix(10)), birthYear: timeline.birthDate.year)
            }
        }
        try await audit(AuditEntry(actor.acting(for: .policyAnalysis), .policySimulated(persons: simulation.persons)))
        return simulation
    }
}
