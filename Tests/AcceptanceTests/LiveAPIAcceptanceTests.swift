import Foundation
import Testing

/// Acceptance tests that need nothing but the Turso API itself, so they run
/// against the emulator by default and against api.turso.tech with
/// `TURSO_ACC=1` (see TursoTarget). They check through Terraform's own
/// outputs and the data sources, never through the emulator's back door.
@Suite("turso_api_token lifecycle against the emulator, or the real Turso API with TURSO_ACC=1")
struct LiveAPIAcceptanceTests {
    static func outputs(_ workspace: TerraformWorkspace) async throws -> [String: Any] {
        let result = try await workspace.run(["output", "-json", "-no-color"])
        let values = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: [String: Any]] ?? [:]
        return values.mapValues { $0["value"] ?? NSNull() }
    }

    /// The target's tokens named with this run's prefix, as the
    /// `turso_api_tokens` data source lists them for the organization.
    static func prefixedTokens(_ target: TursoTarget) async throws -> [String] {
        var names: [String] = []
        try await target.withWorkspace { workspace in
            try workspace.write("""
                data "turso_api_tokens" "org" {
                  organization = "\(target.organization)"
                }
                output "names" {
                  value = [for t in data.turso_api_tokens.org.tokens : t.name if substr(t.name, 0, \(target.prefix.count)) == "\(target.prefix)"]
                }
                """)
            try await workspace.apply()
            names = (try await outputs(workspace)["names"] as? [String] ?? []).sorted()
        }
        return names
    }

    @Test("Organization and group tokens are created, listed, valid, stable on a second plan, and revoked by destroy")
    func lifecycle() async throws {
        let target = try TursoTarget()
        try await target.withWorkspace { workspace in
            try workspace.write("""
                resource "turso_api_token" "org" {
                  name         = "\(target.name("org"))"
                  organization = "\(target.organization)"
                }

                resource "turso_api_token" "group" {
                  name         = "\(target.name("group"))"
                  organization = "\(target.organization)"
                  group        = "\(target.group)"
                  scopes       = ["read-only"]
                }

                data "turso_api_token_validation" "group" {
                  token = turso_api_token.group.token
                }

                output "group_token_valid" {
                  value = data.turso_api_token_validation.group.valid
                }
                """)
            try await workspace.apply()
            let outputs = try await Self.outputs(workspace)
            #expect(outputs["group_token_valid"] as? Bool == true)
            #expect(try workspace.instance("turso_api_token.org").string("token")?.isEmpty == false)
            #expect(try await workspace.plan().exitCode == 0, "a second plan shows changes")
            #expect(try await Self.prefixedTokens(target) == [target.name("group"), target.name("org")])
        }
        #expect(try await Self.prefixedTokens(target) == [], "destroy left tokens behind")
    }

    @Test("A token is imported by name and then matches its configuration")
    func importByName() async throws {
        let target = try TursoTarget()
        try await target.withWorkspace { workspace in
            try workspace.write("""
                resource "turso_api_token" "imported" {
                  name         = "\(target.name("imported"))"
                  organization = "\(target.organization)"
                }
                """)
            try await workspace.apply()
            let removed = try await workspace.run(["state", "rm", "-no-color", "turso_api_token.imported"])
            #expect(removed.exitCode == 0, "\(removed)")
            let imported = try await workspace.run(["import", "-no-color", "-input=false", "turso_api_token.imported", target.name("imported")])
            #expect(imported.exitCode == 0, "\(imported)")
            #expect(try workspace.instance("turso_api_token.imported").attributes["token"] is NSNull)
            #expect(try await workspace.plan().exitCode == 0)
        }
        #expect(try await Self.prefixedTokens(target) == [])
    }
}

/// scripts/sweep-test-tokens against the emulator (it cannot be tested
/// against a real account in CI): it revokes the tokens with the prefix and
/// only those, refuses prefixes that could match real tokens, and prints
/// names, never values.
@Suite("scripts/sweep-test-tokens")
struct SweepTestTokensTests {
    static func sweep(_ emulator: EmulatorProcess, _ arguments: [String]) async throws -> TerraformWorkspace.Result {
        let script = Binaries.packageRoot.appendingPathComponent("scripts/sweep-test-tokens").path
        var environment = emulator.environment
        environment["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return try await ChildProcess.run(
            executable: URL(fileURLWithPath: "/usr/bin/env"), arguments: ["python3", script] + arguments,
            directory: Binaries.packageRoot, environment: environment
        )
    }

    static func names(_ emulator: EmulatorProcess) async throws -> [String] {
        try await emulator.listedTokens().compactMap { $0["name"] as? String }.sorted()
    }

    @Test("Revokes the tokens with the prefix, and only those")
    func sweeps() async throws {
        let emulator = try EmulatorProcess()
        var values: [String] = []
        for name in ["tfacc-run1-a", "tfacc-run1-b", "tfacc-run2-c", "keep-me", "tfacc"] {
            values.append(try await emulator.mint(name)["token"] as? String ?? "")
        }

        let dryRun = try await Self.sweep(emulator, ["--prefix", "tfacc-run1-", "--dry-run"])
        #expect(dryRun.exitCode == 0, "\(dryRun)")
        #expect(dryRun.stdout.contains("would revoke 'tfacc-run1-a'"))
        #expect(try await Self.names(emulator).count == 5, "a dry run revoked something")

        let swept = try await Self.sweep(emulator, ["--prefix", "tfacc-run1-"])
        #expect(swept.exitCode == 0, "\(swept)")
        #expect(try await Self.names(emulator) == ["keep-me", "tfacc", "tfacc-run2-c"])

        let all = try await Self.sweep(emulator, [])
        #expect(all.exitCode == 0, "\(all)")
        #expect(try await Self.names(emulator) == ["keep-me", "tfacc"])
        for value in values where !value.isEmpty {
            #expect(!(dryRun.stdout + swept.stdout + all.stdout + swept.stderr).contains(value), "a token value was printed")
        }
    }

    @Test("Refuses a prefix that does not start with tfacc-, and revokes nothing")
    func refusesWidePrefixes() async throws {
        let emulator = try EmulatorProcess()
        try await emulator.mint("keep-me")
        for prefix in ["", "keep", "tfacc"] {
            let refused = try await Self.sweep(emulator, ["--prefix", prefix])
            #expect(refused.exitCode == 2, "prefix \(prefix.debugDescription): \(refused)")
        }
        #expect(try await Self.names(emulator) == ["keep-me"])
    }
}
