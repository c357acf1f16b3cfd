import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A Terraform CLI the acceptance tests drive, and its version.
///
/// `scripts/bootstrap` installs two into `.tools/`: 1.0.3, the oldest
/// Terraform speaking protocol 6 (HashiCorp's binary), and 1.15.5, the newest
/// (Terraform as a shared library behind a small C `terraform`). Every test
/// runs under the one `TURSO_TEST_TERRAFORM` names (`1.0.3`, the default;
/// `1.15.5`; or a path to some other `terraform`); `scripts/test` runs the
/// suite once per version. A test that needs a newer Terraform (ephemeral
/// resources, `terraform_data`, write-only arguments) asks for a minimum
/// version and gets 1.15.5 when the tested one is older: it still runs, and
/// is never skipped.
struct TerraformCLI: Sendable, CustomStringConvertible {
    let executable: URL
    let version: TerraformVersion

    var description: String { "Terraform \(version) (\(executable.path))" }

    static let v1_0_3 = TerraformVersion(1, 0, 3)
    static let v1_15_5 = TerraformVersion(1, 15, 5)

    /// A copy `scripts/bootstrap` installs.
    static func bundled(_ version: TerraformVersion) throws -> TerraformCLI {
        let path = Binaries.packageRoot.appendingPathComponent(".tools/terraform-\(version)/terraform")
        guard FileManager.default.isExecutableFile(atPath: path.path) else {
            throw WorkspaceError("Terraform \(version) not found at \(path.path): run scripts/bootstrap")
        }
        return TerraformCLI(executable: path, version: version)
    }

    /// The Terraform under test: `TURSO_TEST_TERRAFORM` (a bundled version
    /// or a path), else the bundled 1.0.3.
    static func underTest() throws -> TerraformCLI {
        let setting = ProcessInfo.processInfo.environment["TURSO_TEST_TERRAFORM"] ?? "1.0.3"
        if let version = TerraformVersion(setting) { return try bundled(version) }
        return try cached.withLock { cache in
            if let known = cache[setting] { return known }
            let found = TerraformCLI(executable: URL(fileURLWithPath: setting), version: try versionOf(setting))
            cache[setting] = found
            return found
        }
    }

    /// The Terraform under test if it is at least `minimum`, else the
    /// bundled `minimum` (which must be one `scripts/bootstrap` installs).
    static func atLeast(_ minimum: TerraformVersion) throws -> TerraformCLI {
        let tested = try underTest()
        return tested.version >= minimum ? tested : try bundled(minimum)
    }

    private static let cached = Mutex<[String: TerraformCLI]>([:])

    /// Asks a `terraform` found by path for its version (`version -json`,
    /// which every protocol-6 Terraform has). Once per run, so it blocks.
    private static func versionOf(_ path: String) throws -> TerraformVersion {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tf-version-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let output = scratch.appendingPathComponent("stdout").path
        let pid = try ChildProcess.spawn(
            executable: URL(fileURLWithPath: path), arguments: ["version", "-json"], directory: scratch,
            environment: ["CHECKPOINT_DISABLE": "1", "TF_CLI_CONFIG_FILE": "/dev/null", "HOME": scratch.path],
            stdoutPath: output, stderrPath: "/dev/null"
        )
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let object = try? JSONSerialization.jsonObject(with: Data(ChildProcess.readFile(output))) as? [String: Any]
        guard let text = object?["terraform_version"] as? String, let version = TerraformVersion(text) else {
            throw WorkspaceError("TURSO_TEST_TERRAFORM=\(path) is not a Terraform that reports its version")
        }
        return version
    }
}

/// A Terraform release number, `major.minor.patch`.
struct TerraformVersion: Comparable, Hashable, Sendable, CustomStringConvertible {
    var parts: [Int]

    init(_ major: Int, _ minor: Int, _ patch: Int) { parts = [major, minor, patch] }

    /// Parses `1.15.5` (a leading `v` and a `-suffix` are ignored).
    init?(_ text: String) {
        let core = text.drop { $0 == "v" }.prefix { $0 != "-" && $0 != "+" }
        let numbers = core.split(separator: ".", omittingEmptySubsequences: false).compactMap { Int($0) }
        guard numbers.count == 3, numbers.allSatisfy({ $0 >= 0 }) else { return nil }
        parts = numbers
    }

    var description: String { parts.map(String.init).joined(separator: ".") }

    static func < (lhs: Self, rhs: Self) -> Bool { lhs.parts.lexicographicallyPrecedes(rhs.parts) }
}
