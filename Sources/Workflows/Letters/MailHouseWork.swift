import Domain
import Letters

/// The mail house's files: its acknowledgement (the letters it took: their batch is handed over)
/// and its returns (letters it brought back: the case gets "address unknown" as its next action,
/// and no further letters go to that address). Each line is accepted, found already applied, or
/// rejected with a reason; the accepted ones are applied together in one transaction, with the
/// file's outcome kept and audited — nothing is half-applied.
public struct MailHouseWork: Sendable {
    let letters: any MailHouseRepository
    let clock: Clock

    public init(letters: any MailHouseRepository, clock: Clock) {
        self.letters = letters
        self.clock = clock
    }

    /// Reads and applies one file, as `actor` (the steward, or the operator at the command line).
    /// Throws `MailHouseFile.Problem` for a file that is not one of the mail house's files at all.
    public func importFile(_ bytes: [UInt8], as kind: MailHouseFile.Kind, name: String, by actor: Actor) async throws -> MailHouseImport {
        let lines = try MailHouseFile.read(bytes, as: kind)
        let shortName = String(name.split(separator: "/").last.map(String.init)?.prefix(120) ?? "")
        return try await letters.applyMailHouseFile(kind, name: shortName, lines: lines, on: clock.today(), by: actor.acting(for: .dataQuality))
    }
}

/// What importing one mail-house file did, line by line.
public struct MailHouseImport: Sendable, Codable, Equatable {
    public struct LineOutcome: Sendable, Codable, Equatable {
        public enum Result: String, Sendable, Codable { case accepted, unchanged, rejected }
        public var line: Int
        public var reference: String?
        public var result: Result
        /// For a rejected line, why (`LineRejection.Code`); for an unchanged one, what it already was.
        public var code: String?
        public var message: String?

        public init(line: Int, reference: String?, result: Result, code: String? = nil, message: String? = nil) {
            self.line = line
            self.reference = reference
            self.result = result
            self.code = code
            self.message = message
        }
    }

    public var fileID: Int64
    public var kind: MailHouseFile.Kind
    public var name: String
    public var lines: [LineOutcome]
    /// Batches this acknowledgement handed over.
    public var batchesHandedOver: [Int64]
    /// Letters of those batches the file did not list (handed over with their batch all the same:
    /// the steward checks them with the mail house).
    public var notListed: [String]

    public var accepted: Int { lines.filter { $0.result == .accepted }.count }
    public var unchanged: Int { lines.filter { $0.result == .unchanged }.count }
    public var rejected: Int { lines.filter { $0.result == .rejected }.count }

    public init(fileID: Int64, kind: MailHouseFile.Kind, name: String, lines: [LineOutcome], batchesHandedOver: [Int64], notListed: [String]) {
        self.fileID = fileID
        self.kind = kind
        self.name = name
        self.lines = lines
        self.batchesHandedOver = batchesHandedOver
        self.notListed = notListed
    }
}
