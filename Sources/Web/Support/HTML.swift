/// Text put into HTML written by Swift rather than by a template (the caseload's rows, charts,
/// the status report): escaped as Leaf escapes `#(…)`, so that either way a name reads as text.
enum HTML {
    static func escape(_ text: String) -> String {
        // Most texts (numbers, dates, names) have nothing to escape: one scan, no copy.
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">")
            || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}
