#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The HTTP proxies of the environment, read as curl and Go read them:
/// `https_proxy`/`HTTPS_PROXY` for https URLs (a CONNECT tunnel),
/// `http_proxy`/`HTTP_PROXY` for http URLs, and `no_proxy`/`NO_PROXY` for the
/// hosts to reach directly (`*`, names matching as suffixes, IP literals).
/// Loopback hosts are never proxied. Only `http://` proxies, optionally with
/// `user:password@` for Basic authentication.
struct HTTPProxySettings: Sendable {
    var httpsProxy: String?
    var httpProxy: String?
    var noProxy: String?

    static func fromEnvironment() -> HTTPProxySettings {
        func variable(_ names: String...) -> String? {
            for name in names {
                if let value = getenv(name).map({ String(cString: $0) }), !value.isEmpty { return value }
            }
            return nil
        }
        return HTTPProxySettings(
            httpsProxy: variable("https_proxy", "HTTPS_PROXY"),
            httpProxy: variable("http_proxy", "HTTP_PROXY"),
            noProxy: variable("no_proxy", "NO_PROXY")
        )
    }

    /// The proxy for `origin`, nil to connect directly.
    func proxy(for origin: HTTPOrigin) throws(TransportFailure) -> HTTPProxy? {
        guard let text = origin.tls ? httpsProxy : httpProxy, !Self.isLoopback(origin.host), !excluded(origin.host) else { return nil }
        return try HTTPProxy(url: text)
    }

    static func isLoopback(_ host: String) -> Bool {
        let name = host.lowercased()
        return name == "localhost" || name.hasSuffix(".localhost") || name.hasPrefix("127.") || name == "::1"
    }

    private func excluded(_ host: String) -> Bool {
        guard let noProxy else { return false }
        let name = host.lowercased()
        for entry in noProxy.split(separator: ",") {
            var pattern = entry.trimmingWhitespace().lowercased()
            if pattern == "*" { return true }
            if pattern.hasPrefix("["), let close = pattern.firstIndex(of: "]") {
                pattern = String(pattern[pattern.index(after: pattern.startIndex)..<close])
            } else if pattern.filter({ $0 == ":" }).count == 1, let colon = pattern.firstIndex(of: ":") {
                pattern = String(pattern[..<colon])  // "host:port": the port is not compared
            }
            while pattern.hasPrefix(".") || pattern.hasPrefix("*") { pattern.removeFirst() }
            if pattern.isEmpty { continue }
            if name == pattern || name.hasSuffix("." + pattern) { return true }
        }
        return false
    }
}

/// One proxy: where it is, and the credentials it is sent.
struct HTTPProxy: Sendable {
    var origin: HTTPOrigin
    /// `Basic <base64>` when the proxy URL has user information.
    var authorization: String?

    init(url text: String) throws(TransportFailure) {
        func refuse(_ why: String) -> TransportFailure {
            TransportFailure(kind: .other, message: "unsupported proxy setting (\(why))", requestSent: false)
        }
        var url = text.trimmingWhitespace()
        if !url.contains("://") { url = "http://" + url }  // curl and Go accept a bare host:port
        guard url.lowercased().hasPrefix("http://") else { throw refuse("only http:// proxies are supported") }
        var rest = Substring(url.dropFirst(7))
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        if let at = rest.lastIndex(of: "@") {
            authorization = "Basic " + Self.base64(Array(Self.percentDecoded(rest[..<at]).utf8))
            rest = rest[rest.index(after: at)...]
        }
        // The proxy's host and port, parsed as an http URL's.
        do {
            let target = try HTTPTarget(url: "http://" + rest)
            origin = target.origin
        } catch {
            throw refuse("a proxy URL without a valid host and port")
        }
    }

    private static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
               let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * UInt32($1.offset)) }
            for position in 0..<4 {
                out.append(position <= chunk.count ? alphabet[Int(value >> (18 - 6 * UInt32(position)) & 0x3F)] : UInt8(ascii: "="))
            }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
