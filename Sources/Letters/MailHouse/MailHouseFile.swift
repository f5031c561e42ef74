import Domain

/// The files the mail house sends back (docs/outreach.md, "The mail house's files"): CSV, UTF-8,
/// comma-separated, a header line naming the columns (in any order; other columns are ignored).
///
/// - acknowledgement — `batch_id,reference`: the letters it received, one per line (the manifest's
///   own lines will do: they carry both columns);
/// - returns — `reference,returned_on,reason`: the letters it brought back as undeliverable, with
///   the date and one of `LetterReturnReason`'s codes.
///
/// Reading checks each line on its own (a broken line, a missing field, a bad date or reason, the
/// same letter twice); what the lines name (is there such a letter, in that batch?) is checked
/// against the store when they are applied. A file that is not such a file at all is refused
/// whole (`MailHouseFile.Problem`).
public enum MailHouseFile {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case acknowledgement
        case returns

        var columns: [String] {
            switch self {
            case .acknowledgement: ["batch_id", "reference"]
            case .returns: ["reference", "returned_on", "reason"]
            }
        }
    }

    /// A file that cannot be read as one of the mail house's files.
    public struct Problem: VangnetError, Equatable {
        public let message: String
        public var kind: ErrorKind { .invalidInput }
        public var code: String { "unusable_file" }
        public var description: String { message }
    }

    /// One line as read: its number in the file (the header is line 1), and what it says or why
    /// it is rejected.
    public struct Line: Sendable, Equatable {
        public let number: Int
        public let reference: String?
        public let content: Content

        public enum Content: Sendable, Equatable {
            case acknowledged(batchID: Int64)
            case returned(on: LocalDate, reason: LetterReturnReason)
            case rejected(LineRejection)
        }
    }

    /// The most lines one file may have (a day's batches are far below it).
    public static let maximumLines = 100_000

    public static func read(_ bytes: [UInt8], as kind: Kind) throws(Problem) -> [Line] {
        guard let text = String(validating: bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes, as: UTF8.self) else {
            throw Problem(message: "the file is not UTF-8 text")
        }
        var physical = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        while physical.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { physical.removeLast() }
        guard let header = physical.first else { throw Problem(message: "the file is empty") }
        guard let names = fields(header)?.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else {
            throw Problem(message: "the header line is not CSV")
        }
        var position: [String: Int] = [:]
        for (index, name) in names.enumerated() where position[name] == nil { position[name] = index }
        let missing = kind.columns.filter { position[$0] == nil }
        guard missing.isEmpty else {
            throw Problem(message: "not a mail-house \(kind.rawValue) file: the header lacks \(missing.joined(separator: ", ")) "
                          + "(expected \(kind.columns.joined(separator: ",")))")
        }
        guard physical.count - 1 <= maximumLines else { throw Problem(message: "more than \(maximumLines) lines") }
        var seen: [String: Int] = [:]
        var lines: [Line] = []
        for (offset, raw) in physical.dropFirst().enumerated() {
            let number = offset + 2
            if raw.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            func reject(_ code: LineRejection.Code, _ message: String, reference: String? = nil) -> Line {
                Line(number: number, reference: reference, content: .rejected(LineRejection(code, message)))
            }
            guard let values = fields(raw), values.count == names.count else {
                lines.append(reject(.brokenLine, "expected \(names.count) fields separated by commas"))
                continue
            }
            func value(_ column: String) -> String { values[position[column]!].trimmingCharacters(in: .whitespaces) }
            let reference = value("reference").uppercased()
            guard LetterReference.isWellFormed(reference) else {
                lines.append(reject(.brokenLine, "reference: not a letter reference (VN-000042-1)", reference: reference.isEmpty ? nil : String(reference.prefix(40))))
                continue
            }
            if let earlier = seen[reference] {
                lines.append(reject(.duplicateLine, "the same letter as line \(earlier)", reference: reference))
                continue
            }
            switch kind {
            case .acknowledgement:
                guard let batch = Int64(value("batch_id")), batch > 0 else {
                    lines.append(reject(.brokenLine, "batch_id: not a batch number", reference: reference))
                    continue
                }
                seen[reference] = number
                lines.append(Line(number: number, reference: reference, content: .acknowledged(batchID: batch)))
            case .returns:
                guard let day = LocalDate(iso: value("returned_on")) else {
                    lines.append(reject(.invalidDate, "returned_on: not a date (YYYY-MM-DD)", reference: reference))
                    continue
                }
                guard let reason = LetterReturnReason(rawValue: value("reason").lowercased()) else {
                    lines.append(reject(.unknownReason, "reason: one of " + LetterReturnReason.allCases.map(\.rawValue).joined(separator: ", "),
                                        reference: reference))
                    continue
                }
                seen[reference] = number
                lines.append(Line(number: number, reference: reference, content: .returned(on: day, reason: reason)))
            }
        }
        return lines
    }

    /// The fields of one CSV line (RFC 4180 quoting; a quoted field cannot span lines here), or nil
    /// when the quotes do not close.
    static func fields(_ line: String) -> [String]? {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var iterator = Array(line).makeIterator()
        var pending: Character? = nil
        while let c = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { current.append("\"") } else { quoted = false; pending = next }
                    } else { quoted = false }
                } else { current.append(c) }
            } else if c == "\"" && current.isEmpty {
                quoted = true
            } else if c == "," {
                fields.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        if quoted { return nil }
        fields.append(current)
        return fields
    }
}

/// Why one line of a mail-house file was not applied; the codes are stable (the steward's page and
/// the command show them with the line number).
public struct LineRejection: Sendable, Equatable, Codable {
    public enum Code: String, Sendable, Codable, CaseIterable {
        /// Not the expected number of fields, quotes that do not close, no usable reference or batch.
        case brokenLine = "broken_line"
        case invalidDate = "invalid_date"
        case unknownReason = "unknown_reason"
        /// The same letter earlier in the file.
        case duplicateLine = "duplicate_line"
        /// No letter with that reference.
        case unknownReference = "unknown_reference"
        /// The letter is in another batch than the line says.
        case wrongBatch = "wrong_batch"
        /// A return for a letter that was never handed over (its batch is still being prepared).
        case notHandedOver = "not_handed_over"
        /// The batch could not be stored and was never sent.
        case batchFailed = "batch_failed"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}

/// A letter's reference: the case number and the letter's number on it, `VN-000042-1`.
public enum LetterReference {
    public static func isWellFormed(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 3 && parts[0] == "VN" && parts[1].count >= 6 && parts[1].allSatisfy(\.isASCII) && parts[1].allSatisfy(\.isNumber)
            && !parts[2].isEmpty && parts[2].count <= 4 && parts[2].allSatisfy(\.isASCII) && parts[2].allSatisfy(\.isNumber)
    }
}
