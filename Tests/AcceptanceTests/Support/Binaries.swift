import Foundation

/// Where the acceptance tests find the programs they drive.
enum Binaries {
    /// The package's root folder (this file is Tests/AcceptanceTests/Support/Binaries.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The folder holding the test bundle, where SwiftPM also puts the
    /// package's executables.
    static var buildDirectory: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// The Terraform under test (see `TerraformCLI`). A missing Terraform
    /// fails the tests (they are never skipped).
    static func terraform() throws -> URL { try TerraformCLI.underTest().executable }

    static func provider() throws -> URL { try executable("terraform-provider-turso", override: "TURSO_PROVIDER_BINARY") }

    static func emulator() throws -> URL { try executable("turso-api-emulator", override: "TURSO_EMULATOR_BINARY") }

    private static func executable(_ name: String, override: String) throws -> URL {
        if let path = ProcessInfo.processInfo.environment[override] { return URL(fileURLWithPath: path) }
        var directory = buildDirectory
        // In a .xctest bundle layout the runner sits one level deeper.
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        throw WorkspaceError("\(name) not found next to the test runner (\(buildDirectory.path)); build the package first")
    }
}
