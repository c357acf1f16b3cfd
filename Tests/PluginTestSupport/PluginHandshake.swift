import Foundation

/// The go-plugin handshake line a plugin prints:
/// `CORE-VERSION|APP-VERSION|NETWORK|ADDRESS|PROTOCOL|CERT`.
public struct PluginHandshake: Equatable, Sendable {
    public static let magicCookieKey = "TF_PLUGIN_MAGIC_COOKIE"
    public static let magicCookieValue = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"

    public var fields: [String]
    public var coreProtocolVersion: String { fields[0] }
    public var protocolVersion: String { fields[1] }
    public var network: String { fields[2] }
    public var address: String { fields[3] }
    public var rpcProtocol: String { fields[4] }
    /// The server certificate field as printed (base64 without padding), or "".
    public var certificateField: String { fields[5] }

    /// Parses one line (without its newline). Needs exactly 6 fields.
    public init(line: String) throws {
        fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 6 else { throw PluginTestError("handshake line has \(fields.count) fields, not 6: \(line)") }
    }

    /// The server certificate (DER), decoded from standard base64 without
    /// padding; nil when the field is empty (plaintext).
    public func certificateDER() throws -> [UInt8]? {
        guard !certificateField.isEmpty else { return nil }
        guard !certificateField.hasSuffix("=") else { throw PluginTestError("certificate field is padded: \(certificateField)") }
        let padded = certificateField + String(repeating: "=", count: (4 - certificateField.count % 4) % 4)
        guard let data = Data(base64Encoded: padded) else { throw PluginTestError("certificate field is not base64") }
        return [UInt8](data)
    }
}
