import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Deliveries whose process died (a `kill -9`, a crash) before they finished.
extension Store {
    /// This process as a delivery's owner: `host:pid`.
    static var processOwner: String { "\(ProcessInfo.processInfo.hostName):\(getpid())" }

    /// Whether `owner` is a process of this host that no longer runs.
    static func isGone(_ owner: String?) -> Bool {
        guard let owner, let colon = owner.lastIndex(of: ":"), String(owner[..<colon]) == ProcessInfo.processInfo.hostName,
              let pid = Int32(owner[owner.index(after: colon)...]) else { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }

    /// Marks the `running` deliveries whose process on this host is gone as `interrupted`; returns how
    /// many. Every command and the server call it when they open the store. (A delivery of another
    /// host is left alone: only that host can tell.)
    @discardableResult
    public func markInterruptedDeliveries() async throws -> Int {
        let running = try await bulk(sql, "SELECT id, owner FROM deliveries WHERE status = 'running'", [])
        let gone = running.filter { Self.isGone($0[1].text) }.compactMap { $0[0].integer }
        for chunk in gone.chunked(into: 500) {
            _ = try await bulk(sql, "UPDATE deliveries SET status = 'interrupted', finished_at = ? WHERE status = 'running' AND id IN (\(Store.list(chunk.count)))",
                               [.text(timestamp())] + chunk.map { .integer($0) })
        }
        return gone.count
    }
}
