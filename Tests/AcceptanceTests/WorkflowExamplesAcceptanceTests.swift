import Foundation
import Testing

/// The examples of identity import, query, functions and the action,
/// applied as they are against the emulator under Terraform 1.15.5, so they
/// cannot rot. (The move example is applied by `WorkflowAcceptanceTests`.)
@Suite("Identity, query, function and action examples with real Terraform 1.15.5")
struct WorkflowExamplesAcceptanceTests {
    static let examples = Binaries.packageRoot.appendingPathComponent("examples")

    static func example(_ path: String) throws -> String {
        try String(contentsOf: examples.appendingPathComponent(path), encoding: .utf8)
    }

    @Test("The import-by-identity example imports the token, and the next plan is empty")
    func importByIdentity() async throws {
        let emulator = try EmulatorProcess()
        try await emulator.mint("deploy", body: #"{"organization":"my-org"}"#)
        let workspace = try TerraformWorkspace(emulator: emulator, minimumTerraform: TerraformCLI.v1_15_5)
        try workspace.write(try Self.example("resources/turso_api_token/import-by-identity.tf"))
        let applied = try await workspace.apply()
        #expect(applied.stdout.contains("1 imported, 0 added"), "\(applied)")
        #expect(try await workspace.plan().exitCode == 0)
    }

    @Test("The list example finds the organization's tokens with the prefix")
    func listExample() async throws {
        let emulator = try EmulatorProcess()
        try await emulator.mint("ci-a", body: #"{"organization":"my-org"}"#)
        try await emulator.mint("ci-b")
        try await emulator.mint("other", body: #"{"organization":"my-org"}"#)
        let workspace = try TerraformWorkspace(emulator: emulator, minimumTerraform: TerraformCLI.v1_15_5)
        try workspace.write("")
        try Self.example("list-resources/turso_api_token/list.tfquery.hcl")
            .write(to: workspace.directory.appendingPathComponent("list.tfquery.hcl"), atomically: true, encoding: .utf8)
        let query = try await workspace.run(["query", "-no-color"])
        #expect(query.exitCode == 0, "\(query)")
        #expect(query.stdout.contains("name=ci-a"), "\(query)")
        #expect(!query.stdout.contains("ci-b") && !query.stdout.contains("other"), "\(query)")
    }

    @Test("The function examples apply: token_claims reads the new token's id, parse_duration the ttl's seconds")
    func functionExamples() async throws {
        let emulator = try EmulatorProcess()
        let workspace = try TerraformWorkspace(emulator: emulator, minimumTerraform: TerraformCLI.v1_15_5)
        try workspace.write(
            try Self.example("functions/token_claims/function.tf") + "\n" + Self.example("functions/parse_duration/function.tf")
        )
        try await workspace.apply()
        let outputs = try await workspace.run(["output", "-json"])
        let values = try JSONSerialization.jsonObject(with: Data(outputs.stdout.utf8)) as? [String: [String: Any]] ?? [:]
        #expect(values["batch_ttl_seconds"]?["value"] as? Int == 5400)
        let listedID = try await emulator.listedTokens().first { $0["name"] as? String == "reporting" }?["id"] as? String
        #expect(listedID != nil)
        #expect(values["reporting_token_id"]?["value"] as? String == listedID)
    }

    @Test("The action example revokes the token it names")
    func actionExample() async throws {
        let emulator = try EmulatorProcess()
        try await emulator.mint("ci-pipeline")
        let workspace = try TerraformWorkspace(emulator: emulator, minimumTerraform: TerraformCLI.v1_15_5)
        try workspace.write(try Self.example("actions/turso_revoke_api_token/action.tf"))
        try await workspace.apply(["-invoke=action.turso_revoke_api_token.leaked"])
        #expect(try await emulator.listedTokens().isEmpty)
    }
}
