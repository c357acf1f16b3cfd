import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TursoEmulator

/// The built `turso-api-emulator`, running as its own process on a free
/// port of 127.0.0.1 for one test, as users run it. Terraform's provider
/// reaches it through `environment`; the test drives its control endpoints
/// (request log, faults, out-of-band revokes) over HTTP.
final class EmulatorProcess: @unchecked Sendable {
    let baseURL: String
    /// The bearer the emulator accepts as its admin user: random per
    /// emulator, so a test can search logs for it.
    let adminToken: String
    private let process: Process
    private let logFile: URL

    /// Starts the emulator and waits for the URL line on its stdout.
    init(organizations: [String] = ["my-org"], groups: [String] = ["my-org/default"]) throws {
        adminToken = "acceptance-admin-\(UUID().uuidString.lowercased())"
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent("emulator-\(UUID().uuidString.prefix(8)).log")
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        process = Process()
        process.executableURL = try Binaries.emulator()
        process.arguments = ["--port", "0", "--admin-token", adminToken]
            + organizations.flatMap { ["--organization", $0] } + groups.flatMap { ["--group", $0] }
        process.environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        let stdout = Pipe()
        process.standardOutput = stdout
        // A file, not a pipe: one line per request, and nobody drains a pipe.
        process.standardError = try FileHandle(forWritingTo: logFile)
        process.standardInput = FileHandle.nullDevice
        try process.run()

        var line = Data()
        let deadline = Date().addingTimeInterval(20)
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty || Date() > deadline {
                process.terminate()
                throw WorkspaceError("turso-api-emulator did not print its URL; its log:\n\(Self.read(logFile))")
            }
            line.append(chunk)
        }
        baseURL = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard baseURL.hasPrefix("http://127.0.0.1:") else {
            process.terminate()
            throw WorkspaceError("unexpected first line from turso-api-emulator: \(baseURL)")
        }
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: logFile)
    }

    /// Stops the emulator (SIGTERM) and waits for it. Idempotent.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// What the provider needs to reach this emulator.
    var environment: [String: String] {
        ["TURSO_API_BASE_URL": baseURL, "TURSO_API_TOKEN": adminToken]
    }

    /// The emulator's stderr so far: one line per API request.
    var log: String { Self.read(logFile) }

    private static func read(_ file: URL) -> String {
        (try? String(contentsOf: file, encoding: .utf8)) ?? ""
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

    func addFault(_ fault: Fault) async throws { _ = try await call("POST", "/_emulator/faults", body: try JSONEncoder().encode(fault)) }

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

    private func call(_ method: String, _ path: String, bearer: String? = nil, body: Data? = nil) async throws -> Data {
        var request = URLRequest(url: URL(string: baseURL + path)!)
        request.httpMethod = method
        request.httpBody = body
        if let bearer { request.setValue("Bearer \(bearer)", forHTTPHeaderField: "Authorization") }
        if body != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 200 else {
            throw WorkspaceError("\(method) \(path): emulator answered \(status) \(String(decoding: data, as: UTF8.self))")
        }
        return data
    }
}

extension TerraformWorkspace {
    /// A workspace whose provider talks to `emulator`.
    convenience init(emulator: EmulatorProcess) throws {
        try self.init(environment: emulator.environment)
    }
}
