import Foundation
import Testing
import TursoEmulator

@Suite("Turso API emulator: faults, request log and controls")
struct EmulatorControlTests {
    @Test("A status fault answers its status, Retry-After and JSON error for the next N matching requests only")
    func statusFault() throws {
        let emulator = try startedEmulator()
        try emulator.addFault(Fault(method: "GET", pathPrefix: "/v1/auth/api-tokens", count: 2, status: 429, retryAfter: "3", error: "slow down"))
        for _ in 0..<2 {
            let limited = try emulator.request("GET", "/v1/auth/api-tokens")
            #expect(limited.status == 429)
            #expect(limited.headers["retry-after"] == "3")
            #expect(limited.json["error"] as? String == "slow down")
        }
        #expect(try emulator.request("GET", "/v1/auth/api-tokens").status == 200)
        // Method and prefix must both match.
        try emulator.addFault(Fault(method: "DELETE", pathPrefix: "/v1/auth/api-tokens", status: 500))
        #expect(try emulator.request("GET", "/v1/auth/api-tokens").status == 200)
        #expect(try emulator.request("GET", "/v1/auth/validate").status == 200)
        #expect(try emulator.request("DELETE", "/v1/auth/api-tokens/x").status == 500)
    }

    @Test("A fault can match one token name only")
    func tokenNameFault() throws {
        let emulator = try startedEmulator()
        try emulator.addFault(Fault(tokenName: "unlucky", status: 503))
        #expect(try emulator.request("POST", "/v1/auth/api-tokens/lucky").status == 200)
        #expect(try emulator.request("POST", "/v1/auth/api-tokens/unlucky").status == 503)
        #expect(try emulator.listed().map { $0["name"] as! String } == ["lucky"])
    }

    @Test("A delay fault answers late")
    func delayFault() throws {
        let emulator = try startedEmulator()
        try emulator.addFault(Fault(pathPrefix: "/v1/auth/validate", count: 1, delayMilliseconds: 300))
        let started = Date()
        #expect(try emulator.request("GET", "/v1/auth/validate").status == 200)
        #expect(Date().timeIntervalSince(started) >= 0.3)
    }

    @Test("A drop fault closes the connection without an answer, and nothing is created")
    func dropFault() throws {
        let emulator = try startedEmulator()
        try emulator.addFault(Fault(method: "POST", count: 1, drop: true))
        #expect(throws: RawHTTPError.self) { try emulator.request("POST", "/v1/auth/api-tokens/dropped") }
        #expect(emulator.requestLog().last?.status == nil)
        #expect(emulator.requestLog().last?.fault == true)
        #expect(try emulator.listed().isEmpty)
    }

    @Test("A processing drop fault creates the token, then closes without an answer")
    func processThenDrop() throws {
        let emulator = try startedEmulator()
        try emulator.addFault(Fault(method: "POST", count: 1, process: true, drop: true))
        #expect(throws: RawHTTPError.self) { try emulator.request("POST", "/v1/auth/api-tokens/landed") }
        #expect(try emulator.listed().map { $0["name"] as! String } == ["landed"])
    }

    @Test("Faults are managed over HTTP: added, listed, removed; invalid ones are refused")
    func faultsOverHTTP() throws {
        let emulator = try startedEmulator()
        let added = try emulator.request(
            "POST", "/_emulator/faults", bearer: nil, body: #"{"path_prefix":"/v1/auth/validate","status":502,"count":1}"#
        )
        #expect(added.status == 200)
        let id = try #require(added.json["id"] as? Int)
        let listed = try emulator.request("GET", "/_emulator/faults", bearer: nil)
        #expect((listed.json["faults"] as? [[String: Any]])?.first?["id"] as? Int == id)
        #expect(try emulator.request("DELETE", "/_emulator/faults/\(id)", bearer: nil).status == 200)
        #expect(try emulator.request("GET", "/v1/auth/validate").status == 200)

        for invalid in [#"{"status":99}"#, #"{"status":500,"drop":true}"#, #"{"retry_after":"1"}"#, #"{"count":0}"#, "nonsense"] {
            #expect(try emulator.request("POST", "/_emulator/faults", bearer: nil, body: invalid).status == 400, "\(invalid)")
        }
        #expect(try emulator.request("POST", "/_emulator/faults", bearer: nil, body: #"{"status":500}"#).status == 200)
        #expect(try emulator.request("DELETE", "/_emulator/faults", bearer: nil).status == 200)
        #expect(try emulator.request("GET", "/v1/auth/validate").status == 200)
    }

    @Test("The request log has method, path, status, time and user agent, and never a header value or token")
    func requestLog() throws {
        let lines = LineRecorder()
        let emulator = try startedEmulator(EmulatorConfiguration(
            adminTokens: ["secret-admin-token-value"], organizations: ["my-org": []], requestLogger: { lines.append($0) }
        ))
        let connection = try RawHTTPConnection(port: emulator.port)
        let created = try connection.request(
            "POST", "/v1/auth/api-tokens/logged", bearer: "secret-admin-token-value", body: "", headers: ["User-Agent: probe/1.0"]
        )
        let minted = try #require(created.json["token"] as? String)
        _ = try connection.request("GET", "/v1/auth/validate", bearer: minted)
        _ = try connection.request("GET", "/v1/auth/api-tokens", bearer: "wrong-secret-value")

        let log = try emulator.request("GET", "/_emulator/requests", bearer: nil)
        #expect(log.status == 200)
        let entries = try #require(log.json["requests"] as? [[String: Any]])
        #expect(entries.map { $0["method"] as? String } == ["POST", "GET", "GET"])
        #expect(entries.map { $0["path"] as? String } == ["/v1/auth/api-tokens/logged", "/v1/auth/validate", "/v1/auth/api-tokens"])
        #expect(entries.map { $0["status"] as? Int } == [200, 200, 401])
        #expect(entries[0]["user_agent"] as? String == "probe/1.0")
        for entry in entries {
            let timestamp = try #require(entry["timestamp"] as? String)
            #expect(ISO8601DateFormatter.withFractionalSeconds.date(from: timestamp) != nil)
        }
        for secret in ["secret-admin-token-value", minted, "wrong-secret-value", "Bearer", "uthorization"] {
            #expect(!log.text.contains(secret))
            #expect(!lines.all.joined().contains(secret))
        }
        #expect(lines.all.count == 3)
        #expect(lines.all[0].contains("POST /v1/auth/api-tokens/logged -> 200"))

        #expect(try emulator.request("DELETE", "/_emulator/requests", bearer: nil).status == 200)
        #expect(emulator.requestLog().isEmpty)
    }

    @Test("Reset forgets tokens, faults and the log")
    func reset() throws {
        let emulator = try startedEmulator()
        try emulator.mint("kept")
        try emulator.addFault(Fault(pathPrefix: "/v1/auth/validate", status: 500))
        #expect(try emulator.request("POST", "/_emulator/reset", bearer: nil).status == 200)
        #expect(emulator.requestLog().isEmpty)
        #expect(try emulator.listed().isEmpty)
        #expect(try emulator.request("GET", "/v1/auth/validate").status == 200)
    }

    @Test("Tokens can be revoked and given an expiry out of band over HTTP")
    func outOfBandControls() throws {
        let emulator = try startedEmulator()
        let minted = try #require(try emulator.mint("oob")["token"] as? String)
        let expiry = try emulator.request("PUT", "/_emulator/tokens/oob/expiry", bearer: nil, body: #"{"exp":4102444800}"#)
        #expect(expiry.status == 200)
        #expect(try emulator.request("GET", "/v1/auth/validate", bearer: minted).json["exp"] as? Int == 4_102_444_800)
        #expect(try emulator.request("PUT", "/_emulator/tokens/ghost/expiry", bearer: nil, body: #"{"exp":1}"#).status == 404)
        #expect(try emulator.request("PUT", "/_emulator/tokens/oob/expiry", bearer: nil, body: "{}").status == 400)
        #expect(try emulator.request("DELETE", "/_emulator/tokens/oob?user=someone-else", bearer: nil).status == 404)
        #expect(try emulator.request("DELETE", "/_emulator/tokens/oob?user=admin", bearer: nil).status == 200)
        #expect(try emulator.listed().isEmpty)
        #expect(try emulator.request("GET", "/v1/auth/validate", bearer: minted).status == 401)
        // Control requests are not API requests: not logged.
        #expect(emulator.requestLog().allSatisfy { !$0.path.hasPrefix("/_emulator") })
        #expect(try emulator.request("GET", "/_emulator/nothing", bearer: nil).status == 404)
    }
}

/// Collects the emulator's log lines across its threads.
final class LineRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    func append(_ line: String) { lock.withLock { lines.append(line) } }

    var all: [String] { lock.withLock { lines } }
}

extension ISO8601DateFormatter {
    static var withFractionalSeconds: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
