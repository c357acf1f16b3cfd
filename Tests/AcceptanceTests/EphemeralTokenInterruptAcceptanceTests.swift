import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// An ephemeral `turso_api_token` under real Terraform 1.15.5 whose run is
/// killed with SIGKILL between Open and Close: no Close ever comes, and the
/// next run's Open revokes the token the killed one left in Turso.
@Suite("Ephemeral API token of a Terraform run killed with SIGKILL")
struct EphemeralTokenInterruptAcceptanceTests {
    static let prefix = "acc-killed-"

    func configuration(command: String) -> String {
        """
        ephemeral "turso_api_token" "session" {
          name_prefix = "\(Self.prefix)"
        }

        resource "terraform_data" "uses" {
          provisioner "local-exec" {
            command     = "\(command)"
            environment = { TOKEN_NAME = ephemeral.turso_api_token.session.name }
          }
        }
        """
    }

    @Test("kill -9 of Terraform mid-apply leaves the open token in Turso; the next apply revokes it, and its own tokens at their Close")
    func killedRunTokenRevokedByNextRun() async throws {
        let emulator = try EmulatorProcess()
        let workspace = try TerraformWorkspace(emulator: emulator, minimumTerraform: TerraformCLI.v1_15_5)
        let marker = workspace.directory.appendingPathComponent("provisioner-started")
        // The provisioner runs with the apply's ephemeral token open; it
        // says so, then waits to be killed.
        try workspace.write(configuration(command: "touch \(marker.path) && sleep 600"))

        let run = try InterruptibleTerraform(workspace: workspace, arguments: ["apply", "-auto-approve", "-input=false", "-no-color"])
        for _ in 0..<2_400 where !FileManager.default.fileExists(atPath: marker.path) {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(FileManager.default.fileExists(atPath: marker.path), "the provisioner never started")
        // Terraform alone, as a CI runner's timeout or the OOM killer ends
        // it: its provider follows (parent-death signal), and nobody closes
        // the ephemeral resource.
        run.signalTerraform(SIGKILL)
        let killed = try await run.wait()
        #expect(killed.exitCode == 128 + SIGKILL, "\(killed)")
        run.signalGroup(SIGKILL)  // the provisioner's sleep, and anything else left
        #expect(await processGroupEnded(run.pid), "processes of the killed run still running")

        let created = try await emulator.requests().filter { $0.method == "POST" && $0.status == 200 }
            .map { String($0.path.dropFirst("/v1/auth/api-tokens/".count)) }.filter { $0.hasPrefix(Self.prefix) }
        let leftOpen = try await emulator.listedTokens().compactMap { $0["name"] as? String }.filter { $0.hasPrefix(Self.prefix) }
        print("ephemeral kill -9: \(created.count) ephemeral token(s) created by the killed run, \(leftOpen.count) left in Turso")
        #expect(leftOpen.count == 1, "the apply's token was open at the kill: \(leftOpen), created \(created)")
        let orphan = try #require(leftOpen.first)
        try await emulator.clearRequests()

        // The next run, with the same HOME: its first Open revokes the
        // orphan; its own tokens live until their Close.
        try workspace.write(configuration(command: "true"))
        let next = try await workspace.apply()
        // Revoked quietly: the sweep warns only of what it could not do.
        #expect(!(next.stdout + next.stderr).contains("Ephemeral API token"), "\(next)")
        let requests = try await emulator.requests()
        func names(_ method: String) -> [String] {
            requests.filter { $0.method == method && $0.status == 200 }
                .map { String($0.path.dropFirst("/v1/auth/api-tokens/".count)) }.filter { $0.hasPrefix(Self.prefix) }
        }
        let (opened, revoked) = (names("POST"), names("DELETE"))
        print("ephemeral kill -9, next apply: opened \(opened.count), revoked \(revoked.count) (the orphan among them: \(revoked.contains(orphan)))")
        #expect(revoked.filter { $0 == orphan }.count == 1, "the orphan revoked once: \(revoked)")
        #expect(!opened.isEmpty && !opened.contains(orphan))
        // Each token of this run revoked once, after it was created: by its Close.
        for name in opened {
            let create = requests.firstIndex { $0.method == "POST" && $0.path.hasSuffix("/" + name) }
            let revoke = requests.firstIndex { $0.method == "DELETE" && $0.status == 200 && $0.path.hasSuffix("/" + name) }
            #expect(create != nil && revoke != nil && create! < revoke!, "\(name): \(requests.map { "\($0.method) \($0.path)" })")
        }
        #expect(Set(revoked) == Set(opened).union([orphan]), "opened \(opened), revoked \(revoked)")
        let listed = try await emulator.listedTokens().compactMap { $0["name"] as? String }
        #expect(listed.filter { $0.hasPrefix(Self.prefix) }.isEmpty, "\(listed)")
        let records = workspace.home.appendingPathComponent(".config/terraform-provider-turso/open-ephemeral").path
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: records)) ?? []).isEmpty)
    }

    /// Waits (up to a minute) until no process of group `group` runs
    /// (zombies not reaped yet count as ended, as the provider counts them).
    private func processGroupEnded(_ group: pid_t) async -> Bool {
        for _ in 0..<1_200 {
            let running = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).contains { entry in
                guard Int32(entry) != nil,
                      let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                      let close = stat.lastIndex(of: ")") else { return false }
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                // fields[0] is the state, fields[2] the process group.
                return fields.count > 2 && fields[0] != "Z" && fields[0] != "X" && fields[2] == "\(group)"
            }
            if !running { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }
}
