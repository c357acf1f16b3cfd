import Foundation
import Glibc
import Synchronization

/// What the server does with a request.
enum HTTPAction: Sendable {
    case respond(HTTPResponse)
    /// Close the connection without answering, as a crashed or cut-off
    /// server would.
    case drop
    /// Send these bytes as they are, then close (not an HTTP answer).
    case raw([UInt8])
}

struct HTTPServerError: Error, CustomStringConvertible {
    var description: String
}

/// A small HTTP/1.1 server over POSIX sockets, bound to 127.0.0.1 only: one
/// thread accepts, one thread serves each connection (keep-alive, Content-Length
/// bodies, `Expect: 100-continue`). Enough for tests and a local emulator;
/// it never listens on other interfaces.
final class HTTPServer: Sendable {
    private let requestedPort: UInt16
    /// Also receives the server, for `pause` (a delay that ends when the server stops).
    private let handler: @Sendable (HTTPRequest, HTTPServer) -> HTTPAction
    private let stopping = Atomic<Bool>(false)
    private let state = Mutex(ServerState())
    /// Entered by the accept thread and each connection thread; stop() waits on it.
    private let threads = DispatchGroup()

    private struct ServerState {
        var listener: Int32 = -1
        var port: UInt16 = 0
        /// Open connections, so stop() can shut them down. A connection thread
        /// removes its descriptor here before closing it, under the same lock,
        /// so stop() never touches a descriptor number already reused.
        var connections: Set<Int32> = []
        var acceptedCount = 0
    }

    init(port: UInt16, handler: @escaping @Sendable (HTTPRequest, HTTPServer) -> HTTPAction) {
        self.requestedPort = port
        self.handler = handler
    }

    var port: UInt16 { state.withLock { $0.port } }

    var isStopping: Bool { stopping.load(ordering: .relaxed) }

    /// Connections accepted so far: tests check that clients reuse them.
    var acceptedConnections: Int { state.withLock { $0.acceptedCount } }

    /// Binds 127.0.0.1 on the requested port (0: a free one) and starts accepting.
    func start() throws -> UInt16 {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard listener >= 0 else { throw HTTPServerError(description: "socket: \(errnoText())") }
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = requestedPort.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(listener, 128) == 0 else {
            let reason = errnoText()
            close(listener)
            throw HTTPServerError(description: "cannot listen on 127.0.0.1:\(requestedPort): \(reason)")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        let port = UInt16(bigEndian: actual.sin_port)
        state.withLock {
            $0.listener = listener
            $0.port = port
        }
        threads.enter()
        Thread { [self] in
            acceptLoop(listener)
            threads.leave()
        }.start()
        return port
    }

    /// Stops accepting, cuts open connections and waits (bounded) for their threads.
    func stop() {
        guard !stopping.exchange(true, ordering: .acquiringAndReleasing) else { return }
        // shutdown() wakes a thread blocked in accept() or recv() on Linux; close() alone does not.
        state.withLock { state in
            if state.listener >= 0 { shutdown(state.listener, Int32(SHUT_RDWR)) }
            for connection in state.connections { shutdown(connection, Int32(SHUT_RDWR)) }
        }
        _ = threads.wait(timeout: .now() + .seconds(5))
        state.withLock {
            if $0.listener >= 0 { close($0.listener) }
            $0.listener = -1
        }
    }

    /// Sleeps up to `milliseconds`, returning early once the server is stopping.
    func pause(milliseconds: Int) {
        var remaining = milliseconds
        while remaining > 0, !isStopping {
            let step = min(remaining, 10)
            usleep(useconds_t(step * 1000))
            remaining -= step
        }
    }

    private func acceptLoop(_ listener: Int32) {
        while !isStopping {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                if isStopping { return }
                usleep(10_000)  // e.g. EMFILE: back off instead of spinning
                continue
            }
            _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
            let admitted = state.withLock { state -> Bool in
                guard !isStopping else { return false }
                state.connections.insert(connection)
                state.acceptedCount += 1
                return true
            }
            guard admitted else {
                close(connection)
                return
            }
            threads.enter()
            Thread { [self] in
                serve(connection)
                state.withLock { _ = $0.connections.remove(connection) }
                close(connection)
                threads.leave()
            }.start()
        }
    }

    private func serve(_ connection: Int32) {
        var buffer: [UInt8] = []
        while !isStopping {
            var head = HTTPRequestParser.parseHead(buffer)
            while case .incomplete = head {
                guard receive(connection, into: &buffer) else { return }
                head = HTTPRequestParser.parseHead(buffer)
            }
            switch head {
            case .incomplete:
                return
            case .invalid(let status, let message):
                _ = sendAll(connection, HTTPResponse.error(status, message).serialized(keepAlive: false))
                return
            case .complete(var request, let headLength, let bodyLength):
                buffer.removeFirst(headLength)
                if buffer.count < bodyLength, request.header("expect")?.lowercased() == "100-continue" {
                    guard sendAll(connection, Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) else { return }
                }
                while buffer.count < bodyLength {
                    guard receive(connection, into: &buffer) else { return }
                }
                request.body = Array(buffer[..<bodyLength])
                buffer.removeFirst(bodyLength)
                switch handler(request, self) {
                case .drop:
                    return
                case .raw(let bytes):
                    _ = sendAll(connection, bytes)
                    return
                case .respond(let response):
                    let keepAlive = request.keepAlive && !isStopping
                    guard sendAll(connection, response.serialized(keepAlive: keepAlive)), keepAlive else { return }
                }
            }
        }
    }

    /// Appends what the peer sent; false on end of stream or error.
    private func receive(_ connection: Int32, into buffer: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                buffer.append(contentsOf: chunk[..<count])
                return true
            }
            if count < 0, errno == EINTR { continue }
            return false
        }
    }

    private func sendAll(_ connection: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                // MSG_NOSIGNAL: a client that hung up must not kill the process with SIGPIPE.
                let written = send(connection, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
    }
}

func errnoText() -> String { String(cString: strerror(errno)) }
