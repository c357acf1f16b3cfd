import Foundation
import Testing
import TursoEmulator

/// `turso_api_token` when the Turso API misbehaves, under the real Terraform CLI.
@Suite("turso_api_token with real Terraform when Turso fails")
struct APITokenFaultAcceptanceTests {
    static let config = #"resource "turso_api_token" "ci" { name = "ci" }"#

    @Test("429 and 503 answers are retried until the token is created", arguments: [429, 503])
    func retried(status: Int) async throws {
        let emulator = try EmulatorProcess()
        try await emulator.addFault(Fault(method: "POST", count: 2, status: status, retryAfter: "1"))
        let workspace = try TerraformWorkspace(emulator: emulator)
        try workspace.write(Self.config)
        try await workspace.apply()
        #expect(try workspace.instance("turso_api_token.ci").string("token") != nil)
        #expect(try await emulator.requests().filter { $0.method == "POST" }.map(\.status) == [status, status, 200])
    }

    @Test("A rejected API token is a clear error naming TURSO_API_TOKEN")
    func unauthorized() async throws {
        let emulator = try EmulatorProcess()
        let workspace = try TerraformWorkspace(emulator: emulator)
        workspace.environment["TURSO_API_TOKEN"] = "wrong-token-for-this-emulator"
        try workspace.write(Self.config)
        let result = try await workspace.run(["apply", "-auto-approve", "-no-color"])
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("Turso rejected the API token"), "\(result)")
        #expect(result.stderr.contains("TURSO_API_TOKEN"))
        #expect(!result.stderr.contains("wrong-token-for-this-emulator"))
        #expect((try? workspace.instances())?.isEmpty ?? true)
    }

    @Test("No API token at all fails at plan, before anything is sent")
    func missingToken() async throws {
        let emulator = try EmulatorProcess()
        let workspace = try TerraformWorkspace(environment: ["TURSO_API_BASE_URL": emulator.baseURL])
        try workspace.write(Self.config)
        let result = try await workspace.plan()
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("No Turso API token configured"), "\(result)")
        #expect(result.unwrappedStderr.contains("Set the TURSO_API_TOKEN environment variable or the provider's api_token argument"))
        #expect(try await emulator.requests().isEmpty)
    }

    @Test("A create whose answer is lost is reported with how to recover, and import recovers it")
    func createdButValueLost() async throws {
        let emulator = try EmulatorProcess()
        try await emulator.addFault(Fault(method: "POST", count: 1, process: true, drop: true))
        let workspace = try TerraformWorkspace(emulator: emulator)
        try workspace.write(Self.config)
        let result = try await workspace.run(["apply", "-auto-approve", "-no-color"])
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains(#"API token "ci" was created but its value was lost"#), "\(result)")
        #expect(result.unwrappedStderr.contains("Either revoke it (`turso auth api-tokens revoke ci`) and apply again"))
        #expect(result.unwrappedStderr.contains("bring it under Terraform with `terraform import`"))
        #expect((try? workspace.instances())?.isEmpty ?? true)
        #expect(try await emulator.listedTokens().count == 1, "created once, not twice")

        let imported = try await workspace.run(["import", "-no-color", "-input=false", "turso_api_token.ci", "ci"])
        #expect(imported.exitCode == 0, "\(imported)")
        #expect(try await workspace.plan().exitCode == 0)
    }

    @Test("Creating a name that is taken says to import it or choose another name")
    func alreadyExists() async throws {
        let emulator = try EmulatorProcess()
        try await emulator.mint("ci")
        let workspace = try TerraformWorkspace(emulator: emulator)
        try workspace.write(Self.config)
        let result = try await workspace.run(["apply", "-auto-approve", "-no-color"])
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains(#"An API token named "ci" already exists"#), "\(result)")
        #expect(result.unwrappedStderr.contains("Choose another name"))
        #expect(result.unwrappedStderr.contains("bring it under Terraform with `terraform import`"))
    }
}
