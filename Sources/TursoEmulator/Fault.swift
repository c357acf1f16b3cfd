/// A failure the emulator injects into matching API requests, so tests can
/// reproduce what the real Turso API or the network may do: an error status
/// (optionally with `Retry-After`), a slow answer, or a connection cut
/// before or after the request took effect.
///
/// JSON form (for `POST /_emulator/faults`), every field optional:
/// `{"method": "POST", "path_prefix": "/v1/auth/api-tokens", "token_name": "ci",
///   "count": 1, "delay_ms": 200, "process": true, "status": 503,
///   "retry_after": "2", "error": "overloaded", "drop": false}`
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

    enum CodingKeys: String, CodingKey {
        case method
        case pathPrefix = "path_prefix"
        case tokenName = "token_name"
        case count
        case delayMilliseconds = "delay_ms"
        case process, status
        case retryAfter = "retry_after"
        case error, drop
    }

    public init(
        method: String? = nil, pathPrefix: String? = nil, tokenName: String? = nil, count: Int? = nil,
        delayMilliseconds: Int? = nil, process: Bool? = nil, status: Int? = nil, retryAfter: String? = nil,
        error: String? = nil, drop: Bool? = nil
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
    }

    /// Why this fault cannot be applied, if it cannot.
    var problem: String? {
        if let count, count < 1 { return "count must be at least 1" }
        if let delayMilliseconds, delayMilliseconds < 0 || delayMilliseconds > 600_000 {
            return "delay_ms must be between 0 and 600000"
        }
        if let status, !(100...599).contains(status) { return "status must be an HTTP status (100-599)" }
        if status != nil, drop == true { return "a fault either answers with status or drops, not both" }
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
