/// The pipeline's schedule: who is to be decided again, from which day. Records arriving make a
/// person due at once (`Store.markDue`); a decision that can change on a later date (a grace period,
/// the end of compulsory education, a job's end) is a timer on that date.
enum Schedule {
    /// "Due at once": before any real date.
    static let now = "0001-01-01"
}
