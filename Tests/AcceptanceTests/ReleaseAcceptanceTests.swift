import Foundation
import Testing

/// scripts/release, run on the provider binary these tests built: the
/// registry's file names and zip layout, sums, a signature made with a
/// throwaway key, byte-for-byte reproducible packaging, and a filesystem
/// mirror real Terraform installs from and locks.
@Suite("Release artifacts from scripts/release")
struct ReleaseAcceptanceTests {
    static let version = (try? String(contentsOf: Binaries.packageRoot.appendingPathComponent("VERSION"), encoding: .utf8))?
        .trimmingCharacters(in: .whitespacesAndNewlines) ?? "VERSION unreadable"
    static let zipName = "terraform-provider-turso_\(version)_linux_amd64.zip"
    static let executableName = "terraform-provider-turso_v\(version)"
    static let sumsName = "terraform-provider-turso_\(version)_SHA256SUMS"

    /// A scratch folder removed when the test ends.
    final class Scratch {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("release-\(UUID().uuidString.prefix(8))")
        init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(at: url) }
        func path(_ name: String) -> URL { url.appendingPathComponent(name) }
    }

    static func run(_ executable: String, _ arguments: [String], in directory: URL = Binaries.packageRoot,
                    environment: [String: String] = [:]) async throws -> TerraformWorkspace.Result {
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "LC_ALL": "C"]
        if let home = ProcessInfo.processInfo.environment["HOME"] { env["HOME"] = home }
        return try await ChildProcess.run(
            executable: URL(fileURLWithPath: executable), arguments: arguments, directory: directory,
            environment: env.merging(environment) { $1 }
        )
    }

    /// Runs scripts/release on `binary` (the tested provider by default) into `output`.
    @discardableResult
    static func release(into output: URL, binary: URL? = nil, extra: [String] = [],
                        environment: [String: String] = [:]) async throws -> TerraformWorkspace.Result {
        let script = Binaries.packageRoot.appendingPathComponent("scripts/release").path
        let result = try await run("/bin/bash", [script, "--binary", try (binary ?? Binaries.provider()).path, "--output", output.path] + extra,
                                   environment: environment)
        #expect(result.exitCode == 0, "scripts/release failed:\n\(result)")
        return result
    }

    static func files(under directory: URL) -> [String] {
        let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey])
        var names: [String] = []
        while let url = enumerator?.nextObject() as? URL {
            if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                names.append(String(url.path.dropFirst(directory.path.count + 1)))
            }
        }
        return names.sorted()
    }

    /// The zip's members as Python's zipfile reads them.
    struct Member: Decodable, Equatable {
        var name: String
        var mode: Int
        var system: Int
        var date: [Int]
        var extra: Int
        var method: Int
    }

    static func members(of zip: URL) async throws -> [Member] {
        let script = """
            import json, sys, zipfile
            print(json.dumps([{"name": i.filename, "mode": i.external_attr >> 16, "system": i.create_system,
                               "date": list(i.date_time), "extra": len(i.extra), "method": i.compress_type}
                              for i in zipfile.ZipFile(sys.argv[1]).infolist()]))
            """
        let result = try await run("/usr/bin/env", ["python3", "-c", script, zip.path])
        guard result.exitCode == 0 else { throw WorkspaceError("reading \(zip.path): \(result)") }
        return try JSONDecoder().decode([Member].self, from: Data(result.stdout.utf8))
    }

    /// Terraform's `h1:` hash of a provider zip (dirhash.Hash1 over its
    /// members), computed independently to compare with the lock file.
    static func h1(of zip: URL) async throws -> String {
        let script = """
            import base64, hashlib, sys, zipfile
            z = zipfile.ZipFile(sys.argv[1])
            lines = "".join(sorted("%s  %s\\n" % (hashlib.sha256(z.read(n)).hexdigest(), n) for n in z.namelist()))
            print("h1:" + base64.b64encode(hashlib.sha256(lines.encode()).digest()).decode())
            """
        let result = try await run("/usr/bin/env", ["python3", "-c", script, zip.path])
        guard result.exitCode == 0 else { throw WorkspaceError("hashing \(zip.path): \(result)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("The zip, debug symbols, manifest, sums and mirror are laid out and named as the registry expects")
    func layout() async throws {
        let scratch = try Scratch()
        let dist = scratch.path("dist")
        try await Self.release(into: dist)
        let v = Self.version
        #expect(Self.files(under: dist) == [
            "mirror/registry.terraform.io/turso-swift/turso/\(Self.zipName)",
            "terraform-provider-turso_\(v)_SHA256SUMS",
            "terraform-provider-turso_\(v)_linux_amd64.zip",
            "terraform-provider-turso_\(v)_manifest.json",
            "terraform-provider-turso_v\(v).debug",
        ])

        // One executable member, with no extra fields (no uid/gid, no extended times).
        let members = try await Self.members(of: dist.appendingPathComponent(Self.zipName))
        #expect(members.count == 1)
        #expect(members.first?.name == Self.executableName)
        #expect(members.first?.mode == 0o100755)
        #expect(members.first?.system == 3)
        #expect(members.first?.extra == 0)
        #expect(members.first?.method == 8)

        // The mirror holds the same zip; the manifest is the repository's.
        #expect(FileManager.default.contentsEqual(
            atPath: dist.appendingPathComponent(Self.zipName).path,
            andPath: dist.appendingPathComponent("mirror/registry.terraform.io/turso-swift/turso/\(Self.zipName)").path
        ))
        #expect(FileManager.default.contentsEqual(
            atPath: dist.appendingPathComponent("terraform-provider-turso_\(v)_manifest.json").path,
            andPath: Binaries.packageRoot.appendingPathComponent("terraform-registry-manifest.json").path
        ))

        // The sums verify, and name the zip.
        let sums = try String(contentsOf: dist.appendingPathComponent(Self.sumsName), encoding: .utf8)
        #expect(sums.contains("  \(Self.zipName)\n"))
        let checked = try await Self.run("/usr/bin/sha256sum", ["--check", "--strict", Self.sumsName], in: dist)
        #expect(checked.exitCode == 0, "\(checked)")
        #expect(checked.stdout.components(separatedBy: ": OK\n").count - 1 == 3, "\(checked)")

        // The binary in the zip is stripped, points at its debug file, and runs.
        let unpacked = scratch.path("unpacked")
        let unzipped = try await Self.run("/usr/bin/env", ["python3", "-c",
            "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])",
            dist.appendingPathComponent(Self.zipName).path, unpacked.path])
        #expect(unzipped.exitCode == 0, "\(unzipped)")
        let executable = unpacked.appendingPathComponent(Self.executableName)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: executable.path)
        let sections = try await Self.run("/usr/bin/readelf", ["-S", "-W", executable.path])
        #expect(sections.exitCode == 0, "\(sections)")
        #expect(!sections.stdout.contains(".symtab"))
        #expect(!sections.stdout.contains(".debug_info"))
        #expect(sections.stdout.contains(".gnu_debuglink"))
        let link = try await Self.run("/usr/bin/readelf", ["-p", ".gnu_debuglink", executable.path])
        #expect(link.stdout.contains("\(Self.executableName).debug"), "\(link)")
        let debugSections = try await Self.run("/usr/bin/readelf", ["-S", "-W", dist.appendingPathComponent("\(Self.executableName).debug").path])
        #expect(debugSections.stdout.contains(".symtab"), "the debug file keeps the symbol table")
        // Normalised for reproducibility: no per-object IR hashes, and a
        // build id the symbols file shares.
        if sections.stdout.contains(".swift_modhash") {
            let modhash = try await Self.run("/usr/bin/readelf", ["-x", ".swift_modhash", executable.path])
            let words = modhash.stdout.split(separator: "\n").filter { $0.hasPrefix("  0x") }
                .flatMap { $0.split(separator: " ").dropFirst().prefix(4) }
            #expect(!words.isEmpty && words.allSatisfy { $0.allSatisfy { $0 == "0" } }, "\(modhash)")
        }
        let notes = try await Self.run("/usr/bin/readelf", ["-n", executable.path])
        let debugNotes = try await Self.run("/usr/bin/readelf", ["-n", dist.appendingPathComponent("\(Self.executableName).debug").path])
        let buildID = notes.stdout.split(separator: "\n").first { $0.contains("Build ID:") }
        #expect(buildID != nil && buildID == debugNotes.stdout.split(separator: "\n").first { $0.contains("Build ID:") })
        let printed = try await Self.run(executable.path, ["--version"])
        #expect(printed.exitCode == 0, "\(printed)")
        #expect(printed.stdout == "terraform-provider-turso \(Self.version)\n")
    }

    @Test("The sums are signed with the key given, and a changed file fails verification")
    func signature() async throws {
        let scratch = try Scratch()
        // A short path: gpg-agent's socket lives in GNUPGHOME.
        let home = URL(fileURLWithPath: "/tmp/gpg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let gpg = ["GNUPGHOME": home.path]
        defer {
            // Stop the agent this test's key started, then remove its home.
            _ = try? FileManager.default.removeItem(at: home)
        }
        let made = try await Self.run("/usr/bin/gpg", ["--batch", "--passphrase", "", "--quick-generate-key",
                                                       "turso release test <release-test@example.invalid>", "ed25519", "sign", "1d"],
                                      environment: gpg)
        let stopAgent = { _ = try? await Self.run("/usr/bin/gpgconf", ["--kill", "gpg-agent"], environment: gpg) }
        #expect(made.exitCode == 0, "\(made)")
        let listed = try await Self.run("/usr/bin/gpg", ["--batch", "--with-colons", "--list-secret-keys"], environment: gpg)
        let fingerprint = listed.stdout.split(separator: "\n").first { $0.hasPrefix("fpr:") }?.split(separator: ":", omittingEmptySubsequences: false)[9]
        guard let fingerprint else {
            await stopAgent()
            Issue.record("no key made: \(listed)")
            return
        }

        let dist = scratch.path("dist")
        try await Self.release(into: dist, extra: ["--gpg-key", String(fingerprint)], environment: gpg)
        let signature = dist.appendingPathComponent("\(Self.sumsName).sig")
        let verified = try await Self.run("/usr/bin/gpg", ["--batch", "--verify", signature.path, dist.appendingPathComponent(Self.sumsName).path],
                                          environment: gpg)
        #expect(verified.exitCode == 0, "\(verified)")
        #expect(verified.stderr.contains("Good signature"), "\(verified)")

        // The same signature over a changed sums file does not verify.
        let tampered = scratch.path("tampered")
        try (try String(contentsOf: dist.appendingPathComponent(Self.sumsName), encoding: .utf8) + "0000  extra\n")
            .write(to: tampered, atomically: true, encoding: .utf8)
        let rejected = try await Self.run("/usr/bin/gpg", ["--batch", "--verify", signature.path, tampered.path], environment: gpg)
        #expect(rejected.exitCode != 0, "\(rejected)")
        await stopAgent()
    }

    @Test("Packaging the same binary twice gives the same bytes, whatever the files' times")
    func reproducible() async throws {
        let scratch = try Scratch()
        // A copy with a different modification time and path than the original.
        let copy = scratch.path("terraform-provider-turso")
        try FileManager.default.copyItem(at: try Binaries.provider(), to: copy)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_000_000_000)], ofItemAtPath: copy.path)
        try await Self.release(into: scratch.path("first"))
        try await Self.release(into: scratch.path("second"), binary: copy)
        for name in [Self.zipName, Self.sumsName, "\(Self.executableName).debug"] {
            let same = FileManager.default.contentsEqual(
                atPath: scratch.path("first/\(name)").path, andPath: scratch.path("second/\(name)").path)
            #expect(same, "\(name) differs between two packagings")
        }
        // The date inside the zip is the commit's, not the file's.
        let commitTime = try await Self.run("/usr/bin/git", ["log", "-1", "--format=%ct"])
        let epoch = try #require(TimeInterval(commitTime.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: Date(timeIntervalSince1970: epoch))
        let date = try await Self.members(of: scratch.path("first/\(Self.zipName)")).first?.date ?? []
        #expect(Array(date.prefix(5)) == [parts.year, parts.month, parts.day, parts.hour, parts.minute].map { $0 ?? -1 })
    }

    @Test("terraform init installs from the mirror and providers lock records the zip's h1 hash")
    func mirror() async throws {
        let scratch = try Scratch()
        let dist = scratch.path("dist")
        try await Self.release(into: dist)
        let mirror = dist.appendingPathComponent("mirror")
        let expectedHash = try await Self.h1(of: dist.appendingPathComponent(Self.zipName))

        // `terraform init -plugin-dir`, with no dev_overrides: a user's install.
        let workspace = try TerraformWorkspace()
        let plainConfig = workspace.home.appendingPathComponent("plain.tfrc")
        try "".write(to: plainConfig, atomically: true, encoding: .utf8)
        try """
            terraform {
              required_providers {
                turso = { source = "turso-swift/turso", version = "\(Self.version)" }
              }
            }

            resource "turso_timed_token" "t" {
              name = "from-the-release-zip"
            }
            """.write(to: workspace.directory.appendingPathComponent("main.tf"), atomically: true, encoding: .utf8)
        let plain = ["TF_CLI_CONFIG_FILE": plainConfig.path]
        let initialised = try await workspace.run(["init", "-input=false", "-no-color", "-plugin-dir=\(mirror.path)"], extraEnvironment: plain)
        #expect(initialised.exitCode == 0, "\(initialised)")
        let installed = workspace.directory.appendingPathComponent(
            ".terraform/providers/registry.terraform.io/turso-swift/turso/\(Self.version)/linux_amd64/\(Self.executableName)")
        #expect(FileManager.default.isExecutableFile(atPath: installed.path))
        let lock = try String(contentsOf: workspace.directory.appendingPathComponent(".terraform.lock.hcl"), encoding: .utf8)
        #expect(lock.contains("\"\(expectedHash)\""), "lock file:\n\(lock)")
        // The installed (stripped) binary serves Terraform.
        let applied = try await workspace.run(["apply", "-auto-approve", "-input=false", "-no-color"], extraEnvironment: plain)
        #expect(applied.exitCode == 0, "\(applied)")
        #expect(try workspace.instance("turso_timed_token.t").string("token")?.hasPrefix("token-") == true)

        // `providers lock -fs-mirror` from a filesystem_mirror CLI configuration.
        let locking = try TerraformWorkspace()
        let mirrorConfig = locking.home.appendingPathComponent("mirror.tfrc")
        try """
            provider_installation {
              filesystem_mirror {
                path    = "\(mirror.path)"
                include = ["registry.terraform.io/turso-swift/turso"]
              }
            }
            """.write(to: mirrorConfig, atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(at: workspace.directory.appendingPathComponent("main.tf"),
                                         to: locking.directory.appendingPathComponent("main.tf"))
        let viaMirror = ["TF_CLI_CONFIG_FILE": mirrorConfig.path]
        let locked = try await locking.run(["providers", "lock", "-no-color", "-fs-mirror=\(mirror.path)", "-platform=linux_amd64"],
                                           extraEnvironment: viaMirror)
        #expect(locked.exitCode == 0, "\(locked)")
        let lockFile = try String(contentsOf: locking.directory.appendingPathComponent(".terraform.lock.hcl"), encoding: .utf8)
        #expect(lockFile.contains("provider \"registry.terraform.io/turso-swift/turso\""), "\(lockFile)")
        #expect(lockFile.contains("version     = \"\(Self.version)\""), "\(lockFile)")
        #expect(lockFile.contains("\"\(expectedHash)\""), "lock file:\n\(lockFile)")
        // And init through filesystem_mirror accepts that lock.
        let mirrored = try await locking.run(["init", "-input=false", "-no-color"], extraEnvironment: viaMirror)
        #expect(mirrored.exitCode == 0, "\(mirrored)")
    }
}
