import ArgumentParser
import Domain
import Foundation
import Storage

/// `vangnet policy …`: the decision policy (docs/policy.md).
struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "policy", abstract: "The decision policy: try an alternative over the stored history.",
                                                    subcommands: [PolicySimulate.self])
}

struct PolicySimulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Decide everyone again as of a date with an alternative policy, side by side with the policy in force; nothing is changed.",
        discussion: "Counts per funnel step, province and month of leaving, and a few anonymised examples (docs/monitoring.md). Audited once (policy.simulate).")

    @Option(help: "The alternative policy (a policy file, docs/policy.md).") var policy: String
    @Option(help: "Decide as of this date (YYYY-MM-DD; default today).") var asOf: String?
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        try await command {
            guard let data = FileManager.default.contents(atPath: policy) else { throw CommandFailure("cannot read \(policy)") }
            let alternative: Policy
            do {
                alternative = try JSONDecoder().decode(Policy.self, from: data).validated()
            } catch let invalid as Policy.Invalid {
                throw CommandFailure("\(policy): \(invalid.description)")
            } catch {
                throw CommandFailure("\(policy): not a policy file (see docs/policy.md)")
            }
            let context = try await AppContext.open()
            let simulation: PolicySimulation
            do {
                let date = try parseDate(asOf, "--as-of") ?? context.configuration.currentDate
                simulation = try await context.store.simulatePolicy(current: context.configuration.policy, alternative: alternative,
                                                                    regions: context.configuration.regions, on: date,
                                                                    by: context.operatorActor(purpose: .policyAnalysis))
            } catch {
                await context.close()
                throw error
            }
            await context.close()
            if json { print(try jsonText(simulation)); return }
            print(Self.render(simulation))
        }
    }

    static func render(_ s: PolicySimulation) -> String {
        func right(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        func line(_ label: String, _ counts: PolicySimulation.Counts, _ key: String) -> String {
            let c = counts.current[key] ?? 0, a = counts.alternative[key] ?? 0
            return label.padding(toLength: 34, withPad: " ", startingAt: 0) + right(grouped(c), 10) + right(grouped(a), 13)
                + right((a - c > 0 ? "+" : "") + grouped(a - c), 12)
        }
        let labels: [(PolicySimulation.Step, String)] = [(.leavers, "Left school"), (.unqualified, "  without a qualification"),
                                                         (.pending, "  pending"), (.notInTargetGroup, "  not in the target group"),
                                                         (.eligible, "  eligible"), (.autoRegister, "    of which auto-register")]
        var out = "Policy simulation as of \(s.asOf.iso): \(grouped(s.persons)) persons decided again, \(grouped(s.changed)) would change\n"
        out += "Current: \(s.currentPolicy)   Alternative: \(s.alternativePolicy)\n\n"
        out += "".padding(toLength: 34, withPad: " ", startingAt: 0) + "   current  alternative  difference\n"
        let reasons = Set(s.exclusions.current.keys).union(s.exclusions.alternative.keys).sorted()
        for (step, label) in labels {
            out += line(label, s.total, step.rawValue) + "\n"
            if step == .notInTargetGroup { for reason in reasons { out += line("    " + reason, s.exclusions, reason) + "\n" } }
        }
        out += "\nEligible per province:\n"
        for province in s.provinces.keys.sorted() { out += line("  " + province, s.provinces[province]!, PolicySimulation.Step.eligible.rawValue) + "\n" }
        out += "\nEligible per month of leaving school:\n"
        for month in s.months.keys.sorted() { out += line("  " + month, s.months[month]!, PolicySimulation.Step.eligible.rawValue) + "\n" }
        if !s.examples.isEmpty {
            out += "\nExamples (pseudonyms):\n"
            for e in s.examples {
                out += "  \(e.pseudonym)  born \(e.birthYear.map(String.init) ?? "?"), \(e.province), left \(e.leftSchool ?? "-"): "
                    + "\(e.current) → \(e.alternative)  (rule \(e.rule))\n"
            }
        }
        return out
    }
}
