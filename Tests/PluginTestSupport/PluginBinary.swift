import Foundation

/// Where tests find the provider binary: `TURSO_PROVIDER_BINARY` when set,
/// else next to the test runner, where SwiftPM builds the package's
/// executables (`.build/<config>/terraform-provider-turso`).
public enum PluginBinary {
    public static let overrideVariable = "TURSO_PROVIDER_BINARY"

    public static func path() throws -> String {
        if let path = ProcessInfo.processInfo.environment[overrideVariable], !path.isEmpty { return path }
        let runner = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = runner.deletingLastPathComponent()
        // A runner inside a bundle layout sits a level or two deeper.
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent("terraform-provider-turso").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        throw PluginTestError("terraform-provider-turso not found next to the test runner \(runner.path); "
            + "build the package first or set \(overrideVariable)")
    }
}

/// A failure of the test harness itself (not of the plugin under test).
public struct PluginTestError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
