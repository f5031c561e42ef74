import Domain
import Foundation
import Storage
import Vapor

/// Policy simulation on a page (docs/monitoring.md): the analyst changes the grace period, the age
/// limit, the "known to VDAB" filter and invite versus automatic registration, and sees everyone
/// decided again as of a date with that policy — side by side with the policy in force, per step,
/// province and month, with a few anonymised examples. Nothing is written but one audit entry.
struct SimulationPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("policy", "simulation", use: form)
        routes.post("policy", "simulation", use: run)
    }

    struct SimulationForm: Content {
        var asOf: String?
        var gracePeriodDays: String?
        var maximumAge: String?
        var knownToVDAB: String?
        var action: String?
        var autoRegisterProvinces: [String]?
    }

    struct Option: Encodable {
        let value: String
        let label: String
        let selected: Bool
    }

    struct Line: Encodable {
        let label: String
        let current: String
        let alternative: String
        let difference: String
    }

    struct Example: Encodable {
        let pseudonym: String
        let born: String
        let province: String
        let left: String
        let current: String
        let alternative: String
        let rule: String
    }

    struct Result: Encodable {
        let persons: String
        let changed: String
        let steps: [Line]
        let exclusions: [Line]
        let provinces: [Line]
        let months: [Line]
        let examples: [Example]
    }

    struct SimulationPage: Encodable {
        let t: TextTable
        let user: UserView?
        let csrf: String
        let current: String
        let asOf: String
        let gracePeriodDays: String
        let maximumAge: String
        let knownToVDAB: [Option]
        let actions: [Option]
        let provinces: [Option]
        let errors: [String]
        let result: Result?
    }

    func form(request: Request) async throws -> View {
        let principal = try request.principal
        try principal.require(.simulatePolicy)
        let policy = request.context.settings.policy
        return try await render(request, principal, form: SimulationForm(
            asOf: request.context.today.typed, gracePeriodDays: String(policy.gracePeriodDays), maximumAge: String(policy.maximumAge),
            knownToVDAB: policy.knownToVDAB.rawValue, action: policy.action.rawValue,
            autoRegisterProvinces: policy.autoRegisterProvinces.map(\.rawValue)), errors: [], result: nil)
    }

    func run(request: Request) async throws -> Response {
        let principal = try request.principal
        try principal.require(.simulatePolicy)
        let form = (try? request.content.decode(SimulationForm.self)) ?? SimulationForm()
        let t = Texts.table(request.language)
        var errors: [String] = []
        var alternative = request.context.settings.policy
        let asOf = TypedDate(form.asOf ?? "").date
        if asOf == nil { errors.append(t["sim_error_date"]!) }
        if let days = Int(form.gracePeriodDays ?? ""), Policy.gracePeriodDaysRange.contains(days) { alternative.gracePeriodDays = days } else { errors.append(t["sim_error_grace"]!) }
        if let age = Int(form.maximumAge ?? ""), Policy.maximumAgeRange.contains(age) { alternative.maximumAge = age } else { errors.append(t["sim_error_age"]!) }
        alternative.knownToVDAB = form.knownToVDAB.flatMap(Policy.KnownToVDAB.init(rawValue:)) ?? alternative.knownToVDAB
        alternative.action = form.action.flatMap(CaseAction.init(rawValue:)) ?? alternative.action
        alternative.autoRegisterProvinces = (form.autoRegisterProvinces ?? []).compactMap(Province.init(rawValue:))
        alternative.name = "simulation"
        guard errors.isEmpty, let asOf else {
            return try await render(request, principal, form: form, errors: errors, result: nil).encodeResponse(status: .unprocessableEntity, for: request)
        }
        let simulation = try await request.context.store.simulatePolicy(current: request.context.settings.policy, alternative: alternative,
                                                                        regions: request.context.settings.regions, on: asOf, by: principal.actor)
        let exact = Permissions.allows(.readExactFigures, for: principal.actor.role)
        return try await render(request, principal, form: form, errors: [], result: result(simulation, request: request, exact: exact))
            .encodeResponse(for: request)
    }

    func result(_ s: PolicySimulation, request: Request, exact: Bool) -> Result {
        let t = Texts.table(request.language)
        let words = request.language.words
        func shown(_ n: Int) -> String { exact ? String(n) : StatusReport.published(n) }
        func line(_ label: String, _ counts: PolicySimulation.Counts, _ step: String) -> Line {
            let c = counts.current[step] ?? 0, a = counts.alternative[step] ?? 0
            // A difference only between counts that are both shown exactly (else it would give a small count away).
            let exactBoth = exact || ((c == 0 || c >= Disclosure.threshold) && (a == 0 || a >= Disclosure.threshold))
            return Line(label: label, current: shown(c), alternative: shown(a), difference: exactBoth ? (a - c > 0 ? "+\(a - c)" : String(a - c)) : "–")
        }
        func outcome(_ o: PolicySimulation.Outcome) -> String {
            switch o.code {
            case "eligible": return o.action == CaseAction.autoRegister.rawValue ? t["sim_outcome_auto_register"]! : t["sim_outcome_invite"]!
            case "not_in_target_group": return t["sim_outcome_excluded"]! + ": " + (o.exclusion.flatMap(Decision.Exclusion.init(rawValue:)).map(words.exclusion) ?? "")
            case "pending": return t["sim_outcome_pending"]! + " " + (o.until.flatMap { LocalDate(iso: $0) }.map(words.date) ?? "")
            default: return t["sim_outcome_not_a_leaver"]!
            }
        }
        let steps = PolicySimulation.Step.allCases.map { line(t["sim_step_" + $0.rawValue]!, s.total, $0.rawValue) }
        let exclusions = Decision.Exclusion.allCases.filter { s.exclusions.current[$0.rawValue] != nil || s.exclusions.alternative[$0.rawValue] != nil }
            .map { line(words.exclusion($0), s.exclusions, $0.rawValue) }
        let provinces = (Province.allCases.map(\.rawValue) + [Funnel.unknownProvince]).filter { s.provinces[$0] != nil }
            .map { line(Province(rawValue: $0)?.name ?? t["dash_unknown"]!, s.provinces[$0]!, PolicySimulation.Step.eligible.rawValue) }
        let labels = DashboardPages.Labels(t: t, words: words, split: .month)
        let months = s.months.keys.sorted().map { line(labels.month($0), s.months[$0]!, PolicySimulation.Step.eligible.rawValue) }
        let examples = s.examples.map { e in
            Example(pseudonym: e.pseudonym, born: e.birthYear.map(String.init) ?? "–", province: Province(rawValue: e.province)?.name ?? t["dash_unknown"]!,
                    left: e.leftSchool.map(labels.month) ?? "–", current: outcome(e.currentOutcome), alternative: outcome(e.alternativeOutcome),
                    rule: t["rule_" + e.rule] ?? e.rule)
        }
        return Result(persons: String(s.persons), changed: shown(s.changed), steps: steps, exclusions: exclusions, provinces: provinces,
                      months: months, examples: examples)
    }

    func render(_ request: Request, _ principal: Principal, form: SimulationForm, errors: [String], result: Result?) async throws -> View {
        let t = Texts.table(request.language)
        let policy = request.context.settings.policy
        let chosen = Set(form.autoRegisterProvinces ?? [])
        let current = [t["sim_current_grace"]! + " " + String(policy.gracePeriodDays), t["sim_current_age"]! + " " + String(policy.maximumAge),
                       t["sim_known_" + policy.knownToVDAB.rawValue]!, t["sim_action_" + policy.action.rawValue]!]
            .joined(separator: " · ")
        return try await request.view.render("simulation", SimulationPage(
            t: t, user: principal.view, csrf: principal.session?.csrfToken ?? "", current: current,
            asOf: form.asOf ?? "", gracePeriodDays: form.gracePeriodDays ?? "", maximumAge: form.maximumAge ?? "",
            knownToVDAB: Policy.KnownToVDAB.allCases.map { Option(value: $0.rawValue, label: t["sim_known_" + $0.rawValue]!, selected: form.knownToVDAB == $0.rawValue) },
            actions: CaseAction.allCases.map { Option(value: $0.rawValue, label: t["sim_action_" + $0.rawValue]!, selected: form.action == $0.rawValue) },
            provinces: Province.allCases.map { Option(value: $0.rawValue, label: $0.name, selected: chosen.contains($0.rawValue)) },
            errors: errors, result: result))
    }
}
