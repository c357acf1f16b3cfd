import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TursoEmulator

/// The built `turso-api-emulator`, running as its own process on a free
/// port of 127.0.0.1 for one test, as users run it. Terraform's provider
/// reaches it through `environment`; the test drives its control endpoints
/// (request log, faults, out-of-band revokes) over HTTP.
///
/// Spawned with posix_spawn and spoken to over a plain socket, not with
/// Foundation's Process and URLSession: on Linux those leak (bookkeeping,
/// libcurl handles), which fails the LeakSanitizer run.
final class EmulatorProcess: @unchecked Sendable {
    let baseURL: String
    let port: UInt16
    /// The bearer the emulator accepts as its admin user: random per
    /// emulator, so a test can search logs for it.
    let adminToken: String
    private let pid: pid_t
    private let directory: URL
    private let stopped = NSLock()
    private var isStopped = false

    /// Starts the emulator and waits for the URL line on its stdout.
    init(organizations: [String] = ["my-org"], groups: [String] = ["my-org/default"]) throws {
        adminToken = "acceptance-admin-\(UUID().uuidString.lowercased())"
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("emulator-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let stdoutPath = directory.appendingPathComponent("stdout").path
        pid = try ChildProcess.spawn(
            executable: try Binaries.emulator(),
            arguments: ["--port", "0", "--admin-token", adminToken]
                + organizations.flatMap { ["--organization", $0] } + groups.flatMap { ["--group", $0] },
            directory: directory,
            environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"],
            // A file, not a pipe: one line per request, and nobody drains a pipe.
            stdoutPath: stdoutPath, stderrPath: directory.appendingPathComponent("stderr").path
        )

        var line = ""
        let deadline = ContinuousClock.now + .seconds(20)
        while !line.hasSuffix("\n") {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid || ContinuousClock.now > deadline {
                kill(pid, SIGKILL)
                throw WorkspaceError("turso-api-emulator did not print its URL; its log:\n\(Self.read(directory, "stderr"))")
            }
            usleep(10_000)
            line = Self.read(directory, "stdout")
        }
        baseURL = line.trimmingCharacters(in: .whitespacesAndNewlines)
        guard baseURL.hasPrefix("http://127.0.0.1:"), let port = UInt16(baseURL.dropFirst("http://127.0.0.1:".count)) else {
            kill(pid, SIGKILL)
            throw WorkspaceError("unexpected first line from turso-api-emulator: \(baseURL)")
        }
        self.port = port
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Stops the emulator (SIGTERM) and waits for it. Idempotent.
    func stop() {
        let first = stopped.withLock {
            defer { isStopped = true }
            return !isStopped
        }
        guard first else { return }
        kill(pid, SIGTERM)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }

    /// What the provider needs to reach this emulator.
    var environment: [String: String] {
        ["TURSO_API_BASE_URL": baseURL, "TURSO_API_TOKEN": adminToken]
    }

    /// The emulator's stderr so far: one line per API request.
    var log: String { Self.read(directory, "stderr") }

    private static func read(_ directory: URL, _ name: String) -> String {
        String(decoding: ChildProcess.readFile(directory.appendingPathComponent(name).path), as: UTF8.self)
    }

    // MARK: Control endpoints

    /// The API requests served so far, oldest first.
    func requests() async throws -> [LoggedRequest] {
        struct Log: Decodable { var requests: [LoggedRequest] }
        return try JSONDecoder().decode(Log.self, from: try await call("GET", "/_emulator/requests")).requests
    }

    /// The logged requests as "METHOD path status" ("-" for a dropped connection).
    func calls() async throws -> [String] {
        try await requests().map { "\($0.method) \($0.path) \($0.status.map(String.init) ?? "-")" }
    }

    func clearRequests() async throws { _ = try await call("DELETE", "/_emulator/requests") }

    /// API requests the emulator has read, answered or still held by a delay.
    func received() async throws -> Int {
        struct Count: Decodable { var received: Int }
        return try JSONDecoder().decode(Count.self, from: try await call("GET", "/_emulator/received")).received
    }

    func addFault(_ fault: Fault) async throws { _ = try await call("POST", "/_emulator/faults", body: try JSONEncoder().encode(fault)) }

    func clearFaults() async throws { _ = try await call("DELETE", "/_emulator/faults") }

    /// Revokes a token as if someone did it elsewhere.
    func revokeOutOfBand(_ name: String) async throws { _ = try await call("DELETE", "/_emulator/tokens/\(name)") }

    // MARK: API calls as the admin user

    /// The admin user's tokens as Turso lists them.
    func listedTokens() async throws -> [[String: Any]] {
        let data = try await call("GET", "/v1/auth/api-tokens", bearer: adminToken)
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["tokens"] as? [[String: Any]] ?? []
    }

    /// Creates a token through the API, as `turso auth api-tokens mint` would.
    @discardableResult
    func mint(_ name: String, body: String? = nil) async throws -> [String: Any] {
        let data = try await call("POST", "/v1/auth/api-tokens/\(name)", bearer: adminToken, body: body.map { Data($0.utf8) })
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    /// Whether Turso would accept `token` as a bearer (`GET /v1/auth/validate` answers 200).
    func accepts(_ token: String) async -> Bool {
        (try? await call("GET", "/v1/auth/validate", bearer: token)) != nil
    }

    /// One request on its own connection (`Connection: close`), read to
    /// the end. Throws unless the emulator answers 200.
    private func call(_ method: String, _ path: String, bearer: String? = nil, body: Data? = nil) async throws -> Data {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        if let bearer { head += "Authorization: Bearer \(bearer)\r\n" }
        if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        let answer = try Self.exchange(port: port, Array((head + "\r\n").utf8) + [UInt8](body ?? Data()))
        guard let split = answer.firstRange(of: [13, 10, 13, 10]) else {
            throw WorkspaceError("\(method) \(path): no HTTP answer from the emulator")
        }
        let statusLine = String(decoding: answer[..<split.lowerBound], as: UTF8.self).split(separator: " ")
        let payload = Data(answer[split.upperBound...])
        guard statusLine.count >= 2, statusLine[1] == "200" else {
            throw WorkspaceError("\(method) \(path): emulator answered \(statusLine.dropFirst().first ?? "?") \(String(decoding: payload, as: UTF8.self))")
        }
        return payload
    }

    private static func exchange(port: UInt16, _ request: [UInt8]) throws -> [UInt8] {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw WorkspaceError("socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw WorkspaceError("connect to the emulator: \(String(cString: strerror(errno)))") }
        var sent = 0
        while sent < request.count {
            let count = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw WorkspaceError("send to the emulator: \(String(cString: strerror(errno)))") }
            sent += count
        }
        var answer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw WorkspaceError("recv from the emulator: \(String(cString: strerror(errno)))") }
            if count == 0 { return answer }
            answer += chunk[..<count]
        }
    }
}

extension TerraformWorkspace {
    /// A workspace whose provider talks to `emulator`.
    convenience init(emulator: EmulatorProcess, minimumTerraform: TerraformVersion = TerraformCLI.v1_0_3) throws {
        try self.init(environment: emulator.environment, minimumTerraform: minimumTerraform)
    }
}
