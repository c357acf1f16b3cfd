import Foundation
import Glibc
import Testing
import TursoEmulator

@Suite("Turso API emulator: HTTP server, command line")
struct EmulatorServerTests {
    @Test("Requests on one kept-alive connection are answered in turn")
    func keepAlive() throws {
        let emulator = try startedEmulator()
        let connection = try RawHTTPConnection(port: emulator.port)
        let first = try connection.request("POST", "/v1/auth/api-tokens/a", bearer: emulatorAdminToken, body: "")
        #expect(first.status == 200)
        #expect(first.headers["connection"] == "keep-alive")
        let second = try connection.request("GET", "/v1/auth/api-tokens", bearer: emulatorAdminToken)
        #expect(second.status == 200)
        #expect((second.json["tokens"] as? [[String: Any]])?.count == 1)
    }

    @Test("Connection: close is honoured")
    func connectionClose() throws {
        let emulator = try startedEmulator()
        let connection = try RawHTTPConnection(port: emulator.port)
        let response = try connection.request("GET", "/v1/auth/validate", bearer: emulatorAdminToken, headers: ["Connection: close"])
        #expect(response.status == 200)
        #expect(response.headers["connection"] == "close")
        #expect(connection.isClosedByPeer())
    }

    @Test("Expect: 100-continue gets an interim 100 before the body is sent")
    func expectContinue() throws {
        let emulator = try startedEmulator()
        let connection = try RawHTTPConnection(port: emulator.port)
        let body = #"{"organization":"my-org"}"#
        try connection.write(RawHTTPConnection.head(
            "POST", "/v1/auth/api-tokens/continued", bearer: emulatorAdminToken, bodyLength: body.utf8.count,
            headers: ["Expect: 100-continue"]
        ))
        // Only the head is sent: the interim answer must come without the body.
        let interim = try connection.readInterimStatusLine()
        #expect(interim.hasPrefix("HTTP/1.1 100"))
        try connection.write(body)
        let response = try connection.readResponse()
        #expect(response.status == 200)
        #expect(try emulator.listed().first?["organization"] as? String == "my-org")
    }

    @Test("A malformed request line answers 400 and closes the connection")
    func malformedRequest() throws {
        let emulator = try startedEmulator()
        let connection = try RawHTTPConnection(port: emulator.port)
        try connection.write("NONSENSE\r\n\r\n")
        let response = try connection.readResponse()
        #expect(response.status == 400)
        #expect(response.json["error"] is String)
        #expect(connection.isClosedByPeer())
    }

    @Test("The emulator listens on 127.0.0.1 only")
    func loopbackOnly() throws {
        let emulator = try startedEmulator()
        // /proc/net/tcp lists listening sockets as hex "address:port" with state 0A.
        // Read to the end: /proc files report size 0, and the table outgrows one read when tests open many sockets.
        let file = try #require(FileHandle(forReadingAtPath: "/proc/net/tcp"))
        let table = String(decoding: try file.readToEnd() ?? Data(), as: UTF8.self)
        let port = String(format: "%04X", emulator.port)
        var listeners: [String] = []
        for line in table.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ").map(String.init)
            if fields.count > 3, fields[1].hasSuffix(":\(port)"), fields[3] == "0A" { listeners.append(fields[1]) }
        }
        #expect(listeners == ["0100007F:\(port)"])
    }

    @Test("Stopping closes open connections and frees the port; stopping twice is harmless")
    func stop() throws {
        let emulator = try startedEmulator()
        let connection = try RawHTTPConnection(port: emulator.port)
        #expect(try connection.request("GET", "/v1/auth/validate", bearer: emulatorAdminToken).status == 200)
        let port = emulator.port
        emulator.stop()
        emulator.stop()
        #expect(connection.isClosedByPeer())
        #expect(throws: RawHTTPError.self) { try RawHTTPConnection(port: port) }
    }

    @Test("The command line reads port, admin tokens, organizations and groups")
    func commandLine() throws {
        let configuration = try EmulatorCommand.configuration(
            arguments: ["--port", "8123", "--admin-token", "t1", "--admin-token", "t2", "--organization", "a", "--group", "b/default"],
            environment: ["TURSO_EMULATOR_ADMIN_TOKEN": "ignored"]
        )
        #expect(configuration.port == 8123)
        #expect(configuration.users.map(\.token) == ["t1", "t2"])
        #expect(configuration.users.map(\.username) == ["admin", "admin-2"])
        #expect(configuration.organizations == ["a": [], "b": ["default"]])
        #expect(configuration.users.allSatisfy { $0.memberships == ["a": .owner, "b": .owner] })

        let fromEnvironment = try EmulatorCommand.configuration(arguments: [], environment: ["TURSO_EMULATOR_ADMIN_TOKEN": "e1, e2"])
        #expect(fromEnvironment.users.map(\.token) == ["e1", "e2"])
        let defaults = try EmulatorCommand.configuration(arguments: [], environment: [:])
        #expect(defaults.users.map(\.token) == [EmulatorConfiguration.defaultAdminToken])
        #expect(defaults.port == 0)
    }

    @Test(
        "The command line refuses bad options with a message",
        arguments: [
            (["--port", "http"], "not a port number"),
            (["--group", "no-slash"], "expected <organization>/<group>"),
            (["--tls-cert", "cert.pem"], "TLS is not implemented"),
            (["--frobnicate", "x"], "unknown option"),
            (["--admin-token"], "needs a value"),
        ]
    )
    func commandLineErrors(arguments: [String], message: String) {
        #expect {
            _ = try EmulatorCommand.configuration(arguments: arguments, environment: [:])
        } throws: { error in
            "\(error)".contains(message)
        }
    }
}

@Suite("Turso API emulator: the turso-api-emulator command")
struct EmulatorCommandProcessTests {
    /// The built command, which SwiftPM puts beside the test runner.
    static func commandURL() throws -> URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent("turso-api-emulator")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        throw RawHTTPError(description: "turso-api-emulator not found near \(CommandLine.arguments[0]): build the package first")
    }

    @Test("It prints only its URL on stdout, logs requests without secrets on stderr, and exits 0 on SIGTERM")
    func runsAndStops() throws {
        let process = try SpawnedProcess(
            try Self.commandURL().path, ["--port", "0", "--admin-token", "process-secret-admin", "--organization", "o", "--group", "o/g"]
        )
        defer { process.kill() }
        let url = try process.readStdoutLine()
        let port = try #require(url.wholeMatch(of: /http:\/\/127\.0\.0\.1:(\d+)/).flatMap { UInt16($0.1) })

        let connection = try RawHTTPConnection(port: port)
        let created = try connection.request(
            "POST", "/v1/auth/api-tokens/ci", bearer: "process-secret-admin", body: #"{"organization":"o","group":"g","scopes":["read"]}"#
        )
        #expect(created.status == 200)
        let minted = try #require(created.json["token"] as? String)

        let exitStatus = process.terminate()
        #expect(exitStatus == 0)
        #expect(process.readRest(of: .stdout).isEmpty)
        let log = String(decoding: process.readRest(of: .stderr), as: UTF8.self)
        #expect(log.contains("POST /v1/auth/api-tokens/ci -> 200"))
        #expect(log.contains("stopped"))
        #expect(!log.contains("process-secret-admin"))
        #expect(!log.contains(minted))
    }
}

/// A child process with its stdout and stderr on pipes. posix_spawn rather
/// than Foundation's Process, which leaks under LeakSanitizer.
final class SpawnedProcess {
    enum Stream { case stdout, stderr }

    private var pid: pid_t = 0
    private let stdoutFD: Int32
    private let stderrFD: Int32
    private var exited = false

    init(_ path: String, _ arguments: [String]) throws {
        var out: [Int32] = [0, 0]
        var err: [Int32] = [0, 0]
        guard pipe(&out) == 0, pipe(&err) == 0 else { throw RawHTTPError(description: "pipe failed") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, out[1], 1)
        posix_spawn_file_actions_adddup2(&actions, err[1], 2)
        for descriptor in out + err { posix_spawn_file_actions_addclose(&actions, descriptor) }
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, environ)
        close(out[1])
        close(err[1])
        stdoutFD = out[0]
        stderrFD = err[0]
        guard spawned == 0 else {
            close(stdoutFD)
            close(stderrFD)
            throw RawHTTPError(description: "posix_spawn \(path): \(spawned)")
        }
    }

    deinit {
        kill()
        close(stdoutFD)
        close(stderrFD)
    }

    func readStdoutLine() throws -> String {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while read(stdoutFD, &byte, 1) == 1 {
            if byte == UInt8(ascii: "\n") { return String(decoding: line, as: UTF8.self) }
            line.append(byte)
        }
        throw RawHTTPError(description: "stdout ended before a line")
    }

    func readRest(of stream: Stream) -> [UInt8] {
        let descriptor = stream == .stdout ? stdoutFD : stderrFD
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { return bytes }
            bytes += chunk[..<count]
        }
    }

    /// Sends SIGTERM and returns the exit status, or nil when a signal ended the process.
    func terminate() -> Int32? {
        Glibc.kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        exited = true
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : nil
    }

    func kill() {
        guard !exited else { return }
        Glibc.kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        exited = true
    }
}

extension RawHTTPConnection {
    /// Reads up to the end of one status line and its blank line (an interim answer has no body).
    func readInterimStatusLine() throws -> String {
        var bytes: [UInt8] = []
        while !(bytes.count >= 4 && bytes.suffix(4).elementsEqual([13, 10, 13, 10])) {
            bytes.append(try readByte())
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
