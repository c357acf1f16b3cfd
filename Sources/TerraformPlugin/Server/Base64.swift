import COpenSSL

/// Standard base64 (RFC 4648 §4), through libcrypto.
package enum Base64 {
    /// Without `=` padding, as go-plugin writes the certificate in the handshake.
    package static func encodeWithoutPadding(_ bytes: [UInt8]) -> String {
        guard !bytes.isEmpty else { return "" }
        var output = [UInt8](repeating: 0, count: (bytes.count + 2) / 3 * 4 + 1)
        let count = Int(EVP_EncodeBlock(&output, bytes, Int32(bytes.count)))
        var end = count
        while end > 0, output[end - 1] == UInt8(ascii: "=") { end -= 1 }
        return String(decoding: output[..<end], as: UTF8.self)
    }
}
