/// How a field is folded before it is compared: lower case, accents stripped (é → e, ö → o, ß → ss),
/// and, depending on the field, spaces and punctuation dropped. Sources disagree on exactly these
/// (upper case from one school system, stripped accents from another), so none of it may count
/// as a difference.
///
/// Written by hand over the UTF-8 bytes rather than with Foundation's `folding(options:)`: that costs
/// microseconds per string, and a linkage run folds tens of millions of them.
enum Folding {
    /// What survives folding besides letters.
    enum Keep {
        /// Letters only (surnames, municipalities): "Van den Broeck" and "Vandenbroeck" fold alike.
        case letters
        /// Letters, with one space between words (given names: "Jan Pieter" has two).
        case lettersAndSpaces
        /// Letters and digits (streets, house numbers: "12 A" → "12a").
        case lettersAndDigits
        /// Digits only (national numbers in any notation, postcodes).
        case digits
    }

    static func fold(_ text: String, keeping keep: Keep) -> [UInt8] {
        var out: [UInt8] = []
        fold(text, keeping: keep, into: &out)
        return out
    }

    /// Appends the folded bytes of `text` to `out`. ASCII text (most of it) is read byte by byte
    /// without decoding scalars.
    static func fold(_ text: String, keeping keep: Keep, into out: inout [UInt8]) {
        let start = out.count
        var pendingSpace = false
        func append(_ byte: UInt8) {
            if pendingSpace && out.count > start { out.append(0x20) }
            pendingSpace = false
            out.append(byte)
        }
        func separator() { if keep == .lettersAndSpaces { pendingSpace = true } }
        func ascii(_ byte: UInt8) {
            switch byte {
            case 0x30...0x39:
                if keep == .digits || keep == .lettersAndDigits { append(byte) }
            case 0x41...0x5A:
                if keep != .digits { append(byte | 0x20) }
            case 0x61...0x7A:
                if keep != .digits { append(byte) }
            case 0x20, 0x09, 0x2D, 0x2F:
                // A space, a tab, a hyphen or a slash separate given names ("Jean-Pierre").
                separator()
            default:
                break
            }
        }
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            for byte in text.utf8 { ascii(byte) }
            return
        }
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                ascii(UInt8(value))
            } else if keep != .digits, let replacement = latin[value] {
                for byte in replacement.utf8 { append(byte) }
            } else if keep != .digits && scalar.properties.isAlphabetic {
                // A letter outside the Latin table (Cyrillic, Arabic, …) is kept as its bytes:
                // equal names still compare equal.
                for byte in String(scalar).lowercased().utf8 { append(byte) }
            }
        }
    }

    /// Latin letters with diacritics and ligatures, as their unaccented lower-case spelling.
    private static let latin: [UInt32: String] = {
        let groups: [(String, String)] = [
            ("ÀÁÂÃÄÅàáâãäåĀāĂăĄą", "a"), ("ÇçĆćĈĉĊċČč", "c"), ("ĎďĐđ", "d"), ("ÈÉÊËèéêëĒēĔĕĖėĘęĚě", "e"),
            ("ĜĝĞğĠġĢģ", "g"), ("ĤĥĦħ", "h"), ("ÌÍÎÏìíîïĨĩĪīĬĭĮįİı", "i"), ("Ĵĵ", "j"), ("Ķķ", "k"),
            ("ĹĺĻļĽľĿŀŁł", "l"), ("ÑñŃńŅņŇň", "n"), ("ÒÓÔÕÖØòóôõöøŌōŎŏŐő", "o"), ("ŔŕŖŗŘř", "r"),
            ("ŚśŜŝŞşŠšȘș", "s"), ("ŢţŤťŦŧȚț", "t"), ("ÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲų", "u"), ("Ŵŵ", "w"),
            ("ÝýÿŶŷŸ", "y"), ("ŹźŻżŽž", "z"),
        ]
        var table: [UInt32: String] = [:]
        for (letters, base) in groups { for scalar in letters.unicodeScalars { table[scalar.value] = base } }
        table[0xDF] = "ss"; table[0xC6] = "ae"; table[0xE6] = "ae"; table[0x152] = "oe"; table[0x153] = "oe"
        table[0xDE] = "th"; table[0xFE] = "th"; table[0xD0] = "d"; table[0xF0] = "d"
        return table
    }()
}
