import Foundation
import Testing

/// The documentation's examples, applied as they are against the emulator,
/// so they cannot rot.
@Suite("turso_api_token examples with real Terraform")
struct APITokenExamplesAcceptanceTests {
    static let examples = Binaries.packageRoot.appendingPathComponent("examples")

    func example(_ path: String) throws -> String {
        try String(contentsOf: Self.examples.appendingPathComponent(path), encoding: .utf8)
    }

    @Test("The turso_api_token example applies, and its import.sh imports a token by name")
    func resourceExample() async throws {
        let emulator = try EmulatorProcess()
        let workspace = try TerraformWorkspace(emulator: emulator)
        try workspace.write(try example("resources/turso_api_token/resource.tf"))
        try await workspace.apply()
        #expect(Set(try await emulator.listedTokens().compactMap { $0["name"] as? String }) == ["ci-pipeline", "ops"])
        #expect(try await workspace.plan().exitCode == 0)

        let removed = try await workspace.run(["state", "rm", "-no-color", "turso_api_token.ops"])
        #expect(removed.exitCode == 0, "\(removed)")
        var environment = workspace.baseEnvironment.merging(workspace.environment) { $1 }
        environment["PATH"] = workspace.terraform.executable.deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "")
        let imported = try await ChildProcess.run(
            executable: URL(fileURLWithPath: "/bin/bash"),
            arguments: [Self.examples.appendingPathComponent("resources/turso_api_token/import.sh").path],
            directory: workspace.directory, environment: environment
        )
        #expect(imported.exitCode == 0, "\(imported)")
        #expect(try workspace.instance("turso_api_token.ops").attributes["token"] is NSNull)
        #expect(try await workspace.plan().exitCode == 0)
    }

    @Test("The data source examples apply")
    func dataSourceExamples() async throws {
        let emulator = try EmulatorProcess()
        try await emulator.mint("grouped", body: #"{"organization":"my-org","group":"default","scopes":["read"]}"#)
        let workspace = try TerraformWorkspace(emulator: emulator)
        // One file: each write adds a required_providers block, which Terraform accepts once.
        try workspace.write(
            try example("data-sources/turso_api_tokens/data-source.tf") + "\n"
                + example("data-sources/turso_api_token_validation/data-source.tf")
        )
        try await workspace.apply()
        let outputs = try await workspace.run(["output", "-json"])
        let values = try JSONSerialization.jsonObject(with: Data(outputs.stdout.utf8)) as? [String: [String: Any]] ?? [:]
        #expect(values["my_token_names"]?["value"] as? [String] == ["grouped"])
        #expect(values["group_scoped_tokens"]?["value"] as? [String] == ["grouped"])
        #expect(values["provider_token_valid"]?["value"] as? Bool == true)
        // The emulator's admin token never expires; Terraform records no null outputs.
        #expect(values["provider_token_expires_at"] == nil)
        #expect(try workspace.instance("data.turso_api_token_validation.provider").attributes["expires_at"] is NSNull)
        #expect(values["deploy_token_valid"]?["value"] as? Bool == false)
    }
}
