/// A failure the emulator injects into matching API requests, so tests can
/// reproduce what the real Turso API, the network or a hostile server may
/// do: an error status (optionally with `Retry-After`), a slow answer, a
/// connection cut before or after the request took effect, an answer that is
/// not HTTP, a body that is too large, unparseable or of another status, a
/// lying `Content-Length`.
///
/// JSON form (for `POST /_emulator/faults`), every field optional:
/// `{"method": "POST", "path_prefix": "/v1/auth/api-tokens", "token_name": "ci",
///   "count": 1, "delay_ms": 200, "process": true, "status": 503,
///   "retry_after": "2", "error": "overloaded", "drop": false,
///   "raw": "garbage", "body": "{not json", "keep_body": true,
///   "oversize_bytes": 17000000, "content_length": "-1"}`
public struct Fault: Codable, Sendable, Hashable {
    /// Matches requests with this method (any when nil).
    public var method: String?
    /// Matches requests whose path starts with this (any when nil).
    public var pathPrefix: String?
    /// Matches only requests naming this token in their path
    /// (`/v1/auth/api-tokens/{name}`).
    public var tokenName: String?
    /// Applies to the next `count` matching requests, then retires (every one when nil).
    public var count: Int?
    /// Waits this long before answering (or dropping).
    public var delayMilliseconds: Int?
    /// Runs the request for real first, so its effect happens, and only then
    /// answers with the fault: the "server did it but the client never heard" case.
    public var process: Bool?
    /// Answers with this status and `{"error": error}` instead of the real answer.
    public var status: Int?
    /// Sent as the `Retry-After` header with `status` (seconds or an HTTP-date).
    public var retryAfter: String?
    public var error: String?
    /// Closes the connection without answering.
    public var drop: Bool?
    /// Sends these bytes (as UTF-8) instead of an HTTP answer, then closes:
    /// a server that speaks something else, or half an answer.
    public var raw: String?
    /// The answer's body, instead of the real one or `{"error": error}`
    /// (an unparseable 200, a listing with duplicates, ...).
    public var body: String?
    /// With `status` and `process`: the real answer's body under the fault's
    /// status (a 201 carrying the created token's value).
    public var keepBody: Bool?
    /// Answers with a body of this many bytes (JSON whitespace, then `{}`).
    public var oversizeBytes: Int?
    /// Sent as the `Content-Length` header instead of the body's length.
    public var contentLength: String?

    enum CodingKeys: String, CodingKey {
        case method
        case pathPrefix = "path_prefix"
        case tokenName = "token_name"
        case count
        case delayMilliseconds = "delay_ms"
        case process, status
        case retryAfter = "retry_after"
        case error, drop, raw, body
        case keepBody = "keep_body"
        case oversizeBytes = "oversize_bytes"
        case contentLength = "content_length"
    }

    public init(
        method: String? = nil, pathPrefix: String? = nil, tokenName: String? = nil, count: Int? = nil,
        delayMilliseconds: Int? = nil, process: Bool? = nil, status: Int? = nil, retryAfter: String? = nil,
        error: String? = nil, drop: Bool? = nil, raw: String? = nil, body: String? = nil, keepBody: Bool? = nil,
        oversizeBytes: Int? = nil, contentLength: String? = nil
    ) {
        self.method = method
        self.pathPrefix = pathPrefix
        self.tokenName = tokenName
        self.count = count
        self.delayMilliseconds = delayMilliseconds
        self.process = process
        self.status = status
        self.retryAfter = retryAfter
        self.error = error
        self.drop = drop
        self.raw = raw
        self.body = body
        self.keepBody = keepBody
        self.oversizeBytes = oversizeBytes
        self.contentLength = contentLength
    }

    /// Why this fault cannot be applied, if it cannot.
    var problem: String? {
        if let count, count < 1 { return "count must be at least 1" }
        if let delayMilliseconds, delayMilliseconds < 0 || delayMilliseconds > 600_000 {
            return "delay_ms must be between 0 and 600000"
        }
        if let status, !(100...599).contains(status) { return "status must be an HTTP status (100-599)" }
        if status != nil, drop == true { return "a fault either answers with status or drops, not both" }
        if raw != nil, drop == true || status != nil || body != nil { return "raw replaces the whole answer: no status, body or drop with it" }
        if keepBody == true, status == nil || process != true { return "keep_body needs status and process" }
        if keepBody == true, body != nil { return "keep_body and body exclude each other" }
        if let oversizeBytes, oversizeBytes < 0 || oversizeBytes > 64 * 1024 * 1024 { return "oversize_bytes must be between 0 and 67108864" }
        if let contentLength, contentLength.contains(where: { $0 == "\r" || $0 == "\n" }) { return "content_length must be one line" }
        if retryAfter != nil, status == nil { return "retry_after needs status" }
        if let retryAfter, retryAfter.contains(where: { $0 == "\r" || $0 == "\n" }) { return "retry_after must be one line" }
        return nil
    }

    func matches(method requestMethod: String, path: String, tokenName requestToken: String?) -> Bool {
        if let method, method.uppercased() != requestMethod { return false }
        if let pathPrefix, !path.hasPrefix(pathPrefix) { return false }
        if let tokenName, tokenName != requestToken { return false }
        return true
    }
}
