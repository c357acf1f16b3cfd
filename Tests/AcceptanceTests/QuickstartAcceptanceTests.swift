import Foundation
import Testing

/// The README's quick start (examples/quickstart), applied as it is, so it cannot rot.
@Suite("examples/quickstart with real Terraform")
struct QuickstartAcceptanceTests {
    @Test("examples/quickstart applies against the emulator as scripts/demo runs it, and then plans no changes")
    func quickstart() async throws {
        // The organization and group scripts/demo gives the emulator.
        let emulator = try EmulatorProcess(organizations: ["demo-org"], groups: ["demo-org/default"])
        let workspace = try TerraformWorkspace(emulator: emulator)
        let example = Binaries.packageRoot.appendingPathComponent("examples/quickstart")
        for file in try FileManager.default.contentsOfDirectory(atPath: example.path) where file.hasSuffix(".tf") {
            try FileManager.default.copyItem(at: example.appendingPathComponent(file), to: workspace.directory.appendingPathComponent(file))
        }
        let applied = try await workspace.apply()
        #expect(applied.stdout.contains("Apply complete!"), "\(applied)")
        let instances = try workspace.instances()
        let apiTokens = instances.filter { $0.address.hasPrefix("turso_api_token.") }
        #expect(!apiTokens.isEmpty, "the quick start shows turso_api_token")
        let listed = Set(try await emulator.listedTokens().compactMap { $0["id"] as? String })
        #expect(Set(apiTokens.compactMap { $0.string("id") }) == listed)
        #expect(instances.contains { $0.address.hasPrefix("data.turso_api_token") })

        let plan = try await workspace.plan()
        #expect(plan.exitCode == 0, "expected no changes:\n\(plan)")
        try await workspace.destroy()
        #expect(try await emulator.listedTokens().isEmpty)
    }
}
