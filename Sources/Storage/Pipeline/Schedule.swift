import Domain
import SQLKit

/// The pipeline's schedule: who is to be decided again, from which day. Records arriving make a
/// person due at once; a decision that can change on a later date (a grace period, the end of
/// compulsory education, a job's end) is a timer on that date.
enum Schedule {
    /// "Due at once": before any real date.
    static let now = "0001-01-01"

    /// Makes persons due on `day`, or earlier if they already were.
    static func markDue(_ persons: [Int64], on day: String, _ sql: any SQLDatabase) async throws {
        for chunk in persons.sorted().chunked(into: 500) {
            var query = SQLQueryString("INSERT INTO schedule (person_id, due_on) VALUES ")
            query += chunk.map { "(\(bind: $0), \(bind: day))" as SQLQueryString }.joined(separator: ", ")
            query += """
                 ON CONFLICT (person_id) DO UPDATE SET due_on =
                 CASE WHEN excluded.due_on < schedule.due_on THEN excluded.due_on ELSE schedule.due_on END
                """
            try await sql.raw(query).run()
        }
    }
}
