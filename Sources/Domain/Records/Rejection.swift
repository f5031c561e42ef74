
/// Why a record (or a whole file) was put in quarantine. The codes are stable: sources get them
/// back as feedback, and docs/exchange-format.md lists them.
public enum QuarantineReason: String, CaseIterable, Codable, Sendable {
    /// The file has no bytes or no records.
    case emptyFile = "empty_file"
    /// The first line is not a header, or lacks a required column.
    case missingHeader = "missing_header"
    /// The header names a column the exchange format does not have.
    case unknownHeader = "unknown_header"
    /// The line has more or fewer fields than the header.
    case wrongColumnCount = "wrong_column_count"
    /// A required field is empty or absent.
    case missingField = "missing_field"
    /// A JSON record names a field the exchange format does not have.
    case unknownField = "unknown_field"
    /// The INSZ is not 11 digits, fails the mod-97 check, has an impossible date, or is a test
    /// number outside a test environment.
    case invalidINSZ = "invalid_insz"
    /// A date that is not `YYYY-MM-DD` or does not exist.
    case invalidDate = "invalid_date"
    /// An end date before its start date.
    case reversedDates = "reversed_dates"
    /// A code outside the documented list.
    case unknownCode = "unknown_code"
    /// A value of the wrong shape (a postcode of five digits, an employer number of eight…).
    case invalidValue = "invalid_value"
    /// Bytes that are not UTF-8.
    case invalidEncoding = "invalid_encoding"
    /// A record longer than the limit (1 MiB).
    case recordTooLong = "record_too_long"
    /// The file ends inside a record (an open quote, a cut-off line).
    case truncatedRecord = "truncated_record"
    /// A JSON line that is not a JSON object.
    case malformedJSON = "malformed_json"
    /// An XML document that cannot be read, or is not a MAGDA response Vangnet knows.
    case malformedXML = "malformed_xml"
    /// A MAGDA answer that carries an exception instead of data (`Uitzondering`).
    case magdaException = "magda_exception"
    /// A CloudEvent that lacks a required attribute or has an unknown type.
    case invalidEvent = "invalid_event"
}

/// A record (or file) that was not accepted: what is wrong, where, and the original bytes.
/// The message never contains the rejected values — the original bytes are kept for that, and
/// only shown to a data steward.
public struct Rejection: Error, Sendable, Hashable {
    public var reason: QuarantineReason
    /// The field (column) at fault, when one is.
    public var field: String?
    public var message: String
    /// Where in the input: `line 12`, `Inschrijving 3`, `event 7`.
    public var location: String
    public var kind: RecordKind?
    public var source: Source?
    /// The record's id, when it could be read.
    public var recordID: String?
    /// The input as it arrived (at most `Rejection.maximumOriginalBytes`).
    public var original: [UInt8]
    /// For a line of a CSV file: the file's header line, so that the line can be read by column
    /// name later (a source's columns need not be in the canonical order).
    public var header: String?

    public static let maximumOriginalBytes = 16 << 20

    public init(_ reason: QuarantineReason, field: String? = nil, message: String, location: String,
                kind: RecordKind? = nil, source: Source? = nil, recordID: String? = nil, original: [UInt8] = []) {
        self.reason = reason
        self.field = field
        self.message = message
        self.location = location
        self.kind = kind
        self.source = source
        self.recordID = recordID
        self.original = original.count > Rejection.maximumOriginalBytes
            ? Array(original.prefix(Rejection.maximumOriginalBytes)) : original
    }
}

/// One unit of input after reading and validation.
public enum IngestItem: Sendable, Hashable {
    case record(SourceRecord, location: String)
    case rejected(Rejection)
}
