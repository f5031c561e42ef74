import Foundation

/// Free text on a case (a note, a contact's summary, the reason for a status): what is kept of
/// what the consultant typed. Control characters and bidirectional overrides are removed (they
/// can hide or reorder text for the next reader); line breaks and tabs stay; surrounding blank
/// space goes. At most `CaseRules.noteMaximumLength` characters.
public enum CaseNote {
    /// The text to store, nil when nothing is left; refused when too long.
    public static func cleaned(_ typed: String?) throws(CaseRuleViolation) -> String? {
        guard let typed else { return nil }
        var scalars = String.UnicodeScalarView()
        for scalar in typed.unicodeScalars where keeps(scalar) { scalars.append(scalar) }
        let text = String(scalars).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return nil }
        guard text.count <= CaseRules.noteMaximumLength else {
            throw .tooLong(field: "note", maximum: CaseRules.noteMaximumLength)
        }
        return text
    }

    static func keeps(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A: true
        case 0x0D: false
        case 0x00...0x1F, 0x7F...0x9F: false
        // Bidirectional embeddings, overrides and isolates (the "Trojan Source" characters).
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F: false
        default: true
        }
    }
}
