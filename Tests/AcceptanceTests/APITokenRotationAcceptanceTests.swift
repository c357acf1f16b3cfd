import Foundation
import Testing

/// Rotation without a gap: `name_prefix` with `create_before_destroy`.
@Suite("turso_api_token rotation with create_before_destroy")
struct APITokenRotationAcceptanceTests {
    static func configuration(name: String, release: String) -> String {
        """
        resource "turso_api_token" "ci" {
          \(name)
          organization = "my-org"
          triggers     = { release = "\(release)" }

          lifecycle {
            create_before_destroy = true
          }
        }
        """
    }

    @Test("With name_prefix, a rotation creates the new token before it revokes the old one")
    func createsBeforeRevoking() async throws {
        let emulator = try EmulatorProcess()
        let workspace = try TerraformWorkspace(emulator: emulator)
        try workspace.write(Self.configuration(name: #"name_prefix  = "ci-""#, release: "1"))
        let firstPlan = try await workspace.plan()
        #expect(firstPlan.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ").contains("name = (known after apply)"), "\(firstPlan)")
        try await workspace.apply()
        let old = try workspace.instance("turso_api_token.ci")
        let oldName = try #require(old.string("name"))
        #expect(oldName.hasPrefix("ci-") && oldName.count > 3)
        #expect(try await workspace.plan().exitCode == 0)

        try workspace.write(Self.configuration(name: #"name_prefix  = "ci-""#, release: "2"))
        let plan = try await workspace.plan()
        #expect(plan.exitCode == 2, "\(plan)")
        #expect(plan.stdout.contains("create replacement and then destroy"), "\(plan)")
        try await emulator.clearRequests()
        try await workspace.apply()
        let new = try workspace.instance("turso_api_token.ci")
        let newName = try #require(new.string("name"))
        #expect(newName.hasPrefix("ci-") && newName != oldName)
        #expect(new.string("token") != old.string("token"))

        // The order Turso saw: the new token's create, then the old one's revoke.
        let calls = try await emulator.calls().filter { !$0.hasPrefix("GET ") }
        #expect(calls == ["POST /v1/auth/api-tokens/\(newName) 200", "DELETE /v1/auth/api-tokens/\(oldName) 200"])
        #expect(try await emulator.listedTokens().compactMap { $0["name"] as? String } == [newName])
        #expect(try await workspace.plan().exitCode == 0)
    }

    @Test("A fixed name cannot rotate create-before-destroy: Turso refuses, and the old token stays in state")
    func fixedNameRefused() async throws {
        let emulator = try EmulatorProcess()
        let workspace = try TerraformWorkspace(emulator: emulator)
        try workspace.write(Self.configuration(name: #"name         = "ci""#, release: "1"))
        try await workspace.apply()
        let old = try workspace.instance("turso_api_token.ci")

        try workspace.write(Self.configuration(name: #"name         = "ci""#, release: "2"))
        let failed = try await workspace.run(["apply", "-auto-approve", "-input=false", "-no-color"])
        #expect(failed.exitCode == 1, "\(failed)")
        #expect(failed.unwrappedStderr.contains(#"An API token named "ci" already exists"#), "\(failed)")
        // Terraform prints warnings on stdout.
        #expect(failed.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ").contains("Use name_prefix instead of name"), "\(failed)")
        #expect(try workspace.instance("turso_api_token.ci").string("id") == old.string("id"))
        #expect(try await emulator.listedTokens().compactMap { $0["id"] as? String } == [old.string("id")])
    }
}
