import Foundation
import Testing

/// `seal_token = true`: the state file holds the token in no form, and
/// `terraform-provider-turso unseal` gets it back with the key.
@Suite("seal_token with real Terraform")
struct SealTokenAcceptanceTests {
    static let key = "acceptance-seal-token-key-0123456789abcdef"

    /// Every encoding of `value` a careless implementation might store.
    static func encodings(of value: String) -> [String] {
        let bytes = Data(value.utf8)
        let base64 = bytes.base64EncodedString()
        let unpadded = String(base64.prefix { $0 != "=" })
        let url = unpadded.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        return [value, unpadded, url, hex, hex.uppercased()]
    }

    /// Runs `terraform-provider-turso unseal` with `input` on stdin.
    /// A plain PATH, and the sanitizers' settings (their suppressions) under
    /// `scripts/test --asan`.
    static var passedThrough: [String: String] {
        var variables = ["PATH": "/usr/bin:/bin"]
        for name in ["ASAN_OPTIONS", "LSAN_OPTIONS"] { variables[name] = ProcessInfo.processInfo.environment[name] }
        return variables
    }

    func unseal(_ input: String, in workspace: TerraformWorkspace, environment: [String: String]) async throws -> TerraformWorkspace.Result {
        let file = workspace.directory.appendingPathComponent("sealed-\(UUID().uuidString)")
        try input.write(to: file, atomically: true, encoding: .utf8)
        return try await ChildProcess.run(
            executable: URL(fileURLWithPath: "/bin/sh"),
            arguments: ["-c", #"exec "$0" unseal < "$1""#, try Binaries.provider().path, file.path],
            directory: workspace.directory, environment: environment.merging(Self.passedThrough) { $1 }
        )
    }

    @Test("API and timed tokens: token null, sealed_token set, no trace of the value in the state file; unseal gives a working token")
    func sealedOnly() async throws {
        let emulator = try EmulatorProcess()
        let workspace = try TerraformWorkspace(emulator: emulator)
        workspace.environment["TURSO_PRIVATE_STATE_KEY"] = Self.key
        func configure(_ release: String) throws {
            try workspace.write("""
            resource "turso_api_token" "ci" {
              name         = "ci"
              organization = "my-org"
              seal_token   = true
              triggers     = { release = "\(release)" }
            }

            resource "turso_timed_token" "job" {
              name       = "job"
              seal_token = true
            }

            output "sealed" {
              value = turso_api_token.ci.sealed_token
            }
            """)
        }
        try configure("1")
        let plan = try await workspace.plan()
        #expect(plan.stdout.contains("sealed_token"), "\(plan)")
        try await workspace.apply()

        let api = try workspace.instance("turso_api_token.ci")
        let timed = try workspace.instance("turso_timed_token.job")
        #expect(api.attributes["token"] is NSNull && timed.attributes["token"] is NSNull)
        let sealed = try #require(api.string("sealed_token"))
        #expect(sealed.hasPrefix("turso_api_token:\(api.string("id") ?? "?"):"))
        #expect(timed.string("sealed_token")?.hasPrefix("turso_timed_token:") == true)
        #expect(api.attributes["token_version"] is NSNumber && timed.attributes["token_version"] is NSNumber)

        // `terraform output -raw` piped into unseal, as the docs show it.
        let output = try await workspace.run(["output", "-raw", "sealed"])
        #expect(output.stdout == sealed, "\(output)")
        let unsealed = try await unseal(output.stdout, in: workspace, environment: ["TURSO_PRIVATE_STATE_KEY": Self.key])
        #expect(unsealed.exitCode == 0, "\(unsealed)")
        let token = unsealed.stdout.trimmingCharacters(in: .newlines)
        #expect(!token.isEmpty)
        #expect(await emulator.accepts(token))
        let timedUnsealed = try await unseal(timed.string("sealed_token") ?? "", in: workspace, environment: ["TURSO_PRIVATE_STATE_KEY": Self.key])
        let timedToken = timedUnsealed.stdout.trimmingCharacters(in: .newlines)
        #expect(timedToken.hasPrefix("token-"), "\(timedUnsealed)")

        // The state file and `terraform show -json` hold neither value in any form.
        let stateText = try String(contentsOf: workspace.stateFile, encoding: .utf8)
        let shown = try await workspace.run(["show", "-json"])
        #expect(shown.exitCode == 0 && shown.stdout.contains(sealed))
        for value in [token, timedToken] {
            for encoded in Self.encodings(of: value) {
                #expect(!stateText.contains(encoded), "the state file holds \(encoded.prefix(12))…")
                #expect(!shown.stdout.contains(encoded))
            }
        }

        // Without the key, with another key, or altered: exit 1, a reason, no value.
        let noKey = try await unseal(sealed, in: workspace, environment: [:])
        #expect(noKey.exitCode == 1 && noKey.stderr.contains("TURSO_PRIVATE_STATE_KEY is not set"), "\(noKey)")
        let otherKey = try await unseal(sealed, in: workspace, environment: ["TURSO_PRIVATE_STATE_KEY": String(Self.key.reversed())])
        #expect(otherKey.exitCode == 1 && otherKey.stderr.contains("not among the configured keys"), "\(otherKey)")
        var altered = Array(sealed)
        altered[altered.count - 5] = altered[altered.count - 5] == "A" ? "B" : "A"
        let tampered = try await unseal(String(altered), in: workspace, environment: ["TURSO_PRIVATE_STATE_KEY": Self.key])
        #expect(tampered.exitCode == 1 && tampered.stderr.contains("failed authentication"), "\(tampered)")
        for failed in [noKey, otherKey, tampered] { #expect(failed.stdout.isEmpty && !failed.stderr.contains(token)) }

        // Nothing changes on the next plan; a replacement brings a new token_version.
        #expect(try await workspace.plan().exitCode == 0)
        try configure("2")
        try await workspace.apply()
        let replaced = try workspace.instance("turso_api_token.ci")
        #expect(replaced.attributes["token_version"] as? NSNumber != api.attributes["token_version"] as? NSNumber)
        #expect(replaced.string("sealed_token") != sealed)
        #expect(!(await emulator.accepts(token)))
    }
}
