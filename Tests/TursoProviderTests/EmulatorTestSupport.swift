import Foundation
import Glibc
import Testing
import TursoEmulator

/// A running emulator for one test, on a free port of 127.0.0.1.
func startedEmulator(_ configuration: EmulatorConfiguration = EmulatorConfiguration(organizations: ["my-org": ["default"]])) throws -> TursoAPIEmulator {
    let emulator = TursoAPIEmulator(configuration: configuration)
    try emulator.start()
    return emulator
}

let emulatorAdminToken = EmulatorConfiguration.defaultAdminToken

/// An HTTP answer as the raw client read it.
struct RawResponse {
    var status: Int
    /// Lower-cased names.
    var headers: [String: String]
    var body: Data
    /// Interim (1xx) status lines seen before the final answer.
    var interimStatuses: [Int] = []

    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
    }

    var text: String { String(decoding: body, as: UTF8.self) }
}

struct RawHTTPError: Error, CustomStringConvertible {
    var description: String
}

/// A deliberately small HTTP/1.1 client over one socket, so tests see
/// exactly what the emulator sends: interim answers, closed connections,
/// keep-alive. Not for production use.
final class RawHTTPConnection {
    private let socket: Int32
    private var buffer: [UInt8] = []

    init(port: UInt16) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(socket)
            throw RawHTTPError(description: "connect failed: \(errno)")
        }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(socket) }

    func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { throw RawHTTPError(description: "send failed: \(errno)") }
            offset += written
        }
    }

    func write(_ text: String) throws { try write(Array(text.utf8)) }

    /// Sends a request with a Content-Length body.
    func request(
        _ method: String, _ path: String, bearer: String? = nil, body: String? = nil, headers: [String] = []
    ) throws -> RawResponse {
        try write(Self.head(method, path, bearer: bearer, bodyLength: body?.utf8.count, headers: headers) + (body ?? ""))
        return try readResponse()
    }

    static func head(_ method: String, _ path: String, bearer: String?, bodyLength: Int?, headers: [String]) -> String {
        var lines = ["\(method) \(path) HTTP/1.1", "Host: 127.0.0.1"]
        if let bearer { lines.append("Authorization: Bearer \(bearer)") }
        if let bodyLength { lines.append("Content-Length: \(bodyLength)") }
        lines += headers
        return lines.joined(separator: "\r\n") + "\r\n\r\n"
    }

    /// Reads one final answer (skipping interim ones); throws when the
    /// connection closes first.
    func readResponse() throws -> RawResponse {
        var interim: [Int] = []
        while true {
            let headEnd = try readUntilHeadEnd()
            let head = String(decoding: buffer[..<headEnd], as: UTF8.self)
            buffer.removeFirst(headEnd + 4)
            var lines = head.components(separatedBy: "\r\n")
            let statusLine = lines.removeFirst().split(separator: " ")
            guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
                throw RawHTTPError(description: "bad status line")
            }
            var headers: [String: String] = [:]
            for line in lines {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            if status < 200 {
                interim.append(status)
                continue
            }
            let length = Int(headers["content-length"] ?? "0") ?? 0
            while buffer.count < length { try fill() }
            let body = Data(buffer[..<length])
            buffer.removeFirst(length)
            return RawResponse(status: status, headers: headers, body: body, interimStatuses: interim)
        }
    }

    func readByte() throws -> UInt8 {
        if buffer.isEmpty { try fill() }
        return buffer.removeFirst()
    }

    /// True when the peer closed the connection (reads end of stream) with nothing more sent.
    func isClosedByPeer() -> Bool {
        do {
            try fill()
            return false
        } catch {
            return buffer.isEmpty
        }
    }

    private func readUntilHeadEnd() throws -> Int {
        while true {
            if buffer.count >= 4 {
                for index in 0...(buffer.count - 4) where buffer[index..<index + 4].elementsEqual([13, 10, 13, 10]) {
                    return index
                }
            }
            try fill()
        }
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 8192)
        let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { throw RawHTTPError(description: count == 0 ? "connection closed" : "recv failed: \(errno)") }
        buffer += chunk[..<count]
    }
}

extension TursoAPIEmulator {
    /// One request on a fresh connection.
    func request(_ method: String, _ path: String, bearer: String? = emulatorAdminToken, body: String? = nil) throws -> RawResponse {
        try RawHTTPConnection(port: port).request(method, path, bearer: bearer, body: body)
    }

    /// Creates a token through the API; returns its JSON answer.
    @discardableResult
    func mint(_ name: String, body: String? = nil, bearer: String = emulatorAdminToken) throws -> [String: Any] {
        let response = try request("POST", "/v1/auth/api-tokens/\(name)", bearer: bearer, body: body)
        guard response.status == 200 else { throw RawHTTPError(description: "mint \(name): \(response.status) \(response.text)") }
        return response.json
    }

    /// The listed tokens of the bearer's user.
    func listed(bearer: String = emulatorAdminToken) throws -> [[String: Any]] {
        try request("GET", "/v1/auth/api-tokens", bearer: bearer).json["tokens"] as? [[String: Any]] ?? []
    }
}
