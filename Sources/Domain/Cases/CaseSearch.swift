import Foundation

/// What a consultant typed in the search field: a case number, a national number, or a name.
public enum CaseSearch: Sendable, Equatable {
    case caseNumber(Int64)
    case insz(INSZ)
    case name(String)
    case nothing

    /// `VN-000042`, `vn-42` and short numbers are case numbers; 11 digits (with or without
    /// separators) that validate are an INSZ; text with letters is a name; anything else finds nothing.
    public init(_ typed: String, allowTestNumbers: Bool, today: LocalDate) {
        let text = typed.trimmingCharacters(in: .whitespaces)
        if text.isEmpty {
            self = .nothing
        } else if let id = CaseNumber.parse(text), text.uppercased().hasPrefix("VN") || text.count < 8 {
            self = .caseNumber(id)
        } else if let insz = try? INSZ(text, allowTestNumbers: allowTestNumbers, today: today) {
            self = .insz(insz)
        } else if text.contains(where: \.isLetter), text.count >= 2 {
            self = .name(text)
        } else {
            self = .nothing
        }
    }
}
