import Domain
import Foundation

/// Decision reasons as stored: a compact JSON array, written by hand because the pipeline writes
/// one per person (hundreds of thousands per run) and JSONEncoder is several times slower.
/// Read back with JSONDecoder — only for display.
enum ReasonsJSON {
    static func encode(_ reasons: [Reason]) -> String {
        var out = "["
        for (index, reason) in reasons.enumerated() {
            if index > 0 { out += "," }
            out += "{\"rule\":\"\(reason.rule.rawValue)\""
            if let date = reason.date { out += ",\"date\":\"\(date.iso)\"" }
            if !reason.facts.isEmpty {
                out += ",\"facts\":["
                for (number, fact) in reason.facts.enumerated() {
                    if number > 0 { out += "," }
                    out += "{\"source\":\"\(fact.source.rawValue)\",\"recordID\":"
                    out += jsonString(fact.recordID)
                    out += ",\"sequence\":\(fact.sequence)}"
                }
                out += "]"
            } else {
                out += ",\"facts\":[]"
            }
            out += "}"
        }
        return out + "]"
    }

    static func decode(_ text: String) -> [Reason] {
        (try? JSONDecoder().decode([Reason].self, from: Data(text.utf8))) ?? []
    }

    static func jsonString(_ text: String) -> String {
        // Most texts need no escape (codes, dates, user names): one scan and one copy.
        if !text.utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 < 0x20 }) {
            return "\"" + text + "\""
        }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
