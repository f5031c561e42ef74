import Metrics

/// Every metric of Vangnet, in one namespace `vangnet_<area>_<noun>_{total,seconds}` (after the
/// Swift Package Index server's `AppMetrics`). Everything goes through the swift-metrics facade, so
/// Storage, the pipeline and the web layer report to whatever backend the composition root
/// bootstrapped (`vangnet serve`: Prometheus, rendered at `/metrics`); with none, swift-metrics drops
/// them. Labels are small fixed sets (routes, sources, reasons, outcomes), never ids or personal data.
///
/// Each function takes the factory to use: the process's (`MetricsSystem.factory`, the default) or,
/// in the web layer, the one of its `WebContext`, so that tests, which build many contexts in one
/// process and bootstrap nothing, still see their own HTTP and pipeline metrics.
public enum VangnetMetrics {
    /// The names, in one place (docs/operations.md lists them with their labels).
    public enum Name {
        /// Requests answered, by `method`, `route` (the pattern, never the path) and `status`.
        public static let httpRequests = "vangnet_http_requests_total"
        /// Time to answer a request, by `route`.
        public static let httpRequestSeconds = "vangnet_http_request_seconds"
        /// Events received at the intake, by `outcome` (accepted, duplicate, unchanged, quarantined).
        public static let events = "vangnet_events_total"
        /// From a signed request's arrival to its events being stored (the 202).
        public static let eventIntakeSeconds = "vangnet_events_intake_seconds"
        /// Intake requests waiting for the event batcher's next transaction.
        public static let eventQueueDepth = "vangnet_events_queue_depth"
        /// Source records stored, from files and events, by `source` and `outcome` (new, correction,
        /// duplicate, quarantined): they add up to the records read.
        public static let importRecords = "vangnet_import_records_total"
        /// Records kept in quarantine, by `source` and `reason` (the quarantine reason codes).
        public static let quarantineRecords = "vangnet_quarantine_records_total"
        /// Duration of one pipeline run.
        public static let pipelineRunSeconds = "vangnet_pipeline_run_seconds"
        /// Persons decided (again) by the pipeline.
        public static let pipelineDecisions = "vangnet_pipeline_decisions_total"
        /// From records arriving (the worker is poked) to the end of the run that decided them.
        public static let pipelineLagSeconds = "vangnet_pipeline_lag_seconds"
        /// Pipeline runs that failed (the next run tries again).
        public static let pipelineFailures = "vangnet_pipeline_failures_total"
    }

    /// Histogram buckets of the timers that need other buckets than the backend's defaults.
    public static let durationBuckets: [String: [Duration]] = [
        Name.httpRequestSeconds: [.milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                                  .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1)],
        Name.eventIntakeSeconds: [.milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                                  .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5)],
        Name.pipelineRunSeconds: [.milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                                  .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5)],
        Name.pipelineLagSeconds: [.milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
                                  .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30), .seconds(60)],
    ]

    // MARK: HTTP

    public static func httpRequest(method: String, route: String, status: UInt, duration: Duration,
                                   factory: any MetricsFactory = MetricsSystem.factory) {
        Counter(label: Name.httpRequests, dimensions: [("method", method), ("route", route), ("status", String(status))],
                factory: factory).increment()
        Timer(label: Name.httpRequestSeconds, dimensions: [("route", route)], factory: factory).record(duration: duration)
    }

    // MARK: Event intake

    public static func events(outcome: String, count: Int, factory: any MetricsFactory = MetricsSystem.factory) {
        guard count > 0 else { return }
        Counter(label: Name.events, dimensions: [("outcome", outcome)], factory: factory).increment(by: count)
    }

    public static func eventIntake(duration: Duration, factory: any MetricsFactory = MetricsSystem.factory) {
        Timer(label: Name.eventIntakeSeconds, factory: factory).record(duration: duration)
    }

    public static func eventQueueDepth(_ depth: Int, factory: any MetricsFactory = MetricsSystem.factory) {
        Gauge(label: Name.eventQueueDepth, factory: factory).record(depth)
    }

    // MARK: Records

    /// One stored batch: its records by outcome, and its rejections by reason.
    public static func recordsStored(source: String?, new: Int, corrections: Int, duplicates: Int, quarantineReasons: [String],
                                     factory: any MetricsFactory = MetricsSystem.factory) {
        let source = source ?? "unknown"
        for (outcome, count) in [("new", new), ("correction", corrections), ("duplicate", duplicates),
                                 ("quarantined", quarantineReasons.count)] where count > 0 {
            Counter(label: Name.importRecords, dimensions: [("source", source), ("outcome", outcome)], factory: factory)
                .increment(by: count)
        }
        var byReason: [String: Int] = [:]
        for reason in quarantineReasons { byReason[reason, default: 0] += 1 }
        for (reason, count) in byReason {
            Counter(label: Name.quarantineRecords, dimensions: [("source", source), ("reason", reason)], factory: factory)
                .increment(by: count)
        }
    }

    // MARK: Pipeline

    public static func pipelineRun(duration: Duration, decided: Int, factory: any MetricsFactory = MetricsSystem.factory) {
        Timer(label: Name.pipelineRunSeconds, factory: factory).record(duration: duration)
        Counter(label: Name.pipelineDecisions, factory: factory).increment(by: decided)
    }

    public static func pipelineLag(_ lag: Duration, factory: any MetricsFactory = MetricsSystem.factory) {
        Timer(label: Name.pipelineLagSeconds, factory: factory).record(duration: lag)
    }

    public static func pipelineFailed(factory: any MetricsFactory = MetricsSystem.factory) {
        Counter(label: Name.pipelineFailures, factory: factory).increment()
    }
}
