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

    @Test("A create whose answer is lost keeps the token in state, tainted, and the next apply replaces it")
    func createdButValueLost() async throws {
        let emulator = try EmulatorProcess()
        try await emulator.addFault(Fault(method: "POST", count: 1, process: true, drop: true))
        let workspace = try TerraformWorkspace(emulator: emulator)
        try workspace.write(Self.config)
        let result = try await workspace.run(["apply", "-auto-approve", "-no-color"])
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains(#"API token "ci" was created but its value was lost"#), "\(result)")
        #expect(result.unwrappedStderr.contains("Terraform keeps it in state so that it is not lost, marked tainted"))
        let listed = try await emulator.listedTokens()
        #expect(listed.count == 1, "created once, not twice")
        let kept = try workspace.instance("turso_api_token.ci")
        #expect(kept.string("id") == listed.first?["id"] as? String)
        #expect(kept.attributes["token"] is NSNull)
        #expect(try workspace.isTainted("turso_api_token.ci"))

        let plan = try await workspace.plan()
        #expect(plan.exitCode == 2, "\(plan)")
        #expect(plan.stdout.contains("is tainted, so must be replaced"), "\(plan)")
        try await emulator.clearRequests()
        try await workspace.apply()
        #expect(try await emulator.calls() == [
            "GET /v1/auth/api-tokens 200", "DELETE /v1/auth/api-tokens/ci 200", "POST /v1/auth/api-tokens/ci 200",
        ])
        #expect(try workspace.instance("turso_api_token.ci").string("token")?.isEmpty == false)
        #expect(try !workspace.isTainted("turso_api_token.ci"))
        #expect(try await emulator.listedTokens().count == 1)
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

extension TerraformWorkspace {
    /// Whether the state marks the instance tainted (Terraform does so when
    /// a create returns a state together with an error).
    func isTainted(_ address: String) throws -> Bool {
        guard let resources = try state()["resources"] as? [[String: Any]] else { return false }
        for resource in resources where "\(resource["type"] as? String ?? "").\(resource["name"] as? String ?? "")" == address {
            return (resource["instances"] as? [[String: Any]] ?? []).contains { $0["status"] as? String == "tainted" }
        }
        return false
    }
}
