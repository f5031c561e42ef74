import Domain
import Foundation
import SQLKit

extension Store {
    public struct BackupProblem: VangnetError {
        public let description: String
        public var kind: ErrorKind { .invalidInput }
        public var code: String { "backup_refused" }
    }

    /// An online, consistent copy of the SQLite database (`VACUUM INTO`: one read transaction, so
    /// the copy is the database as of one instant, while the server goes on writing). The copy is
    /// sealed as the original (the same keys open it). Refuses an existing file, and PostgreSQL
    /// (use `pg_dump`: docs/operations.md).
    public func backup(to path: String) async throws {
        guard dialect == .sqlite else { throw BackupProblem(description: "backup is for SQLite; for PostgreSQL use pg_dump (docs/operations.md)") }
        guard !FileManager.default.fileExists(atPath: path) else { throw BackupProblem(description: "\(path) exists: choose a new file") }
        try await sql.raw("VACUUM INTO \(bind: path)").run()
        _ = chmod(path, 0o600)
    }
}
