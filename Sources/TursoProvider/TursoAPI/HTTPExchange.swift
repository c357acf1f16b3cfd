/// One HTTP request of the Turso client, as the transport sends it.
struct HTTPRequest: Sendable {
    enum Method: String, Sendable {
        case get = "GET", post = "POST", delete = "DELETE"
    }

    var method: Method
    var url: String
    /// Complete header lines (`Name: value`). They may hold the bearer
    /// token: never log them.
    var headers: [String]
    /// Sent as the body when not nil (a POST without one sends `Content-Length: 0`).
    var body: [UInt8]?
    /// Use a new connection and do not keep it. For requests that must not
    /// be repeated: a kept connection may have been closed by the server
    /// while idle, and whether a create sent on it was acted upon could not
    /// be told from a connection that never answered.
    var freshConnection = false
}

struct HTTPResponse: Sendable {
    var status: Int
    var body: [UInt8]
    /// The raw `Retry-After` header, when the server sent one.
    var retryAfter: String?
}

/// Why a request got no HTTP answer.
struct TransportFailure: Error, Sendable {
    enum Kind: Sendable, Hashable {
        case resolve
        case connect
        case tls
        case timeout
        /// The connection broke, or closed without an answer.
        case connectionLost
        case responseTooLarge
        case cancelled
        case other
    }

    var kind: Kind
    /// The transport's explanation (host and port, never headers).
    var message: String
    /// Whether any of the request may have gone out. When false the server
    /// surely did not act on it, so even a create may be sent again; when
    /// true, the caller decides what happened by asking the server (the
    /// transport never guesses).
    var requestSent: Bool

    /// Cancelled before the request was handed to the network.
    static let cancelled = TransportFailure(kind: .cancelled, message: "cancelled", requestSent: false)
    /// Cancelled while the request was under way: it may have reached the server.
    static let cancelledInFlight = TransportFailure(kind: .cancelled, message: "cancelled while under way", requestSent: true)
}
