import Foundation
import Synchronization
import Testing
@testable import TursoProvider

/// The HTTP/1.1 transport against a scripted server on 127.0.0.1: each
/// accepted connection runs the next script, which reads requests and writes
/// raw bytes, so framing, reuse and failures are exactly what the test says.
@Suite("HTTP transport")
struct HTTPTransportTests {
    static func transport(maxResponseBytes: Int = 1 << 20, requestTimeout: Duration = .seconds(20)) -> HTTPTransport {
        var settings = HTTPTransport.Settings(userAgent: "transport-test", connectTimeout: .seconds(5), requestTimeout: requestTimeout)
        settings.maxResponseBytes = maxResponseBytes
        return HTTPTransport(settings: settings)
    }

    static func get(_ server: ScriptedServer, _ path: String = "/x") -> HTTPRequest {
        HTTPRequest(method: .get, url: "http://127.0.0.1:\(server.port)\(path)", headers: ["Accept: application/json"])
    }

    @Test("A Content-Length answer: status, body and Retry-After; the request carries Host, User-Agent and the headers")
    func contentLength() async throws {
        let server = try ScriptedServer([{ connection in
            _ = connection.readRequest()
            connection.write("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 7\r\nContent-Length: 5\r\n\r\nhello")
        }])
        let response = try await Self.transport().send(Self.get(server))
        #expect(response.status == 429)
        #expect(response.body == Array("hello".utf8))
        #expect(response.retryAfter == "7")
        let request = try #require(server.requests.first)
        #expect(request.hasPrefix("GET /x HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\nUser-Agent: transport-test\r\n"))
        #expect(request.contains("\r\nAccept: application/json\r\n"))
    }

    @Test("A chunked answer with extensions and trailers, after a 100 Continue, is reassembled")
    func chunked() async throws {
        let server = try ScriptedServer([{ connection in
            _ = connection.readRequest()
            connection.write("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
            connection.write("4;name=value\r\nabcd\r\n")
            connection.write("A\r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\n")
        }])
        let response = try await Self.transport().send(Self.get(server))
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "abcd0123456789")
    }

    @Test("A body without length runs to the close, and the connection is not kept")
    func readToClose() async throws {
        let server = try ScriptedServer([
            { connection in
                _ = connection.readRequest()
                connection.write("HTTP/1.1 200 OK\r\n\r\nall of it")
            },
            { connection in
                _ = connection.readRequest()
                connection.write("HTTP/1.1 204 No Content\r\n\r\n")
            },
        ])
        let transport = Self.transport()
        #expect(try await transport.send(Self.get(server)).body == Array("all of it".utf8))
        #expect(try await transport.send(Self.get(server)).status == 204)
        #expect(server.accepted == 2)
    }

    @Test("Requests share one kept-alive connection; a fresh-connection request opens its own and asks to close it")
    func reuse() async throws {
        let server = try ScriptedServer([
            { connection in
                for _ in 0..<3 {
                    _ = connection.readRequest()
                    connection.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                }
            },
            { connection in
                _ = connection.readRequest()
                connection.write("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n")
            },
        ])
        let transport = Self.transport()
        for _ in 0..<2 { #expect(try await transport.send(Self.get(server)).status == 200) }
        var create = HTTPRequest(method: .post, url: "http://127.0.0.1:\(server.port)/c", headers: [], body: Array("{}".utf8))
        create.freshConnection = true
        #expect(try await transport.send(create).status == 201)
        #expect(try await transport.send(Self.get(server)).status == 200)
        #expect(server.accepted == 2)
        let post = try #require(server.requests.first { $0.hasPrefix("POST") })
        #expect(post.contains("\r\nContent-Length: 2\r\n") && post.contains("\r\nConnection: close\r\n") && post.hasSuffix("\r\n\r\n{}"))
    }

    @Test("A kept connection the server closed after its answer is replaced for a GET, without a failure")
    func staleConnection() async throws {
        let server = try ScriptedServer([
            { connection in
                _ = connection.readRequest()
                connection.write("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na")
                // Keeps the connection until the second request arrives, then drops it unanswered.
                _ = connection.readRequest()
            },
            { connection in
                _ = connection.readRequest()
                connection.write("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb")
            },
        ])
        let transport = Self.transport()
        #expect(try await transport.send(Self.get(server)).body == [UInt8(ascii: "a")])
        #expect(try await transport.send(Self.get(server)).body == [UInt8(ascii: "b")])
        #expect(server.requests.count == 3)
    }

    @Test("A POST whose kept connection dies unanswered fails as lost after sending; it is not sent again")
    func postNotRepeated() async throws {
        let server = try ScriptedServer([
            { connection in
                _ = connection.readRequest()
                connection.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
                _ = connection.readRequest()
            },
            { connection in  // would answer a repeated POST
                _ = connection.readRequest()
                connection.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
            },
        ])
        let transport = Self.transport()
        _ = try await transport.send(Self.get(server))
        let post = HTTPRequest(method: .post, url: "http://127.0.0.1:\(server.port)/c", headers: [], body: [])
        let failure = await Self.failure { try await transport.send(post) }
        #expect(failure?.kind == .connectionLost)
        #expect(failure?.requestSent == true)
        #expect(server.accepted == 1)
    }

    @Test("Nothing sent: connection refused reports requestSent false; a header with a line break is refused before connecting")
    func notSent() async throws {
        let server = try ScriptedServer([])
        let port = server.port
        server.close()
        let refused = await Self.failure {
            try await Self.transport().send(HTTPRequest(method: .post, url: "http://127.0.0.1:\(port)/", headers: []))
        }
        #expect(refused?.kind == .connect)
        #expect(refused?.requestSent == false)
        #expect(refused?.message.contains("127.0.0.1:\(port)") == true)

        let injected = await Self.failure {
            try await Self.transport().send(HTTPRequest(method: .get, url: "http://127.0.0.1:\(port)/", headers: ["Authorization: Bearer a\r\nX: y"]))
        }
        #expect(injected?.kind == .other)
        #expect(injected?.requestSent == false)
        #expect(injected?.message.contains("Bearer") == false)
    }

    @Test("An answer beyond the size limit fails as too large, whether announced or chunked")
    func tooLarge() async throws {
        let server = try ScriptedServer([
            { connection in
                _ = connection.readRequest()
                connection.write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
            },
            { connection in
                _ = connection.readRequest()
                connection.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + String(repeating: "100\r\n" + String(repeating: "z", count: 256) + "\r\n", count: 8))
            },
        ])
        let transport = Self.transport(maxResponseBytes: 1000)
        for _ in 0..<2 {
            let failure = await Self.failure { try await transport.send(Self.get(server)) }
            #expect(failure?.kind == .responseTooLarge)
            #expect(failure?.requestSent == true)
        }
    }

    @Test("Malformed answers and a close mid-body are failures, not crashes")
    func malformed() async throws {
        let answers = [
            "HTTP/1.1 2OO OK\r\n\r\n", "SMTP ready\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
        ]
        let server = try ScriptedServer(answers.map { answer -> ScriptedServer.Script in { connection in
            _ = connection.readRequest()
            connection.write(answer)
        } })
        var kinds: [TransportFailure.Kind?] = []
        for _ in answers {
            kinds.append(await Self.failure { try await Self.transport().send(Self.get(server)) }?.kind)
        }
        #expect(kinds == [.other, .other, .other, .other, .other, .other, .connectionLost])
    }

    @Test("Cancelling the task aborts a request waiting for an answer, reporting cancelled after sending")
    func cancellation() async throws {
        let release = Flag()
        let server = try ScriptedServer([{ connection in
            _ = connection.readRequest()
            while !release.isSet { usleep(10_000) }
        }])
        let transport = Self.transport(requestTimeout: .seconds(600))
        let task = Task { try await transport.send(Self.get(server)) }
        while server.requests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        task.cancel()
        let failure = await Self.failure { try await task.value }
        release.set()
        #expect(failure?.kind == .cancelled)
        #expect(failure?.requestSent == true)
    }

    @Test("A request whose task is already cancelled sends nothing")
    func cancelledBeforeSending() async throws {
        // The client connects (loopback connects at once) but must close
        // without writing: the script then reads the end of the stream.
        let done = Flag()
        let server = try ScriptedServer([{ connection in
            _ = connection.readRequest()
            done.set()
        }])
        let transport = Self.transport()
        let task = Task {
            while !Task.isCancelled { await Task.yield() }
            return try await transport.send(HTTPRequest(method: .post, url: "http://127.0.0.1:\(server.port)/c", headers: [], body: [1]))
        }
        task.cancel()
        let failure = await Self.failure { try await task.value }
        #expect(failure?.kind == .cancelled)
        #expect(failure?.requestSent == false)
        while !done.isSet { try await Task.sleep(for: .milliseconds(5)) }
        #expect(server.requests.isEmpty)
    }

    @Test("A request past its timeout fails as a timeout")
    func timeout() async throws {
        let release = Flag()
        let server = try ScriptedServer([{ connection in
            _ = connection.readRequest()
            while !release.isSet { usleep(10_000) }
        }])
        let failure = await Self.failure { try await Self.transport(requestTimeout: .milliseconds(200)).send(Self.get(server)) }
        release.set()
        #expect(failure?.kind == .timeout)
        #expect(failure?.requestSent == true)
    }

    @Test("A host name is resolved with c-ares (here from a scripted name server) and goes in the Host header; an unknown one fails to resolve")
    func resolvedName() async throws {
        let server = try ScriptedServer([{ connection in
            _ = connection.readRequest()
            connection.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        }])
        let names = try ScriptedNameServer(["transport-test.example": [127, 0, 0, 1]])
        var settings = HTTPTransport.Settings(userAgent: "transport-test", connectTimeout: .seconds(5), requestTimeout: .seconds(20))
        settings.dnsServers = "127.0.0.1:\(names.port)"
        let transport = HTTPTransport(settings: settings)
        let response = try await transport.send(HTTPRequest(method: .get, url: "http://transport-test.example:\(server.port)/n", headers: []))
        #expect(response.status == 200)
        #expect(server.requests.first?.contains("\r\nHost: transport-test.example:\(server.port)\r\n") == true)
        #expect(names.questions.contains("transport-test.example"))

        let unknown = await Self.failure {
            try await transport.send(HTTPRequest(method: .get, url: "http://no-such-host.example:\(server.port)/", headers: []))
        }
        #expect(unknown?.kind == .resolve)
        #expect(unknown?.requestSent == false)
        #expect(unknown?.message.contains("no-such-host.example") == true)
    }

    @Test("URLs: https default port, IPv6 literals, no user information, only http and https")
    func urls() throws {
        let https = try HTTPTarget(url: "https://api.turso.tech/v1/auth/api-tokens?x=1#frag")
        #expect(https.origin == HTTPOrigin(tls: true, host: "api.turso.tech", port: 443))
        #expect(https.hostHeader == "api.turso.tech")
        #expect(https.pathAndQuery == "/v1/auth/api-tokens?x=1")
        let v6 = try HTTPTarget(url: "http://[::1]:8080")
        #expect(v6.origin == HTTPOrigin(tls: false, host: "::1", port: 8080))
        #expect(v6.hostHeader == "[::1]:8080")
        #expect(v6.pathAndQuery == "/")
        for bad in ["ftp://x/", "http://user@host/", "http://host:0/", "http://host:99999/", "http://:80/", "http://[::1/", "http://a b/"] {
            #expect(throws: TransportFailure.self, "\(bad)") { try HTTPTarget(url: bad) }
        }
    }

    @Test("TLS to a server that does not speak it fails as a TLS failure")
    func tlsRefused() async throws {
        let server = try ScriptedServer([{ connection in
            _ = connection.readSome()
            connection.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
        }])
        let failure = await Self.failure {
            try await Self.transport().send(HTTPRequest(method: .get, url: "https://127.0.0.1:\(server.port)/", headers: []))
        }
        #expect(failure?.kind == .tls)
        #expect(failure?.requestSent == false)
    }

    @Test("TLS: a chain from the trusted CA with the right IP or name is accepted; another CA, or another name, is refused")
    func tlsVerification() async throws {
        let folder = try TLSTestServer.makeFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A self-signed certificate for 127.0.0.1 and transport-test.example, and an unrelated one.
        try await TLSTestServer.opensslOffPool(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                   "-keyout", folder + "/key.pem", "-out", folder + "/cert.pem", "-subj", "/CN=test", "-days", "1",
                                   "-addext", "subjectAltName=IP:127.0.0.1,DNS:transport-test.example"])
        try await TLSTestServer.opensslOffPool(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                   "-keyout", folder + "/other-key.pem", "-out", folder + "/other.pem", "-subj", "/CN=other", "-days", "1",
                                   "-addext", "subjectAltName=DNS:other.example"])
        let names = try ScriptedNameServer(["transport-test.example": [127, 0, 0, 1], "wrong-name.example": [127, 0, 0, 1]])
        func transport(trusting ca: String) -> HTTPTransport {
            var settings = HTTPTransport.Settings(userAgent: "transport-test", connectTimeout: .seconds(10), requestTimeout: .seconds(30))
            settings.caBundle = folder + "/" + ca
            settings.dnsServers = "127.0.0.1:\(names.port)"
            return HTTPTransport(settings: settings)
        }
        // openssl s_server -www answers each GET with a status page, then closes.
        let server = try await TLSTestServer.started(certificate: folder + "/cert.pem", key: folder + "/key.pem", connections: 4)
        defer { server.stop() }

        let byAddress = try await transport(trusting: "cert.pem").send(HTTPRequest(method: .get, url: "https://127.0.0.1:\(server.port)/", headers: []))
        #expect(byAddress.status == 200)
        let byName = try await transport(trusting: "cert.pem").send(
            HTTPRequest(method: .get, url: "https://transport-test.example:\(server.port)/", headers: [])
        )
        #expect(byName.status == 200)

        let untrusted = await Self.failure {
            try await transport(trusting: "other.pem").send(HTTPRequest(method: .get, url: "https://127.0.0.1:\(server.port)/", headers: []))
        }
        #expect(untrusted?.kind == .tls)
        #expect(untrusted?.message.contains("certificate verification failed") == true, "\(untrusted?.message ?? "")")
        #expect(untrusted?.requestSent == false)

        let wrongName = await Self.failure {
            try await transport(trusting: "cert.pem").send(HTTPRequest(method: .get, url: "https://wrong-name.example:\(server.port)/", headers: []))
        }
        #expect(wrongName?.kind == .tls)
        #expect(wrongName?.message.contains("hostname mismatch") == true, "\(wrongName?.message ?? "")")
        #expect(wrongName?.requestSent == false)
    }

    @Test("Proxies from the environment's variables: per scheme, NO_PROXY by suffix or *, loopback never, credentials as Basic")
    func proxySettings() throws {
        let settings = HTTPProxySettings(httpsProxy: "http://user:p%40ss@proxy.internal:3128", httpProxy: "proxy.internal:8080",
                                         noProxy: " .corp.example, 10.0.0.7,[::5]:443 ")
        let https = try #require(try settings.proxy(for: HTTPOrigin(tls: true, host: "api.turso.tech", port: 443)))
        #expect(https.origin == HTTPOrigin(tls: false, host: "proxy.internal", port: 3128))
        #expect(https.authorization == "Basic dXNlcjpwQHNz")  // user:p@ss
        let http = try #require(try settings.proxy(for: HTTPOrigin(tls: false, host: "api.turso.tech", port: 80)))
        #expect(http.origin.port == 8080)
        #expect(http.authorization == nil)
        for direct in ["a.corp.example", "corp.example", "10.0.0.7", "::5", "localhost", "127.0.0.1", "::1"] {
            #expect(try settings.proxy(for: HTTPOrigin(tls: true, host: direct, port: 443)) == nil, "\(direct)")
        }
        #expect(try settings.proxy(for: HTTPOrigin(tls: true, host: "notcorp.example", port: 443)) != nil)
        #expect(try HTTPProxySettings(httpsProxy: "http://p:1", noProxy: "*").proxy(for: HTTPOrigin(tls: true, host: "x.y", port: 443)) == nil)
        #expect(throws: TransportFailure.self) { try HTTPProxySettings(httpsProxy: "socks5://p:1").proxy(for: HTTPOrigin(tls: true, host: "x.y", port: 443)) }
    }

    @Test("https through an HTTP proxy: CONNECT with the proxy's credentials, then TLS with the target, verified end to end")
    func httpsThroughProxy() async throws {
        let folder = try TLSTestServer.makeFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await TLSTestServer.opensslOffPool(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                   "-keyout", folder + "/key.pem", "-out", folder + "/cert.pem", "-subj", "/CN=test", "-days", "1",
                                   "-addext", "subjectAltName=DNS:proxied.example"])
        let server = try await TLSTestServer.started(certificate: folder + "/cert.pem", key: folder + "/key.pem", connections: 1)
        defer { server.stop() }
        let names = try ScriptedNameServer(["proxied.example": [127, 0, 0, 1]])
        let proxy = try ScriptedServer([{ connection in
            guard let request = connection.readRequest(), request.hasPrefix("CONNECT proxied.example:\(server.port) HTTP/1.1\r\n") else { return }
            connection.write("HTTP/1.1 200 Connection established\r\n\r\n")
            connection.relay(toPort: UInt16(server.port))
        }])
        var settings = HTTPTransport.Settings(userAgent: "transport-test", connectTimeout: .seconds(10), requestTimeout: .seconds(30))
        settings.caBundle = folder + "/cert.pem"
        settings.dnsServers = "127.0.0.1:\(names.port)"
        settings.proxies = HTTPProxySettings(httpsProxy: "http://tester:secret@127.0.0.1:\(proxy.port)")
        let response = try await HTTPTransport(settings: settings).send(
            HTTPRequest(method: .get, url: "https://proxied.example:\(server.port)/", headers: [])
        )
        #expect(response.status == 200)
        let connect = try #require(proxy.requests.first)
        #expect(connect.contains("\r\nHost: proxied.example:\(server.port)\r\n"))
        #expect(connect.contains("\r\nProxy-Authorization: Basic dGVzdGVyOnNlY3JldA==\r\n"))  // tester:secret
        // The proxy saw the tunnel request only; the rest went through TLS.
        #expect(proxy.requests.count == 1)
    }

    @Test("A proxy refusing the tunnel is a connect failure with nothing sent; plain http through a proxy uses the absolute URL")
    func proxyRefusalAndPlainHTTP() async throws {
        let names = try ScriptedNameServer(["proxied.example": [127, 0, 0, 1]])
        let proxy = try ScriptedServer([
            { connection in
                _ = connection.readRequest()
                connection.write("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n")
            },
            { connection in
                _ = connection.readRequest()
                connection.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            },
        ])
        var settings = HTTPTransport.Settings(userAgent: "transport-test", connectTimeout: .seconds(10), requestTimeout: .seconds(30))
        settings.dnsServers = "127.0.0.1:\(names.port)"
        settings.proxies = HTTPProxySettings(httpsProxy: "127.0.0.1:\(proxy.port)", httpProxy: "http://u:p@127.0.0.1:\(proxy.port)")
        let transport = HTTPTransport(settings: settings)
        let refused = await Self.failure { try await transport.send(HTTPRequest(method: .post, url: "https://proxied.example/", headers: [])) }
        #expect(refused?.kind == .connect)
        #expect(refused?.requestSent == false)
        #expect(refused?.message.contains("407") == true)

        let plain = try await transport.send(HTTPRequest(method: .get, url: "http://proxied.example:81/v1/x?y=1", headers: []))
        #expect(plain.body == Array("ok".utf8))
        let request = try #require(proxy.requests.last)
        #expect(request.hasPrefix("GET http://proxied.example:81/v1/x?y=1 HTTP/1.1\r\nHost: proxied.example:81\r\nProxy-Authorization: Basic dTpw\r\n"))
    }

    static func failure(_ body: () async throws -> HTTPResponse) async -> TransportFailure? {
        do {
            let response = try await body()
            Issue.record("expected a TransportFailure, got \(response.status)")
            return nil
        } catch let failure as TransportFailure {
            return failure
        } catch {
            Issue.record("expected a TransportFailure, got \(error)")
            return nil
        }
    }
}

/// A TCP server on 127.0.0.1 that serves its scripts, one per accepted
/// connection, on a thread of its own, and records every request it read.
final class ScriptedServer: @unchecked Sendable {
    typealias Script = @Sendable (ScriptedConnection) -> Void

    let port: UInt16
    private let listener: Int32
    // `listenerOpen`: the accept thread alone closes the listener, under this
    // lock, when it is done; `close()` only shuts it down. Closing it under
    // the thread's feet let a later `accept` take a reused descriptor number:
    // another test's listener, whose connections it then stole.
    private let state = Mutex<(requests: [String], accepted: Int, closed: Bool, listenerOpen: Bool)>(([], 0, false, true))

    var requests: [String] { state.withLock { $0.requests } }
    var accepted: Int { state.withLock { $0.accepted } }

    init(_ scripts: [Script]) throws {
        // Close-on-exec, as every descriptor here: tests run side by side and
        // spawn processes (openssl, plugins), which would otherwise inherit a
        // connection and keep it open after the script closes it.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        self.listener = listener
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) == 0 && getsockname(listener, $0, &length) == 0 }
        }
        guard bound, listen(listener, 16) == 0 else { throw TransportFailure(kind: .other, message: "cannot listen", requestSent: false) }
        port = UInt16(bigEndian: address.sin_port)
        Thread.detachNewThread { [self] in
            defer {
                state.withLock { state in
                    Glibc.close(listener)
                    state.listenerOpen = false
                }
            }
            for script in scripts {
                let fd = accept(listener, nil, nil)
                guard fd >= 0 else { return }
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                state.withLock { $0.accepted += 1 }
                let connection = ScriptedConnection(fd: fd) { request in self.state.withLock { $0.requests.append(request) } }
                Thread.detachNewThread {
                    script(connection)
                    Glibc.close(fd)
                }
            }
        }
    }

    deinit { close() }

    /// Stops listening: the port refuses connections from now on.
    func close() {
        state.withLock { state in
            guard !state.closed else { return }
            state.closed = true
            // Wakes the accept thread, which then closes the listener.
            if state.listenerOpen { shutdown(listener, Int32(SHUT_RDWR)) }
        }
    }
}

final class Flag: Sendable {
    private let value = Atomic(false)
    var isSet: Bool { value.load(ordering: .acquiring) }
    func set() { value.store(true, ordering: .releasing) }
}

final class ScriptedConnection: Sendable {
    let fd: Int32
    private let record: @Sendable (String) -> Void

    init(fd: Int32, record: @escaping @Sendable (String) -> Void) {
        self.fd = fd
        self.record = record
    }

    /// Bytes as they come; empty at the end.
    func readSome() -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = recv(fd, &buffer, buffer.count, 0)
        return count > 0 ? Array(buffer[..<count]) : []
    }

    /// One whole request (head and Content-Length body), recorded; nil when the client closed first.
    func readRequest() -> String? {
        var bytes: [UInt8] = []
        while true {
            let text = String(decoding: bytes, as: UTF8.self)
            if let end = text.range(of: "\r\n\r\n") {
                let length = text[..<end.lowerBound].split(separator: "\r\n")
                    .first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                if text.utf8.count - text.utf8.distance(from: text.startIndex, to: end.upperBound) >= length {
                    record(text)
                    return text
                }
            }
            let more = readSome()
            if more.isEmpty { return nil }
            bytes += more
        }
    }

    /// Copies bytes both ways between this connection and a new one to
    /// 127.0.0.1:`port`, until either side closes (a proxy's tunnel).
    func relay(toPort port: UInt16) {
        let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else {
            close(upstream)
            return
        }
        let downstream = fd
        let copy: @Sendable (Int32, Int32) -> Void = { from, to in
            var buffer = [UInt8](repeating: 0, count: 16384)
            while true {
                let count = recv(from, &buffer, buffer.count, 0)
                guard count > 0, send(to, buffer, count, Int32(MSG_NOSIGNAL)) == count else { break }
            }
            shutdown(to, Int32(SHUT_WR))
        }
        let done = Flag()
        Thread.detachNewThread {
            copy(upstream, downstream)
            done.set()
        }
        copy(downstream, upstream)
        while !done.isSet { usleep(10_000) }
        close(upstream)
    }

    func write(_ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBufferPointer { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return }
            offset += sent
        }
    }
}

/// A UDP name server on 127.0.0.1 that answers A questions for its names
/// (NXDOMAIN for others, no data for other types), recording each name asked.
final class ScriptedNameServer: @unchecked Sendable {
    let port: UInt16
    private let fd: Int32
    private let asked = Mutex<[String]>([])

    var questions: [String] { asked.withLock { $0 } }

    init(_ names: [String: [UInt8]]) throws {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw TransportFailure(kind: .other, message: "cannot bind", requestSent: false) }
        port = UInt16(bigEndian: address.sin_port)
        Thread.detachNewThread { [self] in
            var buffer = [UInt8](repeating: 0, count: 1500)
            while true {
                var peer = sockaddr_storage()
                var peerLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
                let count = withUnsafeMutablePointer(to: &peer) { pointer in
                    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd, &buffer, buffer.count, 0, $0, &peerLength) }
                }
                guard count > 12 else { return }  // closed
                guard let answer = respond(to: Array(buffer[..<count]), names) else { continue }
                _ = withUnsafePointer(to: &peer) { pointer in
                    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, answer, answer.count, 0, $0, peerLength) }
                }
            }
        }
    }

    deinit {
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }

    private func respond(to query: [UInt8], _ names: [String: [UInt8]]) -> [UInt8]? {
        var offset = 12
        var labels: [String] = []
        while offset < query.count, query[offset] != 0 {
            let length = Int(query[offset])
            guard offset + 1 + length <= query.count else { return nil }
            labels.append(String(decoding: query[(offset + 1)..<(offset + 1 + length)], as: UTF8.self))
            offset += 1 + length
        }
        guard offset + 5 <= query.count else { return nil }
        let questionEnd = offset + 5
        let type = UInt16(query[offset + 1]) << 8 | UInt16(query[offset + 2])
        let name = labels.joined(separator: ".").lowercased()
        asked.withLock { $0.append(name) }
        let address = names[name]
        let rcode: UInt8 = address == nil ? 3 : 0
        let answers: UInt8 = (address != nil && type == 1) ? 1 : 0
        var answer = [query[0], query[1], 0x81, 0x80 | rcode, 0, 1, 0, answers, 0, 0, 0, 0]
        answer += query[12..<questionEnd]
        if answers == 1, let address {
            answer += [0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4] + address
        }
        return answer
    }
}

/// `openssl s_server -www` on a free port of 127.0.0.1, for the TLS tests.
/// Spawned with posix_spawn: Foundation's Process leaks on Linux, which the
/// LeakSanitizer run would report.
final class TLSTestServer: @unchecked Sendable {
    let port: Int
    private let pid: pid_t
    private let output: Int32

    static func makeFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("transport-tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Starts /usr/bin/openssl with `arguments`, its stdout into the returned
    /// descriptor (nil: to /dev/null), its stderr to /dev/null.
    private static func spawn(_ arguments: [String], capturingOutput: Bool) throws -> (pid: pid_t, output: Int32?) {
        var pipeEnds: [Int32] = [-1, -1]
        if capturingOutput {
            guard pipe(&pipeEnds) == 0 else { throw TransportFailure(kind: .other, message: "pipe failed", requestSent: false) }
            for end in pipeEnds { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if capturingOutput {
            posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = (["/usr/bin/openssl"] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/usr/bin/openssl", &actions, nil, argv, environ)
        if capturingOutput { close(pipeEnds[1]) }
        guard spawned == 0 else {
            if capturingOutput { close(pipeEnds[0]) }
            throw TransportFailure(kind: .other, message: "cannot run openssl: \(spawned)", requestSent: false)
        }
        return (pid, capturingOutput ? pipeEnds[0] : nil)
    }

    /// The blocking calls below run on a thread of their own: blocking one of
    /// the cooperative pool's threads (one per core) would stall other tests.
    private static func offPool<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }

    static func opensslOffPool(_ arguments: [String]) async throws {
        try await offPool { try openssl(arguments) }
    }

    static func started(certificate: String, key: String, connections: Int) async throws -> TLSTestServer {
        try await offPool { try TLSTestServer(certificate: certificate, key: key, connections: connections) }
    }

    static func openssl(_ arguments: [String]) throws {
        let (pid, _) = try spawn(arguments, capturingOutput: false)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        guard status == 0 else { throw TransportFailure(kind: .other, message: "openssl \(arguments[0]) failed", requestSent: false) }
    }

    init(certificate: String, key: String, connections: Int) throws {
        let (pid, output) = try Self.spawn(
            ["s_server", "-accept", "127.0.0.1:0", "-cert", certificate, "-key", key, "-www", "-naccept", String(connections)],
            capturingOutput: true
        )
        self.pid = pid
        self.output = output!
        // "ACCEPT 127.0.0.1:<port>" once it listens.
        var text = ""
        var buffer = [UInt8](repeating: 0, count: 4096)
        var port: Int?
        while port == nil {
            let count = read(self.output, &buffer, buffer.count)
            if count <= 0 { break }
            text += String(decoding: buffer[..<count], as: UTF8.self)
            port = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
                .first { $0.hasPrefix("ACCEPT ") }
                .flatMap { $0.split(separator: ":").last.flatMap { Int($0) } }
        }
        guard let port else {
            kill(pid, SIGKILL)
            waitpid(pid, nil, 0)
            close(self.output)
            throw TransportFailure(kind: .other, message: "openssl s_server did not start: \(text)", requestSent: false)
        }
        self.port = port
    }

    /// Kills the server; it is reaped on a thread of its own.
    func stop() {
        kill(pid, SIGKILL)
        let pid = self.pid, output = self.output
        Thread.detachNewThread {
            while waitpid(pid, nil, 0) < 0, errno == EINTR {}
            close(output)
        }
    }
}
