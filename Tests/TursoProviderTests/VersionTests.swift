import Foundation
import Testing
@testable import TursoProvider

/// One source of the version: the top-level VERSION file, compiled in.
@Suite("The provider's version comes from VERSION")
struct VersionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func read(_ name: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(name), encoding: .utf8)
    }

    @Test("The compiled-in version is VERSION's, a semantic version, in the User-Agent")
    func compiledIn() throws {
        let file = try Self.read("VERSION")
        #expect(file.hasSuffix("\n") && !file.dropLast().contains("\n"), "VERSION is one line")
        #expect(TursoProvider.version == file.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(TursoProvider.version.wholeMatch(of: /[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?/) != nil)
        #expect(TursoProvider.userAgent(terraformVersion: "1.0.3") == "terraform-provider-turso/\(TursoProvider.version) terraform/1.0.3")
    }

    @Test("CHANGELOG.md has an Unreleased section and an entry for the version")
    func changelog() throws {
        let changelog = try Self.read("CHANGELOG.md")
        #expect(changelog.contains("\n## [Unreleased]\n"))
        #expect(changelog.contains("\n## [\(TursoProvider.version)] - "), "no CHANGELOG entry for \(TursoProvider.version)")
        #expect(changelog.contains("\n[\(TursoProvider.version)]: "), "no link for \(TursoProvider.version)")
    }
}
