import Foundation

/// When a source counts as late: the data steward's page flags a source whose last delivery is
/// older than this (the sources deliver at least monthly; a month and a few days' slack).
public enum DeliveryHealth {
    public static let staleAfterDays = 35

    /// Whether a source whose last delivery was `hoursAgo` hours ago is late.
    public static func isStale(hoursSinceLastDelivery hoursAgo: Double?) -> Bool {
        guard let hoursAgo else { return false }
        return hoursAgo > Double(24 * staleAfterDays)
    }
}
