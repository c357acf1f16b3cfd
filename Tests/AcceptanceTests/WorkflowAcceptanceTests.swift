import Foundation
import Testing

/// The Terraform 1.8-1.15 workflows under the real Terraform 1.15.5 (run
/// even in the 1.0.3 pass, which cannot speak them): import by identity,
/// `terraform query`, moving over from pyvider, functions, the action.
@Suite("Identity, query, move, functions and actions with real Terraform 1.15.5")
struct WorkflowAcceptanceTests {

    @Test("Import by identity adopts a token, and the next plan is empty")
    func importByIdentity() async throws {
        let emulator = try EmulatorProcess()
        let minted = try await emulator.mint("legacy", body: #"{"organization":"my-org"}"#)
        let workspace = try TerraformWorkspace(emulator: emulator, minimumTerraform: TerraformCLI.v1_15_5)
        try workspace.write("""
        import {
          to       = turso_api_token.legacy
          identity = { name = "legacy" }
        }
        resource "turso_api_token" "legacy" {
          name         = "legacy"
          organization = "my-org"
        }
        """)
        let applied = try await workspace.apply()
        #expect(applied.stdout.contains("1 imported"), "\(applied)")
        let state = try workspace.state()
        let instance = try #require(((state["resources"] as? [[String: Any]])?.first?["instances"] as? [[String: Any]])?.first)
        #expect(instance["identity"] as? [String: String] == ["name": "legacy"])
        #expect((instance["attributes"] as? [String: Any])?["id"] as? String == minted["id"] as? String)
        let plan = try await workspace.plan()
        #expect(plan.exitCode == 0, "expected no changes:\n\(plan)")
        // Apply and refresh keep the identity: a token created by Terraform has one too.
        try workspace.write("""
        resource "turso_api_token" "legacy" {
          name         = "legacy"
          organization = "my-org"
        }
        resource "turso_api_token" "fresh" { name = "fresh" }
        """)
        try await workspace.apply()
        let instances = try (workspace.state()["resources"] as? [[String: Any]] ?? []).compactMap { ($0["instances"] as? [[String: Any]])?.first }
        #expect(Set(instances.compactMap { ($0["identity"] as? [String: String])?["name"] }) == ["legacy", "fresh"])
    }

    @Test("terraform query lists the emulator's tokens; the generated configuration imports them and then plans clean")
    func queryThenGeneratedConfig() async throws {
        let emulator = try EmulatorProcess()
        try await emulator.mint("ci-a")
        try await emulator.mint("ci-b", body: #"{"organization":"my-org","group":"default","scopes":["read-only"]}"#)
        try await emulator.mint("other", body: #"{"organization":"my-org"}"#)
        let workspace = try TerraformWorkspace(emulator: emulator, minimumTerraform: TerraformCLI.v1_15_5)
        try workspace.write("")
        try """
        list "turso_api_token" "ci" {
          provider = turso
          config {
            name_prefix = "ci-"
          }
        }
        """.write(to: workspace.directory.appendingPathComponent("tokens.tfquery.hcl"), atomically: true, encoding: .utf8)
        try await emulator.clearRequests()
        let query = try await workspace.run(["query", "-no-color"])
        #expect(query.exitCode == 0, "\(query)")
        #expect(query.stdout.contains("name=ci-a"), "\(query)")
        #expect(query.stdout.contains("ci-b (organization my-org, group default)"), "\(query)")
        #expect(!query.stdout.contains("other"), "\(query)")
        #expect(try await emulator.calls() == ["GET /v1/auth/api-tokens 200"], "one listing call per query")

        let generate = try await workspace.run(["query", "-generate-config-out=generated.tf", "-no-color"])
        #expect(generate.exitCode == 0, "\(generate)")
        let generated = try String(contentsOf: workspace.directory.appendingPathComponent("generated.tf"), encoding: .utf8)
        #expect(generated.contains(#"name = "ci-a""#) || generated.contains(#"name            = "ci-a""#), "\(generated)")
        #expect(generated.contains("identity = {"), "\(generated)")

        let applied = try await workspace.apply()
        #expect(applied.stdout.contains("2 imported, 0 added, 0 changed, 0 destroyed"), "\(applied)")
        let plan = try await workspace.plan()
        #expect(plan.exitCode == 0, "expected no changes after the import:\n\(plan)")
        #expect(try await emulator.listedTokens().count == 3, "nothing created or revoked")
    }

    @Test("A pyvider_timed_token made by pyvider 0.8.1 moves to turso_timed_token with the same token, minting nothing")
    func moveFromPyvider() async throws {
        let emulator = try EmulatorProcess()
        let workspace = try TerraformWorkspace(
            environment: emulator.environment.merging(["PYVIDER_PRIVATE_STATE_SHARED_SECRET": "acceptance-pyvider-secret-0123456789abcdef"]) { $1 },
            minimumTerraform: TerraformCLI.v1_15_5
        )
        try PyviderProvider.install(in: workspace)
        let providers = """
        terraform {
          required_providers {
            turso   = { source = "turso-swift/turso" }
            pyvider = { source = "provide-io/pyvider" }
          }
        }

        """
        try providers.appending(#"resource "pyvider_timed_token" "ci" { name = "ci" }"#)
            .write(to: workspace.directory.appendingPathComponent("main.tf"), atomically: true, encoding: .utf8)
        try await workspace.apply()
        let before = try workspace.instance("pyvider_timed_token.ci")
        let token = try #require(before.string("token"))
        let id = try #require(before.string("id"))
        let expiresAt = try #require(before.string("expires_at").flatMap(parseRFC3339))

        // The documented move, verbatim.
        let example = try WorkflowExamplesAcceptanceTests.example("resources/turso_timed_token/moved-from-pyvider.tf")
        try providers.appending(example).write(to: workspace.directory.appendingPathComponent("main.tf"), atomically: true, encoding: .utf8)
        let plan = try await workspace.plan()
        // -detailed-exitcode counts a move as a change; nothing else is planned.
        #expect(plan.exitCode == 2, "\(plan)")
        #expect(plan.stdout.contains("Plan: 0 to add, 0 to change, 0 to destroy."), "the move alone changes nothing:\n\(plan)")
        #expect(plan.stdout.contains("pyvider_timed_token.ci has moved to turso_timed_token.ci"), "\(plan)")
        let applied = try await workspace.apply()
        #expect(applied.stdout.contains("0 added, 0 changed, 0 destroyed"), "\(applied)")

        let moved = try workspace.instance("turso_timed_token.ci")
        #expect(moved.string("token") == token, "the same token, no new mint")
        #expect(moved.string("id") == id)
        #expect(moved.string("ttl") == "1h")
        #expect(moved.string("renew_before") == "0s")
        let movedExpiry = try #require(moved.string("expires_at").flatMap(parseRFC3339))
        #expect(abs(movedExpiry.timeIntervalSince(expiresAt)) < 1, "pyvider's expiry to the second")
        #expect(moved.privateBytes?.first == 1, "sealed afresh with our key (envelope version 1)")
        #expect(try workspace.instances().map(\.address) == ["turso_timed_token.ci"])
        let again = try await workspace.plan()
        #expect(again.exitCode == 0, "\(again)")
        #expect(!(again.stdout + again.stderr).contains(token), "the token never shows")
    }

    @Test("token_claims reads an emulator-minted token and refuses garbage with an error on its argument")
    func tokenClaims() async throws {
        let emulator = try EmulatorProcess()
        let minted = try await emulator.mint("ci")
        let token = try #require(minted["token"] as? String)
        let workspace = try TerraformWorkspace(emulator: emulator, minimumTerraform: TerraformCLI.v1_15_5)
        try workspace.write("""
        variable "token" {
          type      = string
          sensitive = true
        }
        output "id" {
          value     = provider::turso::token_claims(var.token).id
          sensitive = true
        }
        output "seconds" { value = provider::turso::parse_duration("1h30m") }
        """)
        let applied = try await workspace.run(["apply", "-auto-approve", "-no-color", "-var", "token=\(token)"])
        #expect(applied.exitCode == 0, "\(applied)")
        let outputs = try await workspace.run(["output", "-json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(outputs.stdout.utf8)) as? [String: [String: Any]])
        #expect(json["id"]?["value"] as? String == minted["id"] as? String)
        #expect(json["seconds"]?["value"] as? Int == 5400)

        let garbage = try await workspace.run(["plan", "-no-color", "-var", "token=not-a-token-at-all"])
        #expect(garbage.exitCode == 1, "\(garbage)")
        #expect(garbage.stderr.contains("Invalid value for \"token\" parameter: Not a Turso token"), "\(garbage)")
        #expect(!garbage.stderr.contains("not-a-token-at-all"), "the value is never repeated:\n\(garbage)")
    }

    @Test("The revoke action revokes a token in the emulator; an unknown name succeeds with a warning")
    func revokeAction() async throws {
        let emulator = try EmulatorProcess()
        let minted = try await emulator.mint("leaked")
        try await emulator.mint("kept")
        let workspace = try TerraformWorkspace(emulator: emulator, minimumTerraform: TerraformCLI.v1_15_5)
        try workspace.write("""
        action "turso_revoke_api_token" "leaked" {
          config {
            name = "leaked"
          }
        }
        action "turso_revoke_api_token" "typo" {
          config {
            name = "leakd"
          }
        }
        """)
        let invoked = try await workspace.apply(["-invoke=action.turso_revoke_api_token.leaked"])
        #expect(invoked.stdout.contains("Revoked API token \"leaked\""), "\(invoked)")
        #expect(try await emulator.listedTokens().compactMap { $0["name"] as? String } == ["kept"])
        #expect(try await emulator.calls().contains("DELETE /v1/auth/api-tokens/leaked 200"))
        #expect(!(invoked.stdout + invoked.stderr).contains(try #require(minted["token"] as? String)))

        let typo = try await workspace.apply(["-invoke=action.turso_revoke_api_token.typo"])
        #expect((typo.stdout + typo.stderr).contains("No API token named \"leakd\""), "\(typo)")
        #expect(try await emulator.listedTokens().count == 1)
    }
}

/// pyvider 0.8.1's provider, as `scripts/bootstrap` installs it under
/// `.tools/`, made launchable by Terraform: a `terraform-provider-pyvider`
/// script in a `dev_overrides` folder that runs `pyvider provide` with the
/// magic cookie pyvider expects (`PLUGIN_MAGIC_COOKIE_VALUE`, which it reads
/// instead of go-plugin's `TF_PLUGIN_MAGIC_COOKIE`).
enum PyviderProvider {
    static func install(in workspace: TerraformWorkspace) throws {
        let pyvider = Binaries.packageRoot.appendingPathComponent(".tools/pyvider-0.8.1/bin/pyvider")
        guard FileManager.default.isExecutableFile(atPath: pyvider.path) else {
            throw WorkspaceError("pyvider 0.8.1 not found at \(pyvider.path): run scripts/bootstrap")
        }
        let folder = workspace.home.appendingPathComponent("pyvider-plugin")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let script = folder.appendingPathComponent("terraform-provider-pyvider")
        try writeExecutable("""
        #!/bin/sh
        export PLUGIN_MAGIC_COOKIE_VALUE="$TF_PLUGIN_MAGIC_COOKIE"
        exec "\(pyvider.path)" provide "$@"
        """, to: script.path)
        let config = try String(contentsOf: workspace.cliConfig, encoding: .utf8)
        try config.replacingOccurrences(
            of: "dev_overrides {", with: "dev_overrides {\n    \"registry.terraform.io/provide-io/pyvider\" = \"\(folder.path)\""
        ).write(to: workspace.cliConfig, atomically: true, encoding: .utf8)
    }

    /// Writes a script Terraform will exec, through a close-on-exec
    /// descriptor: tests run side by side and spawn processes, and one that
    /// inherited a descriptor open for writing made Terraform's exec of the
    /// script fail with "text file busy" (seen in CI's release-binary pass).
    private static func writeExecutable(_ text: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        guard fd >= 0 else { throw WorkspaceError("cannot write \(path): errno \(errno)") }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw WorkspaceError("cannot write \(path): errno \(errno)") }
        guard fchmod(fd, 0o755) == 0 else { throw WorkspaceError("cannot make \(path) executable: errno \(errno)") }
    }
}
