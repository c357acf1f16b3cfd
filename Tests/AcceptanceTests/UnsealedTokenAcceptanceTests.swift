import Foundation
import Testing

/// `ephemeral "turso_unsealed_token"` under real Terraform 1.15.5, against
/// the emulator over HTTP on loopback: a token kept only sealed in state
/// configures a second provider, and is written nowhere in readable form.
@Suite("turso_unsealed_token under Terraform 1.15.5")
struct UnsealedTokenAcceptanceTests {
    static let key = "acceptance-unsealed-token-key-0123456789ab"

    static let sealedResource = """
    resource "turso_api_token" "ci" {
      name       = "ci"
      seal_token = true
    }
    """

    @Test("A sealed token, unsealed ephemerally, authenticates a second provider; neither state nor a saved plan holds it in any form")
    func unsealedTokenConfiguresProvider() async throws {
        let emulator = try EmulatorProcess()
        let workspace = try TerraformWorkspace(emulator: emulator, minimumTerraform: TerraformCLI.v1_15_5)
        workspace.environment["TURSO_PRIVATE_STATE_KEY"] = Self.key

        // First the sealed token alone: until it exists its sealed_token is
        // unknown, and so would be the second provider's api_token.
        try workspace.write(Self.sealedResource)
        try await workspace.apply()
        let sealed = try #require(try workspace.instance("turso_api_token.ci").string("sealed_token"))
        // The value, for looking for it below, from the unseal command.
        let unsealed = try await SealTokenAcceptanceTests().unseal(sealed, in: workspace, environment: ["TURSO_PRIVATE_STATE_KEY": Self.key])
        let token = unsealed.stdout.trimmingCharacters(in: .newlines)
        #expect(unsealed.exitCode == 0 && !token.isEmpty, "\(unsealed)")

        try workspace.write(Self.sealedResource + """

        ephemeral "turso_unsealed_token" "ci" {
          sealed_token = turso_api_token.ci.sealed_token
        }

        provider "turso" {
          alias     = "ci"
          api_token = ephemeral.turso_unsealed_token.ci.token
        }

        data "turso_api_tokens" "seen_by_ci" {
          provider = turso.ci
        }

        output "seen_by_ci" {
          value = [for token in data.turso_api_tokens.seen_by_ci.tokens : token.name]
        }
        """)
        try await emulator.clearRequests()
        let saved = try await workspace.run(["plan", "-out=read.tfplan", "-input=false", "-no-color"])
        #expect(saved.exitCode == 0, "\(saved)")
        let shown = try await workspace.run(["show", "-json", "read.tfplan"])
        #expect(shown.exitCode == 0 && shown.stdout.contains("seen_by_ci"), "\(shown)")
        let applied = try await workspace.run(["apply", "-input=false", "-no-color", "read.tfplan"])
        #expect(applied.exitCode == 0, "\(applied)")
        // The second provider listed the tokens with the unsealed one.
        let seen = try workspace.state()["outputs"].flatMap { ($0 as? [String: Any])?["seen_by_ci"] as? [String: Any] }?["value"] as? [String]
        #expect(seen == ["ci"], "\(String(describing: seen))")
        let lists = try await emulator.requests().filter { $0.method == "GET" && $0.path.hasPrefix("/v1/auth/api-tokens") }
        #expect(!lists.isEmpty && lists.allSatisfy { $0.status == 200 }, "\(lists)")

        // Neither the state, nor `show -json`, nor the saved plan, nor
        // Terraform's output holds the token in any form.
        let stateText = try String(contentsOf: workspace.stateFile, encoding: .utf8)
        #expect(!stateText.contains("turso_unsealed_token"), "\(stateText)")
        let shownState = try await workspace.run(["show", "-json"])
        #expect(shownState.exitCode == 0 && shownState.stdout.contains(sealed))
        let planFile = try Data(contentsOf: workspace.directory.appendingPathComponent("read.tfplan"))
        for encoded in SealTokenAcceptanceTests.encodings(of: token) {
            #expect(!stateText.contains(encoded), "the state file holds \(encoded.prefix(12))…")
            #expect(!shownState.stdout.contains(encoded) && !shown.stdout.contains(encoded))
            // A saved plan is a zip (deflated); its listing and the JSON above cover it, and the raw bytes must not show it either.
            #expect(planFile.range(of: Data(encoded.utf8)) == nil)
            for output in [saved, applied] { #expect(!output.stdout.contains(encoded) && !output.stderr.contains(encoded)) }
        }

        // The second provider really uses the unsealed token: revoked behind
        // Terraform's back (and state not refreshed, so the sealed text is
        // still there to open), its listing is refused with a 401.
        try await emulator.revokeOutOfBand("ci")
        try await emulator.clearRequests()
        let refused = try await workspace.plan(["-refresh=false"])
        #expect(refused.exitCode == 1, "\(refused)")
        let refusedLists = try await emulator.requests().filter { $0.method == "GET" && $0.path.hasPrefix("/v1/auth/api-tokens") }
        #expect(!refusedLists.isEmpty && refusedLists.allSatisfy { $0.status == 401 }, "\(refusedLists)")
        #expect(!refused.stdout.contains(token) && !refused.stderr.contains(token))
    }

    @Test("A tampered sealed_token or one sealed with another key is an error naming the key id, and no value is shown")
    func tamperedAndWrongKey() async throws {
        let emulator = try EmulatorProcess()
        let workspace = try TerraformWorkspace(emulator: emulator, minimumTerraform: TerraformCLI.v1_15_5)
        workspace.environment["TURSO_PRIVATE_STATE_KEY"] = Self.key
        try workspace.write(Self.sealedResource)
        try await workspace.apply()
        let sealed = try #require(try workspace.instance("turso_api_token.ci").string("sealed_token"))
        let token = try await SealTokenAcceptanceTests().unseal(sealed, in: workspace, environment: ["TURSO_PRIVATE_STATE_KEY": Self.key])
            .stdout.trimmingCharacters(in: .newlines)

        func plan(_ sealedToken: String) async throws -> TerraformWorkspace.Result {
            try workspace.write(Self.sealedResource + """

            ephemeral "turso_unsealed_token" "given" {
              sealed_token = "\(sealedToken)"
            }
            """)
            return try await workspace.plan()
        }
        // Terraform wraps diagnostics to the terminal's width.
        func flat(_ text: String) -> String { text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        // As written it opens: no changes to plan.
        let fine = try await plan(sealed)
        #expect(fine.exitCode == 0, "\(fine)")

        var altered = Array(sealed)
        altered[altered.count - 5] = altered[altered.count - 5] == "A" ? "B" : "A"
        let tampered = try await plan(String(altered))
        #expect(tampered.exitCode == 1, "\(tampered)")
        #expect(flat(tampered.stderr).contains("Cannot open sealed_token") && flat(tampered.stderr).contains("failed authentication"), "\(tampered)")
        #expect(flat(tampered.stderr).range(of: #"key id [0-9a-f]{8,}"#, options: .regularExpression) != nil, "\(tampered)")

        // The provider's key is another one now; the old one is nowhere configured.
        workspace.environment["TURSO_PRIVATE_STATE_KEY"] = String(Self.key.reversed())
        let wrongKey = try await plan(sealed)
        #expect(wrongKey.exitCode == 1, "\(wrongKey)")
        #expect(flat(wrongKey.stderr).contains("Cannot open sealed_token") && flat(wrongKey.stderr).contains("not among the configured keys"), "\(wrongKey)")
        // Listed as a previous key, it opens again.
        workspace.environment["TURSO_PRIVATE_STATE_PREVIOUS_KEYS"] = Self.key
        let rotated = try await plan(sealed)
        #expect(rotated.exitCode == 0 || rotated.exitCode == 2, "\(rotated)")
        #expect(!rotated.stderr.contains("Cannot open sealed_token"), "\(rotated)")

        for output in [fine, tampered, wrongKey, rotated] {
            #expect(!token.isEmpty && !output.stdout.contains(token) && !output.stderr.contains(token))
        }
    }
}
