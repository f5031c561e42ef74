import Foundation

/// One record's text as a quarantine entry keeps it for the steward — the CSV header and the
/// line, or a JSON object — read into named fields, and written back with a field changed (the
/// INSZ of the person linkage found).
public enum RecordText {
    /// The fields by name, or nil when the text is neither.
    public static func fields(_ text: String) -> [String: String]? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("{") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any] else { return nil }
            return object.compactMapValues { value in
                switch value {
                case let text as String: text
                case let number as NSNumber: number.stringValue
                default: nil
                }
            }
        }
        let reader = CSVReader(input: ByteSource(bytes: Array(trimmed.utf8)))
        guard let header = try? reader.next(), header.problem == nil,
              let row = try? reader.next(), row.problem == nil, row.fields.count == header.fields.count else { return nil }
        var fields: [String: String] = [:]
        for (name, value) in zip(header.fields, row.fields) { fields[name.trimmingCharacters(in: .whitespaces).lowercased()] = value }
        return fields
    }

    /// The same text with `field` set to `value` (CSV stays CSV, JSON stays JSON).
    public static func replacing(_ field: String, with value: String, in text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("{") {
            guard var object = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any] else { return nil }
            object[field] = value
            guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return nil }
            return String(decoding: data, as: UTF8.self)
        }
        let reader = CSVReader(input: ByteSource(bytes: Array(trimmed.utf8)))
        guard let header = try? reader.next(), header.problem == nil,
              var row = try? reader.next(), row.problem == nil, row.fields.count == header.fields.count else { return nil }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let index = names.firstIndex(of: field) else { return nil }
        row.fields[index] = value
        return header.fields.map(ExchangeWriter.csvEscape).joined(separator: ",") + "\n"
            + row.fields.map(ExchangeWriter.csvEscape).joined(separator: ",")
    }
}
