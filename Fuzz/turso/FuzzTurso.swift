// libFuzzer target: what the Turso API client reads from Turso's answers.
// Input: a selector byte, then a response body (or header).
//
//   selector & 0x80 == 0: the body of an answer with status
//     `statuses[selector % count]`, read the way the client reads each of
//     its calls: TursoJSON, a token listing (`tokens`), a create (`id`,
//     `token`), a validation (`exp`), and Turso's `error` text made into
//     the error the user sees.
//   selector & 0x80 != 0: a `Retry-After` header value.
//
// Beyond "never crashes": parsed JSON written back parses to the same
// document, no token value given to the client appears in an error, and an
// error's text holds no control character (Turso's text is shown escaped:
// it reaches the user's terminal).
import FuzzSupport
@testable import TerraformPlugin
@testable import TursoProvider

let apiToken = "fuzz-provider-api-token-0123456789"
let client = TursoClient(baseURL: "http://127.0.0.1:9", apiToken: apiToken, userAgent: "terraform-provider-turso/fuzz")
let statuses = [200, 400, 401, 403, 404, 405, 409, 422, 429, 500, 502, 503, 504, 302, 418]
let operations: [TursoOperation] = [
    .listTokens(organization: nil), .listTokens(organization: "fuzz-org"), .createToken(name: "fuzz-name"),
    .revokeToken(name: "fuzz-name"), .revokeOrganizationToken(organization: "fuzz-org", id: "fuzz-id"), .validateToken,
]
let now = UnixTime(seconds: 1_800_000_000)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTurso(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = FuzzInput(data, size)
    if input.selector & 0x80 != 0 {
        if let delay = RetryAfter.parse(String(decoding: input.payload, as: UTF8.self), now: now), delay < .zero {
            fuzzFailure("a negative Retry-After delay")
        }
        return 0
    }
    let body = input.payload
    if let json = try? TursoJSON.parse(body) {
        checkRoundTrip(json)
        // A listing, a create and a validation, as TursoClient reads them.
        for element in json["tokens"]?.arrayValue ?? [] { _ = APIToken(json: element) }
        _ = (json["id"]?.stringValue, json["token"]?.stringValue, json["name"]?.stringValue)
        _ = json["exp"]?.int64Value.map { UnixTime(seconds: $0) }
    }
    let status = statuses[Int(input.selector) % statuses.count]
    let response = HTTPResponse(status: status, body: body, retryAfter: nil)
    let secret = "fuzz-validated-token-value-0123"
    for operation in operations {
        let error = client.error(for: response, operation, attempts: 3, redacting: secret)
        if error.description.contains(apiToken) || error.description.contains(secret) {
            fuzzFailure("a token value in an error message")
        }
        if (error.summary + error.detail).unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            fuzzFailure("a control character in an error message: \(PluginLog.jsonString(error.detail))")
        }
    }
    return 0
}

private func checkRoundTrip(_ json: TursoJSON) {
    let written = json.encoded
    let again: TursoJSON
    do { again = try TursoJSON.parse(written) } catch {
        fuzzFailure("TursoJSON's own output does not parse: \(error.message)")
    }
    if again != json { fuzzFailure("a document changed in a TursoJSON round trip") }
}
