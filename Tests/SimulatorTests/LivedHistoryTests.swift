import Domain
import Foundation
import Ingest
@testable import Simulator
import Testing

/// The lived demo's two simulator parts: the sources delivered day by day, and the people's behaviour.
@Suite struct LivedHistoryTests {
    static let first = LocalDate(year: 2025, month: 6, day: 1)!
    static let insz = INSZ.make(birthDate: LocalDate(year: 2006, month: 3, day: 4)!, serial: 11, monthOffset: 60)

    @Test func aPeriodArrivesOpenWhenItStartsAndCompleteWhenItEndsUnderOneRecordID() throws {
        let start = LocalDate(year: 2025, month: 9, day: 1)!, end = LocalDate(year: 2026, month: 2, day: 27)!
        var job = EmploymentPeriod(employerNumber: "0123456789", startDate: start)
        job.endDate = end
        let record = SourceRecord(source: .dimona, recordID: "D-1", insz: Self.insz, body: .employment(job))
        let versions = DailyDeliveries.versions(of: record, from: Self.first)
        #expect(versions.map(\.0) == [start, end])
        #expect(versions.allSatisfy { $0.1.recordID == "D-1" })
        #expect(versions.map(\.1.recordedAt) == [start.iso, end.iso], "the later version wins")
        guard case .employment(let open) = versions[0].1.body, case .employment(let complete) = versions[1].1.body else {
            Issue.record("not employment")
            return
        }
        #expect(open.endDate == nil)
        #expect(complete.endDate == end)
    }

    @Test func whatHappenedBeforeTheFirstDayArrivesOnItOnceAndTheRegisterIsThereFromTheStart() {
        var enrolment = Enrolment(schoolNumber: "30017", schoolName: "School", schoolPostcode: "2000", programme: .fulltime, track: .bso,
                                  startDate: LocalDate(year: 2024, month: 9, day: 1)!, endDate: LocalDate(year: 2025, month: 3, day: 1)!,
                                  exitReason: .pupilOrParents, situationAfter: .unknown)
        let before = DailyDeliveries.versions(of: SourceRecord(source: .agodi, recordID: "E-1", insz: Self.insz, body: .enrolment(enrolment)),
                                              from: Self.first)
        #expect(before.count == 1, "not an open version and a complete one on the same day")
        #expect(before.first?.0 == Self.first)
        enrolment.endDate = nil
        let person = SourceRecord(source: .populationRegister, recordID: "P-1", insz: Self.insz, body: .person(PersonRecord(
            firstName: "An", lastName: "Peeters", birthDate: LocalDate(year: 2006, month: 3, day: 4)!, sex: .female)))
        #expect(DailyDeliveries.versions(of: person, from: Self.first).map(\.0) == [Self.first])
    }

    @Test func theDaysAreWrittenInOrderAsFilesTheImporterReadsAndNothingAfterTheLastDay() throws {
        let folder = NSTemporaryDirectory() + "lived-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var simulation = Simulation(seed: 3, scale: .small, schoolYear: SchoolYear(startYear: 2025), pupils: 600)
        simulation.badRecordRate = 0
        simulation.duplicateRate = 0
        let last = LocalDate(year: 2026, month: 7, day: 31)!
        let days = try DailyDeliveries.write([simulation], to: folder, from: Self.first, through: last)
        #expect(days.map(\.date) == days.map(\.date).sorted())
        #expect(days.first?.date == Self.first)
        #expect(days.allSatisfy { $0.date <= last })
        var ids: [String: Int] = [:]
        let options = IngestOptions(allowTestNumbers: true, today: last) { $0.digits }
        for day in days {
            for path in day.files {
                let reader = try SourceFileReader(path: path, options: options)
                while case let batch = try reader.next(), !batch.isEmpty {
                    for item in batch {
                        guard case .record(let record, _) = item else { Issue.record("rejected in \(path)"); continue }
                        #expect(record.recordedAt == nil || record.recordedAt! <= day.date.iso)
                        ids[record.recordID, default: 0] += 1
                    }
                }
            }
        }
        #expect(ids.values.allSatisfy { $0 <= 2 }, "a record arrives at most twice: open and complete")
        #expect(ids.values.contains(2), "periods that ended in the window arrived twice")
    }

    @Test func twoSchoolYearsLoadedTogetherNeverShareAnINSZ() {
        func numbers(_ simulation: Simulation) -> Set<String> {
            var random = SeededRandom(seed: simulation.seed)
            var seen: Set<String> = []
            _ = simulation.forEachRecord(random: &random) { if $0.kind == .person { seen.insert($0.insz.digits) } }
            return seen
        }
        let one = Simulation(seed: 1, scale: .small, schoolYear: SchoolYear(startYear: 2024), pupils: 3_000)
        var two = Simulation(seed: 2, scale: .small, schoolYear: SchoolYear(startYear: 2025), pupils: 3_000)
        two.serialBase = 220
        #expect(numbers(one).isDisjoint(with: numbers(two)))
    }

    /// A record id names one person's record, whatever school years are loaded together: two
    /// simulated years never use the same id for two INSZs (else the later year's record would read
    /// as a correction that moves the earlier person's register record or job to someone else), and
    /// an INSZ that comes back in a later year keeps its one register record.
    @Test func aRecordIDNeverNamesTwoPersonsAcrossSchoolYears() {
        func owners(_ simulation: Simulation) -> [String: Set<String>] {
            var random = SeededRandom(seed: simulation.seed)
            var owners: [String: Set<String>] = [:]
            _ = simulation.forEachRecord(random: &random) { owners["\($0.source.rawValue)|\($0.recordID)", default: []].insert($0.insz.digits) }
            return owners
        }
        // serialBase 0 for both, as the benchmarks' ten school years: the same INSZs come back.
        let one = owners(Simulation(seed: 1, scale: .small, schoolYear: SchoolYear(startYear: 2024), pupils: 3_000))
        let two = owners(Simulation(seed: 2, scale: .small, schoolYear: SchoolYear(startYear: 2025), pupils: 3_000))
        var both = one
        for (id, persons) in two { both[id, default: []].formUnion(persons) }
        #expect(both.values.allSatisfy { $0.count == 1 })
        let registerOne = Dictionary(one.filter { $0.key.hasPrefix("population_register|") }.map { ($0.value.first!, $0.key) }) { a, _ in a }
        let registerTwo = Dictionary(two.filter { $0.key.hasPrefix("population_register|") }.map { ($0.value.first!, $0.key) }) { a, _ in a }
        let returning = Set(registerOne.keys).intersection(registerTwo.keys)
        #expect(!returning.isEmpty)
        #expect(returning.allSatisfy { registerOne[$0] == registerTwo[$0] })
    }

    @Test func theSameSeedLivesTheSameLife() {
        let c = Case(id: 1, personID: 1, status: .invited, action: .invite, province: .antwerpen, consultant: "consultant-antwerpen",
                     openedOn: Self.first, openedAt: "", dueOn: nil, nextAction: nil, closedOn: nil, suggestion: nil, track: .bso,
                     schoolSource: .agodi)
        func steps(_ seed: UInt64) -> [[CaseLife.Step]] {
            var life = CaseLife(seed: seed)
            var memory = CaseLife.Memory()
            return (0..<60).map { life.consultantDay(c, memory: &memory, today: Self.first.adding(days: $0)) }
        }
        #expect(steps(5) == steps(5))
        #expect(steps(5).contains { !$0.isEmpty }, "the consultant does something in twelve weeks")
    }
}
