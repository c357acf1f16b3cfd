import TerraformPlugin

/// Helpers for the value codec tests, in a namespace so they cannot clash
/// with helpers of other suites in this target.
enum ValuesFixtures {
    /// Bytes from hex text; spaces and newlines are ignored.
    static func bytes(_ hex: String) -> [UInt8] {
        let digits = hex.unicodeScalars.filter { !$0.properties.isWhitespace }.map { Character($0) }
        precondition(digits.count % 2 == 0, "odd number of hex digits in \(hex)")
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { byte in
            let text = String(byte, radix: 16)
            return text.count == 1 ? "0" + text : text
        }.joined(separator: " ")
    }

    static func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// The hex of a MessagePack str of `text` (fixstr or str8), for building
    /// expectations readably.
    static func str(_ text: String) -> String {
        let utf8 = Array(text.utf8)
        let header = utf8.count < 32 ? [0xA0 | UInt8(utf8.count)] : [0xD9, UInt8(utf8.count)]
        return hex(header + utf8)
    }

    /// The hex of a MessagePack bin8 of `text`.
    static func bin(_ text: String) -> String {
        let utf8 = Array(text.utf8)
        return hex([0xC4, UInt8(utf8.count)] + utf8)
    }

    /// The error a throwing call produced, or nil when it did not throw.
    static func error<T>(_ body: () throws(ValueCodingError) -> T) -> ValueCodingError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error
        }
    }

    static func number(_ text: String) -> CtyNumber { CtyNumber(decimal: text)! }
}

/// A small deterministic generator (SplitMix64), so a failing generated
/// case can be reproduced from its seed.
struct ValuesRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
