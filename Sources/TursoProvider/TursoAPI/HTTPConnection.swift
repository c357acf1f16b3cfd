import CTransport

/// Where connections go: the key of the connection cache.
struct HTTPOrigin: Hashable, Sendable {
    var tls: Bool
    /// A name, or an IP literal without brackets.
    var host: String
    var port: UInt16

    var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// A parsed `http://` or `https://` URL.
struct HTTPTarget: Sendable {
    var origin: HTTPOrigin
    var hostHeader: String
    var pathAndQuery: String

    init(url: String) throws(TransportFailure) {
        func refuse(_ why: String) -> TransportFailure {
            TransportFailure(kind: .other, message: "unsupported URL (\(why))", requestSent: false)
        }
        let tls: Bool
        var rest: Substring
        if url.hasPrefix("https://") {
            tls = true
            rest = url.dropFirst(8)
        } else if url.hasPrefix("http://") {
            tls = false
            rest = url.dropFirst(7)
        } else {
            throw refuse("only http and https are supported")
        }
        if let fragment = rest.firstIndex(of: "#") { rest = rest[..<fragment] }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var path = String(rest[authorityEnd...])
        if path.isEmpty || path.first == "?" { path = "/" + path }
        // user:password@ is never sent: the bearer token is the Authorization,
        // and the credentials must not end up in any message either.
        guard !authority.contains("@") else { throw refuse("user information, such as user:password@, in the URL") }

        var host: Substring
        var portText: Substring?
        if authority.first == "[" {
            guard let close = authority.firstIndex(of: "]") else { throw refuse("an unclosed IPv6 bracket") }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.first == ":" else { throw refuse("text after the IPv6 address") }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        guard !host.isEmpty else { throw refuse("no host") }
        guard host.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "%") && $0 != UInt8(ascii: "/") }) else {
            throw refuse("a host with spaces, controls or non-ASCII characters")
        }
        var port: UInt16 = tls ? 443 : 80
        if let portText, !portText.isEmpty {
            guard portText.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                  let number = UInt16(portText), number > 0 else {
                throw refuse("an invalid port")
            }
            port = number
        }
        guard path.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { throw refuse("spaces or controls in the path") }
        origin = HTTPOrigin(tls: tls, host: String(host), port: port)
        let hostText = host.contains(":") ? "[\(host)]" : String(host)
        hostHeader = port == (tls ? 443 : 80) ? hostText : "\(hostText):\(port)"
        pathAndQuery = path
    }
}

/// Owns one `ctransport_connection`. Used by one thread at a time: a request
/// opens it or takes it out of the idle cache, and gives it back only when done.
final class HTTPConnection: @unchecked Sendable {
    /// The server the connection reaches (through a proxy, the target's).
    let origin: HTTPOrigin
    let pointer: OpaquePointer

    private init(origin: HTTPOrigin, pointer: OpaquePointer) {
        self.origin = origin
        self.pointer = pointer
    }

    deinit { ctransport_close(pointer) }

    static func open(
        _ origin: HTTPOrigin, reaching: HTTPOrigin? = nil, dnsServers: String?, caBundle: String?,
        cancel: CancelSignal, deadline: Int64, overall: Int64
    ) -> Result<HTTPConnection, TransportFailure> {
        var connection: OpaquePointer?
        var text = [CChar](repeating: 0, count: 512)
        let status = text.withUnsafeMutableBufferPointer { message in
            ctransport_connect(
                origin.host, origin.port, origin.tls ? 1 : 0, dnsServers, caBundle, cancel.fd, deadline, &connection,
                message.baseAddress, message.count
            )
        }
        if status == CTRANSPORT_OK, let connection {
            return .success(HTTPConnection(origin: reaching ?? origin, pointer: connection))
        }
        var message = text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        if status == CTRANSPORT_TIMEOUT, message.isEmpty || deadline < overall {
            message = "cannot connect to \(origin.description) within the connect timeout"
        }
        if message.isEmpty { message = "cannot connect to \(origin.description)" }
        return .failure(TransportFailure(kind: Self.kind(of: status), message: message, requestSent: false))
    }

    var isUsableWhileIdle: Bool { ctransport_idle_usable(pointer) != 0 }

    /// TLS with `origin` over this plain connection (a proxy's tunnel).
    func startTLS(_ origin: HTTPOrigin, caBundle: String?, cancel: CancelSignal, deadline: Int64) -> TransportFailure? {
        var text = [CChar](repeating: 0, count: 512)
        let status = text.withUnsafeMutableBufferPointer { message in
            ctransport_start_tls(pointer, origin.host, origin.port, caBundle, cancel.fd, deadline, message.baseAddress, message.count)
        }
        guard status != CTRANSPORT_OK else { return nil }
        let message = text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return TransportFailure(kind: Self.kind(of: status), message: message.isEmpty ? "TLS to \(origin.description) failed" : message, requestSent: false)
    }

    /// Writes all of `bytes`; `sent` tells whether any of them went out.
    func write(_ bytes: [UInt8], cancel: CancelSignal, deadline: Int64) -> (status: ctransport_status, sent: Bool, message: String) {
        var written = 0
        var text = [CChar](repeating: 0, count: 256)
        let status = bytes.withUnsafeBufferPointer { data in
            text.withUnsafeMutableBufferPointer { message in
                ctransport_write(pointer, data.baseAddress, data.count, cancel.fd, deadline, &written, message.baseAddress, message.count)
            }
        }
        return (status, written > 0, text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
    }

    /// Appends what arrives (at most `limit` bytes) to `buffer`; 0 bytes with
    /// CTRANSPORT_OK means the peer closed the connection.
    func read(into buffer: inout [UInt8], limit: Int, cancel: CancelSignal, deadline: Int64) -> (status: ctransport_status, count: Int, message: String) {
        var received = 0
        var text = [CChar](repeating: 0, count: 256)
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: limit))
        let status = buffer.withUnsafeMutableBufferPointer { storage in
            text.withUnsafeMutableBufferPointer { message in
                ctransport_read(pointer, storage.baseAddress! + start, limit, cancel.fd, deadline, &received, message.baseAddress, message.count)
            }
        }
        buffer.removeLast(limit - received)
        return (status, received, text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
    }

    static func kind(of status: ctransport_status) -> TransportFailure.Kind {
        switch status {
        case CTRANSPORT_RESOLVE: .resolve
        case CTRANSPORT_CONNECT: .connect
        case CTRANSPORT_TLS: .tls
        case CTRANSPORT_TIMEOUT: .timeout
        case CTRANSPORT_CLOSED: .connectionLost
        case CTRANSPORT_CANCELLED: .cancelled
        default: .other
        }
    }
}

/// One request and its answer on one connection: writes the request, then
/// reads the status line, headers and a Content-Length, chunked or
/// read-to-close body.
struct HTTPExchangeRun {
    struct Answer {
        var response: HTTPResponse
        /// The connection may carry another request.
        var reusable: Bool
    }

    let connection: HTTPConnection
    let cancel: CancelSignal
    let deadline: Int64
    let maxResponseBytes: Int
    /// Any byte of the request went out.
    private(set) var requestSent = false
    /// Any byte of an answer came back.
    private(set) var answerStarted = false
    private var buffer: [UInt8] = []
    /// Where unparsed bytes start in `buffer`.
    private var position = 0
    private static let maxHeadBytes = 64 * 1024
    private static let readSize = 16 * 1024

    init(connection: HTTPConnection, cancel: CancelSignal, deadline: Int64, maxResponseBytes: Int) {
        self.connection = connection
        self.cancel = cancel
        self.deadline = deadline
        self.maxResponseBytes = maxResponseBytes
    }

    private struct Failed: Error {
        var kind: TransportFailure.Kind
        var message: String
    }

    mutating func run(head: [UInt8], body: [UInt8], method: HTTPRequest.Method) -> Result<Answer, TransportFailure> {
        do throws(Failed) {
            let written = connection.write(head + body, cancel: cancel, deadline: deadline)
            requestSent = written.sent
            try check(written.status, written.message, while: "sending the request")
            return .success(try readAnswer(method: method))
        } catch {
            return .failure(TransportFailure(kind: error.kind, message: error.message, requestSent: requestSent))
        }
    }

    /// Asks an HTTP proxy for a tunnel to `target` (CONNECT) and reads its
    /// answer; success leaves the connection ready for TLS with the target.
    mutating func openTunnel(to target: HTTPOrigin, proxyAuthorization: String?) -> Result<Void, TransportFailure> {
        do throws(Failed) {
            var text = "CONNECT \(target.description) HTTP/1.1\r\nHost: \(target.description)\r\n"
            if let proxyAuthorization { text += "Proxy-Authorization: \(proxyAuthorization)\r\n" }
            text += "\r\n"
            let written = connection.write(Array(text.utf8), cancel: cancel, deadline: deadline)
            try check(written.status, written.message, while: "asking the proxy for a tunnel")
            var head = try readHead()
            while (100...199).contains(head.status) { head = try readHead() }
            guard (200...299).contains(head.status) else {
                throw Failed(kind: .connect, message: "the proxy refused a tunnel to \(target.description): HTTP \(head.status)")
            }
            // Nothing may come before the server's TLS answer to our hello.
            guard position == buffer.count else { throw malformed("bytes after the proxy's tunnel answer") }
            return .success(())
        } catch {
            // The request itself never went out: only the proxy was asked.
            return .failure(TransportFailure(kind: error.kind, message: error.message, requestSent: false))
        }
    }

    private func check(_ status: ctransport_status, _ detail: String, while doing: String) throws(Failed) {
        guard status != CTRANSPORT_OK else { return }
        let kind = HTTPConnection.kind(of: status)
        let message = switch kind {
        case .timeout: "\(connection.origin.description): no complete answer within the request timeout"
        case .cancelled: "cancelled"
        default: "\(connection.origin.description): \(doing): \(detail.isEmpty ? "the connection failed" : detail)"
        }
        throw Failed(kind: kind, message: message)
    }

    /// Reads more bytes; false when the peer closed the connection.
    private mutating func fill(while doing: String) throws(Failed) -> Bool {
        if position > 0, position == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            position = 0
        }
        let read = connection.read(into: &buffer, limit: Self.readSize, cancel: cancel, deadline: deadline)
        try check(read.status, read.message, while: doing)
        if read.count > 0 { answerStarted = true }
        return read.count > 0
    }

    private func lost(_ what: String) -> Failed {
        Failed(kind: .connectionLost, message: "\(connection.origin.description): the connection closed \(what)")
    }

    private func malformed(_ what: String) -> Failed {
        Failed(kind: .other, message: "\(connection.origin.description): malformed HTTP answer (\(what))")
    }

    private func tooLarge() -> Failed {
        Failed(kind: .responseTooLarge, message: "the answer exceeded \(maxResponseBytes) bytes")
    }

    private mutating func readAnswer(method: HTTPRequest.Method) throws(Failed) -> Answer {
        while true {
            let head = try readHead()
            // Interim answers (100 Continue and the like) precede the real one.
            if (100...199).contains(head.status) {
                guard head.status != 101 else { throw malformed("an unrequested protocol switch") }
                continue
            }
            var reusable = head.keepAlive
            let body: [UInt8]
            if head.status == 204 || head.status == 304 {
                body = []
            } else if head.chunked {
                body = try readChunked()
            } else if let length = head.contentLength {
                guard length <= maxResponseBytes else { throw tooLarge() }
                body = try readExactly(length)
            } else {
                body = try readToClose()
                reusable = false
            }
            // Bytes beyond the answer were never asked for: do not reuse.
            if position != buffer.count { reusable = false }
            return Answer(response: HTTPResponse(status: head.status, body: body, retryAfter: head.retryAfter), reusable: reusable)
        }
    }

    private struct Head {
        var status: Int
        var keepAlive: Bool
        var chunked: Bool
        var contentLength: Int?
        var retryAfter: String?
    }

    /// A line ending in CRLF (or a bare LF), without its ending; nil when
    /// more bytes are needed.
    private mutating func takeLine(limit: Int) throws(Failed) -> [UInt8]? {
        guard let newline = buffer[position...].firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.count - position > limit { throw Failed(kind: .responseTooLarge, message: "a line of the answer exceeded \(limit) bytes") }
            return nil
        }
        var end = newline
        if end > position, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let line = Array(buffer[position..<end])
        position = newline + 1
        return line
    }

    private mutating func line(limit: Int, _ what: String) throws(Failed) -> [UInt8] {
        while true {
            if let line = try takeLine(limit: limit) { return line }
            guard try fill(while: "reading the answer") else { throw lost(what) }
        }
    }

    /// The status line. Bytes that cannot begin one ("HTTP/1.") are a
    /// malformed answer as soon as they arrive, also when the peer then
    /// closes: only a close before any byte, or within a genuine status
    /// line, is a lost connection.
    private mutating func statusLine() throws(Failed) -> [UInt8] {
        let prefix = Array("HTTP/1.".utf8)
        while true {
            let pending = buffer[position...]
            guard pending.prefix(prefix.count).elementsEqual(prefix.prefix(pending.count)) else { throw malformed("status line") }
            if let line = try takeLine(limit: Self.maxHeadBytes) { return line }
            guard try fill(while: "reading the answer") else {
                throw lost(!pending.isEmpty ? "in the middle of the answer's status line" : answerStarted ? "in the middle of the answer" : "before any answer")
            }
        }
    }

    private mutating func readHead() throws(Failed) -> Head {
        let headStart = position
        let statusLine = try statusLine()
        // "HTTP/1.1 200 OK": the version, a space, three digits.
        guard statusLine.count >= 12, statusLine.starts(with: Array("HTTP/1.".utf8)), statusLine[8] == UInt8(ascii: " "),
              let status = Int(String(decoding: statusLine[9..<12], as: UTF8.self)), (100...999).contains(status),
              statusLine.count == 12 || statusLine[12] == UInt8(ascii: " ")
        else { throw malformed("status line") }
        let http10 = statusLine[7] == UInt8(ascii: "0")
        var head = Head(status: status, keepAlive: !http10, chunked: false)
        while true {
            let remaining = Self.maxHeadBytes - (position - headStart)
            let field = try line(limit: max(0, remaining), "in the middle of the answer's headers")
            if field.isEmpty { break }
            guard let colon = field.firstIndex(of: UInt8(ascii: ":")) else { throw malformed("a header line without a colon") }
            let name = String(decoding: field[..<colon], as: UTF8.self).lowercased()
            let value = String(decoding: field[(colon + 1)...], as: UTF8.self).trimmingWhitespace()
            switch name {
            case "content-length":
                guard value.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), let length = Int(value) else {
                    throw malformed("Content-Length")
                }
                if let earlier = head.contentLength, earlier != length { throw malformed("conflicting Content-Length") }
                head.contentLength = length
            case "transfer-encoding":
                let codings = value.lowercased().split(separator: ",").map { $0.trimmingWhitespace() }
                guard codings.last == "chunked", codings.allSatisfy({ $0 == "chunked" || $0 == "identity" }) else {
                    throw malformed("unsupported Transfer-Encoding")
                }
                head.chunked = true
            case "connection":
                let options = value.lowercased().split(separator: ",").map { $0.trimmingWhitespace() }
                if options.contains("close") { head.keepAlive = false }
                if http10, options.contains("keep-alive") { head.keepAlive = true }
            case "retry-after":
                if !value.isEmpty { head.retryAfter = value }
            default:
                break
            }
        }
        // A chunked answer's length is its chunks' (RFC 9112 6.3).
        if head.chunked { head.contentLength = nil }
        return head
    }

    private mutating func readExactly(_ length: Int) throws(Failed) -> [UInt8] {
        while buffer.count - position < length {
            guard try fill(while: "reading the answer") else { throw lost("in the middle of the answer") }
        }
        let body = Array(buffer[position..<(position + length)])
        position += length
        return body
    }

    private mutating func readToClose() throws(Failed) -> [UInt8] {
        while try fill(while: "reading the answer") {
            guard buffer.count - position <= maxResponseBytes else { throw tooLarge() }
        }
        let body = Array(buffer[position...])
        position = buffer.count
        return body
    }

    private mutating func readChunked() throws(Failed) -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let sizeLine = try line(limit: 1024, "in the middle of the answer")
            // The size in hex, then optional ";extensions".
            let digits = sizeLine.prefix { $0 != UInt8(ascii: ";") }.filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }
            guard !digits.isEmpty, digits.count <= 15, let size = Int(String(decoding: digits, as: UTF8.self), radix: 16) else {
                throw malformed("chunk size")
            }
            if size == 0 { break }
            guard body.count + size <= maxResponseBytes else { throw tooLarge() }
            body += try readExactly(size)
            guard try line(limit: 16, "in the middle of the answer").isEmpty else { throw malformed("chunk ending") }
        }
        // Trailer fields, up to the blank line; ignored.
        var trailerBytes = 0
        while true {
            let trailer = try line(limit: Self.maxHeadBytes, "in the middle of the answer")
            if trailer.isEmpty { return body }
            trailerBytes += trailer.count
            guard trailerBytes <= Self.maxHeadBytes else { throw malformed("trailers too large") }
        }
    }
}
