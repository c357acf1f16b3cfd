import Foundation
import Testing

/// The Turso API the portable acceptance tests (LiveAPIAcceptanceTests)
/// talk to: by default a fresh emulator, as in CI, which never needs
/// credentials; with `TURSO_ACC=1`, the real API with the caller's
/// credentials:
///
/// - `TURSO_API_TOKEN`: a token of a user who is an admin of the organization;
/// - `TURSO_ORG`: the organization's slug; `TURSO_GROUP`: one of its groups
///   (default `default`);
/// - `TURSO_API_BASE_URL`: default `https://api.turso.tech`.
///
/// Every token a test creates is named with `prefix` (`tfacc-<run>-`), so
/// runs cannot collide with each other or with real tokens, and
/// `scripts/sweep-test-tokens` can revoke what a killed run left behind.
/// Suites needing the emulator's faults and request log always use the
/// emulator.
final class TursoTarget: @unchecked Sendable {
    let isReal: Bool
    let environment: [String: String]
    let organization: String
    let group: String
    let prefix: String
    /// Kept alive for the target's lifetime; nil against the real API.
    let emulator: EmulatorProcess?

    static var realRequested: Bool { ProcessInfo.processInfo.environment["TURSO_ACC"] == "1" }

    init() throws {
        let run = UUID().uuidString.lowercased().prefix(8)
        prefix = "tfacc-\(run)-"
        let env = ProcessInfo.processInfo.environment
        if Self.realRequested {
            // Asked for and unusable is a failure, never a silent fallback.
            guard let token = env["TURSO_API_TOKEN"], !token.isEmpty, let organization = env["TURSO_ORG"], !organization.isEmpty else {
                throw WorkspaceError("TURSO_ACC=1 needs TURSO_API_TOKEN and TURSO_ORG (and optionally TURSO_GROUP, TURSO_API_BASE_URL)")
            }
            isReal = true
            emulator = nil
            self.organization = organization
            group = env["TURSO_GROUP"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
            environment = [
                "TURSO_API_TOKEN": token,
                "TURSO_API_BASE_URL": env["TURSO_API_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? "https://api.turso.tech",
            ]
        } else {
            isReal = false
            organization = "tfacc-org"
            group = "default"
            let emulator = try EmulatorProcess(organizations: [organization], groups: ["\(organization)/\(group)"])
            self.emulator = emulator
            environment = emulator.environment
        }
    }

    /// A test token's name: `tfacc-<run>-<base>`.
    func name(_ base: String) -> String { prefix + base }

    /// A workspace talking to this target, destroyed after `body` whatever
    /// happens in it, so a failing test leaves nothing in a real account.
    func withWorkspace(_ body: (TerraformWorkspace) async throws -> Void) async throws {
        let workspace = try TerraformWorkspace(environment: environment)
        do {
            try await body(workspace)
        } catch {
            _ = try? await workspace.run(["destroy", "-auto-approve", "-input=false", "-no-color"])
            throw error
        }
        if FileManager.default.fileExists(atPath: workspace.stateFile.path) {
            try await workspace.destroy()
        }
    }
}
