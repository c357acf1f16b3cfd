// libFuzzer target: go-plugin's launch handshake as the plugin reads it from
// its environment (Handshake.negotiate with PluginServerConfiguration's
// defaults), the PLUGIN_CLIENT_CERT shape check, and the start-up error
// messages. Input: a selector byte, then the variables' values separated
// by NUL bytes (which an environment value cannot contain), in the order of
// `variables` below. Selector bit i (0-4): variable i is set; bit 5: the
// magic cookie is the right one instead of the first value (so the fuzzer
// need not guess 64 hex digits to get past it).
import FuzzSupport
@testable import TerraformPlugin

let configuration = PluginServerConfiguration()
let variables = [
    configuration.magicCookieKey, "PLUGIN_PROTOCOL_VERSIONS", "PLUGIN_UNIX_SOCKET_DIR", "TMPDIR", "PLUGIN_CLIENT_CERT",
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHandshake(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = FuzzInput(data, size)
    let values = input.payload.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    var environment: [String: String] = [:]
    for (index, name) in variables.enumerated() where input.selector & (1 << index) != 0 {
        environment[name] = index < values.count ? values[index] : ""
    }
    if input.selector & 0x20 != 0 { environment[configuration.magicCookieKey] = configuration.magicCookieValue }

    switch Handshake.negotiate(configuration, environment: { environment[$0] }) {
    case .failure(let error):
        if error.description.isEmpty { fuzzFailure("an empty start-up error") }
    case .success(let request):
        if request.protocolVersion != configuration.protocolVersion { fuzzFailure("negotiated another protocol version") }
        if request.socketDirectory.isEmpty { fuzzFailure("an empty socket directory") }
        if let pem = request.clientCertificatePEM {
            if pem.isEmpty { fuzzFailure("an empty client certificate taken as given") }
            _ = isPEMCertificate(pem)
        }
    }
    // The shape check also sees every value directly, so that the fuzzer
    // reaches its base64 and DER length parsing without the cookie.
    if let last = values.last { _ = isPEMCertificate(last) }
    return 0
}
