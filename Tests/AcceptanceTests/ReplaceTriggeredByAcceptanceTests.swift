import Foundation
import Testing

/// A token that is due for replacement (an expired timed token, an API token
/// past its `rotation_period`) replaces its `replace_triggered_by`
/// dependents in the same plan, with refresh and with `-refresh=false`
/// (hashicorp/terraform-provider-time#118 is the bug this guards against:
/// a token that vanished in Read was created, not replaced, and its
/// dependents were left alone). Needs `terraform_data` (Terraform 1.4+), so
/// it runs under 1.15.5.
@Suite("Due tokens replace their replace_triggered_by dependents")
struct ReplaceTriggeredByAcceptanceTests {
    static let dependent = """
    resource "terraform_data" "consumer" {
      input = "uses the token"
      lifecycle {
        replace_triggered_by = [%@]
      }
    }
    """

    /// Sleeps until `seconds` after the state's timestamp `attribute` of
    /// `address` (from the timestamp, not from now: applies are slow under load).
    func wait(_ workspace: TerraformWorkspace, _ address: String, _ attribute: String, plus seconds: Double) async throws {
        let time = try #require(try workspace.instance(address).string(attribute).flatMap(parseRFC3339))
        try await Task.sleep(for: .seconds(max(0, time.timeIntervalSinceNow + seconds)))
    }

    /// Plans (with `extra` flags), checks both the token and the dependent
    /// are replaced, applies, and checks both really were.
    func rotate(_ workspace: TerraformWorkspace, token address: String, _ extra: [String]) async throws {
        let tokenBefore = try workspace.instance(address).string("id")
        let consumerBefore = try workspace.instance("terraform_data.consumer").string("id")
        let plan = try await workspace.plan(extra)
        #expect(plan.exitCode == 2, "\(plan)")
        #expect(plan.stdout.contains("\(address) must be replaced"), "\(plan)")
        #expect(plan.stdout.contains("terraform_data.consumer will be replaced due to changes in replace_triggered_by"), "\(plan)")
        #expect(plan.stdout.contains("2 to add, 0 to change, 2 to destroy"), "\(plan)")
        try await workspace.apply(extra)
        #expect(try workspace.instance(address).string("id") != tokenBefore)
        #expect(try workspace.instance("terraform_data.consumer").string("id") != consumerBefore)
    }

    @Test("An expired turso_timed_token replaces its dependent, with and without refresh")
    func timedToken() async throws {
        let workspace = try TerraformWorkspace(minimumTerraform: TerraformCLI.v1_15_5)
        try workspace.write("""
        resource "turso_timed_token" "short" {
          name = "short"
          ttl  = "4s"
        }
        \(String(format: Self.dependent, "turso_timed_token.short"))
        """)
        try await workspace.apply()
        try await wait(workspace, "turso_timed_token.short", "expires_at", plus: 1)
        try await rotate(workspace, token: "turso_timed_token.short", [])
        try await wait(workspace, "turso_timed_token.short", "expires_at", plus: 1)
        try await rotate(workspace, token: "turso_timed_token.short", ["-refresh=false"])
    }

    @Test("A turso_api_token past its rotation_period replaces its dependent, with and without refresh")
    func apiToken() async throws {
        let emulator = try EmulatorProcess()
        let workspace = try TerraformWorkspace(emulator: emulator, minimumTerraform: TerraformCLI.v1_15_5)
        try workspace.write("""
        resource "turso_api_token" "rotated" {
          name            = "rotated"
          rotation_period = "3s"
        }
        \(String(format: Self.dependent, "turso_api_token.rotated"))
        """)
        try await workspace.apply()
        try await wait(workspace, "turso_api_token.rotated", "created_at", plus: 4)
        try await rotate(workspace, token: "turso_api_token.rotated", [])
        try await wait(workspace, "turso_api_token.rotated", "created_at", plus: 4)
        try await rotate(workspace, token: "turso_api_token.rotated", ["-refresh=false"])
        #expect(try await emulator.listedTokens().count == 1)
    }
}
