import Domain
import Foundation

/// One CloudEvent of a delivery, read and validated: its id (the idempotency key), the source that
/// sent it, the record type its `type` names, and its record — or why it is rejected.
public struct CloudEvent: Sendable, Hashable {
    /// The event's `id`; for an event without a usable one, `invalid:<position>:<uuid>`, so that
    /// its rejection is still kept.
    public let id: String
    /// The source that sent the delivery (whose secret signed it).
    public let source: Source
    /// The record type named by `type`; nil when `type` is missing or unknown.
    public let kind: RecordKind?
    /// Its record (or rejection); a crossroads bank notification carries several.
    public let items: [IngestItem]
    /// The first (for an exchange-format event, the only) record or rejection.
    public var item: IngestItem { items[0] }

    public init(id: String, source: Source, kind: RecordKind?, item: IngestItem) {
        self.init(id: id, source: source, kind: kind, items: [item])
    }

    public init(id: String, source: Source, kind: RecordKind?, items: [IngestItem]) {
        precondition(!items.isEmpty, "an event carries at least one item")
        self.id = id
        self.source = source
        self.kind = kind
        self.items = items
    }
}

/// A delivery that is not events at all, as a whole: a single bad event is a rejection instead
/// (`CloudEvent.item`). The codes are stable: the event intake answers with them.
public struct CloudEventProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The body is not a JSON object (structured mode) or not a JSON array (batch mode).
        case malformedJSON = "malformed_json"
        /// A batch that is empty or longer than the limit.
        case batchSize = "batch_size"
        /// Neither a CloudEvents media type nor `ce-*` headers.
        case contentType = "content_type"
    }

    public let code: Code
    public let message: String
    public var description: String { "\(code.rawValue): \(message)" }

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}

/// Reads CloudEvents 1.0 carrying exchange-format records (DESIGN.md §9): structured mode
/// (`application/cloudevents+json`), batch mode (`application/cloudevents-batch+json`) and binary
/// mode (the attributes as `ce-*` headers, the record as a JSON body). Each event needs
/// `specversion` 1.0, an `id` of 1 to 200 characters, a `source` whose last segment names the
/// sending source, a `type` `be.vlaanderen.vangnet.<kind>.v1` of a kind that source delivers, and
/// the record's fields as a JSON object under `data`, validated like a JSON Lines record.
/// The job-seeker source may also send the crossroads bank's job-seeker status notifications as
/// they come (`type` `be.fgov.kszbcss.jobseekerstatus.notify.v1`, `datacontenttype`
/// `application/xml`, the XML as the `data` string, as `data_base64`, or as the body in binary
/// mode): each `jobSeeker` in it becomes a record, or a rejection, of that one event.
/// Who sent the delivery (the signature) is the caller's to establish.
public struct CloudEventReader: Sendable {
    public static let typePrefix = "be.vlaanderen.vangnet."
    public static let structuredMediaType = "application/cloudevents+json"
    public static let batchMediaType = "application/cloudevents-batch+json"
    /// A crossroads bank `notifyJobSeekerStatus` v1 notification, as XML.
    public static let jobSeekerStatusType = "be.fgov.kszbcss.jobseekerstatus.notify.v1"

    /// MAGDA test numbers (months 60-72) are accepted only in a test or demo environment.
    public let allowTestNumbers: Bool
    /// The date of reading: an INSZ cannot encode a birth after it.
    public let today: LocalDate
    /// The most events one batch may hold.
    public let maximumBatchSize: Int

    /// The keyed person key of MAGDA-shaped records (a notification's record ids carry it).
    public let personKey: @Sendable (INSZ) -> String

    public init(allowTestNumbers: Bool, today: LocalDate, maximumBatchSize: Int = 1000,
                personKey: @escaping @Sendable (INSZ) -> String = { _ in "" }) {
        self.allowTestNumbers = allowTestNumbers
        self.today = today
        self.maximumBatchSize = maximumBatchSize
        self.personKey = personKey
    }

    /// The events of one delivery, in order. `contentType` is the `Content-Type` header (its
    /// parameters are ignored); `headers` are the request's headers, of which binary mode reads
    /// the `ce-*` ones (names in any case); `source` is the source that sent the delivery.
    public func read(body: [UInt8], contentType: String?, headers: [String: String] = [:], from source: Source)
        throws(CloudEventProblem) -> [CloudEvent] {
        let mediaType = Self.mediaType(contentType)
        switch mediaType {
        case Self.structuredMediaType, Self.batchMediaType:
            let parsed = try? JSONSerialization.jsonObject(with: Data(body))
            let objects: [Any]
            if mediaType == Self.batchMediaType {
                guard let array = parsed as? [Any] else { throw CloudEventProblem(.malformedJSON, "a batch must be a JSON array of events") }
                objects = array
            } else {
                guard let object = parsed as? [String: Any] else { throw CloudEventProblem(.malformedJSON, "not a JSON object") }
                objects = [object]
            }
            guard !objects.isEmpty, objects.count <= maximumBatchSize else {
                throw CloudEventProblem(.batchSize, "a batch holds 1 to \(maximumBatchSize) events")
            }
            return objects.enumerated().map { index, object in
                event(object as? [String: Any], position: index + 1, source: source)
            }
        default:
            var attributes: [String: Any] = [:]
            for (name, value) in headers where name.lowercased().hasPrefix("ce-") {
                attributes[String(name.lowercased().dropFirst(3))] = value
            }
            guard !attributes.isEmpty else {
                throw CloudEventProblem(.contentType,
                                        "use application/cloudevents+json, application/cloudevents-batch+json, or ce-* headers with a JSON body")
            }
            if mediaType.hasSuffix("/xml") {
                attributes["datacontenttype"] = attributes["datacontenttype"] ?? mediaType
                attributes["data"] = String(decoding: body, as: UTF8.self)
            } else {
                attributes["data"] = (try? JSONSerialization.jsonObject(with: Data(body))) ?? NSNull()
            }
            return [event(attributes, position: 1, source: source)]
        }
    }

    /// `type/subtype` of a `Content-Type` value, lower-cased (media types are case-insensitive,
    /// RFC 9110 §8.3.1), or "" for none.
    static func mediaType(_ contentType: String?) -> String {
        guard let contentType, let bare = contentType.split(separator: ";", maxSplits: 1).first else { return "" }
        return bare.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// One CloudEvent → its id and its record (or the reason it is rejected).
    func event(_ object: [String: Any]?, position: Int, source: Source) -> CloudEvent {
        let original = object.flatMap { try? JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]) }.map { Array($0) } ?? []
        let id = (object?["id"] as? String).flatMap { $0.isEmpty || $0.count > 200 ? nil : $0 } ?? "invalid:\(position):\(UUID().uuidString)"
        let location = "event \(position)"
        func reject(_ field: String, _ message: String, kind: RecordKind? = nil) -> CloudEvent {
            CloudEvent(id: id, source: source, kind: kind,
                       item: .rejected(Rejection(.invalidEvent, field: field, message: "\(field): \(message)", location: location,
                                                 source: source, original: original)))
        }
        guard let object else { return reject("event", "not a JSON object") }
        guard object["specversion"] as? String == "1.0" else { return reject("specversion", "must be \"1.0\"") }
        guard object["id"] as? String != nil, !id.hasPrefix("invalid:") else { return reject("id", "required, 1 to 200 characters") }
        guard let eventSource = object["source"] as? String, !eventSource.isEmpty else { return reject("source", "required") }
        // `/sources/agodi`, `urn:vangnet:agodi`: the last segment names the source.
        let named = eventSource.split(whereSeparator: { $0 == "/" || $0 == ":" }).last.map(String.init)
        guard named == source.rawValue else {
            return reject("source", "'\(eventSource)' is not the source whose secret signed the request (\(source.rawValue))")
        }
        if object["type"] as? String == Self.jobSeekerStatusType {
            return notification(object, id: id, position: position, source: source, original: original)
        }
        let prefix = Self.typePrefix
        guard let type = object["type"] as? String, type.hasPrefix(prefix), type.hasSuffix(".v1"),
              let kind = RecordKind(rawValue: String(type.dropFirst(prefix.count).dropLast(3))) else {
            return reject("type", "must be \(prefix)<enrolment|qualification|person|jobseeker|employment>.v1")
        }
        guard kind.sources.contains(source) else {
            return reject("type", "\(source.rawValue) does not deliver \(kind.rawValue) records", kind: kind)
        }
        if let contentType = object["datacontenttype"] as? String, !contentType.hasPrefix("application/json") {
            return reject("datacontenttype", "must be application/json", kind: kind)
        }
        guard var data = object["data"] as? [String: Any] else {
            return reject("data", "a JSON object with the record's fields", kind: kind)
        }
        if data["source"] == nil { data["source"] = source.rawValue }
        var resolved: RecordKind? = kind
        // Exchange-format JSON never needs MAGDA's person key.
        let options = IngestOptions(allowTestNumbers: allowTestNumbers, today: today) { _ in "" }
        // One rule for a record's size, whichever way it comes (the file import's).
        let size = (try? JSONSerialization.data(withJSONObject: data))?.count ?? 0
        guard size <= options.maximumRecordBytes else {
            return CloudEvent(id: id, source: source, kind: kind,
                              item: .rejected(Rejection(.recordTooLong, message: "the record is \(size) bytes; the limit is \(options.maximumRecordBytes)",
                                                        location: location, kind: kind, source: source, original: Array(original.prefix(4096)))))
        }
        let item = JSONRecord.item(object: data, location: location, kind: &resolved, options: options, original: original)
        if case .record(let record, _) = item, record.source != source {
            return reject("data.source", "must be \(source.rawValue)", kind: kind)
        }
        return CloudEvent(id: id, source: source, kind: kind, item: item)
    }

    /// A crossroads bank notification: its XML read as a MAGDA file, one item per `jobSeeker`.
    func notification(_ object: [String: Any], id: String, position: Int, source: Source, original: [UInt8]) -> CloudEvent {
        func reject(_ field: String, _ message: String) -> CloudEvent {
            CloudEvent(id: id, source: source, kind: .jobseeker,
                       item: .rejected(Rejection(.invalidEvent, field: field, message: "\(field): \(message)", location: "event \(position)",
                                                 source: source, original: original)))
        }
        guard RecordKind.jobseeker.sources.contains(source) else {
            return reject("type", "\(source.rawValue) does not deliver job-seeker status notifications")
        }
        let contentType = (object["datacontenttype"] as? String)?.lowercased() ?? ""
        guard contentType.hasPrefix("application/xml") || contentType.hasPrefix("text/xml") else {
            return reject("datacontenttype", "must be application/xml for \(Self.jobSeekerStatusType)")
        }
        let xml: [UInt8]
        if let text = object["data"] as? String {
            xml = Array(text.utf8)
        } else if let encoded = object["data_base64"] as? String, let bytes = Data(base64Encoded: encoded) {
            xml = Array(bytes)
        } else {
            return reject("data", "the notification's XML as a string (or data_base64)")
        }
        let reader = MAGDAReader(allowTestNumbers: allowTestNumbers, today: today, personKey: personKey)
        let items = reader.read(xml, fileName: "event \(position)")
        guard !items.isEmpty else { return reject("data", "no jobSeeker in the notification") }
        return CloudEvent(id: id, source: source, kind: .jobseeker, items: items)
    }
}
