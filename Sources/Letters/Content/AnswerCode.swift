/// The personal code a letter carries, so that the young person can answer on the answer page
/// without an account: 9 random characters and a check character from an alphabet without
/// look-alikes (no 0/O, 1/I/L, no U/V pair), shown in two groups (`K7QF2-M9XDA`). 29⁹ ≈ 2⁴³·⁷
/// possibilities; the check character catches a typo before any look-up. Vangnet stores only a
/// keyed hash of it (Storage), never the code.
public struct AnswerCode: Sendable, Hashable, CustomStringConvertible {
    public static let alphabet = Array("23456789ABCDEFGHJKMNPQRSTWXYZ")
    static let length = 9

    /// The 10 characters without the dash.
    public let characters: String

    /// A new code from the system's cryptographically secure random generator.
    public static func generate() -> AnswerCode {
        var generator = SystemRandomNumberGenerator()
        return generate(using: &generator)
    }

    public static func generate(using generator: inout some RandomNumberGenerator) -> AnswerCode {
        let body = (0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        return AnswerCode(trusted: String(body) + String(check(body)))
    }

    private init(trusted: String) { characters = trusted }

    /// Reads a typed code: case, spaces and dashes do not matter; nil when it cannot be a code
    /// (wrong length, a character outside the alphabet, or a check character that does not fit).
    public init?(typed: String) {
        let cleaned = typed.uppercased().filter { !$0.isWhitespace && $0 != "-" }
        guard cleaned.count == Self.length + 1, cleaned.allSatisfy(Self.alphabet.contains) else { return nil }
        let chars = Array(cleaned)
        guard Self.check(Array(chars.prefix(Self.length))) == chars[Self.length] else { return nil }
        characters = cleaned
    }

    /// `K7QF2-M9XDA`.
    public var grouped: String { String(characters.prefix(5)) + "-" + String(characters.dropFirst(5)) }

    /// Never the code itself (logs).
    public var description: String { "AnswerCode(redacted)" }

    /// The check character makes Σ (position + 1) × value ≡ 0 modulo 29 over all ten characters.
    /// 29 is prime and every weight differs from the next, so every single wrong character and
    /// every swap of two neighbours changes the sum: all are caught.
    static func check(_ body: [Character]) -> Character {
        let n = alphabet.count  // 29
        var sum = 0
        for (position, character) in body.enumerated() { sum += (position + 1) * alphabet.firstIndex(of: character)! }
        // The check character's weight is 10; 10 × 3 ≡ 1 (mod 29).
        return alphabet[(n - (sum % n) * 3 % n) % n]
    }
}
