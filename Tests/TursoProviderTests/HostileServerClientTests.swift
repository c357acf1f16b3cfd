import Foundation
import Testing
import TursoEmulator
@testable import TursoProvider

/// The Turso client against a server that misbehaves on purpose (the
/// emulator's faults): requests never go astray, creates that may have
/// reached the server are decided by looking, server text is data.
@Suite("Turso client against a hostile server")
struct HostileServerClientTests {
    // MARK: Paths

    @Test("Dots in names are percent-encoded: `..` and `.` reach the server as names, not as dot segments")
    func dotSegmentsEncoded() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        // The client itself sends what it is given; the resources refuse these names at validate.
        _ = try await client.createToken(name: "..")
        _ = try await client.createToken(name: ".")
        try await client.revokeToken(name: "..")
        _ = await apiError { _ = try await client.listTokens(organization: "..") }
        #expect(emulator.loggedCalls == [
            "POST /v1/auth/api-tokens/%2E%2E 200",
            "POST /v1/auth/api-tokens/%2E 200",
            "DELETE /v1/auth/api-tokens/%2E%2E 200",
            "GET /v1/organizations/%2E%2E/api-tokens 404",
        ])
        #expect(try await client.listTokens().map(\.name) == ["."])
    }

    @Test("pathSegment encodes every byte but letters, digits, '-', '_' and '~'")
    func pathSegmentEncoding() {
        #expect(TursoClient.pathSegment("a.b-c_d~e") == "a%2Eb-c_d~e")
        #expect(TursoClient.pathSegment("x/y?z#") == "x%2Fy%3Fz%23")
        #expect(TursoClient.pathSegment("café") == "caf%C3%A9")
        #expect(TursoClient.pathSegment("%2E") == "%252E")
    }

    // MARK: Creates whose outcome is unclear

    /// Faults that hit a create after the server made the token: each must end
    /// as "created, value lost", carrying the token, after one create and one look.
    static let createdThenBroken: [(String, Fault)] = [
        ("bytes that are not HTTP", Fault(method: "POST", count: 1, process: true, raw: "SSH-2.0-OpenSSH_9.2\r\n")),
        ("a body over 16 MiB", Fault(method: "POST", count: 1, process: true, oversizeBytes: 16 * 1024 * 1024 + 10)),
        ("Content-Length: -1", Fault(method: "POST", count: 1, process: true, contentLength: "-1")),
        ("a 204 without a body", Fault(method: "POST", count: 1, process: true, status: 204, body: "")),
        ("a 503 after creating", Fault(method: "POST", count: 1, process: true, status: 503)),
        ("a 429 after creating", Fault(method: "POST", count: 1, process: true, status: 429, retryAfter: "1")),
        ("a 500 after creating", Fault(method: "POST", count: 1, process: true, status: 500)),
        ("a 200 that is not JSON", Fault(method: "POST", count: 1, process: true, status: 200, body: "<html>ok</html>")),
        ("a dropped connection", Fault(method: "POST", count: 1, process: true, drop: true)),
    ]

    @Test("A create the server acted on, then answered badly, is decided by looking: created, value lost, never sent twice",
          arguments: createdThenBroken.map(\.0))
    func createdThenBrokenAnswer(_ label: String) async throws {
        let fault = try #require(Self.createdThenBroken.first { $0.0 == label }?.1)
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        try emulator.addFault(fault)
        let error = try #require(await apiError { _ = try await client.createToken(name: "hostile") })
        #expect(error.kind == .createdButValueLost, "\(label): \(error)")
        let listed = try #require(try await client.token(named: "hostile"))
        #expect(error.lostToken == listed)
        #expect(error.summary == "API token \"hostile\" was created but its value was lost")
        let posts = emulator.requestLog().filter { $0.method == "POST" }
        #expect(posts.count == 1, "\(label): the create was sent again")
        #expect(emulator.loggedCalls.contains("GET /v1/auth/api-tokens 200"), "\(label): decided without looking")
    }

    /// The same bad answers, from a server that did not act on the request.
    static let notCreatedBroken: [(String, Fault)] = [
        ("bytes that are not HTTP", Fault(method: "POST", count: 1, raw: "\u{16}\u{03}\u{01}garbage")),
        ("a body over 16 MiB", Fault(method: "POST", count: 1, status: 200, body: "{}", oversizeBytes: 16 * 1024 * 1024 + 10)),
        ("Content-Length: -1", Fault(method: "POST", count: 1, status: 200, body: "{}", contentLength: "-1")),
        ("a 200 that is not JSON", Fault(method: "POST", count: 1, status: 200, body: "<html>ok</html>")),
    ]

    @Test("Bad answers to a create the server did not act on: looked up, then the error, and nothing sent twice",
          arguments: notCreatedBroken.map(\.0))
    func notCreatedThenBrokenAnswer(_ label: String) async throws {
        let fault = try #require(Self.notCreatedBroken.first { $0.0 == label }?.1)
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        try emulator.addFault(fault)
        let error = try #require(await apiError { _ = try await client.createToken(name: "hostile") })
        #expect(!error.mayHaveCreated, "\(label): \(error)")
        #expect(try await client.listTokens().isEmpty)
        #expect(emulator.requestLog().filter { $0.method == "POST" }.count == 1)
        #expect(emulator.loggedCalls.contains("GET /v1/auth/api-tokens 200"), "\(label): decided without looking")
        if label == "a 200 that is not JSON" {
            // Not "the token now exists": the look found none.
            #expect(error.detail.contains("nothing was created"))
        }
    }

    @Test("A 201 carrying the value is a success: the value is kept, not thrown away")
    func createdWith201() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        try emulator.addFault(Fault(method: "POST", count: 1, process: true, status: 201, keepBody: true))
        let created = try await client.createToken(name: "two-oh-one")
        #expect(!created.token.isEmpty)
        #expect(try await client.token(named: "two-oh-one")?.id == created.id)
    }

    @Test("A 503 the server did not act on is looked up, then sent again, to success")
    func refusedThenRetried() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        try emulator.addFault(Fault(method: "POST", count: 1, status: 503))
        let created = try await client.createToken(name: "again")
        #expect(created.name == "again")
        #expect(emulator.loggedCalls == [
            "POST /v1/auth/api-tokens/again 503", "GET /v1/auth/api-tokens 200", "POST /v1/auth/api-tokens/again 200",
        ])
    }

    // MARK: Stopping

    @Test("A create under way when the caller is cancelled is awaited, and its token returned")
    func createAwaitedAfterCancel() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        try emulator.addFault(Fault(method: "POST", count: 1, delayMilliseconds: 1_000))
        let task = Task { try await client.createToken(name: "under-way") }
        // Cancel once the emulator holds the create.
        try await waitUntilReceived(emulator, 1)
        task.cancel()
        let created = try await task.value
        #expect(created.name == "under-way")
        #expect(try await client.token(named: "under-way")?.id == created.id)
    }

    @Test("Past the grace period a create under way is abandoned, and reported as maybe created, naming the token")
    func createAbandonedAfterGrace() async throws {
        let emulator = try startedEmulator()
        defer { emulator.stop() }  // cuts the held create short
        // The answer is held far beyond the grace period (and the request
        // timeout beyond that), so that however slowly this machine runs the
        // grace period's task, the answer cannot come first: with a hold of
        // 1.5 s a busy test run let the answer win, and the create succeeded.
        let client = client(of: emulator) {
            $0.stopGracePeriod = .milliseconds(100)
            $0.requestTimeout = .seconds(600)
        }
        try emulator.addFault(Fault(method: "POST", count: 1, delayMilliseconds: 300_000))
        let task = Task { try await client.createToken(name: "abandoned") }
        try await waitUntilReceived(emulator, 1)
        task.cancel()
        let error = try #require(await apiError { _ = try await task.value })
        #expect(error.kind == .createOutcomeUnknown)
        #expect(error.summary == "API token \"abandoned\" may have been created, with its value lost")
        #expect(error.detail.contains("Terraform asked the provider to stop"))
    }

    /// Polls until the emulator has read `count` API requests (held ones included).
    func waitUntilReceived(_ emulator: TursoAPIEmulator, _ count: Int) async throws {
        for _ in 0..<2_000 where emulator.receivedRequests < count {
            try await Task.sleep(for: .milliseconds(10))
        }
        try #require(emulator.receivedRequests >= count)
    }

    @Test("A create cancelled before anything was sent is cancelled, and nothing reaches the server")
    func cancelledBeforeSending() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        let task = Task { () -> TursoAPIError? in
            withUnsafeCurrentTask { $0?.cancel() }
            do throws(TursoAPIError) {
                _ = try await client.createToken(name: "never")
                return nil
            } catch {
                return error
            }
        }
        let error = try #require(await task.value)
        #expect(error.kind == .cancelled)
        #expect(error.detail.contains("creating API token \"never\""))
        #expect(emulator.requestLog().isEmpty)
    }

    // MARK: Server text is data

    @Test("Escape sequences in Turso's error text are shown escaped, never raw")
    func escapedServerText() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        try emulator.addFault(Fault(method: "POST", status: 400, error: "\u{1B}[2J\u{1B}[32mApply complete!\u{07}\u{9B}\u{202E}"))
        let error = try #require(await apiError { _ = try await client.createToken(name: "x") })
        #expect(!error.description.unicodeScalars.contains { $0.properties.generalCategory == .control })
        #expect(!error.description.contains("\u{202E}"))
        #expect(error.detail.contains(#"\u{1B}[2J\u{1B}[32mApply complete!\u{7}\u{9B}\u{202E}"#))
    }

    @Test("Ids a server lists are escaped in messages too")
    func escapedServerIDs() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        try emulator.addFault(Fault(method: "GET", body: #"{"tokens":[{"name":"dup","id":"a\u001b[31m"},{"name":"dup","id":"b"}]}"#))
        let error = try #require(await apiError { _ = try await client.token(named: "dup") })
        #expect(error.summary == "Turso lists 2 API tokens named \"dup\"")
        #expect(error.detail.contains(#"a\u{1B}[31m, b"#))
        #expect(!error.detail.contains("\u{1B}"))
    }

    @Test("Credentials in the base URL never appear in errors")
    func credentialsRedacted() async throws {
        let client = TursoClient(
            baseURL: "http://alice:hunter2-secret@127.0.0.1:1", apiToken: "t", userAgent: "test",
            options: { var options = TursoClient.Options(); options.retry.maxAttempts = 1; return options }()
        )
        let error = try #require(await apiError { _ = try await client.listTokens() })
        #expect(error.kind == .transport)
        #expect(!error.description.contains("hunter2"))
        #expect(!error.description.contains("alice"))
        #expect(error.detail.contains("http://<redacted>@127.0.0.1:1"))
        #expect(DisplayText.redactedURL("https://tok@api.example/x?y") == "https://<redacted>@api.example/x?y")
        #expect(DisplayText.redactedURL("https://api.turso.tech") == "https://api.turso.tech")
    }

    @Test("A bearer with a line break is refused before anything is sent")
    func headerInjectionRefused() async throws {
        let emulator = try startedEmulator()
        let injecting = client(of: emulator, token: "\(emulatorAdminToken)\r\nX-Injected: 1")
        let error = try #require(await apiError { _ = try await injecting.listTokens() })
        #expect(error.kind == .invalidRequest)
        #expect(error.detail.contains("line break"))
        #expect(emulator.requestLog().isEmpty)
        let validating = client(of: emulator)
        let refused = try #require(await apiError { _ = try await validating.validate(token: "abc\ndef") })
        #expect(refused.kind == .invalidRequest)
        #expect(emulator.requestLog().isEmpty)
    }

    // MARK: Names

    @Test("Names are compared as bytes: café and cafe with a combining accent are two tokens")
    func namesAsBytes() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        let precomposed = "caf\u{E9}"
        let decomposed = "cafe\u{301}"
        #expect(precomposed == decomposed, "Swift calls them equal; Turso does not")
        _ = try await client.createToken(name: precomposed)
        #expect(try await client.token(named: decomposed) == nil)
        #expect(try await client.token(named: precomposed) != nil)
        // And the emulator, like Turso, takes the other spelling as a new name.
        _ = try await client.createToken(name: decomposed)
        #expect(try await client.listTokens().count == 2)
    }

    @Test("Two tokens of one name in a listing are an error, not a silent pick")
    func duplicateNames() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        try emulator.addFault(Fault(method: "GET", body: #"{"tokens":[{"name":"ci","id":"one"},{"name":"ci","id":"two"}]}"#))
        let error = try #require(await apiError { _ = try await client.token(named: "ci") })
        #expect(error.kind == .invalidResponse)
        #expect(error.summary == "Turso lists 2 API tokens named \"ci\"")
        #expect(error.detail.contains("one, two"))
    }

    @Test("A 409 to anything but a create names the operation, never a placeholder")
    func conflictOnRevoke() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        try emulator.addFault(Fault(method: "DELETE", status: 409, error: "busy"))
        let error = try #require(await apiError { try await client.revokeToken(name: "ci") })
        #expect(!error.description.contains("<name>"))
        #expect(error.summary == "Turso reported a conflict")
        #expect(error.detail.contains("revoking API token \"ci\""))
        try emulator.addFault(Fault(method: "POST", count: 1, status: 409))
        let created = try #require(await apiError { _ = try await client.createToken(name: "taken") })
        #expect(created.summary == "An API token named \"taken\" already exists")
    }
}
