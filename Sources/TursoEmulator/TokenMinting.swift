import Foundation

/// Identifiers and token values for minted tokens, from a cryptographic RNG: emulator tokens are bearers too, and a predictable one
/// would let any local process act as the emulator's users.
enum TokenMinting {
    /// Like Turso's ids (`clGFZ4STEe6fljpFzIum8A`): 16 random bytes, base64url.
    static func newID() -> String {
        base64URL(randomBytes(16))
    }

    /// A JWT-shaped value: header.payload.signature, each base64url. The
    /// signature is random: the emulator recognises its tokens by lookup.
    static func newToken(id: String, issuedAt: Date) -> String {
        let header = #"{"alg":"EdDSA","typ":"JWT"}"#
        let payload = #"{"iat":\#(Int64(issuedAt.timeIntervalSince1970)),"id":"\#(id)","jti":"\#(base64URL(randomBytes(12)))"}"#
        return [base64URL(Array(header.utf8)), base64URL(Array(payload.utf8)), base64URL(randomBytes(64))]
            .joined(separator: ".")
    }

    /// SystemRandomNumberGenerator draws from the kernel (getrandom(2) on
    /// Linux, arc4random on Darwin): a cryptographic source, unlike seeded generators.
    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
