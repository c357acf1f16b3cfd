import Foundation
import Synchronization

/// An in-memory emulator of the Turso Platform API's token endpoints
/// (`/v1/auth/api-tokens`, `/v1/auth/validate`,
/// `/v1/organizations/{org}/api-tokens`), served over real HTTP/1.1 on
/// 127.0.0.1, with test controls under `/_emulator/` (see ControlRoutes.swift).
///
///     let emulator = TursoAPIEmulator(configuration: .init(organizations: ["my-org": ["default"]]))
///     try emulator.start()
///     // use emulator.baseURL with bearer EmulatorConfiguration.defaultAdminToken
///     emulator.stop()
public final class TursoAPIEmulator: Sendable {
    private let core: EmulatorCore
    private let server: HTTPServer

    public init(configuration: EmulatorConfiguration = EmulatorConfiguration()) {
        let core = EmulatorCore(configuration: configuration)
        self.core = core
        self.server = HTTPServer(port: configuration.port) { request, server in core.handle(request, server: server) }
    }

    deinit { server.stop() }

    /// Starts listening; returns the port (a free one when the configuration asked for 0).
    @discardableResult
    public func start() throws -> UInt16 { try server.start() }

    /// Stops listening and closes open connections. Idempotent.
    public func stop() { server.stop() }

    public var port: UInt16 { server.port }

    /// TCP connections accepted so far.
    public var acceptedConnections: Int { server.acceptedConnections }

    /// `http://127.0.0.1:<port>`, the base URL clients use.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    // MARK: In-process controls (the same as the /_emulator/ endpoints)

    /// Adds a fault rule; returns its id. Rules are tried in the order added.
    @discardableResult
    public func addFault(_ fault: Fault) throws -> Int { try core.addFault(fault) }

    public func clearFaults() { core.clearFaults() }

    /// The API requests served so far (not the control requests), oldest first.
    public func requestLog() -> [LoggedRequest] { core.requestLog() }

    public func clearRequestLog() { core.clearRequestLog() }

    /// API requests received so far, answered or not (a delayed one counts
    /// as soon as it is read).
    public var receivedRequests: Int { core.state.withLock { $0.received } }

    /// Forgets minted tokens, faults and the request log.
    public func reset() { core.reset() }

    /// Revokes a minted token without going through the API, as if someone
    /// revoked it elsewhere. Returns whether a token was found. With no
    /// username, every user's token of that name is revoked.
    @discardableResult
    public func revokeOutOfBand(name: String, username: String? = nil) -> Bool {
        core.revokeOutOfBand(name: name, username: username)
    }

    /// Sets the expiry (unix seconds; nil for none) that validate reports for
    /// a minted token. Returns whether a token was found.
    @discardableResult
    public func setExpiry(name: String, username: String? = nil, expiresAt: Int64?) -> Bool {
        core.setExpiry(name: name, username: username, expiresAt: expiresAt)
    }
}

/// One API request the emulator answered. Never holds headers or token values.
public struct LoggedRequest: Codable, Sendable, Hashable {
    public var method: String
    public var path: String
    /// Nil when the connection was dropped without an answer.
    public var status: Int?
    /// ISO 8601 with milliseconds, UTC.
    public var timestamp: String
    /// Whether an injected fault applied.
    public var fault: Bool
    /// The client's User-Agent header (the one header kept: it names software, never a secret).
    public var userAgent: String?

    enum CodingKeys: String, CodingKey {
        case method, path, status, timestamp, fault
        case userAgent = "user_agent"
    }
}

/// A token minted through the API.
struct StoredToken: Sendable {
    var name: String
    var id: String
    var value: String
    var owner: String
    var organization: String?
    var group: String?
    var scopes: [String]?
    var createdAt: Date
    var expiresAt: Int64?
}

struct EmulatorState: Sendable {
    var tokens: [StoredToken] = []
    var faults: [(id: Int, fault: Fault)] = []
    var nextFaultID = 1
    var log: [LoggedRequest] = []
    /// API requests read so far, counted before any fault or delay: unlike
    /// the log (written once answered), it shows requests still being held.
    var received = 0
}

/// The emulator's state and request handling, shared by the server's threads.
final class EmulatorCore: Sendable {
    static let maxLoggedRequests = 100_000

    let configuration: EmulatorConfiguration
    let state = Mutex(EmulatorState())

    init(configuration: EmulatorConfiguration) {
        self.configuration = configuration
    }

    func handle(_ request: HTTPRequest, server: HTTPServer) -> HTTPAction {
        if request.path == "/_emulator" || request.path.hasPrefix("/_emulator/") {
            return .respond(control(request))
        }
        state.withLock { $0.received += 1 }
        let fault = takeFault(for: request)
        if let delay = fault?.delayMilliseconds, delay > 0 { server.pause(milliseconds: delay) }
        let action: HTTPAction
        switch fault {
        case nil:
            action = .respond(api(request))
        case let fault?:
            // Process first when asked, so the effect happens even though the client hears the fault.
            let real = fault.process == true ? api(request) : nil
            if fault.drop == true {
                action = .drop
            } else if let raw = fault.raw {
                action = .raw(Array(raw.utf8))
            } else {
                var response: HTTPResponse
                if let status = fault.status {
                    if fault.keepBody == true, let real {
                        response = HTTPResponse(status: status, body: real.body)
                    } else if let body = fault.body {
                        response = HTTPResponse(status: status, body: Array(body.utf8))
                    } else {
                        response = HTTPResponse.error(status, fault.error ?? "injected fault: \(HTTPResponse.reason(status))")
                    }
                    if let retryAfter = fault.retryAfter { response.headers.append(("Retry-After", retryAfter)) }
                } else {
                    response = real ?? api(request)
                    if let body = fault.body { response.body = Array(body.utf8) }
                }
                if let size = fault.oversizeBytes {
                    response.body = [UInt8](repeating: UInt8(ascii: " "), count: max(0, size - 2)) + Array("{}".utf8)
                }
                response.contentLength = fault.contentLength
                action = .respond(response)
            }
        }
        record(request, action, faulted: fault != nil)
        return action
    }

    private func takeFault(for request: HTTPRequest) -> Fault? {
        let name = tokenNameInPath(request)
        return state.withLock { state -> Fault? in
            guard let index = state.faults.firstIndex(where: {
                $0.fault.matches(method: request.method, path: request.path, tokenName: name)
            }) else { return nil }
            let fault = state.faults[index].fault
            if let count = fault.count {
                if count <= 1 {
                    state.faults.remove(at: index)
                } else {
                    state.faults[index].fault.count = count - 1
                }
            }
            return fault
        }
    }

    /// The `{name}` of `/v1/auth/api-tokens/{name}`.
    private func tokenNameInPath(_ request: HTTPRequest) -> String? {
        guard let segments = request.pathSegments, segments.count == 4,
              segments[0] == "v1", segments[1] == "auth", segments[2] == "api-tokens" else { return nil }
        return segments[3]
    }

    private func record(_ request: HTTPRequest, _ action: HTTPAction, faulted: Bool) {
        let status: Int? = if case .respond(let response) = action { response.status } else { nil }  // nil: dropped or raw
        let entry = LoggedRequest(
            method: request.method, path: request.path, status: status,
            timestamp: Self.timestamp(configuration.now()), fault: faulted, userAgent: request.header("user-agent")
        )
        state.withLock { state in
            if state.log.count >= Self.maxLoggedRequests { state.log.removeFirst(state.log.count / 2) }
            state.log.append(entry)
        }
        configuration.requestLogger?(
            "\(entry.timestamp) \(entry.method) \(entry.path) -> \(status.map(String.init) ?? "dropped")\(faulted ? " (fault)" : "")"
        )
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    // MARK: Controls

    func addFault(_ fault: Fault) throws -> Int {
        if let problem = fault.problem { throw HTTPServerError(description: problem) }
        return state.withLock { state in
            let id = state.nextFaultID
            state.nextFaultID += 1
            state.faults.append((id, fault))
            return id
        }
    }

    func clearFaults() { state.withLock { $0.faults.removeAll() } }

    func requestLog() -> [LoggedRequest] { state.withLock { $0.log } }

    func clearRequestLog() { state.withLock { $0.log.removeAll() } }

    func reset() {
        state.withLock { state in
            state.tokens.removeAll()
            state.faults.removeAll()
            state.log.removeAll()
        }
    }

    func revokeOutOfBand(name: String, username: String?) -> Bool {
        state.withLock { state in
            let before = state.tokens.count
            state.tokens.removeAll { Self.sameName($0.name, name) && (username == nil || $0.owner == username) }
            return state.tokens.count != before
        }
    }

    func setExpiry(name: String, username: String?, expiresAt: Int64?) -> Bool {
        state.withLock { state in
            var found = false
            for index in state.tokens.indices
            where Self.sameName(state.tokens[index].name, name) && (username == nil || state.tokens[index].owner == username) {
                state.tokens[index].expiresAt = expiresAt
                found = true
            }
            return found
        }
    }
}
