import Domain

/// Group commit for the audit entries of concurrent requests (the production issue's pages): the
/// entries of pages that arrive while an audit write is running are written together in the next
/// transaction — one chain-head update and one commit (one sync of the log) for all of them,
/// instead of one per page. Nobody waits for a timer: a request that finds no write running is
/// written at once, and the next write starts as soon as the running one ends. Each caller still
/// returns only once its own entries are durably on the chain, one entry per person shown, each
/// caller's entries next to each other; so a page whose audit cannot be written still fails (fail
/// closed). If a combined write fails, every caller's entries are tried again on their own, so one
/// caller's failure cannot become another's.
actor AuditGroupCommit {
    private struct Pending {
        let entries: [AuditEntry]
        let continuation: CheckedContinuation<Void, any Error>
    }

    private var queue: [Pending] = []
    private var writing = false

    /// Appends `entries` to the chain with the next group; `write` writes entries in one
    /// transaction (`Store.audit`: the store passes itself, which this actor cannot hold from the
    /// store's own initialiser).
    func append(_ entries: [AuditEntry], write: @escaping @Sendable ([AuditEntry]) async throws -> Void) async throws {
        guard !entries.isEmpty else { return }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            queue.append(Pending(entries: entries, continuation: continuation))
            if !writing {
                writing = true
                Task { await self.drain(write) }
            }
        }
    }

    private func drain(_ write: @Sendable ([AuditEntry]) async throws -> Void) async {
        while !queue.isEmpty {
            let batch = queue
            queue = []
            do {
                try await write(batch.flatMap(\.entries))
                for pending in batch { pending.continuation.resume() }
            } catch {
                guard batch.count > 1 else {
                    batch[0].continuation.resume(throwing: error)
                    continue
                }
                for pending in batch {
                    do {
                        try await write(pending.entries)
                        pending.continuation.resume()
                    } catch {
                        pending.continuation.resume(throwing: error)
                    }
                }
            }
        }
        writing = false
    }
}
