/// Which pairs are compared at all. A rule pairs the records that agree exactly on its key; the
/// candidate pairs are the union over the rules, each pair compared once. A true pair is lost only
/// when every rule's key differs, so the rules are chosen to fail on different kinds of error
/// (a typo in the number, in the name, in the date, a move).
public struct BlockingRule: Sendable, CustomStringConvertible {
    public enum Part: Sendable, Equatable {
        case nationalNumber, birthDate, birthYear, givenName, firstGivenName, surname, sex
        case givenNamePrefix(Int), surnamePrefix(Int), street, houseNumber, postcode, city
    }

    public let parts: [Part]

    public init(_ parts: Part...) { self.parts = parts }
    public init(parts: [Part]) { self.parts = parts }

    public var description: String { parts.map(Self.name).joined(separator: " + ") }

    private static func name(_ part: Part) -> String {
        switch part {
        case .nationalNumber: "national number"
        case .birthDate: "birth date"
        case .birthYear: "birth year"
        case .givenName: "given names"
        case .firstGivenName: "first given name"
        case .surname: "surname"
        case .sex: "sex"
        case .givenNamePrefix(let n): "first \(n) letters of the given name"
        case .surnamePrefix(let n): "first \(n) letters of the surname (without van, de, …)"
        case .street: "street"
        case .houseNumber: "house number"
        case .postcode: "postcode"
        case .city: "municipality"
        }
    }

    /// The defaults: each covers the errors the others cannot (measured in BENCHMARKS.md: on
    /// FEBRL4 and on the synthetic Belgian population the union loses no true pair the model could link).
    public static let defaults: [BlockingRule] = [
        BlockingRule(.nationalNumber),
        BlockingRule(.birthDate, .surnamePrefix(2)),
        BlockingRule(.birthDate, .givenNamePrefix(2)),
        BlockingRule(.firstGivenName, .surname),
        BlockingRule(.postcode, .street, .houseNumber),
        BlockingRule(.birthDate, .postcode),
        BlockingRule(.surname, .postcode),
        BlockingRule(.givenName, .city),
        BlockingRule(.street, .houseNumber, .city),
    ]

    /// The rules that train the model (`Linker.Options.trainingRules`): identifiers, no address.
    public static let training: [BlockingRule] = Array(defaults.prefix(4))

    /// The fields the rule's key is made of.
    var fields: Set<LinkageField> {
        Set(parts.map { part -> LinkageField in
            switch part {
            case .nationalNumber: .nationalNumber
            case .birthDate, .birthYear: .birthDate
            case .givenName, .firstGivenName, .givenNamePrefix: .givenName
            case .surname, .surnamePrefix: .surname
            case .sex: .sex
            case .street, .houseNumber, .postcode, .city: .address
            }
        })
    }

    /// The key of record `i`, or 0 when a part is missing (such a record is not blocked by this rule).
    func key(_ columns: RecordColumns, _ i: Int, _ encoder: RecordEncoder) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix(_ value: UInt64) { hash = (hash ^ value) &* 0x100_0000_01B3; hash ^= hash >> 29 }
        for (position, part) in parts.enumerated() {
            let value: UInt64
            switch part {
            case .nationalNumber: value = UInt64(columns.nationalNumber[i])
            case .birthDate: value = UInt64(columns.birthDate[i] % 10_000 == 0 ? 0 : columns.birthDate[i])
            case .birthYear: value = UInt64(columns.birthDate[i] / 10_000)
            case .givenName: value = UInt64(columns.givenName[i])
            case .firstGivenName: value = UInt64(columns.firstGivenName[i])
            case .surname: value = UInt64(columns.surname[i])
            case .sex: value = UInt64(columns.sex[i])
            case .givenNamePrefix(let n): value = Self.prefix(encoder.names, columns.firstGivenName[i], n)
            case .surnamePrefix(let n): value = Self.prefix(encoder.names, columns.surnameCore[i], n)
            case .street: value = UInt64(columns.street[i])
            case .houseNumber: value = UInt64(columns.houseNumber[i])
            case .postcode: value = UInt64(columns.postcode[i])
            case .city: value = UInt64(columns.city[i])
            }
            if value == 0 { return 0 }
            mix(value &+ UInt64(position) << 56)
        }
        return hash == 0 ? 1 : hash
    }

    private static func prefix(_ table: TokenTable, _ token: Int32, _ n: Int) -> UInt64 {
        guard token != 0 else { return 0 }
        return table.withBytes(token) { bytes in
            var value: UInt64 = 1
            for byte in bytes.prefix(n) { value = value << 8 | UInt64(byte) }
            return value
        }
    }
}

/// The blocks of one rule: both files' records sorted by key, and the runs of equal keys.
struct RuleBlocks: Sendable {
    struct Block: Sendable {
        var a: Range<Int>
        var b: Range<Int>
        var pairs: Int { a.count * b.count }
    }

    var keysA: [UInt64]
    var keysB: [UInt64]
    var sortedA: [UInt32]
    var sortedB: [UInt32]
    var blocks: [Block]
    /// Blocks over the cap, left out: (count, pairs they would have had).
    var skippedBlocks = 0
    var skippedPairs = 0

    init(rule: BlockingRule, a: RecordColumns, b: RecordColumns, encoder: RecordEncoder, maximumPairsPerBlock: Int) {
        keysA = (0..<a.count).map { rule.key(a, $0, encoder) }
        keysB = (0..<b.count).map { rule.key(b, $0, encoder) }
        func sorted(_ keys: [UInt64]) -> [UInt32] {
            var indices = (0..<keys.count).filter { keys[$0] != 0 }.map { UInt32($0) }
            indices.sort { keys[Int($0)] != keys[Int($1)] ? keys[Int($0)] < keys[Int($1)] : $0 < $1 }
            return indices
        }
        sortedA = sorted(keysA)
        sortedB = sorted(keysB)
        blocks = []
        var i = 0, j = 0
        while i < sortedA.count && j < sortedB.count {
            let x = keysA[Int(sortedA[i])], y = keysB[Int(sortedB[j])]
            if x < y { i += 1; continue }
            if y < x { j += 1; continue }
            var iEnd = i, jEnd = j
            while iEnd < sortedA.count && keysA[Int(sortedA[iEnd])] == x { iEnd += 1 }
            while jEnd < sortedB.count && keysB[Int(sortedB[jEnd])] == x { jEnd += 1 }
            let block = Block(a: i..<iEnd, b: j..<jEnd)
            if block.pairs > maximumPairsPerBlock {
                skippedBlocks += 1
                skippedPairs += block.pairs
            } else {
                blocks.append(block)
            }
            i = iEnd; j = jEnd
        }
    }
}
