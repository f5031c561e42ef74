/// What asking for the day's run of a daily job gave.
public enum DailyJobClaim: Sendable, Equatable {
    /// This process runs it: `completeDailyJob` when done.
    case claimed
    /// Another process claimed it and may still be running it: ask again later.
    case elsewhere
    /// The day's run was done.
    case done
}
