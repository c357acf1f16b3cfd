import Foundation
import Testing

/// A scratch Terraform working directory driving the real Terraform CLI
/// against the provider binary built with this package.
///
/// Each workspace has its own HOME, CLI configuration (a `dev_overrides`
/// block pointing at the built provider, so no `terraform init` is needed),
/// and environment: the machine's presets (`TF_CLI_CONFIG_FILE` and friends)
/// never leak in.
final class TerraformWorkspace: @unchecked Sendable {
    /// The provider's source address in configurations: `turso-swift/turso`.
    static let providerSource = "registry.terraform.io/turso-swift/turso"

    let directory: URL
    let home: URL
    /// The Terraform this workspace runs.
    let terraform: TerraformCLI
    /// Extra environment for Terraform and, through it, the provider.
    var environment: [String: String]

    /// `minimumTerraform`: the oldest Terraform the test's configuration
    /// needs; when the Terraform under test is older, the workspace runs the
    /// bundled Terraform of that version instead (see `TerraformCLI`).
    init(environment: [String: String] = [:], minimumTerraform: TerraformVersion = TerraformCLI.v1_0_3) throws {
        terraform = try TerraformCLI.atLeast(minimumTerraform)
        let base = FileManager.default.temporaryDirectory
            .appendingPathComponent("tf-acc-\(UUID().uuidString.prefix(8).lowercased())")
        directory = base.appendingPathComponent("work")
        home = base.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        self.environment = environment
        let providerDirectory = try Binaries.provider().deletingLastPathComponent().path
        try """
        provider_installation {
          dev_overrides {
            "\(Self.providerSource)" = "\(providerDirectory)"
          }
          direct {}
        }
        """.write(to: cliConfig, atomically: true, encoding: .utf8)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory.deletingLastPathComponent())
    }

    var cliConfig: URL { home.appendingPathComponent("terraformrc") }
    var stateFile: URL { directory.appendingPathComponent("terraform.tfstate") }

    /// Writes `main.tf` (a `terraform` block naming the provider is added).
    func write(_ configuration: String, file: String = "main.tf") throws {
        let text = """
        terraform {
          required_providers {
            turso = { source = "turso-swift/turso" }
          }
        }

        \(configuration)
        """
        try text.write(to: directory.appendingPathComponent(file), atomically: true, encoding: .utf8)
    }

    struct Result: CustomStringConvertible {
        var exitCode: Int32
        var stdout: String
        var stderr: String
        var description: String { "exit \(exitCode)\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)" }
    }

    /// Runs `terraform <arguments>` in the workspace and waits for it.
    @discardableResult
    func run(_ arguments: [String], extraEnvironment: [String: String] = [:]) async throws -> Result {
        try await TerraformRunner.shared.run(
            executable: terraform.executable,
            arguments: arguments,
            directory: directory,
            environment: baseEnvironment.merging(environment) { $1 }.merging(extraEnvironment) { $1 }
        )
    }

    /// The environment Terraform runs with: nothing of the machine's own
    /// Terraform settings, no network checks, a private HOME.
    var baseEnvironment: [String: String] {
        var env: [String: String] = [
            "HOME": home.path,
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "TF_CLI_CONFIG_FILE": cliConfig.path,
            "CHECKPOINT_DISABLE": "1",
            "TF_IN_AUTOMATION": "1",
            "TF_INPUT": "0",
            // Keep the per-user private-state key file inside this workspace.
            "XDG_CONFIG_HOME": home.appendingPathComponent(".config").path,
        ]
        // TMPDIR for Terraform; the sanitizer settings reach the provider
        // (built with ASan in the ASan run) through Terraform.
        for name in ["TMPDIR", "ASAN_OPTIONS", "LSAN_OPTIONS"] {
            if let value = ProcessInfo.processInfo.environment[name] { env[name] = value }
        }
        return env
    }

    /// `apply -auto-approve`; fails the test with Terraform's output on error.
    @discardableResult
    func apply(_ extra: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) async throws -> Result {
        let result = try await run(["apply", "-auto-approve", "-input=false", "-no-color"] + extra)
        #expect(result.exitCode == 0, "terraform apply failed:\n\(result)", sourceLocation: sourceLocation)
        return result
    }

    /// `plan -detailed-exitcode`: 0 = no changes, 2 = changes, 1 = error.
    func plan(_ extra: [String] = []) async throws -> Result {
        try await run(["plan", "-detailed-exitcode", "-input=false", "-no-color"] + extra)
    }

    @discardableResult
    func destroy(sourceLocation: SourceLocation = #_sourceLocation) async throws -> Result {
        let result = try await run(["destroy", "-auto-approve", "-input=false", "-no-color"])
        #expect(result.exitCode == 0, "terraform destroy failed:\n\(result)", sourceLocation: sourceLocation)
        return result
    }

    /// The raw state file as JSON.
    func state() throws -> [String: Any] {
        let data = try Data(contentsOf: stateFile)
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    func writeState(_ state: [String: Any]) throws {
        let data = try JSONSerialization.data(withJSONObject: state, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: stateFile)
    }

    /// Every resource instance in the state: (address, attributes, private).
    func instances() throws -> [StateInstance] {
        guard let resources = try state()["resources"] as? [[String: Any]] else { return [] }
        var result: [StateInstance] = []
        for resource in resources {
            let type = resource["type"] as? String ?? ""
            let name = resource["name"] as? String ?? ""
            let mode = resource["mode"] as? String ?? "managed"
            for instance in resource["instances"] as? [[String: Any]] ?? [] {
                var address = (mode == "data" ? "data." : "") + "\(type).\(name)"
                if let key = instance["index_key"] { address += "[\(key is String ? "\"\(key)\"" : "\(key)")]" }
                result.append(StateInstance(
                    address: address,
                    attributes: instance["attributes"] as? [String: Any] ?? [:],
                    privateBase64: instance["private"] as? String
                ))
            }
        }
        return result
    }

    func instance(_ address: String) throws -> StateInstance {
        guard let found = try instances().first(where: { $0.address == address }) else {
            throw WorkspaceError("no \(address) in state; have \(try instances().map(\.address))")
        }
        return found
    }
}

struct StateInstance {
    var address: String
    var attributes: [String: Any]
    var privateBase64: String?

    func string(_ name: String) -> String? { attributes[name] as? String }
    var privateBytes: [UInt8]? { privateBase64.flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) } }
}

struct WorkspaceError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
