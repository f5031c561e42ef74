import Domain
import Foundation
import Logging
import ServiceLifecycle
import Workflows

/// The daily letter batch while the server runs: once a day, from `hour` (Belgian time), as
/// `vangnet letters batch` and the steward's button do — everyone in it decided again first. It
/// looks every few minutes whether the day's run is due, and runs it if this process claims the
/// day first (`daily_jobs`: once a day across every server and worker; a letter is never made twice
/// anyway). The batch waits for the
/// steward to download and hand over. On graceful shutdown a batch being made finishes.
public struct LetterBatchJob: Service {
    let work: LetterBatchWork
    let clock: Clock
    let hour: Int
    let check: Duration
    /// Claims the day's run across every server and worker (`Store.claimDailyJob`).
    let claim: @Sendable (LocalDate) async throws -> DailyJobClaim
    /// Marks the day's run done (`Store.completeDailyJob`): until then a killed run is taken over.
    let complete: @Sendable (LocalDate) async throws -> Void
    let logger = Logger(label: "vangnet.letters")

    public init(work: LetterBatchWork, clock: Clock, hour: Int, check: Duration = .seconds(300),
                claim: @escaping @Sendable (LocalDate) async throws -> DailyJobClaim = { _ in .claimed },
                complete: @escaping @Sendable (LocalDate) async throws -> Void = { _ in }) {
        self.work = work
        self.clock = clock
        self.hour = hour
        self.check = check
        self.claim = claim
        self.complete = complete
    }

    /// Whether the run of `today` is due at the hour `now` (in Belgium), given the day of the last run.
    static func isDue(today: LocalDate, now: Int, from hour: Int, lastRun: LocalDate?) -> Bool {
        now >= hour && lastRun != today
    }

    public func run() async {
        var lastRun: LocalDate?
        var batches = 0
        repeat {
            let today = clock.today()
            guard Self.isDue(today: today, now: clock.hourInBelgium(), from: hour, lastRun: lastRun) else { continue }
            do {
                switch try await claim(today) {
                case .claimed: break
                case .done:
                    lastRun = today
                    logger.info("daily letter batch made by another process today", metadata: ["component": "letters"])
                    continue
                case .elsewhere:
                    // Asked again at the next check: if that process dies, this one takes the day over.
                    logger.info("daily letter batch being made by another process", metadata: ["component": "letters"])
                    continue
                }
                let (summary, _) = try await work.make()
                try await complete(today)
                lastRun = today
                if summary.batchID != nil { batches += 1 }
                logger.notice("daily letter batch", metadata: [
                    "component": "letters", "batch": "\(summary.batchID.map(String.init) ?? "none")", "letters": "\(summary.letters)",
                    "withdrawn": "\(summary.withdrawn)", "no_longer_eligible": "\(summary.noLongerEligible)",
                    "without_address": "\(summary.withoutAddress)", "address_returned": "\(summary.addressReturned)"])
            } catch let refusal as LetterBatchWork.Refusal where refusal == .batchUnderWay {
                logger.info("daily letter batch waits: another batch is being made", metadata: ["component": "letters"])
            } catch {
                logger.error("daily letter batch failed", metadata: ["component": "letters", "error": "\(type(of: error))"])
                lastRun = today
            }
        } while await sleepUnlessStopping(for: check)
        logger.notice("letter batch job stopped", metadata: ["component": "letters", "batches": "\(batches)"])
    }
}
