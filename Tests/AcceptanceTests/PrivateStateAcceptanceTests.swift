import Foundation
import Testing

/// Sealed private state, as Terraform stores it, under the real Terraform CLI.
@Suite("Sealed private state with real Terraform")
struct PrivateStateAcceptanceTests {
    static let keyA = "acceptance-key-A-0123456789abcdef0123456789"
    static let keyB = "acceptance-key-B-0123456789abcdef0123456789"
    static let keyC = "acceptance-key-C-0123456789abcdef0123456789"

    static let configuration = """
    resource "turso_timed_token" "sealed" {
      name = "sealed"
    }
    """

    func workspace(key: String?) throws -> TerraformWorkspace {
        let workspace = try TerraformWorkspace(environment: key.map { ["TURSO_PRIVATE_STATE_KEY": $0] } ?? [:])
        try workspace.write(Self.configuration)
        return workspace
    }

    func refresh(_ workspace: TerraformWorkspace, environment: [String: String] = [:]) async throws -> TerraformWorkspace.Result {
        let result = try await workspace.run(["apply", "-refresh-only", "-auto-approve", "-no-color"], extraEnvironment: environment)
        #expect(result.exitCode == 0, "\(result)")
        return result
    }

    @Test("The state file's private field holds the token sealed: not in clear, not in base64")
    func privateFieldSealed() async throws {
        let workspace = try workspace(key: Self.keyA)
        try await workspace.apply()
        let instance = try workspace.instance("turso_timed_token.sealed")
        let token = try #require(instance.string("token"))
        let privateBase64 = try #require(instance.privateBase64)
        let blob = try #require(instance.privateBytes)
        #expect(blob.first == 1, "envelope version 1")

        let stateText = try String(contentsOf: workspace.stateFile, encoding: .utf8)
        // The token appears once, in the `token` attribute, and nowhere else.
        #expect(stateText.components(separatedBy: token).count == 2)
        let tokenBytes = Array(token.utf8)
        #expect(blob.firstRange(of: tokenBytes) == nil)
        // Base64 of the token at each of the three byte alignments, with the
        // edge characters that depend on neighbouring bytes trimmed.
        for shift in 0..<3 {
            let encoded = Data(Array(repeating: 0, count: shift) + tokenBytes).base64EncodedString()
            let core = String(encoded.dropFirst(shift == 0 ? 0 : 4).dropLast(4))
            #expect(!privateBase64.contains(core), "base64 of the token (shift \(shift)) found in private")
            #expect(!stateText.contains(core), "base64 of the token (shift \(shift)) found in the state file")
        }
    }

    @Test("A token edited in the state file is detected and restored on refresh, with a warning")
    func editedTokenRepaired() async throws {
        let workspace = try workspace(key: Self.keyA)
        try await workspace.apply()
        let original = try #require(try workspace.instance("turso_timed_token.sealed").string("token"))

        var state = try workspace.state()
        var resources = try #require(state["resources"] as? [[String: Any]])
        var instances = try #require(resources[0]["instances"] as? [[String: Any]])
        var attributes = try #require(instances[0]["attributes"] as? [String: Any])
        attributes["token"] = "token-forged-by-hand"
        instances[0]["attributes"] = attributes
        resources[0]["instances"] = instances
        state["resources"] = resources
        try workspace.writeState(state)

        let result = try await refresh(workspace)
        #expect(result.unwrappedStderr.contains("was changed outside Terraform") || result.stdout.contains("was changed outside Terraform"), "\(result)")
        #expect(try workspace.instance("turso_timed_token.sealed").string("token") == original)
    }

    @Test("Switching the key with the old one listed as previous re-seals: the blob changes, the token does not")
    func rotationReseals() async throws {
        let workspace = try workspace(key: Self.keyA)
        try await workspace.apply()
        let before = try workspace.instance("turso_timed_token.sealed")
        let blobBefore = try #require(before.privateBytes)

        let result = try await refresh(workspace, environment: [
            "TURSO_PRIVATE_STATE_KEY": Self.keyB, "TURSO_PRIVATE_STATE_PREVIOUS_KEYS": Self.keyA,
        ])
        #expect(!result.stdout.contains("could not be opened") && !result.stderr.contains("could not be opened"), "\(result)")
        let after = try workspace.instance("turso_timed_token.sealed")
        let blobAfter = try #require(after.privateBytes)
        #expect(blobAfter != blobBefore)
        #expect(Array(blobAfter[1..<9]) != Array(blobBefore[1..<9]), "sealed under another key id")
        #expect(after.string("token") == before.string("token"))

        // Key B alone now opens it: nothing to warn about, nothing to change.
        let withB = try await workspace.run(["plan", "-detailed-exitcode", "-no-color"], extraEnvironment: ["TURSO_PRIVATE_STATE_KEY": Self.keyB])
        #expect(withB.exitCode == 0, "\(withB)")
        #expect(!withB.stdout.contains("could not be opened") && !withB.stderr.contains("could not be opened"), "\(withB)")
    }

    @Test("Switching the key without the old one keeps plans working and the blob unchanged, with a warning naming the key id")
    func unknownKeyKeepsBlob() async throws {
        let workspace = try workspace(key: Self.keyA)
        try await workspace.apply()
        let before = try workspace.instance("turso_timed_token.sealed")
        let blobBefore = try #require(before.privateBytes)
        let keyID = blobBefore[1..<9].map { String(format: "%02x", $0) }.joined()

        let plan = try await workspace.run(["plan", "-detailed-exitcode", "-no-color"], extraEnvironment: ["TURSO_PRIVATE_STATE_KEY": Self.keyC])
        #expect(plan.exitCode == 0, "plans keep working:\n\(plan)")
        let planOutput = plan.stdout + plan.unwrappedStderr
        #expect(planOutput.contains("could not be opened"), "\(plan)")
        #expect(planOutput.contains(keyID), "the warning names key id \(keyID):\n\(plan)")

        _ = try await refresh(workspace, environment: ["TURSO_PRIVATE_STATE_KEY": Self.keyC])
        let after = try workspace.instance("turso_timed_token.sealed")
        #expect(after.privateBytes == blobBefore, "blob kept byte for byte")
        #expect(after.string("token") == before.string("token"))

        // The right key later still opens it.
        let back = try await workspace.run(["plan", "-detailed-exitcode", "-no-color"], extraEnvironment: ["TURSO_PRIVATE_STATE_KEY": Self.keyA])
        #expect(back.exitCode == 0, "\(back)")
        #expect(!(back.stdout + back.stderr).contains("could not be opened"), "\(back)")
    }

    @Test("With no key configured, a per-user key file is created with mode 0600, and a warning names the variable")
    func keyFileCreated() async throws {
        let workspace = try workspace(key: nil)
        let result = try await workspace.apply()
        let output = result.stdout + result.unwrappedStderr
        #expect(output.contains("Created a private state key"), "\(result)")
        #expect(output.contains("TURSO_PRIVATE_STATE_KEY"))

        let keyFile = workspace.home.appendingPathComponent(".config/terraform-provider-turso/private-state.key")
        let attributes = try FileManager.default.attributesOfItem(atPath: keyFile.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let secret = try String(contentsOf: keyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(secret.count >= 32)
        #expect(!output.contains(secret), "the key itself is never printed")

        // Later runs reuse it silently, and it opens what it sealed.
        let plan = try await workspace.plan()
        #expect(plan.exitCode == 0, "\(plan)")
        #expect(!(plan.stdout + plan.stderr).contains("Created a private state key"))
        #expect(!(plan.stdout + plan.stderr).contains("could not be opened"))
    }
}
