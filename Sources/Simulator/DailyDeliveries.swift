import Domain
import Foundation

/// The simulated sources as a system that has been running receives them (the lived demo): each
/// record on the day it became known, in a folder per day. A period with a start and an end (an
/// enrolment, a job seeker's registration, a job) arrives twice under the same record id, as the
/// sources declare it: when it starts, open, and when it ends, complete — the later `recordedAt`
/// wins. Certificates arrive when awarded; the population register is there from the first day.
/// Records dated after the last day are not delivered (yet); those before the first day arrive on it.
public enum DailyDeliveries {
    public struct Day: Sendable {
        public let date: LocalDate
        /// The day's files, paths in `folder`.
        public let files: [String]
    }

    /// Writes `folder/<date>/<kind>.csv` for every day from `first` through `last` that has records,
    /// and returns those days in order.
    public static func write(_ simulations: [Simulation], to folder: String, from first: LocalDate, through last: LocalDate) throws -> [Day] {
        var byDay: [LocalDate: [SourceRecord]] = [:]
        for simulation in simulations {
            var random = SeededRandom(seed: simulation.seed)
            _ = simulation.forEachRecord(random: &random) { record in
                for (day, version) in versions(of: record, from: first) where day <= last {
                    byDay[day, default: []].append(version)
                }
            }
        }
        var noise = SeededRandom(seed: (simulations.first?.seed ?? 1) &+ 99)
        var days: [Day] = []
        let rates = simulations.first.map { ($0.badRecordRate, $0.duplicateRate) } ?? (0, 0)
        for day in byDay.keys.sorted() {
            let dayFolder = "\(folder)/\(day.iso)"
            try FileManager.default.createDirectory(atPath: dayFolder, withIntermediateDirectories: true)
            let byKind = Dictionary(grouping: byDay[day]!, by: \.kind)
            var files: [String] = []
            for (kind, name) in Simulation.fileNames {
                guard let ofKind = byKind[kind] else { continue }
                let path = "\(dayFolder)/\(name).csv"
                let writer = try SourceWriter(path: path, kind: kind, format: .csv, noise: noise.fork(), badRate: rates.0, duplicateRate: rates.1)
                for record in ofKind { try writer.add(record) }
                _ = try writer.finish()
                files.append(path)
            }
            days.append(Day(date: day, files: files))
        }
        return days
    }

    /// The versions of a record as they arrive, each with its day (`recordedAt` set to that day).
    static func versions(of record: SourceRecord, from first: LocalDate) -> [(LocalDate, SourceRecord)] {
        func arriving(_ day: LocalDate, _ body: SourceRecord.Body) -> (LocalDate, SourceRecord) {
            let day = max(day, first)
            return (day, SourceRecord(source: record.source, recordID: record.recordID, insz: record.insz, recordedAt: day.iso, body: body))
        }
        /// The open version on its start day and the complete one on its end day; only the complete
        /// one when both arrive on the same day.
        func period(_ start: LocalDate, _ end: LocalDate, open: SourceRecord.Body) -> [(LocalDate, SourceRecord)] {
            max(start, first) < max(end, first) ? [arriving(start, open), arriving(end, record.body)] : [arriving(end, record.body)]
        }
        switch record.body {
        case .person:
            return [(first, record)]
        case .qualification(let qualification):
            return [arriving(qualification.awardDate, record.body)]
        case .enrolment(let enrolment):
            guard let end = enrolment.endDate else { return [arriving(enrolment.startDate, record.body)] }
            var open = enrolment
            open.endDate = nil
            open.exitReason = nil
            open.situationAfter = nil
            return period(enrolment.startDate, end, open: .enrolment(open))
        case .jobseeker(let registration):
            guard let end = registration.deregistrationDate else { return [arriving(registration.registrationDate, record.body)] }
            var open = registration
            open.deregistrationDate = nil
            open.deregistrationReason = nil
            return period(registration.registrationDate, end, open: .jobseeker(open))
        case .employment(let job):
            guard let end = job.endDate else { return [arriving(job.startDate, record.body)] }
            var open = job
            open.endDate = nil
            return period(job.startDate, end, open: .employment(open))
        }
    }
}
