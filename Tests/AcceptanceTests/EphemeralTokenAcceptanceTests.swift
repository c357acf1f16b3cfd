import Foundation
import Testing

/// Ephemeral resources under real Terraform 1.15.5 (they exist from 1.10 on),
/// against the emulator over HTTP on loopback.
@Suite("Ephemeral tokens under Terraform 1.15.5")
struct EphemeralTokenAcceptanceTests {
    /// Every value the emulator mints starts with this base64url JWT header
    /// (`{"alg":"EdDSA","typ":"JWT"}`): a file without it holds no token.
    static let tokenHeader = "eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9"
    static let prefix = "acc-eph-"

    /// The creates and revokes of ephemeral tokens in the emulator's log
    /// since it was last cleared, by name.
    static func ephemeralTraffic(_ emulator: EmulatorProcess) async throws -> (created: [String], revoked: [String]) {
        let requests = try await emulator.requests()
        func names(_ method: String) -> [String] {
            requests.filter { $0.method == method && $0.status == 200 && $0.path.hasPrefix("/v1/auth/api-tokens/\(prefix)") }
                .map { String($0.path.dropFirst("/v1/auth/api-tokens/".count)) }
        }
        return (names("POST"), names("DELETE"))
    }

    /// After a run: every ephemeral token it opened was revoked, and Turso
    /// lists none of them.
    static func expectAllRevoked(_ emulator: EmulatorProcess, after run: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let (created, revoked) = try await ephemeralTraffic(emulator)
        #expect(!created.isEmpty, "\(run) opened no ephemeral token", sourceLocation: sourceLocation)
        #expect(created.count == revoked.count, "\(run): created \(created), revoked \(revoked)", sourceLocation: sourceLocation)
        #expect(Set(created) == Set(revoked), "\(run): created \(created), revoked \(revoked)", sourceLocation: sourceLocation)
        let listed = try await emulator.listedTokens().compactMap { $0["name"] as? String }
        #expect(listed.filter { $0.hasPrefix(prefix) }.isEmpty, "\(run) left \(listed)", sourceLocation: sourceLocation)
        try await emulator.clearRequests()
    }

    @Test("An ephemeral API token configures a second provider; plan and apply revoke every token they open; no token value in state or a saved plan")
    func apiTokenAsProviderToken() async throws {
        let emulator = try EmulatorProcess()
        let workspace = try TerraformWorkspace(emulator: emulator, minimumTerraform: TerraformCLI.v1_15_5)
        try workspace.write("""
        ephemeral "turso_api_token" "session" {
          name_prefix = "\(Self.prefix)"
        }

        provider "turso" {
          alias     = "session"
          api_token = ephemeral.turso_api_token.session.token
        }

        data "turso_api_tokens" "seen" {
          provider = turso.session
        }

        # Created through the session provider: apply needs the ephemeral token too.
        resource "turso_api_token" "made" {
          provider = turso.session
          name     = "made-with-session"
        }

        output "seen" {
          value = [for token in data.turso_api_tokens.seen.tokens : token.name]
        }
        """)

        // A saved plan: the ephemeral token was opened and revoked, and
        // the plan file holds no token value (the managed one is unknown yet).
        let saved = try await workspace.run(["plan", "-out=create.tfplan", "-input=false", "-no-color"])
        #expect(saved.exitCode == 0, "\(saved)")
        try await Self.expectAllRevoked(emulator, after: "plan -out")
        let shown = try await workspace.run(["show", "-json", "create.tfplan"])
        #expect(shown.exitCode == 0, "\(shown)")
        #expect(shown.stdout.contains("turso_api_token.made"), "\(shown.stdout)")
        #expect(!shown.stdout.contains(Self.tokenHeader), "\(shown.stdout)")

        // Applying the saved plan opens a new ephemeral token for the
        // session provider, and revokes it.
        let applied = try await workspace.run(["apply", "-input=false", "-no-color", "create.tfplan"])
        #expect(applied.exitCode == 0, "\(applied)")
        try await Self.expectAllRevoked(emulator, after: "apply of the saved plan")
        let made = try workspace.instance("turso_api_token.made")
        #expect(made.string("token")?.hasPrefix(Self.tokenHeader) == true)
        #expect(try await emulator.listedTokens().contains { $0["name"] as? String == "made-with-session" })
        // The session provider listed the tokens while its own ephemeral token existed.
        let seen = try workspace.state()["outputs"].flatMap { ($0 as? [String: Any])?["seen"] as? [String: Any] }?["value"] as? [String]
        #expect(seen?.contains { $0.hasPrefix(Self.prefix) } == true, "\(String(describing: seen))")

        // The state holds the managed token's value (that resource keeps
        // it) and nothing of the ephemeral one: no instance, no other value.
        let stateText = try String(contentsOf: workspace.stateFile, encoding: .utf8)
        #expect(!stateText.contains("\"ephemeral\""))
        #expect(stateText.components(separatedBy: Self.tokenHeader).count - 1 == 1, "\(stateText)")

        let plan = try await workspace.plan()
        #expect(plan.exitCode == 0 || plan.exitCode == 2, "\(plan)")
        try await Self.expectAllRevoked(emulator, after: "plan")
        let apply = try await workspace.apply()
        try await Self.expectAllRevoked(emulator, after: "apply")
        #expect(try String(contentsOf: workspace.stateFile, encoding: .utf8).components(separatedBy: Self.tokenHeader).count - 1 == 1)

        let destroy = try await workspace.destroy()
        try await Self.expectAllRevoked(emulator, after: "destroy")
        #expect(try await emulator.listedTokens().isEmpty)
        for output in [saved, applied, plan, apply, destroy] {
            #expect(!output.stdout.contains(Self.tokenHeader) && !output.stderr.contains(Self.tokenHeader))
        }
    }

    @Test("An ephemeral timed token is minted in plan and apply and stored nowhere; an invalid ttl is a diagnostic")
    func timedToken() async throws {
        let emulator = try EmulatorProcess()
        let workspace = try TerraformWorkspace(emulator: emulator, minimumTerraform: TerraformCLI.v1_15_5)
        func write(condition: String) throws {
            try workspace.write("""
            ephemeral "turso_timed_token" "session" {
              name = "session"
              ttl  = "5m"
            }

            resource "terraform_data" "uses" {
              input = "static"
              lifecycle {
                precondition {
                  condition     = \(condition)
                  error_message = "unexpected ephemeral timed token"
                }
              }
            }
            """)
        }
        // Evaluated against the opened token: a condition it does not meet fails.
        try write(condition: #"startswith(ephemeral.turso_timed_token.session.token, "not-")"#)
        let failing = try await workspace.plan()
        #expect(failing.exitCode == 1 && failing.stderr.contains("unexpected ephemeral timed token"), "\(failing)")

        try write(condition: """
        startswith(ephemeral.turso_timed_token.session.token, "token-") && \
        startswith(ephemeral.turso_timed_token.session.id, "timed-token-id-") && \
        can(regex("^\\\\d{4}-\\\\d{2}-\\\\d{2}T\\\\d{2}:\\\\d{2}:\\\\d{2}Z$", ephemeral.turso_timed_token.session.expires_at))
        """)
        try await workspace.apply()
        let stateText = try String(contentsOf: workspace.stateFile, encoding: .utf8)
        #expect(!stateText.contains("timed-token-id-") && !stateText.contains("\"ephemeral\""), "\(stateText)")
        #expect(try await emulator.requests().isEmpty)

        try workspace.write("""
        ephemeral "turso_timed_token" "bad" {
          name = "bad"
          ttl  = "soon"
        }
        """)
        let invalid = try await workspace.plan()
        #expect(invalid.exitCode == 1, "\(invalid)")
        #expect(invalid.stderr.contains("ttl"), "\(invalid)")
    }

    @Test("The ephemeral resource examples apply as they are, leaving no token behind")
    func examples() async throws {
        let examples = Binaries.packageRoot.appendingPathComponent("examples/ephemeral-resources")
        let emulator = try EmulatorProcess()
        let workspace = try TerraformWorkspace(emulator: emulator, minimumTerraform: TerraformCLI.v1_15_5)
        // One file: each write adds a required_providers block, which Terraform accepts once.
        try workspace.write(
            try String(contentsOf: examples.appendingPathComponent("turso_api_token/ephemeral-resource.tf"), encoding: .utf8) + "\n"
                + String(contentsOf: examples.appendingPathComponent("turso_timed_token/ephemeral-resource.tf"), encoding: .utf8)
        )
        try await workspace.apply()
        let names = try workspace.state()["outputs"].flatMap { ($0 as? [String: Any])?["my_token_names"] as? [String: Any] }?["value"] as? [String]
        #expect(names?.contains { $0.hasPrefix("tf-session-") } == true, "\(String(describing: names))")
        let listed = try await emulator.listedTokens().compactMap { $0["name"] as? String }
        #expect(listed.isEmpty, "\(listed)")
        let stateText = try String(contentsOf: workspace.stateFile, encoding: .utf8)
        #expect(!stateText.contains(Self.tokenHeader) && !stateText.contains("timed-token-id-"))
    }
}
