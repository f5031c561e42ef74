import ArgumentParser
import Domain
import Foundation
import Storage

struct CaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case", abstract: "Look at cases.", subcommands: [CaseShow.self, CaseList.self])
}

extension AppContext {
    /// The operator at the command line (`USER`, read by the configuration) acts with full rights;
    /// every read of personal data is audited.
    func operatorActor(purpose: Purpose) -> Actor {
        Actor(username: "cli:" + configuration.operatorName, role: .admin, purpose: purpose, requestID: UUID().uuidString)
    }
}

struct CaseShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "The case, the decision with every reason and its source facts, the timeline and the events (audited).")

    @Argument(help: "The case number, e.g. VN-000042.") var caseNumber: String
    @Option(help: "Why you consult this case; recorded in the audit log.") var purpose: Purpose = .caseReview
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        try await command {
            guard let id = CaseNumber.parse(caseNumber) else { throw CommandFailure("'\(caseNumber)' is not a case number (e.g. VN-000042)") }
            let context = try await AppContext.open()
            do {
                guard let details = try await context.store.caseDetails(id, scope: .all, actor: context.operatorActor(purpose: purpose)) else {
                    throw CommandFailure("no case \(CaseNumber.format(id))")
                }
                let report = CaseReport(details, policy: context.configuration.policy, today: context.configuration.currentDate,
                                        retention: context.configuration.retention)
                print(json ? try jsonText(report) : report.text)
            } catch {
                await context.close()
                throw error
            }
            await context.close()
        }
    }
}

struct CaseList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Open cases, newest first (no personal data).")

    @Option(help: "Only this province.") var province: Province?
    @Option(help: "At most this many.") var limit = 20
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        try await command {
            let context = try await AppContext.open()
            do {
                let scope: CaseScope = province.map { .provinces([$0]) } ?? .all
                let cases = try await context.store.openCases(scope: scope, limit: limit)
                if json { print(try jsonText(cases)) } else {
                    for c in cases {
                        print("\(c.number)  \(c.status.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) "
                              + "\((c.province?.name ?? "-").padding(toLength: 16, withPad: " ", startingAt: 0)) "
                              + "\((c.consultant ?? "unassigned").padding(toLength: 28, withPad: " ", startingAt: 0)) opened \(c.openedOn.iso)")
                    }
                    if cases.isEmpty { print("No open cases.") }
                }
            } catch {
                await context.close()
                throw error
            }
            await context.close()
        }
    }
}

extension Province: ExpressibleByArgument {}
extension Purpose: ExpressibleByArgument {}

/// A case as the command line shows it.
struct CaseReport: Encodable {
    struct Line: Encodable {
        var rule: String
        var explanation: String
        var facts: [String]
    }

    struct FactLine: Encodable {
        var source: String
        var recordID: String
        var kind: String
        var sequence: Int64
        var summary: String
    }

    var number: String
    var status: String
    var action: String
    var province: String?
    var consultant: String?
    var openedOn: String
    var dueOn: String?
    var suggestion: String?
    var insz: String
    var name: String?
    var address: String?
    var outcome: String?
    var decidedOn: String?
    var policyVersion: String?
    var reasons: [Line]
    var facts: [FactLine]
    var events: [EventLine]

    struct EventLine: Encodable {
        var at: String
        var kind: String
        var actor: String
        var data: [String: String]
        var note: String?
    }

    /// The case projection, in English words with the codes an operator greps for.
    init(_ file: CaseFile, policy: Policy, today: LocalDate, retention: RetentionPolicy) {
        let view = CaseProjection(file, today: today, retention: retention)
        let words = English()
        let s = view.summary
        number = s.number
        status = s.status.rawValue
        action = s.action.rawValue
        province = s.province?.name
        consultant = s.consultant
        openedOn = s.openedOn.iso
        dueOn = s.dueOn?.iso
        suggestion = s.suggestion?.rawValue
        insz = view.person.insz.formatted
        name = view.person.name
        address = view.person.address
        outcome = view.decision.map { words.decisionOutcome($0.outcome) }
        decidedOn = view.decision?.decidedOn.iso
        policyVersion = view.decision?.policyVersion
        reasons = view.reasons.map { reason in
            Line(rule: reason.rule.rawValue, explanation: words.reason(reason, policy: policy),
                 facts: reason.facts.map { "\($0.source.rawValue) \($0.recordID)" })
        }
        facts = view.facts.map { FactLine(source: $0.record.source.rawValue, recordID: $0.record.recordID,
                                          kind: $0.record.kind.rawValue, sequence: $0.reference.sequence,
                                          summary: words.fact($0.record)) }
        events = view.history.reversed().map { EventLine(at: $0.at, kind: $0.kind, actor: $0.actor, data: $0.data, note: $0.note) }
    }

    var text: String {
        var out = ["Case \(number): \(status) (\(action)), \(province ?? "no province"), \(consultant ?? "unassigned")",
                   "Opened \(openedOn)" + (dueOn.map { ", next action due \($0)" } ?? "") + (suggestion.map { ", suggestion: \($0)" } ?? ""),
                   "",
                   "Person: \(name ?? "(not in the register)"), INSZ \(insz)"]
        if let address { out.append("Address: \(address)") }
        out.append("")
        out.append("Decision: \(outcome ?? "none") (decided \(decidedOn ?? "-"), policy \(policyVersion ?? "-"))")
        for (index, reason) in reasons.enumerated() {
            out.append("  \(index + 1). [\(reason.rule)] \(reason.explanation)"
                       + (reason.facts.isEmpty ? "" : "  ← " + reason.facts.joined(separator: "; ")))
        }
        out.append("")
        out.append("Facts (current version of each record):")
        for fact in facts { out.append("  \(fact.source) \(fact.recordID) #\(fact.sequence): \(fact.summary)") }
        out.append("")
        out.append("Events:")
        for event in events {
            let data = event.data.keys.sorted().map { "\($0)=\(event.data[$0]!)" }.joined(separator: " ")
            out.append("  \(event.at) \(event.kind) by \(event.actor) \(data)" + (event.note.map { " — \($0)" } ?? ""))
        }
        return out.joined(separator: "\n")
    }
}
