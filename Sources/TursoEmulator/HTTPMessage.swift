import Foundation

/// One HTTP/1.1 request as the emulator's server read it.
struct HTTPRequest: Sendable {
    var method: String
    /// The path of the request target, still percent-encoded, without the query.
    var path: String
    var query: String?
    /// Header names are lower-cased.
    var headers: [(name: String, value: String)]
    var body: [UInt8]
    /// Whether the connection stays open after the response (HTTP/1.1
    /// default, unless `Connection: close`; HTTP/1.0 only with keep-alive).
    var keepAlive: Bool

    func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name == lowered }?.value
    }

    /// The path split on `/`, each segment percent-decoded; nil when a
    /// segment is not valid percent-encoded UTF-8.
    var pathSegments: [String]? {
        var segments: [String] = []
        for raw in path.split(separator: "/", omittingEmptySubsequences: true) {
            guard let decoded = String(raw).removingPercentEncoding else { return nil }
            segments.append(decoded)
        }
        return segments
    }
}

/// A response the emulator sends; bodies are always JSON.
struct HTTPResponse: Sendable {
    var status: Int
    var headers: [(name: String, value: String)] = []
    var body: [UInt8]
    /// Sent as `Content-Length` instead of the body's real length (a fault).
    var contentLength: String? = nil

    static func json(_ status: Int, _ value: some Encodable) -> HTTPResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding the emulator's own plain structs cannot fail.
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return HTTPResponse(status: status, body: Array(data))
    }

    /// Turso's error shape: `{"error": "..."}`.
    static func error(_ status: Int, _ message: String) -> HTTPResponse {
        json(status, ["error": message])
    }

    func serialized(keepAlive: Bool) -> [UInt8] {
        var head = "HTTP/1.1 \(status) \(HTTPResponse.reason(status))\r\n"
        head += "Content-Type: application/json\r\n"
        head += "Content-Length: \(contentLength ?? String(body.count))\r\n"
        head += "Connection: \(keepAlive ? "keep-alive" : "close")\r\n"
        for header in headers { head += "\(header.name): \(header.value)\r\n" }
        head += "\r\n"
        return Array(head.utf8) + body
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 409: "Conflict"
        case 413: "Content Too Large"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "Status \(status)"
        }
    }
}

/// Incremental HTTP/1.1 request parsing over one connection's bytes.
/// Only Content-Length bodies: clients of the Turso API never chunk requests.
struct HTTPRequestParser {
    static let maxHeadBytes = 64 * 1024
    static let maxBodyBytes = 1024 * 1024

    enum Head {
        case incomplete
        case invalid(status: Int, message: String)
        case complete(request: HTTPRequest, headLength: Int, bodyLength: Int)
    }

    /// Parses the request head at the start of `buffer`, if it is all there.
    /// The returned request has an empty body; the caller reads `bodyLength` more bytes.
    static func parseHead(_ buffer: [UInt8]) -> Head {
        // Every method starts with an uppercase letter; a TLS ClientHello
        // starts with 0x16. Answering at once lets such a client fail fast
        // instead of waiting for a request head that never comes.
        if let first = buffer.first, !(UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(first) {
            return .invalid(status: 400, message: "not an HTTP/1.1 request (TLS sent to this plain HTTP server?)")
        }
        guard let end = headEnd(buffer) else {
            return buffer.count > maxHeadBytes
                ? .invalid(status: 431, message: "request head larger than \(maxHeadBytes) bytes") : .incomplete
        }
        let text = String(decoding: buffer[..<end], as: UTF8.self)
        var lines = text.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ", omittingEmptySubsequences: false)
        guard requestLine.count == 3, requestLine[2].hasPrefix("HTTP/1.") else {
            return .invalid(status: 400, message: "malformed request line")
        }
        var headers: [(name: String, value: String)] = []
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else {
                return .invalid(status: 400, message: "malformed header line")
            }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers.append((name, value))
        }
        if headers.contains(where: { $0.name == "transfer-encoding" }) {
            return .invalid(status: 501, message: "chunked request bodies are not supported; send Content-Length")
        }
        var bodyLength = 0
        if let lengthText = headers.first(where: { $0.name == "content-length" })?.value {
            guard let length = Int(lengthText), length >= 0 else {
                return .invalid(status: 400, message: "invalid Content-Length")
            }
            guard length <= maxBodyBytes else {
                return .invalid(status: 413, message: "request body larger than \(maxBodyBytes) bytes")
            }
            bodyLength = length
        }
        let target = String(requestLine[1])
        let path: String
        let query: String?
        if let mark = target.firstIndex(of: "?") {
            path = String(target[..<mark])
            query = String(target[target.index(after: mark)...])
        } else {
            path = target
            query = nil
        }
        let connection = headers.first { $0.name == "connection" }?.value.lowercased() ?? ""
        let keepAlive = requestLine[2] == "HTTP/1.1" ? connection != "close" : connection == "keep-alive"
        let request = HTTPRequest(
            method: String(requestLine[0]), path: path, query: query, headers: headers, body: [], keepAlive: keepAlive
        )
        return .complete(request: request, headLength: end + 4, bodyLength: bodyLength)
    }

    /// The index of the blank line (`\r\n\r\n`) that ends the head.
    private static func headEnd(_ buffer: [UInt8]) -> Int? {
        guard buffer.count >= 4 else { return nil }
        for index in 0...(buffer.count - 4)
        where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
            return index
        }
        return nil
    }
}
