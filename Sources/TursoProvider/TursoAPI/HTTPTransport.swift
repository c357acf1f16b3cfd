import CTransport
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// HTTP/1.1 over TCP or TLS for the Turso client, with one cache of
/// keep-alive connections per transport.
///
/// Each request runs on a thread of its own: the socket calls block, so they
/// stay off Swift's cooperative pool, and a few dozen API calls per
/// Terraform run do not warrant an event loop. Cancelling the calling task
/// signals the request's cancel fd, which every wait polls beside the
/// socket, so the request ends at once whatever it is waiting for.
final class HTTPTransport: Sendable {
    struct Settings: Sendable {
        var userAgent: String
        /// Resolving, connecting and the TLS handshake.
        var connectTimeout: Duration
        /// The whole of one request, connecting included.
        var requestTimeout: Duration
        /// Larger answers fail the request: a token listing is a few hundred
        /// bytes per token.
        var maxResponseBytes = 16 * 1024 * 1024
        /// Idle connections kept per origin.
        var maxIdlePerOrigin = 4
        /// nil: the system's name servers. Tests name their own ("127.0.0.1:port").
        var dnsServers: String?
        /// nil: SSL_CERT_FILE, else the system's bundle. Tests name their own CA.
        var caBundle: String?
        /// Read from the environment when the transport is made.
        var proxies = HTTPProxySettings.fromEnvironment()
    }

    private let settings: Settings
    private let idle = Mutex<[HTTPOrigin: [HTTPConnection]]>([:])

    init(settings: Settings) {
        self.settings = settings
    }

    /// Sends one request and waits for the whole answer.
    func send(_ request: HTTPRequest) async throws(TransportFailure) -> HTTPResponse {
        let target = try HTTPTarget(url: request.url)
        // A line break in a header (a token pasted with its newline) would
        // start another header or request: refused before anything is sent.
        for line in request.headers + [settings.userAgent] where line.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) {
            let name = line.prefix { $0 != ":" }.prefix(40)
            throw TransportFailure(kind: .other, message: "the request header \(name) holds a line break", requestSent: false)
        }
        guard let cancel = CancelSignal() else {
            throw TransportFailure(kind: .other, message: "cannot create an event fd: \(errno)", requestSent: false)
        }
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<HTTPResponse, TransportFailure>, Never>) in
                let started = spawnThread { [self] in
                    continuation.resume(returning: perform(request, target, cancel))
                }
                if !started {
                    continuation.resume(returning: .failure(TransportFailure(
                        kind: .other, message: "cannot start a thread for the request: \(errno)", requestSent: false
                    )))
                }
            }
        } onCancel: {
            cancel.signal()
        }
        return try result.get()
    }

    // MARK: On the request's thread

    private func perform(_ request: HTTPRequest, _ target: HTTPTarget, _ cancel: CancelSignal) -> Result<HTTPResponse, TransportFailure> {
        let deadline = ctransport_now_ms() + Self.milliseconds(settings.requestTimeout)
        let proxy: HTTPProxy?
        do {
            proxy = try settings.proxies.proxy(for: target.origin)
        } catch {
            return .failure(error)
        }
        var cached = request.freshConnection ? nil : takeIdle(target.origin)
        while true {
            let reused = cached != nil
            let connection: HTTPConnection
            if let taken = cached {
                connection = taken
                cached = nil
            } else {
                let connectDeadline = min(deadline, ctransport_now_ms() + Self.milliseconds(settings.connectTimeout))
                switch open(target.origin, through: proxy, cancel: cancel, deadline: connectDeadline, overall: deadline) {
                case .success(let opened): connection = opened
                case .failure(let failure): return .failure(failure)
                }
            }
            var exchange = HTTPExchangeRun(
                connection: connection, cancel: cancel, deadline: deadline, maxResponseBytes: settings.maxResponseBytes
            )
            let head = head(of: request, target, plainProxy: proxy.flatMap { target.origin.tls ? nil : $0 })
            switch exchange.run(head: head, body: request.body ?? [], method: request.method) {
            case .success(let answer):
                if answer.reusable, !request.freshConnection { putIdle(connection) }
                return .success(answer.response)
            case .failure(let failure):
                // A kept-alive connection the server had already closed: send
                // again on a new one, as RFC 9110 (9.2.2) allows for
                // idempotent methods. Never a POST: it may have been acted on.
                if reused, !exchange.answerStarted, failure.kind == .connectionLost, request.method != .post {
                    continue
                }
                return .failure(failure)
            }
        }
    }

    /// A connection to `origin`: direct, through a CONNECT tunnel for https,
    /// or to the proxy itself for plain http.
    private func open(
        _ origin: HTTPOrigin, through proxy: HTTPProxy?, cancel: CancelSignal, deadline: Int64, overall: Int64
    ) -> Result<HTTPConnection, TransportFailure> {
        guard let proxy else {
            return HTTPConnection.open(
                origin, dnsServers: settings.dnsServers, caBundle: settings.caBundle, cancel: cancel, deadline: deadline, overall: overall
            )
        }
        let opened = HTTPConnection.open(
            proxy.origin, reaching: origin, dnsServers: settings.dnsServers, caBundle: nil, cancel: cancel, deadline: deadline, overall: overall
        )
        guard origin.tls, case .success(let connection) = opened else { return opened }
        var tunnel = HTTPExchangeRun(connection: connection, cancel: cancel, deadline: deadline, maxResponseBytes: 0)
        if case .failure(let failure) = tunnel.openTunnel(to: origin, proxyAuthorization: proxy.authorization) { return .failure(failure) }
        if let failure = connection.startTLS(origin, caBundle: settings.caBundle, cancel: cancel, deadline: deadline) { return .failure(failure) }
        return .success(connection)
    }

    /// The request line and headers, ending with the blank line. Through a
    /// plain-http proxy the request line carries the whole URL.
    private func head(of request: HTTPRequest, _ target: HTTPTarget, plainProxy: HTTPProxy?) -> [UInt8] {
        let requestTarget = plainProxy == nil ? target.pathAndQuery : "http://\(target.hostHeader)\(target.pathAndQuery)"
        var text = "\(request.method.rawValue) \(requestTarget) HTTP/1.1\r\nHost: \(target.hostHeader)\r\n"
        if let authorization = plainProxy?.authorization { text += "Proxy-Authorization: \(authorization)\r\n" }
        text += "User-Agent: \(settings.userAgent)\r\n"
        for line in request.headers { text += line + "\r\n" }
        if let body = request.body {
            text += "Content-Length: \(body.count)\r\n"
        } else if request.method == .post {
            text += "Content-Length: 0\r\n"
        }
        if request.freshConnection { text += "Connection: close\r\n" }
        text += "\r\n"
        return Array(text.utf8)
    }

    private func takeIdle(_ origin: HTTPOrigin) -> HTTPConnection? {
        while let connection = idle.withLock({ $0[origin]?.popLast() }) {
            if connection.isUsableWhileIdle { return connection }
            // Closed by the server meanwhile (or sent something unasked): dropped here.
        }
        return nil
    }

    private func putIdle(_ connection: HTTPConnection) {
        let limit = settings.maxIdlePerOrigin
        idle.withLock { idle in
            var list = idle[connection.origin, default: []]
            guard list.count < limit else { return }
            list.append(connection)
            idle[connection.origin] = list
        }
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return max(1, seconds.multipliedReportingOverflow(by: 1000).partialValue &+ attoseconds / 1_000_000_000_000_000)
    }
}

/// The eventfd that cancels one request's waits. Its one owner closes it;
/// both the request's thread and the cancellation handler hold the owner,
/// so a late `signal` never writes to a reused fd number.
final class CancelSignal: Sendable {
    let fd: Int32

    init?() {
        fd = ctransport_cancel_create()
        guard fd >= 0 else { return nil }
    }

    deinit { ctransport_cancel_close(fd) }

    func signal() { ctransport_cancel_signal(fd) }
}

/// Runs `body` on a new detached thread; false when none could be started.
private func spawnThread(_ body: @escaping @Sendable () -> Void) -> Bool {
    final class Box {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    let context = Unmanaged.passRetained(Box(body)).toOpaque()
    var thread = pthread_t()
    let created = pthread_create(&thread, nil, { context in
        // Balances passRetained: the thread owns the box now.
        Unmanaged<Box>.fromOpaque(context!).takeRetainedValue().body()
        return nil
    }, context)
    guard created == 0 else {
        Unmanaged<Box>.fromOpaque(context).release()
        return false
    }
    pthread_detach(thread)
    return true
}
