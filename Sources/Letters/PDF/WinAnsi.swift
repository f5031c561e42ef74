import Foundation

/// Windows-1252 as PDF's `/WinAnsiEncoding` defines it (PDF Reference 1.4, appendix D): the one
/// single-byte encoding the standard fonts carry that covers Dutch and French, the euro sign,
/// curly quotes and dashes. Letter text is turned into these bytes before it is measured or drawn.
public enum WinAnsi {
    /// What a character outside WinAnsi becomes.
    public static let replacement: UInt8 = 0x3F  // "?"

    /// The WinAnsi bytes of `text`: tabs and line breaks become spaces, a Latin letter outside the
    /// encoding loses its accent (č → c), any other character outside it becomes `?`. Decomposed
    /// accents (e + U+0301) are composed first.
    public static func encode(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        append(text, to: &bytes, keepingLineBreaks: false)
        return bytes
    }

    /// The text a sequence of WinAnsi bytes stands for (used to hand wrapped lines back as strings).
    public static func decode<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            let value = (0x80..<0xA0).contains(byte) ? UInt32(high[Int(byte) - 0x80]) : UInt32(byte)
            scalars.append(value == 0 ? "?" : Unicode.Scalar(value) ?? "?")
        }
        return String(scalars)
    }

    /// Appends the WinAnsi bytes of `text` (unescaped) to `bytes`. With `keepingLineBreaks` a line
    /// break (LF, CR, CRLF, U+2028, U+2029) becomes one 0x0A byte, which the word wrapper treats as
    /// a hard break; otherwise it becomes a space.
    static func append(_ text: String, to bytes: inout [UInt8], keepingLineBreaks: Bool) {
        let start = bytes.count
        var afterCR = false
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80, value >= 0x20, value != 0x7F {
                bytes.append(UInt8(truncatingIfNeeded: value))
                afterCR = false
                continue
            }
            if (0x300...0x36F).contains(value) {
                // A combining accent: compose the whole string (NFC) once and start again, so
                // "e\u{301}" is drawn as é rather than "e?". Rare, so the common path stays cheap.
                bytes.removeSubrange(start...)
                appendComposed(text.precomposedStringWithCanonicalMapping, to: &bytes, keepingLineBreaks: keepingLineBreaks)
                return
            }
            if value == 0x0A, afterCR { afterCR = false; continue }
            afterCR = value == 0x0D
            if let byte = byte(for: value, keepingLineBreaks: keepingLineBreaks) { bytes.append(byte) }
        }
    }

    private static func appendComposed(_ text: String, to bytes: inout [UInt8], keepingLineBreaks: Bool) {
        var afterCR = false
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value == 0x0A, afterCR { afterCR = false; continue }
            afterCR = value == 0x0D
            if let byte = byte(for: value, keepingLineBreaks: keepingLineBreaks) { bytes.append(byte) }
        }
    }

    /// The byte for one Unicode scalar value, or nil for a character that is not drawn at all.
    static func byte(for value: UInt32, keepingLineBreaks: Bool) -> UInt8? {
        switch value {
        case 0x20...0x7E, 0xA0...0xAC, 0xAE...0xFF: return UInt8(value)
        case 0x0A, 0x0D, 0x2028, 0x2029: return keepingLineBreaks ? 0x0A : 0x20
        case 0x09: return 0x20
        // Not WinAnsi, but common in text pasted from a word processor: the nearest WinAnsi
        // character, or nothing for invisible ones (we never hyphenate, so a soft hyphen is dropped).
        case 0x2002...0x200A: return 0x20                      // en, em, thin, hair spaces
        case 0x202F, 0x2007: return 0xA0                       // narrow no-break space (French « : »), figure space
        case 0x2010, 0x2011, 0x2212: return 0x2D               // hyphen, non-breaking hyphen, minus
        case 0xAD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF: return nil  // soft hyphen, zero-width characters
        default:
            if value > 0xFF, value <= 0xFFFF, let index = high.firstIndex(of: UInt16(value)) {
                return UInt8(0x80 + index)
            }
            return baseLetter(value) ?? replacement
        }
    }

    /// For a Latin letter WinAnsi lacks, the letter without its accent: names in Flanders and
    /// Brussels carry č, ş, ł, ă, ễ… and "Nguyen" reads better on an envelope than "Nguy?n".
    private static func baseLetter(_ value: UInt32) -> UInt8? {
        switch value {
        case 0x0141: return 0x4C  // Ł
        case 0x0142: return 0x6C  // ł
        case 0x0110: return 0x44  // Đ
        case 0x0111: return 0x64  // đ
        case 0x0131: return 0x69  // dotless ı
        case 0x0100...0x024F, 0x1E00...0x1EFF:  // Latin Extended-A/B, Latin Extended Additional
            guard let scalar = Unicode.Scalar(value),
                  let base = String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars.first,
                  base.value < 0x80, base.properties.isAlphabetic
            else { return nil }
            return UInt8(base.value)
        default: return nil
        }
    }

    /// Unicode for the codes 0x80–0x9F (0 where WinAnsi leaves a code unused).
    static let high: [UInt16] = [
        0x20AC, 0x0000, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,  // € ‚ ƒ „ … † ‡
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x0000, 0x017D, 0x0000,  // ˆ ‰ Š ‹ Œ Ž
        0x0000, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  // ‘ ’ “ ” • – —
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x0000, 0x017E, 0x0178,  // ˜ ™ š › œ ž Ÿ
    ]
}
