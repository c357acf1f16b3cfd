import Foundation
import Testing
import TursoEmulator
@testable import TursoProvider

@Suite("Turso client: errors, as the user reads them")
struct TursoClientErrorTests {
    @Test("401 names TURSO_API_TOKEN and api_token, and never shows the token, even when Turso echoes it")
    func authentication() async throws {
        let emulator = try startedEmulator()
        let secret = "provider-secret-token-123"
        let client = client(of: emulator, token: secret)
        let error = try #require(await apiError { _ = try await client.listTokens() })
        #expect(error.kind == .authentication)
        #expect(error.statusCode == 401)
        #expect(error.detail.contains("TURSO_API_TOKEN"))
        #expect(error.detail.contains("api_token"))
        #expect(error.detail.contains("invalid or revoked token"))
        #expect(!error.description.contains(secret))

        try emulator.addFault(Fault(status: 401, error: "token \(secret) is not valid"))
        let echoed = try #require(await apiError { _ = try await client.createToken(name: "x") })
        #expect(echoed.kind == .authentication)
        #expect(!echoed.description.contains(secret))
        #expect(echoed.detail.contains("token <redacted> is not valid"))
        #expect(echoed.diagnostic().detail == echoed.detail)
    }

    @Test("403 is reported as forbidden, with Turso's reason")
    func forbidden() async throws {
        let emulator = try startedEmulator(EmulatorConfiguration(
            users: [.init(username: "m", token: "member-token", memberships: ["my-org": .member])],
            organizations: ["my-org": ["default"]]
        ))
        let client = client(of: emulator, token: "member-token")
        let error = try #require(await apiError {
            _ = try await client.createToken(name: "g", organization: "my-org", group: "default", scopes: ["read"])
        })
        #expect(error.kind == .forbidden)
        #expect(error.statusCode == 403)
        #expect(error.apiMessage?.contains("only admins and owners") == true)
    }

    @Test("404 is reported as not found, saying what was missing")
    func notFound() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        let revoke = try #require(await apiError { try await client.revokeToken(name: "ghost") })
        #expect(revoke.kind == .notFound)
        #expect(revoke.detail.contains("\"ghost\" does not exist"))
        let organization = try #require(await apiError { _ = try await client.createToken(name: "t", organization: "nope") })
        #expect(organization.kind == .notFound)
        #expect(organization.apiMessage == "organization nope not found")
        let crossOrganization = try #require(await apiError {
            try await client.revokeOrganizationToken(organization: "my-org", id: "no-such-id")
        })
        #expect(crossOrganization.kind == .notFound)
    }

    @Test("409, and a 400 saying so, are reported as already exists, with how to recover")
    func alreadyExists() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        _ = try await client.createToken(name: "taken")
        let conflict = try #require(await apiError { _ = try await client.createToken(name: "taken") })
        #expect(conflict.kind == .alreadyExists)
        #expect(conflict.statusCode == 409)
        #expect(conflict.summary.contains("\"taken\""))
        #expect(conflict.detail.contains("turso auth api-tokens revoke taken"))
        #expect(conflict.detail.contains("terraform import"))

        try emulator.addFault(Fault(method: "POST", count: 1, status: 400, error: "API token with name other already exists"))
        let badRequest = try #require(await apiError { _ = try await client.createToken(name: "other") })
        #expect(badRequest.kind == .alreadyExists)
        #expect(badRequest.statusCode == 400)
    }

    @Test("Other 400s are reported as invalid requests with Turso's explanation")
    func invalidRequest() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        let error = try #require(await apiError {
            _ = try await client.createToken(name: "g", organization: "my-org", group: "default", scopes: [])
        })
        #expect(error.kind == .invalidRequest)
        #expect(error.statusCode == 400)
        #expect(error.detail.contains("non-empty scopes"))
    }

    @Test("A 500 on a read is reported with its status and Turso's text, without retrying")
    func serverError() async throws {
        let emulator = try startedEmulator()
        let recorder = SleepRecorder()
        let client = client(of: emulator, recorder: recorder)
        try emulator.addFault(Fault(method: "GET", status: 500, error: "database on fire"))
        let error = try #require(await apiError { _ = try await client.listTokens() })
        #expect(error.kind == .server)
        #expect(error.statusCode == 500)
        #expect(error.detail.contains("500"))
        #expect(error.detail.contains("Turso said: database on fire"))
        #expect(emulator.requestLog().count == 1)
        #expect(recorder.sleeps.isEmpty)
    }

    @Test("Turso's text is shown with its control characters escaped (found by Fuzz/turso)")
    func controlCharactersEscaped() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        try emulator.addFault(Fault(method: "GET", status: 500, error: "on\u{1B}[31mfire\u{7}\r\nTurso\u{9B}2J\u{2028}été"))
        let error = try #require(await apiError { _ = try await client.listTokens() })
        // DisplayText's escapes, the one form every server text is shown in.
        #expect(error.detail.contains(#"Turso said: on\u{1B}[31mfire\u{7}\u{D}\u{A}Turso\u{9B}2J\u{2028}été"#))
        #expect(!error.detail.unicodeScalars.contains { $0.properties.generalCategory == .control })
    }

    @Test("Connection refused is retried with backoff, then reported as a transport error naming the URL")
    func connectionRefused() async throws {
        let emulator = try startedEmulator()
        emulator.stop()  // a port that was just free, now refusing
        let recorder = SleepRecorder()
        let client = client(of: emulator, recorder: recorder)
        let error = try #require(await apiError { _ = try await client.listTokens() })
        #expect(error.kind == .transport)
        #expect(error.detail.contains(emulator.baseURL))
        #expect(error.detail.contains("5 attempts"))
        #expect(recorder.sleeps == [.milliseconds(375), .milliseconds(750), .milliseconds(1500), .milliseconds(3000)])
    }

    @Test("A TLS failure is reported as a transport error and not retried")
    func tlsFailure() async throws {
        let emulator = try startedEmulator()
        let recorder = SleepRecorder()
        let client = TursoClient(
            baseURL: "https://127.0.0.1:\(emulator.port)", apiToken: emulatorAdminToken, userAgent: "test",
            options: {
                var options = TursoClient.Options()
                options.sleep = { try await recorder.sleep($0) }
                return options
            }()
        )
        let error = try #require(await apiError { _ = try await client.listTokens() })
        #expect(error.kind == .transport)
        #expect(error.detail.contains("TLS"))
        #expect(recorder.sleeps.isEmpty)
    }

    @Test("A request that outlives its timeout is reported as a transport timeout")
    func timeout() async throws {
        let emulator = try startedEmulator()
        let recorder = SleepRecorder()
        let client = client(of: emulator, recorder: recorder) {
            $0.requestTimeout = .milliseconds(200)
            $0.retry.maxAttempts = 2
        }
        try emulator.addFault(Fault(method: "GET", delayMilliseconds: 2_000))
        let error = try #require(await apiError { _ = try await client.listTokens() })
        #expect(error.kind == .transport)
        #expect(error.detail.contains("did not answer in time"))
        #expect(recorder.sleeps.count == 1)
    }

    @Test("An answer that is not the documented JSON is reported as an invalid response")
    func invalidResponse() async throws {
        let emulator = try startedEmulator()
        let client = client(of: emulator)
        try emulator.addFault(Fault(method: "GET", status: 200, error: "not a listing"))
        let error = try #require(await apiError { _ = try await client.listTokens() })
        #expect(error.kind == .invalidResponse)
        #expect(error.detail.contains("no \"tokens\" list"))
    }
}
