import Foundation
import Testing

/// Many tokens: Turso has no endpoint to read one token, so refreshing must
/// share listings rather than list once per token.
@Suite("turso_api_token at scale")
struct APITokenScaleAcceptanceTests {
    @Test("Refreshing 1000 tokens costs a handful of list calls")
    func thousandTokens() async throws {
        let emulator = try EmulatorProcess()
        let workspace = try TerraformWorkspace(emulator: emulator)
        try workspace.write("""
        resource "turso_api_token" "bulk" {
          count        = 1000
          name         = "bulk-${count.index}"
          organization = "my-org"
        }
        """)
        let clock = ContinuousClock()
        let applyStarted = clock.now
        try await workspace.apply(["-parallelism=20"])
        let applyTime = clock.now - applyStarted
        #expect(try workspace.instances().count == 1000)
        #expect(try await emulator.requests().filter { $0.method == "POST" }.count == 1000)

        try await emulator.clearRequests()
        let planStarted = clock.now
        let plan = try await workspace.plan(["-parallelism=20"])
        let planTime = clock.now - planStarted
        #expect(plan.exitCode == 0, "expected no changes:\n\(plan.stdout.suffix(2000))\n\(plan.stderr.suffix(2000))")
        let requests = try await emulator.requests()
        let lists = requests.filter { $0.method == "GET" && $0.path == "/v1/auth/api-tokens" }.count
        #expect((1...5).contains(lists), "\(lists) list calls to refresh 1000 tokens")
        #expect(requests.count == lists, "a refresh only lists")
        print("1000 turso_api_token: apply \(applyTime), refresh+plan \(planTime), \(lists) list call(s) during the plan")
    }
}
