/// How failed logins are throttled (OWASP ASVS V2.2): per account and per client address. From
/// the threshold on, every further failure locks the key out for twice as long as the one before,
/// starting at `firstLockSeconds` and never longer than `longestLockSeconds`.
public struct LoginThrottle: Sendable, Equatable {
    /// Failures of one account name before it is locked out.
    public var accountThreshold: Int
    /// Failures from one client address before it is locked out (higher: offices share addresses).
    public var addressThreshold: Int
    public var firstLockSeconds: Int
    public var longestLockSeconds: Int

    public init(accountThreshold: Int = 5, addressThreshold: Int = 20, firstLockSeconds: Int = 60, longestLockSeconds: Int = 86_400) {
        self.accountThreshold = accountThreshold
        self.addressThreshold = addressThreshold
        self.firstLockSeconds = firstLockSeconds
        self.longestLockSeconds = longestLockSeconds
    }

    public static let standard = LoginThrottle()

    /// How long a key is locked out after its `failures`-th failure in a row, with `threshold`
    /// failures allowed; nil while under the threshold.
    public func lockSeconds(afterFailures failures: Int, threshold: Int) -> Int? {
        guard failures >= threshold else { return nil }
        return min(longestLockSeconds, firstLockSeconds << min(30, failures - threshold))
    }
}
