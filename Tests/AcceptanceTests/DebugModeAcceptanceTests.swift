import Foundation
import PluginTestSupport
import Testing

/// `terraform-provider-turso -debug` under the real Terraform CLI: one
/// provider process, started by hand, serving several Terraform runs that
/// reattach to it through `TF_REATTACH_PROVIDERS`.
@Suite("Debug mode with real Terraform")
struct DebugModeAcceptanceTests {
    /// Starts the provider in debug mode with the environment Terraform
    /// would have given it; returns it and the `TF_REATTACH_PROVIDERS` value.
    private static func startDebugProvider(_ workspace: TerraformWorkspace, flag: String) async throws -> (PluginProcess, String) {
        var environment = workspace.baseEnvironment.merging(workspace.environment) { $1 }
        environment["TF_LOG"] = "trace"
        let process = try PluginProcess(binary: try Binaries.provider().path, environment: environment, arguments: [flag])
        let prefix = "\tTF_REATTACH_PROVIDERS='"
        for _ in 0..<2000 {
            let lines = process.standardOutput.split(separator: "\n", omittingEmptySubsequences: false)
            if let line = lines.dropLast().first(where: { $0.hasPrefix(prefix) }), line.hasSuffix("'") {
                return (process, String(line.dropFirst(prefix.count).dropLast()))
            }
            if process.exitStatus != nil { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw WorkspaceError("no TF_REATTACH_PROVIDERS line; stdout: \(process.standardOutput) stderr: \(process.standardError)")
    }

    private static func configuresServed(_ process: PluginProcess) -> Int {
        process.standardError.split(separator: "\n").filter {
            $0.contains("\"@message\":\"Served request\"") && $0.contains("\"tf_rpc\":\"ConfigureProvider\"")
        }.count
    }

    @Test("Two applies and a plan reattach to one -debug process, which keeps serving until Ctrl-C", arguments: ["-debug", "--debug"])
    func reattachAcrossRuns(flag: String) async throws {
        let emulator = try EmulatorProcess()
        let workspace = try TerraformWorkspace(emulator: emulator)
        // Terraform must not be able to start a provider of its own: no
        // dev_overrides, no installation source it could reach.
        try #"provider_installation { direct {} }"#.write(to: workspace.cliConfig, atomically: true, encoding: .utf8)
        let (provider, reattach) = try await Self.startDebugProvider(workspace, flag: flag)
        defer { provider.terminate() }

        let json = try #require(try JSONSerialization.jsonObject(with: Data(reattach.utf8)) as? [String: Any])
        let entry = try #require(json[TerraformWorkspace.providerSource] as? [String: Any], "\(reattach)")
        #expect(entry["Protocol"] as? String == "grpc")
        #expect(entry["ProtocolVersion"] as? Int == 6)
        #expect(entry["Pid"] as? Int == Int(provider.pid))
        #expect(entry["Test"] as? Bool == true)
        let address = try #require(entry["Addr"] as? [String: Any])
        #expect(address["Network"] as? String == "unix")
        let socket = try #require(address["String"] as? String)
        let reattached = ["TF_REATTACH_PROVIDERS": reattach]

        func configure(trigger: String) throws {
            try workspace.write("""
            resource "turso_timed_token" "t" {
              name     = "debug"
              triggers = { run = "\(trigger)" }
            }
            resource "turso_api_token" "ci" {
              name         = "debug-ci"
              organization = "my-org"
              group        = "default"
              scopes       = ["read-only"]
            }
            """)
        }
        try configure(trigger: "1")
        let first = try await workspace.run(["apply", "-auto-approve", "-input=false", "-no-color"], extraEnvironment: reattached)
        #expect(first.exitCode == 0, "\(first)\nprovider stderr tail: \(provider.standardError.suffix(3000))")
        let firstToken = try workspace.instance("turso_timed_token.t").string("token")
        #expect(firstToken != nil)
        #expect(provider.exitStatus == nil, "the provider outlives the first run")

        // A second run replaces the timed token, through the same process.
        try configure(trigger: "2")
        let second = try await workspace.run(["apply", "-auto-approve", "-input=false", "-no-color"], extraEnvironment: reattached)
        #expect(second.exitCode == 0, "\(second)")
        let secondToken = try workspace.instance("turso_timed_token.t").string("token")
        #expect(secondToken != nil && secondToken != firstToken)
        #expect(try await emulator.listedTokens().map { $0["name"] as? String } == ["debug-ci"])

        let plan = try await workspace.run(["plan", "-detailed-exitcode", "-input=false", "-no-color"], extraEnvironment: reattached)
        #expect(plan.exitCode == 0, "no changes expected: \(plan)")
        #expect(provider.exitStatus == nil, "the provider outlives every run")
        // Every run configured the provider in this one process: an apply
        // twice (its plan walk and its apply walk), the plan once.
        #expect(Self.configuresServed(provider) == 5, "\(Self.configuresServed(provider)) ConfigureProvider calls served")

        // Without the variable, Terraform has no provider to run.
        let alone = try await workspace.run(["plan", "-input=false", "-no-color"])
        #expect(alone.exitCode != 0, "\(alone)")

        // Ctrl-C ends it, and the socket goes with it.
        provider.send(SIGINT)
        #expect(await provider.waitForExit(timeout: .seconds(10)) == .signaled(SIGINT))
        #expect(access(socket, F_OK) != 0, "socket \(socket) left behind")
        emulator.stop()
    }
}
