import Foundation
import Testing

/// `turso_api_token` under the real Terraform CLI, against the emulator process.
@Suite("turso_api_token with real Terraform")
struct APITokenAcceptanceTests {
    @Test("Create sends organization, group and scopes; a second plan shows no changes; refresh keeps the token")
    func createThenNoChanges() async throws {
        let emulator = try EmulatorProcess()
        let workspace = try TerraformWorkspace(emulator: emulator)
        try workspace.write("""
        resource "turso_api_token" "ci" {
          name         = "ci"
          organization = "my-org"
          group        = "default"
          scopes       = ["read-only", "db:mint-token"]
        }
        """)
        try await workspace.apply()
        let created = try workspace.instance("turso_api_token.ci")
        let token = try #require(created.string("token"))
        let id = try #require(created.string("id"))
        #expect(created.attributes["scopes"] as? [String] == ["db:mint-token", "read-only"])
        let createdAt = try #require(created.string("created_at").flatMap(parseRFC3339))
        #expect(abs(createdAt.timeIntervalSinceNow) < 300)
        #expect(created.privateBytes?.first == 1, "private state sealed (envelope version 1)")

        let listed = try #require(try await emulator.listedTokens().first)
        #expect(listed["id"] as? String == id)
        #expect(listed["organization"] as? String == "my-org")
        #expect(listed["group"] as? String == "default")
        #expect(listed["scopes"] as? [String] == ["read", "db:mint-token"])
        #expect(try await emulator.calls().filter { $0.hasPrefix("POST") } == ["POST /v1/auth/api-tokens/ci 200"])

        let plan = try await workspace.plan()
        #expect(plan.exitCode == 0, "expected no changes:\n\(plan)")

        let refresh = try await workspace.run(["apply", "-refresh-only", "-auto-approve", "-no-color"])
        #expect(refresh.exitCode == 0, "\(refresh)")
        let refreshed = try workspace.instance("turso_api_token.ci")
        #expect(refreshed.string("token") == token)
        #expect(refreshed.attributes["scopes"] as? [String] == ["db:mint-token", "read-only"])
    }

    @Test("A token revoked out of band is created again by the next apply; destroy revokes it")
    func revokedOutOfBandThenDestroy() async throws {
        let emulator = try EmulatorProcess()
        let workspace = try TerraformWorkspace(emulator: emulator)
        try workspace.write(#"resource "turso_api_token" "ci" { name = "ci" }"#)
        try await workspace.apply()
        let first = try #require(try workspace.instance("turso_api_token.ci").string("id"))

        try await emulator.revokeOutOfBand("ci")
        let plan = try await workspace.plan()
        #expect(plan.exitCode == 2, "\(plan)")
        #expect(plan.stdout.contains("turso_api_token.ci will be created"), "\(plan)")
        try await workspace.apply()
        let second = try #require(try workspace.instance("turso_api_token.ci").string("id"))
        #expect(second != first)
        #expect(try await emulator.listedTokens().map { $0["id"] as? String } == [second])

        try await emulator.clearRequests()
        try await workspace.destroy()
        #expect(try await emulator.calls().contains("DELETE /v1/auth/api-tokens/ci 200"))
        #expect(try await emulator.listedTokens().isEmpty)
        #expect(try workspace.instances().isEmpty)
    }

    @Test("Import by name leaves the value null with a warning, and the next plan shows no changes")
    func importByName() async throws {
        let emulator = try EmulatorProcess()
        try await emulator.mint("legacy", body: #"{"organization":"my-org","group":"default","scopes":["full-access"]}"#)
        let workspace = try TerraformWorkspace(emulator: emulator)
        try workspace.write("""
        resource "turso_api_token" "legacy" {
          name         = "legacy"
          organization = "my-org"
          group        = "default"
          scopes       = ["full-access"]
        }
        """)
        let imported = try await workspace.run(["import", "-no-color", "-input=false", "turso_api_token.legacy", "legacy"])
        #expect(imported.exitCode == 0, "\(imported)")
        #expect((imported.stdout + imported.stderr).contains("The value of API token \"legacy\" cannot be recovered"), "\(imported)")
        let state = try workspace.instance("turso_api_token.legacy")
        #expect(state.attributes["token"] is NSNull)
        #expect((state.attributes["scopes"] as? [String])?.count == 9)

        let plan = try await workspace.plan()
        #expect(plan.exitCode == 0, "expected no changes after import:\n\(plan)")
    }

    @Test("Invalid settings fail at plan on the attribute, and nothing is created")
    func validationCreatesNothing() async throws {
        let emulator = try EmulatorProcess()
        let workspace = try TerraformWorkspace(emulator: emulator)
        try workspace.write("""
        resource "turso_api_token" "grouped" {
          name   = "grouped"
          group  = "default"
          scopes = ["read"]
        }

        resource "turso_api_token" "scoped" {
          name         = "scoped"
          organization = "my-org"
          group        = "default"
          scopes       = ["read", "db:drop"]
        }

        resource "turso_api_token" "fine" {
          name = "fine"
        }
        """)
        let result = try await workspace.run(["apply", "-auto-approve", "-no-color"])
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("group requires organization"), "\(result)")
        #expect(result.stderr.contains(#"group  = "default""#), "Terraform points at the attribute:\n\(result)")
        #expect(result.stderr.contains("Unknown scope \"db:drop\""), "\(result)")
        #expect(try await emulator.requests().filter { $0.method == "POST" }.isEmpty)
        #expect((try? workspace.instances())?.isEmpty ?? true)
    }

    @Test("Once rotation_period has passed the token is replaced, even with -refresh=false; a longer period keeps its token")
    func rotation() async throws {
        let emulator = try EmulatorProcess()
        let workspace = try TerraformWorkspace(emulator: emulator)
        try workspace.write("""
        resource "turso_api_token" "short" {
          name            = "short"
          rotation_period = "3s"
        }

        resource "turso_api_token" "long" {
          name            = "long"
          rotation_period = "1h"
        }
        """)
        try await workspace.apply()
        let short = try workspace.instance("turso_api_token.short")
        let first = try #require(short.string("token"))
        let long = try #require(try workspace.instance("turso_api_token.long").string("token"))
        // Waits from created_at, not from now: under load Terraform itself may take seconds.
        let createdAt = try #require(short.string("created_at").flatMap(parseRFC3339))
        try await Task.sleep(for: .seconds(max(0, createdAt.timeIntervalSinceNow + 4)))

        // A refresh keeps the token: it still exists in Turso.
        let refresh = try await workspace.run(["apply", "-refresh-only", "-auto-approve", "-no-color"])
        #expect(refresh.exitCode == 0, "\(refresh)")
        #expect(try workspace.instance("turso_api_token.short").string("token") == first)

        let plan = try await workspace.plan(["-refresh=false"])
        #expect(plan.exitCode == 2, "\(plan)")
        #expect(plan.stdout.contains("turso_api_token.short must be replaced"), "\(plan)")
        #expect(plan.stdout.contains("1 to add, 0 to change, 1 to destroy"), "only the short-lived token:\n\(plan)")
        try await emulator.clearRequests()
        try await workspace.apply(["-refresh=false"])
        #expect(try workspace.instance("turso_api_token.short").string("token") != first)
        #expect(try workspace.instance("turso_api_token.long").string("token") == long)
        // Destroy before create: the name is free again for the new token.
        #expect(try await emulator.calls() == ["DELETE /v1/auth/api-tokens/short 200", "POST /v1/auth/api-tokens/short 200"])
    }

    @Test("Changing triggers replaces the token")
    func triggers() async throws {
        let emulator = try EmulatorProcess()
        let workspace = try TerraformWorkspace(emulator: emulator)
        func configure(_ release: String) throws {
            try workspace.write("""
            resource "turso_api_token" "t" {
              name     = "t"
              triggers = { release = "\(release)" }
            }
            """)
        }
        try configure("1")
        try await workspace.apply()
        let first = try workspace.instance("turso_api_token.t").string("id")
        try configure("2")
        let plan = try await workspace.plan()
        #expect(plan.stdout.contains("forces replacement"), "\(plan)")
        try await workspace.apply()
        #expect(try workspace.instance("turso_api_token.t").string("id") != first)
        #expect(try await emulator.listedTokens().count == 1)
    }

    @Test("The data sources list tokens and validate them")
    func dataSources() async throws {
        let emulator = try EmulatorProcess()
        let workspace = try TerraformWorkspace(emulator: emulator)
        try workspace.write("""
        resource "turso_api_token" "ci" {
          name         = "ci"
          organization = "my-org"
          group        = "default"
          scopes       = ["read-only"]
        }

        resource "turso_api_token" "personal" {
          name = "personal"
        }

        data "turso_api_tokens" "mine" {
          depends_on = [turso_api_token.ci, turso_api_token.personal]
        }

        data "turso_api_tokens" "org" {
          organization = "my-org"
          depends_on   = [turso_api_token.ci, turso_api_token.personal]
        }

        data "turso_api_token_validation" "own" {}

        data "turso_api_token_validation" "ci" {
          token = turso_api_token.ci.token
        }

        data "turso_api_token_validation" "bogus" {
          token = "not-a-token"
        }
        """)
        try await workspace.apply()
        let mine = try workspace.instance("data.turso_api_tokens.mine").attributes["tokens"] as? [[String: Any]] ?? []
        #expect(Set(mine.compactMap { $0["name"] as? String }) == ["ci", "personal"])
        let ci = try #require(mine.first { $0["name"] as? String == "ci" })
        #expect(ci["id"] as? String == (try workspace.instance("turso_api_token.ci").string("id")))
        #expect(ci["scopes"] as? [String] == ["read"])
        #expect((ci["created_at"] as? String)?.count == 10)
        let org = try workspace.instance("data.turso_api_tokens.org").attributes["tokens"] as? [[String: Any]] ?? []
        #expect(org.compactMap { $0["name"] as? String } == ["ci"])
        #expect(try await emulator.calls().contains("GET /v1/organizations/my-org/api-tokens 200"))

        for (name, valid) in [("own", true), ("ci", true), ("bogus", false)] {
            let validation = try workspace.instance("data.turso_api_token_validation.\(name)")
            #expect(validation.attributes["valid"] as? Bool == valid, "\(name)")
            #expect(validation.attributes["expires_at"] is NSNull, "\(name)")
        }
        #expect(try await workspace.plan().exitCode == 0)
    }
}
