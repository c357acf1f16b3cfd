/// gRPC status codes (the subset a plugin answers with).
public enum RPCStatusCode: Int32, Sendable {
    case ok = 0
    case cancelled = 1
    case unknown = 2
    case invalidArgument = 3
    case deadlineExceeded = 4
    case notFound = 5
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

/// Serves unary calls for the gRPC server. The server calls `handle`
/// concurrently, one Swift task per call; an implementation must be safe
/// for that and must not block a thread while it waits.
public protocol RPCHandler: Sendable {
    /// `method` is the full gRPC path, e.g. `/tfplugin6.Provider/GetProviderSchema`;
    /// `request` is the serialized request message.
    func handle(method: String, request: [UInt8]) async -> RPCResult
}
