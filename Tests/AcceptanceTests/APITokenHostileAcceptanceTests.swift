import Foundation
import Testing
import TursoEmulator

/// `turso_api_token` under the real Terraform CLI against a hostile server
/// and hand-edited state files.
@Suite("turso_api_token with real Terraform against a hostile server and edited state")
struct APITokenHostileAcceptanceTests {
    @Test("Names `.` and `..` are refused at validate, on name, and nothing is sent", arguments: [".", ".."])
    func dotNames(_ name: String) async throws {
        let emulator = try EmulatorProcess()
        let workspace = try TerraformWorkspace(emulator: emulator)
        try workspace.write(#"resource "turso_api_token" "dots" { name = "\#(name)" }"#)
        let result = try await workspace.run(["validate", "-no-color"])
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("Invalid API token name"), "\(result)")
        #expect(result.unwrappedStderr.contains("in a URL path it means"))
        #expect(try await emulator.requests().isEmpty)
    }

    @Test("Destroying a token named `..` (a hand-edited state) revokes that token; the log shows the path sent")
    func destroyDotDot() async throws {
        let emulator = try EmulatorProcess()
        let workspace = try TerraformWorkspace(emulator: emulator)
        try workspace.write(#"resource "turso_api_token" "ci" { name = "ci" }"#)
        try await workspace.apply()
        // A token Turso holds under the name `..`, and a state pointing at it.
        let dots = try await emulator.mint("%2E%2E")
        let dotsID = try #require(dots["id"] as? String)
        try await emulator.revokeOutOfBand("ci")
        try workspace.editInstance("turso_api_token.ci") { instance in
            var attributes = instance["attributes"] as? [String: Any] ?? [:]
            attributes["name"] = ".."
            attributes["id"] = dotsID
            instance["attributes"] = attributes
            instance["private"] = NSNull()
        }
        let logFile = workspace.directory.appendingPathComponent("provider.log")
        let destroyed = try await workspace.run(
            ["destroy", "-auto-approve", "-no-color", "-refresh=false"],
            extraEnvironment: ["TF_LOG_PROVIDER": "debug", "TF_LOG_PATH": logFile.path]
        )
        #expect(destroyed.exitCode == 0, "\(destroyed)")
        #expect(try await emulator.calls().contains("DELETE /v1/auth/api-tokens/%2E%2E 200"))
        #expect(try await emulator.listedTokens().isEmpty, "the token named .. is revoked")
        let log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
        #expect(log.contains("/v1/auth/api-tokens/%2E%2E"), "the provider's log shows the path sent")
    }

    @Test("Creates that reached Turso but were answered badly end with the token in state, tainted, then replaced",
          arguments: ["raw", "oversize", "content-length", "503"])
    func createdThenAnsweredBadly(_ kind: String) async throws {
        let emulator = try EmulatorProcess()
        let fault = switch kind {
        case "raw": Fault(method: "POST", count: 1, process: true, raw: "\u{1B}[2Jnot HTTP at all\r\n")
        case "oversize": Fault(method: "POST", count: 1, process: true, oversizeBytes: 16 * 1024 * 1024 + 1)
        case "content-length": Fault(method: "POST", count: 1, process: true, contentLength: "-1")
        default: Fault(method: "POST", count: 1, process: true, status: 503)
        }
        try await emulator.addFault(fault)
        let workspace = try TerraformWorkspace(emulator: emulator)
        try workspace.write(#"resource "turso_api_token" "ci" { name = "ci" }"#)
        let first = try await workspace.run(["apply", "-auto-approve", "-no-color"])
        #expect(first.exitCode == 1)
        #expect(first.stderr.contains(#"API token "ci" was created but its value was lost"#), "\(first)")
        #expect(!first.stderr.contains("\u{1B}"), "a raw escape reached the terminal")
        #expect(try await emulator.listedTokens().count == 1)
        #expect(try workspace.isTainted("turso_api_token.ci"))

        let second = try await workspace.run(["apply", "-auto-approve", "-no-color"])
        #expect(second.exitCode == 0, "\(second)")
        #expect(!second.stderr.contains("already exists"))
        #expect(try await emulator.listedTokens().count == 1)
        #expect(try workspace.instance("turso_api_token.ci").string("token")?.isEmpty == false)
    }

    @Test("Escape sequences in Turso's error text are shown escaped on the terminal")
    func escapedErrorText() async throws {
        let emulator = try EmulatorProcess()
        try await emulator.addFault(Fault(method: "POST", status: 400, error: "\u{1B}[2J\u{1B}[32mApply complete! Resources: 1 added.\u{1B}[0m"))
        let workspace = try TerraformWorkspace(emulator: emulator)
        try workspace.write(#"resource "turso_api_token" "ci" { name = "ci" }"#)
        let result = try await workspace.run(["apply", "-auto-approve", "-no-color"])
        #expect(result.exitCode == 1)
        #expect(!result.stderr.contains("\u{1B}") && !result.stdout.contains("\u{1B}"))
        #expect(result.unwrappedStderr.contains(#"Turso said: \u{1B}[2J\u{1B}[32mApply complete!"#), "\(result)")
    }

    @Test("A password in the base URL is never shown")
    func credentialsInBaseURL() async throws {
        let workspace = try TerraformWorkspace(environment: [
            "TURSO_API_BASE_URL": "http://admin:s3cret-pass@127.0.0.1:9", "TURSO_API_TOKEN": "any-token",
        ])
        try workspace.write(#"resource "turso_api_token" "ci" { name = "ci" }"#)
        let result = try await workspace.run(["apply", "-auto-approve", "-no-color"])
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("Could not reach the Turso API"), "\(result)")
        #expect(!result.stderr.contains("s3cret-pass") && !result.stdout.contains("s3cret-pass"))
    }

    @Test("TURSO_API_TOKEN with a line break is refused at configuration")
    func headerInjection() async throws {
        let emulator = try EmulatorProcess()
        let workspace = try TerraformWorkspace(emulator: emulator)
        workspace.environment["TURSO_API_TOKEN"] = emulator.adminToken + "\r\nX-Injected: 1"
        try workspace.write(#"resource "turso_api_token" "ci" { name = "ci" }"#)
        let result = try await workspace.plan()
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("Invalid Turso API token"), "\(result)")
        #expect(try await emulator.requests().isEmpty)
    }

    @Test("An id edited in the state file is restored on refresh; the token stays in state and the plan is empty")
    func editedID() async throws {
        let emulator = try EmulatorProcess()
        let workspace = try TerraformWorkspace(emulator: emulator)
        try workspace.write(#"resource "turso_api_token" "ci" { name = "ci" }"#)
        try await workspace.apply()
        let id = try workspace.instance("turso_api_token.ci").string("id")
        try workspace.editInstance("turso_api_token.ci") { instance in
            var attributes = instance["attributes"] as? [String: Any] ?? [:]
            attributes["id"] = "edited-id"
            instance["attributes"] = attributes
        }
        let refreshed = try await workspace.run(["apply", "-refresh-only", "-auto-approve", "-no-color"])
        #expect(refreshed.exitCode == 0, "\(refreshed)")
        let shown = (refreshed.stdout + refreshed.stderr).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(shown.contains("The id and the sealed values have been restored"), "\(refreshed)")
        #expect(try workspace.instance("turso_api_token.ci").string("id") == id)
        #expect(try await workspace.plan().exitCode == 0)
        #expect(try await emulator.listedTokens().count == 1)
    }

    @Test("Plain JSON in private state is not believed: an injected created_at does not rotate the token")
    func plainPrivateState() async throws {
        let emulator = try EmulatorProcess()
        let workspace = try TerraformWorkspace(emulator: emulator)
        try workspace.write("""
        resource "turso_api_token" "ci" {
          name            = "ci"
          rotation_period = "720h"
        }
        """)
        try await workspace.apply()
        let injected = Data(#"{"created_at":"2000-01-01T00:00:00Z","token":"5"}"#.utf8).base64EncodedString()
        try workspace.editInstance("turso_api_token.ci") { $0["private"] = injected }
        let plan = try await workspace.plan()
        #expect(plan.exitCode == 0, "no rotation, no change:\n\(plan)")
        #expect((plan.stdout + plan.stderr).contains("is not sealed"), "\(plan)")
        #expect(try await emulator.listedTokens().count == 1)
    }
}

extension TerraformWorkspace {
    /// Edits the first instance of one resource in the state file (its
    /// `attributes`, `private`, ...) in place.
    func editInstance(_ address: String, _ edit: (inout [String: Any]) -> Void) throws {
        var state = try state()
        var resources = state["resources"] as? [[String: Any]] ?? []
        for index in resources.indices
        where "\(resources[index]["type"] as? String ?? "").\(resources[index]["name"] as? String ?? "")" == address {
            var instances = resources[index]["instances"] as? [[String: Any]] ?? []
            guard !instances.isEmpty else { continue }
            edit(&instances[0])
            resources[index]["instances"] = instances
        }
        state["resources"] = resources
        try writeState(state)
    }
}
