import Foundation
import Testing

/// `turso_timed_token` under the real Terraform CLI.
@Suite("turso_timed_token with real Terraform")
struct TimedTokenAcceptanceTests {
    @Test("Create, then a second plan shows no changes and refresh keeps the token")
    func createThenNoChanges() async throws {
        let workspace = try TerraformWorkspace()
        try workspace.write("""
        resource "turso_timed_token" "ci" {
          name = "ci"
        }
        """)
        try await workspace.apply()
        let created = try workspace.instance("turso_timed_token.ci")
        let token = try #require(created.string("token"))
        #expect(token.hasPrefix("token-"))
        #expect(created.string("id")?.hasPrefix("timed-token-id-") == true)
        #expect(created.string("ttl") == "1h")
        #expect(created.string("renew_before") == "0s")
        let expiresAt = try #require(created.string("expires_at").flatMap(parseRFC3339))
        #expect(abs(expiresAt.timeIntervalSinceNow - 3600) < 120)

        let plan = try await workspace.plan()
        #expect(plan.exitCode == 0, "expected no changes:\n\(plan)")
        #expect(plan.stdout.contains("No changes"))

        let refresh = try await workspace.run(["apply", "-refresh-only", "-auto-approve", "-no-color"])
        #expect(refresh.exitCode == 0, "\(refresh)")
        #expect(try workspace.instance("turso_timed_token.ci").string("token") == token)
    }

    @Test("The plan shows the token as known only after apply")
    func planShowsUnknown() async throws {
        let workspace = try TerraformWorkspace()
        try workspace.write(#"resource "turso_timed_token" "a" { name = "a" }"#)
        let plan = try await workspace.plan()
        #expect(plan.exitCode == 2, "\(plan)")
        // Terraform aligns the `=` signs to the longest name: compare with whitespace collapsed.
        let shown = plan.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(shown.contains("token = (sensitive value)"))
        #expect(shown.contains("expires_at = (known after apply)"))
    }

    @Test("Changing name or triggers replaces the token; renew_before changes in place")
    func replacements() async throws {
        let workspace = try TerraformWorkspace()
        func configure(name: String, trigger: String, renewBefore: String = "0s") throws {
            try workspace.write("""
            resource "turso_timed_token" "t" {
              name         = "\(name)"
              renew_before = "\(renewBefore)"
              triggers     = { release = "\(trigger)" }
            }
            """)
        }
        try configure(name: "one", trigger: "1")
        try await workspace.apply()
        let first = try #require(try workspace.instance("turso_timed_token.t").string("token"))

        try configure(name: "two", trigger: "1")
        let renamePlan = try await workspace.plan()
        #expect(renamePlan.stdout.contains("must be replaced"), "\(renamePlan)")
        #expect(renamePlan.stdout.contains("forces replacement"))
        try await workspace.apply()
        let second = try #require(try workspace.instance("turso_timed_token.t").string("token"))
        #expect(second != first)

        try configure(name: "two", trigger: "2")
        try await workspace.apply()
        let third = try #require(try workspace.instance("turso_timed_token.t").string("token"))
        #expect(third != second)

        try configure(name: "two", trigger: "2", renewBefore: "5m")
        let inPlace = try await workspace.plan()
        #expect(inPlace.stdout.contains("1 to change, 0 to destroy"), "\(inPlace)")
        try await workspace.apply()
        #expect(try workspace.instance("turso_timed_token.t").string("token") == third)
    }

    // The issue's 5-second token. Waits count from expires_at, not from now,
    // so a slow apply on a loaded machine does not shorten them. Whether an
    // unexpired token is kept is checked by the other tests (and, to the
    // second, by the unit tests with a manual clock); here the apply alone
    // may take longer than the ttl under load, so it is not checked.
    @Test("A 5-second token is replaced once it expires, with and without refresh")
    func expiry() async throws {
        let workspace = try TerraformWorkspace()
        try workspace.write("""
        resource "turso_timed_token" "short" {
          name = "short"
          ttl  = "5s"
        }
        """)
        func waitForExpiry() async throws {
            let expiresAt = try #require(try workspace.instance("turso_timed_token.short").string("expires_at").flatMap(parseRFC3339))
            try await Task.sleep(for: .seconds(max(0, expiresAt.timeIntervalSinceNow + 1)))
        }
        try await workspace.apply()
        let first = try #require(try workspace.instance("turso_timed_token.short").string("token"))

        try await waitForExpiry()
        // Without refresh, the plan itself must notice the expiry.
        let noRefresh = try await workspace.plan(["-refresh=false"])
        #expect(noRefresh.exitCode == 2, "\(noRefresh)")
        #expect(noRefresh.stdout.contains("must be replaced"))
        try await workspace.apply(["-refresh=false"])
        let second = try #require(try workspace.instance("turso_timed_token.short").string("token"))
        #expect(second != first)

        try await waitForExpiry()
        // With refresh, Read keeps the expired token and the plan replaces it.
        let refreshed = try await workspace.plan()
        #expect(refreshed.exitCode == 2, "\(refreshed)")
        #expect(refreshed.stdout.contains("must be replaced"), "\(refreshed)")
        try await workspace.apply()
        let third = try #require(try workspace.instance("turso_timed_token.short").string("token"))
        #expect(third != second)
    }

    @Test("Twenty tokens in one apply are all distinct, and destroy empties the state")
    func countTwenty() async throws {
        let workspace = try TerraformWorkspace()
        try workspace.write("""
        resource "turso_timed_token" "many" {
          count = 20
          name  = "many-${count.index}"
        }
        """)
        try await workspace.apply()
        let instances = try workspace.instances()
        #expect(instances.count == 20)
        #expect(Set(instances.compactMap { $0.string("token") }).count == 20)
        #expect(Set(instances.compactMap { $0.string("id") }).count == 20)
        #expect(try await workspace.plan().exitCode == 0)

        try await workspace.destroy()
        #expect(try workspace.instances().isEmpty)
    }

    @Test("Invalid ttl is reported on the attribute and nothing is created")
    func invalidTTL() async throws {
        let workspace = try TerraformWorkspace()
        try workspace.write("""
        resource "turso_timed_token" "bad" {
          name = "bad"
          ttl  = "soon"
        }
        """)
        let result = try await workspace.run(["apply", "-auto-approve", "-no-color"])
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("Invalid duration in ttl"), "\(result)")
        #expect(result.stderr.contains("\"soon\" is not a duration"))
        // Terraform points at the offending line because the diagnostic names the attribute.
        #expect(result.stderr.contains(#"ttl  = "soon""#), "\(result)")
        #expect((try? workspace.instances())?.isEmpty ?? true)
    }

    @Test("Import is refused with an explanation")
    func importRefused() async throws {
        let workspace = try TerraformWorkspace()
        try workspace.write(#"resource "turso_timed_token" "x" { name = "x" }"#)
        let result = try await workspace.run(["import", "-no-color", "turso_timed_token.x", "anything"])
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("turso_timed_token cannot be imported"), "\(result)")
    }
}

func parseRFC3339(_ text: String) -> Date? {
    try? Date(text, strategy: .iso8601)
}
