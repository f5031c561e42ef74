/// Folded values interned once: a field's value becomes a number, so "the same" is one integer
/// comparison and the bytes are looked at only when two values differ. Both files of a run share
/// the tables, so a token means the same in each.
struct TokenTable: Sendable {
    private var ids: [[UInt8]: Int32] = [:]
    private(set) var bytes: [UInt8] = []
    private(set) var starts: [Int] = [0]

    /// Token 0 stands for "missing".
    init() { _ = intern([]) }

    mutating func intern(_ value: [UInt8]) -> Int32 {
        if let id = ids[value] { return id }
        let id = Int32(starts.count - 1)
        ids[value] = id
        bytes.append(contentsOf: value)
        starts.append(bytes.count)
        return id
    }

    var count: Int { starts.count - 1 }

    func length(_ token: Int32) -> Int { starts[Int(token) + 1] - starts[Int(token)] }

    func withBytes<R>(_ token: Int32, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        bytes.withUnsafeBufferPointer { all in
            body(UnsafeBufferPointer(rebasing: all[starts[Int(token)]..<starts[Int(token) + 1]]))
        }
    }

    func value(_ token: Int32) -> [UInt8] { Array(bytes[starts[Int(token)]..<starts[Int(token) + 1]]) }
}
