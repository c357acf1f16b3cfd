import Foundation
import Testing

/// No token value ever reaches Terraform's output or logs, even at TF_LOG=trace.
@Suite("turso_api_token secrets under TF_LOG=trace")
struct APITokenSecretsAcceptanceTests {
    @Test("Every token minted in a traced run, the provider's API token and the sealing key stay out of the log, stdout and stderr")
    func traceLogHasNoSecrets() async throws {
        let emulator = try EmulatorProcess()
        let workspace = try TerraformWorkspace(emulator: emulator)
        let logFile = workspace.home.appendingPathComponent("terraform-trace.log")
        workspace.environment["TF_LOG"] = "trace"
        workspace.environment["TF_LOG_PATH"] = logFile.path
        func configure(release: String) throws {
            try workspace.write("""
            resource "turso_api_token" "grouped" {
              name         = "grouped"
              organization = "my-org"
              group        = "default"
              scopes       = ["full-access"]
              triggers     = { release = "\(release)" }
            }

            resource "turso_api_token" "plain" {
              name = "plain"
            }

            data "turso_api_token_validation" "grouped" {
              token = turso_api_token.grouped.token
            }

            data "turso_api_token_validation" "own" {}

            output "grouped_token" {
              value     = turso_api_token.grouped.token
              sensitive = true
            }

            output "grouped_valid" {
              value = data.turso_api_token_validation.grouped.valid
            }
            """)
        }

        var results: [TerraformWorkspace.Result] = []
        var minted: Set<String> = []
        func collectTokens() throws {
            for instance in try workspace.instances() where instance.address.hasPrefix("turso_api_token.") {
                if let token = instance.string("token") { minted.insert(token) }
            }
        }
        try configure(release: "1")
        results.append(try await workspace.apply())
        try collectTokens()
        results.append(try await workspace.plan())
        results.append(try await workspace.run(["apply", "-refresh-only", "-auto-approve", "-no-color"]))
        try configure(release: "2")
        results.append(try await workspace.apply())
        try collectTokens()
        results.append(try await workspace.run(["output", "-no-color"]))
        results.append(try await workspace.destroy())
        #expect(results.allSatisfy { $0.exitCode == 0 || $0.exitCode == 2 }, "\(results)")
        #expect(minted.count == 3, "grouped twice and plain once")

        let keyFile = workspace.home.appendingPathComponent(".config/terraform-provider-turso/private-state.key")
        let sealingKey = try String(contentsOf: keyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let secrets = minted.union([emulator.adminToken, sealingKey])
        let log = try String(contentsOf: logFile, encoding: .utf8)
        // The log really holds the provider's side of the conversation.
        #expect(log.contains("Turso API request"), "the provider's debug lines are in the trace log")
        #expect(log.contains("/v1/auth/api-tokens/grouped"))
        // The fields Terraform's tooling reads, as Terraform itself wrote them out.
        for field in ["@module=provider", "@module=sdk.proto", "tf_provider_addr=registry.terraform.io/turso-swift/turso",
                      "tf_req_id=", "tf_rpc=ApplyResourceChange", "tf_resource_type=turso_api_token",
                      "tf_data_source_type=turso_api_token_validation"] {
            #expect(log.contains(field), "\(field) is not in the trace log")
        }
        for secret in secrets {
            #expect(!log.contains(secret), "a secret is in the trace log")
            for result in results {
                #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret), "a secret is in Terraform's output")
            }
        }
    }
}
