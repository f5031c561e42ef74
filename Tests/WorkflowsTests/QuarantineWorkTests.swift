import Domain
import Ingest
import TestSupport
import Testing
import Workflows

/// The steward's use cases on in-memory storage.
@Suite struct QuarantineWorkTests {
    let steward = Actor(username: "steward", role: .steward, purpose: .dataQuality, requestID: "r9")

    func setUp() -> (QuarantineWork, InMemoryQuarantine, InMemoryAuditLog) {
        let log = InMemoryAuditLog()
        let quarantine = InMemoryQuarantine([QuarantinedRecord(id: 7, kind: .jobseeker, isOpen: true)], audit: log)
        return (QuarantineWork(quarantine: quarantine, records: quarantine, audit: log, ingest: testIngestOptions), quarantine, log)
    }

    @Test func aCorrectedRecordIsReadAsAnImportWouldStoredAndTheEntryClosed() async throws {
        let (work, quarantine, log) = setUp()
        let insz = PersonBuilder(born: "2006-03-14", serial: 101).insz.digits
        let wrong = try #require(try await work.reprocess(7, corrected: "record_id,insz,registration_date\nV9,\(insz),2026-02-30", by: steward))
        guard case .stillRejected(let rejections) = wrong else { Issue.record("expected a rejection, got \(wrong)"); return }
        #expect(rejections.map(\.reason) == [.invalidDate])
        #expect(await quarantine.delivered.isEmpty, "nothing stored while it is still wrong")
        let right = try await work.reprocess(7, corrected: "record_id,insz,registration_date\nV9,\(insz),2026-02-28", by: steward)
        #expect(right == .reprocessed(accepted: 1))
        #expect(await quarantine.resolutions[7] == .reprocessed)
        #expect(await log.entries.map(\.action) == ["quarantine.reprocess"])
        #expect(await log.entries.first?.purpose == "data-quality")
        #expect(try await work.reprocess(7, corrected: "x", by: steward) == .alreadyClosed)
        #expect(try await work.reprocess(8, corrected: "x", by: steward) == nil, "no such entry")
    }

    @Test func anEntryIsClosedWithoutProcessingOnce() async throws {
        let (work, quarantine, _) = setUp()
        #expect(try await work.dismiss(7, by: steward))
        #expect(await quarantine.resolutions[7] == .dismissed)
        #expect(try await work.dismiss(7, by: steward) == false)
    }
}
