import Foundation
import Logging
import ServiceLifecycle
import Storage
import Workflows

/// Delivers the outbox's registration requests while the server runs (`RegistrationDelivery`),
/// every `tick` and at once again while there is more due. On graceful shutdown the batch in
/// progress finishes; anything not sent stays in the outbox for the next start.
public struct RegistrationWorker: Service {
    let delivery: RegistrationDelivery
    let tick: Duration
    let logger = Logger(label: "vangnet.registration")

    public init(delivery: RegistrationDelivery, tick: Duration) {
        self.delivery = delivery
        self.tick = tick
    }

    public func run() async {
        var total = RegistrationDelivery.Report()
        repeat {
            while !Task.isShuttingDownGracefully {
                let report: RegistrationDelivery.Report
                do { report = try await delivery.deliverDue() } catch {
                    logger.error("registration delivery failed", metadata: ["component": "registration", "error": "\(type(of: error))"])
                    break
                }
                total.sent += report.sent; total.registered += report.registered; total.accepted += report.accepted
                total.retried += report.retried; total.stuck += report.stuck
                if report.stuck > 0 {
                    logger.warning("registration requests stuck", metadata: ["component": "registration", "stuck": "\(report.stuck)"])
                }
                if report.sent == 0 { break }
            }
        } while await sleepUnlessStopping(for: tick)
        logger.notice("registration worker stopped: unsent requests stay in the outbox", metadata: [
            "component": "registration", "sent": "\(total.sent)", "registered": "\(total.registered)", "accepted": "\(total.accepted)",
            "retried": "\(total.retried)", "stuck": "\(total.stuck)"])
    }
}
