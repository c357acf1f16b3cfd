/// gRPC status codes (the subset a plugin answers with).
public enum RPCStatusCode: Int32, Sendable {
    case ok = 0
    case cancelled = 1
    case unknown = 2
    case invalidArgument = 3
    case deadlineExceeded = 4
    case notFound = 5
    case resourceExhausted = 8
    case failedPrecondition = 9
    case unimplemented = 12
    case `internal` = 13
    case unavailable = 14
}

/// The answer to one unary call: the serialized response message, or a
/// non-OK status.
public enum RPCResult: Sendable {
    case success([UInt8])
    case failure(RPCStatusCode, String)
}

/// The answer to one server-streaming call (the client sends one message,
/// the server answers with any number): the serialized messages, sent in
/// order and then the OK status; or a non-OK status and no message.
public enum RPCStreamResult: Sendable {
    case messages([[UInt8]])
    case failure(RPCStatusCode, String)
}

/// Serves calls for the gRPC server. The server calls the handler
/// concurrently, one Swift task per call; an implementation must be safe
/// for that and must not block a thread while it waits.
///
/// The task is cancelled when the client cancels the call, its deadline
/// passes or its connection goes, and when the server shuts down: nobody
/// waits for the answer then, and the work should stop.
public protocol RPCHandler: Sendable {
    /// A unary call. `method` is the full gRPC path, e.g.
    /// `/tfplugin6.Provider/GetProviderSchema`; `request` is the serialized
    /// request message.
    func handle(method: String, request: [UInt8]) async -> RPCResult

    /// A server-streaming call: one of
    /// `PluginServerConfiguration.serverStreamingMethods`, e.g.
    /// `/tfplugin6.Provider/ListResource`. The default answers UNIMPLEMENTED.
    func handleServerStream(method: String, request: [UInt8]) async -> RPCStreamResult
}

extension RPCHandler {
    public func handleServerStream(method: String, request: [UInt8]) async -> RPCStreamResult {
        .failure(.unimplemented, "\(method) is not implemented by this plugin")
    }
}
