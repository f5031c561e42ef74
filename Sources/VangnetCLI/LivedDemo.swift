import Domain
import Foundation
import Ingest
import Letters
import Simulator
import Storage
import Workflows

/// The demo that has lived (issue 11 §7): about eighteen months of Vangnet played day by day on a
/// clock the player moves, so that every chart has a shape and each consultant a caseload. Each
/// day the sources deliver what became known that day (`DailyDeliveries`) and the pipeline
/// decides; on working days the letter batch is made and handed to the mail house, young people
/// answer some letters on the answer page's use case, consultants log contacts, change statuses,
/// refer to partners and close cases on the facts, and partners accept, decline, take in and
/// report back (`CaseLife` decides, at plausible rates). Everything goes through the same use cases
/// as the web pages, so cases, letters, referrals, audit entries and statistics are what they
/// would be after a year and a half of real work. The world answers too: a job the consultant
/// found arrives as a DIMONA declaration, a return to school as an enrolment.
struct LivedDemo {
    /// The store's and every use case's clock while the history plays.
    let manual: ManualClock
    let context: AppContext
    var life: CaseLife
    var memories: [Int64: CaseLife.Memory] = [:]
    /// Letters a young person will answer: on which day, with which code and choice.
    var answers: [(day: LocalDate, code: AnswerCode, choice: AnswerChoice)] = []
    /// What the world will deliver, per day (jobs, re-enrolments).
    var world: [LocalDate: [SourceRecord]] = [:]
    var worldNumber = 0
    var tally = Tally()

    struct Tally {
        var days = 0
        var letters = 0
        var answers = 0
        var contacts = 0
        var closed = 0
        var referrals = 0
        var partnerSteps = 0
        var jobs = 0
        /// Seconds spent per part of the day (`VANGNET_LIVED_DEMO_TIMES=1` prints them).
        var seconds: [String: Double] = [:]
    }

    /// Adds the time since `mark` to `part`, and moves `mark` on.
    mutating func lap(_ part: String, _ mark: inout Date) {
        let now = Date()
        tally.seconds[part, default: 0] += now.timeIntervalSince(mark)
        mark = now
    }

    /// The first day of the history: the first of the month `months` months before `today`.
    static func firstDay(before today: LocalDate, months back: Int) -> LocalDate {
        let (year, month, _) = today.components
        let months = year * 12 + (month - 1) - back
        return LocalDate(year: months / 12, month: months % 12 + 1, day: 1)!
    }

    /// The school years whose pupils the history needs: the one running on `first` through the one
    /// running `today` (its leavers so far).
    static func schoolYears(from first: LocalDate, to today: LocalDate) -> [SchoolYear] {
        let from = SchoolYear(containing: first).startYear, to = SchoolYear(containing: today).startYear
        return (from...to).map { SchoolYear(startYear: $0) }
    }

    /// The simulations of those school years, each with its own range of INSZ serial numbers.
    static func simulations(seed: UInt64, years: [SchoolYear], pupils: Int) -> [Simulation] {
        years.enumerated().map { index, year in
            var simulation = Simulation(seed: seed &+ UInt64(year.startYear), scale: .small, schoolYear: year, pupils: pupils)
            simulation.unqualifiedKnownToVDAB = 0.35
            simulation.serialBase = 220 * index
            return simulation
        }
    }

    init(context: AppContext, manual: ManualClock, seed: UInt64) {
        self.context = context
        self.manual = manual
        life = CaseLife(seed: seed)
    }

    var today: LocalDate { context.configuration.clock.today() }

    /// Moves the clock to `hour`:`minute` (Belgian time) of `day`.
    func set(_ day: LocalDate, hour: Int, minute: Int = 0) {
        manual.set(day.noonInBelgium.addingTimeInterval(TimeInterval((hour - 12) * 3600 + minute * 60)))
    }

    /// Plays every day from `first` through `last`; `progress` hears of each day.
    mutating func play(_ deliveries: [DailyDeliveries.Day], from first: LocalDate, through last: LocalDate,
                       progress: (Int, Int, LocalDate) -> Void) async throws {
        let byDay = Dictionary(uniqueKeysWithValues: deliveries.map { ($0.date, $0.files) })
        let total = first.days(until: last) + 1
        let worldFolder = (deliveries.first?.files.first.map { (($0 as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent }
            ?? NSTemporaryDirectory()) + "/world"
        try FileManager.default.createDirectory(atPath: worldFolder, withIntermediateDirectories: true)
        var day = first
        while day <= last {
            set(day, hour: 7)
            var files = byDay[day] ?? []
            if let records = world.removeValue(forKey: day) {
                files += try Self.writeCSV(records, to: "\(worldFolder)/\(day.iso)")
            }
            var mark = Date()
            if !files.isEmpty { _ = try await Importer(context: context).run(files, runPipeline: false) }
            lap("import", &mark)
            // Linkage of the quarantined records to the register compares every one still unlinked
            // with the whole register, so its cost grows with the history: once, on the last day.
            if day == last { _ = try await context.identityWork.resolve() }
            lap("identity", &mark)
            _ = try await context.pipeline().run()
            lap("pipeline", &mark)
            if HolidayCalendar.flanders.isWorkingDay(day) {
                try await workingDay(day)
            }
            tally.days += 1
            progress(tally.days, total, day)
            day = day.adding(days: 1)
        }
    }

    /// Writes records to one exchange-format file per kind (`<prefix>-<kind>.csv`); returns the paths.
    static func writeCSV(_ records: [SourceRecord], to prefix: String) throws -> [String] {
        try Dictionary(grouping: records, by: \.kind).sorted { $0.key.rawValue < $1.key.rawValue }.map { kind, ofKind in
            let path = "\(prefix)-\(kind.rawValue).csv"
            let text = ExchangeWriter.csvHeader(kind) + "\n" + ofKind.map(ExchangeWriter.csvLine).joined(separator: "\n") + "\n"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
    }

    mutating func workingDay(_ day: LocalDate) async throws {
        let store = context.store
        // 09:00 the steward: the day's letter batch, made and handed to the mail house.
        set(day, hour: 9)
        var mark = Date()
        let steward = Actor(username: "steward", role: .steward, purpose: .caseWork)
        if let batch = try await context.letterBatchWork().make(by: steward).1 {
            _ = try await store.markLetterBatchHandedOver(batch.id, by: steward)
            tally.letters += batch.items.count
            for item in batch.items {
                if let choice = life.answer() {
                    answers.append((day.adding(days: 2 + life.answerDelay()), item.code, choice))
                }
            }
        }
        lap("letters", &mark)
        // 10:00 young people answer on the answer page.
        set(day, hour: 10)
        let answerWork = AnswerWork(answers: store, cases: store, audit: store, clock: context.configuration.clock)
        let due = answers.filter { $0.day <= day }
        answers.removeAll { $0.day <= day }
        for answer in due {
            guard let entry = try await store.answerCode(answer.code), let born = entry.birthDate,
                  case .opened(let opened) = try await answerWork.open(code: answer.code.grouped, birthDate: born.typed, client: "lived-demo", requestID: nil)
            else { continue }
            let wantsCall = answer.choice == .wantsHelp
            try? await answerWork.answer(opened.caseID, .init(choice: answer.choice, text: nil, phone: wantsCall ? "0470 12 34 56" : nil, email: nil,
                                                               moment: wantsCall ? "na 16 uur" : nil, consent: wantsCall),
                                         subject: opened.subject, requestID: nil)
            tally.answers += 1
        }
        lap("answers", &mark)
        // 11:00–14:00 the consultants.
        set(day, hour: 11)
        let caseWork = CaseWork(cases: store, audit: store, clock: context.configuration.clock)
        let organisations = try await store.partnerOrganisations()
        for (index, c) in try await store.openCases(scope: .all, limit: 20_000).enumerated() {
            guard let username = c.consultant else { continue }
            // Through the day, one case after another: 11:00 to 14:00 at most, before the partners.
            if index % 4 == 0 { set(day, hour: 11, minute: min(180, index / 4)) }
            let actor = Actor(username: username, role: .consultant, provinces: c.province.map { [$0] } ?? [], purpose: .caseWork)
            var memory = memories[c.id] ?? CaseLife.Memory()
            for step in life.consultantDay(c, memory: &memory, today: day) {
                do {
                    try await apply(step, to: c, as: actor, caseWork: caseWork, organisations: organisations, on: day)
                } catch is CaseRuleViolation, is CaseStatus.IllegalTransition, is ReferralRuleViolation {
                    // A step the case no longer allows (closed or referred meanwhile): the consultant moves on.
                }
            }
            memories[c.id] = memory
        }
        lap("consultants", &mark)
        // 14:30 the partners.
        set(day, hour: 14, minute: 30)
        for province in Province.allCases {
            guard let organisation = organisations.first(where: { $0.code == PartnerDemo.code(province) }) else { continue }
            let partner = Actor(username: PartnerDemo.account(province), role: .partner, organisation: organisation.code, purpose: .caseWork)
            for referral in try await store.partnerReferrals(organisation: organisation.code) {
                guard let step = life.partnerDay(referral) else { continue }
                let changed = try? await store.changeReferral(referral.id, version: referral.version, access: .organisation(organisation.code),
                                                              by: partner, note: nil, today: day, progress: step == .intake) { current, _ in
                    switch step {
                    case .accept: try current.accepting(on: day)
                    case .decline(let reason): try current.declining(because: reason, on: day)
                    case .intake: try current.recordingIntake(on: day, today: day)
                    case .finish(let outcome): try current.finishing(outcome: outcome, on: day, today: day)
                    }
                }
                guard changed != nil else { continue }
                tally.partnerSteps += 1
                if case .finish(.inWork) = step { try await worldGivesJob(caseID: referral.caseID, on: day) }
            }
        }
        lap("partners", &mark)
    }

    mutating func apply(_ step: CaseLife.Step, to c: Case, as actor: Actor, caseWork: CaseWork, organisations: [PartnerOrganisation],
                        on day: LocalDate) async throws {
        switch step {
        case .contact(let channel, let outcome):
            try await caseWork.logContact(c.id, channel: channel, outcome: outcome, note: nil, by: actor)
            tally.contacts += 1
        case .status(let status, let note):
            guard c.status != status else { return }
            try await caseWork.changeStatus(c.id, to: status, note: note, by: actor)
            if !status.isOpen { tally.closed += 1 }
        case .refer(let offer):
            guard let province = c.province, let organisation = organisations.first(where: { $0.code == PartnerDemo.code(province) }) else { return }
            let scope = actor.scope(for: .workCase)
            for givenBy in [Consent.GivenBy.youngPerson, .parent] {
                let consent = Consent(givenOn: day, channel: .spoken, givenBy: givenBy, extras: [.schoolHistory])
                do {
                    _ = try await context.store.proposeReferral(caseID: c.id, scope: scope, organisationID: organisation.id, lotID: nil, offer: offer,
                                                                reason: "Zoekt werkervaring met begeleiding op maat.", consent: consent,
                                                                ageOfConsent: 18, by: actor, today: day)
                    tally.referrals += 1
                    return
                } catch ReferralRuleViolation.consentByParentRequired {
                    continue
                }
            }
        case .plan(let action, let days):
            try await caseWork.planNextAction(c.id, action: action, due: day.adding(days: days), by: actor)
        case .startsWork:
            try await worldGivesJob(caseID: c.id, on: day)
        case .reEnrols:
            guard let insz = try await insz(ofCase: c.id) else { return }
            worldNumber += 1
            world[day.adding(days: life.between(3, 12)), default: []].append(life.reEnrolment(for: insz, in: c.province, on: day.adding(days: 2),
                                                                                              number: worldNumber))
        }
    }

    /// A job starts a few days from now; DIMONA tells Vangnet the day it starts.
    mutating func worldGivesJob(caseID: Int64, on day: LocalDate) async throws {
        guard let insz = try await insz(ofCase: caseID) else { return }
        worldNumber += 1
        let start = day.adding(days: life.between(3, 15))
        world[start, default: []].append(life.job(for: insz, on: start, number: worldNumber))
        tally.jobs += 1
    }

    /// The young person's INSZ: the world knows who they are (read through the store as an
    /// operator would, audited as a case review).
    func insz(ofCase id: Int64) async throws -> INSZ? {
        let operatorActor = Actor(username: "vangnet", role: .admin, purpose: .caseReview)
        return try await context.store.caseDetails(id, scope: .all, actor: operatorActor)?.insz
    }
}
