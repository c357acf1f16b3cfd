import Foundation
import PluginTestSupport
@testable import TerraformPlugin
import Testing
import TursoEmulator

/// The binary's log lines, read from its stderr: the fields terraform-plugin-go's
/// tooling expects, the provider's own level variable, and no secret.
@Suite("Provider logs through the built binary")
struct ProviderLogTests {
    static let address = "registry.terraform.io/turso-swift/turso"

    static func launch(environment: [String: String]) async throws -> ProviderSession {
        var options = try PluginLaunchOptions.terraformLike()
        options.extraEnvironment = environment
        options.extraEnvironment["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return ProviderSession(plugin: try await LaunchedPlugin.launch(options, timeout: .seconds(60)))
    }

    /// The JSON log lines of the plugin's stderr.
    static func lines(_ stderr: String) -> [[String: String]] {
        stderr.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("{") else { return nil }
            return (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: String]
        }
    }

    @Test("TF_LOG_PROVIDER_TURSO=trace (over TF_LOG_PROVIDER=off): each RPC's lines carry @module, tf_provider_addr, one tf_req_id, tf_rpc and the type; no secret")
    func fieldsAtTrace() async throws {
        let emulator = try TursoAPIEmulator.started()
        defer { emulator.stop() }
        let session = try await Self.launch(environment: ["TF_LOG_PROVIDER": "off", "TF_LOG_PROVIDER_TURSO": "trace"])
        try await session.configure(emulator: emulator)
        let read = try await session.readDataSource(
            "turso_api_tokens", .object(type: TursoTypes.apiTokens, ["organization": .string("my-org")]), as: TursoTypes.apiTokens
        )
        #expect(read.diagnostics.errors.isEmpty, "\(read.diagnostics)")
        let timed = CtyValue.timedTokenConfig(name: "logged")
        let plan = try await session.plan("turso_timed_token", prior: .null(TursoTypes.timedToken), proposed: timed, config: timed,
                                          as: TursoTypes.timedToken)
        #expect(plan.diagnostics.errors.isEmpty, "\(plan.diagnostics)")
        await session.finish()

        let stderr = session.plugin.process.standardError
        let lines = Self.lines(stderr)
        #expect(!lines.isEmpty, "no log lines: \(stderr.suffix(2000))")
        #expect(lines.allSatisfy { $0["tf_provider_addr"] == Self.address && $0["@module"] != nil }, "every line names the provider and a module")

        let served = lines.filter { $0["@message"] == "Served request" }
        #expect(Set(served.compactMap { $0["tf_rpc"] }) == ["ConfigureProvider", "ReadDataSource", "PlanResourceChange"])
        #expect(served.allSatisfy { $0["@module"] == "sdk.proto" && $0["tf_req_id"]?.count == 36 && $0["tf_status"] == "ok" })
        #expect(Set(served.compactMap { $0["tf_req_id"] }).count == served.count, "one id per request")

        let readServed = try #require(served.first { $0["tf_rpc"] == "ReadDataSource" })
        #expect(readServed["tf_data_source_type"] == "turso_api_tokens")
        let planServed = try #require(served.first { $0["tf_rpc"] == "PlanResourceChange" })
        #expect(planServed["tf_resource_type"] == "turso_timed_token")
        #expect(planServed["tf_data_source_type"] == nil)

        // The provider's own line about its API call carries the same request.
        let apiCall = try #require(lines.first { $0["@message"] == "Turso API request" }, "\(stderr.suffix(2000))")
        #expect(apiCall["@module"] == "provider")
        #expect(apiCall["tf_req_id"] == readServed["tf_req_id"])
        #expect(apiCall["tf_rpc"] == "ReadDataSource")
        #expect(apiCall["tf_data_source_type"] == "turso_api_tokens")
        // Lines outside any request (the server's) are the SDK's.
        #expect(lines.contains { $0["@module"] == "sdk" && $0["tf_req_id"] == nil })

        for secret in [EmulatorConfiguration.defaultAdminToken, testPrivateStateKey] {
            #expect(!stderr.contains(secret), "a secret is in the log")
        }
    }

    @Test("TF_LOG_PROVIDER_TURSO=off silences the provider even under TF_LOG=trace")
    func providerVariableSilences() async throws {
        let session = try await Self.launch(environment: ["TF_LOG": "trace", "TF_LOG_PROVIDER_TURSO": "off"])
        #expect(try await session.getMetadata().resources.count == 2)
        await session.finish()
        #expect(Self.lines(session.plugin.process.standardError).isEmpty, "\(session.plugin.process.standardError.suffix(2000))")
    }

    @Test("TF_LOG=debug alone still logs, at debug: the router's trace lines are left out")
    func generalVariable() async throws {
        let session = try await Self.launch(environment: ["TF_LOG": "debug"])
        #expect(try await session.getMetadata().resources.count == 2)
        await session.finish()
        let lines = Self.lines(session.plugin.process.standardError)
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { $0["@level"] != "trace" })
        #expect(!lines.contains { $0["@message"] == "Served request" })
    }
}
