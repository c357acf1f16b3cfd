import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import TursoEmulator

/// An apply interrupted while creates are in flight, against a slow Turso:
/// every token that exists in Turso when Terraform has exited is in state,
/// and the next apply finishes the job (no "already exists").
@Suite("turso_api_token with real Terraform interrupted mid-apply")
struct APITokenInterruptAcceptanceTests {
    static let tokenCount = 20

    enum Interruption: String, CustomTestStringConvertible, CaseIterable {
        /// Ctrl-C: SIGINT to the whole process group (Terraform and its providers).
        case sigint
        /// SIGTERM to Terraform alone (a CI runner cancelling the job).
        case sigterm

        var testDescription: String { rawValue }
    }

    @Test("Tokens in Turso and in state match after the interruption, and the next apply succeeds", arguments: Interruption.allCases)
    func interrupted(_ interruption: Interruption) async throws {
        let emulator = try EmulatorProcess()
        // With -parallelism=4 the apply runs in waves of 4. The first wave's
        // creates take 2 s; later ones 10 s, so the apply cannot end before
        // the signal however late a busy machine lets this test send it
        // (before the fifth wave: 30 s after the second wave starts), while
        // a create under way still ends within the provider's 30 s grace
        // period. (With 2 s for every wave a full test run sent the signal
        // after the last wave had started: all 20 tokens were made.)
        try await emulator.addFault(Fault(method: "POST", count: 4, delayMilliseconds: 2_000))
        try await emulator.addFault(Fault(method: "POST", delayMilliseconds: 10_000))
        let workspace = try TerraformWorkspace(emulator: emulator)
        try workspace.write("""
        resource "turso_api_token" "many" {
          count = \(Self.tokenCount)
          name  = "many-${count.index}"
        }
        """)

        let run = try InterruptibleTerraform(workspace: workspace, arguments: ["apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=4"])
        // Mid-apply: the first wave answered, the next one under way (sent,
        // and held by the emulator) when the signal comes.
        try await waitUntilSecondWave(emulator)
        switch interruption {
        case .sigint: run.signalGroup(SIGINT)
        case .sigterm: run.signalTerraform(SIGTERM)
        }
        let result = try await run.wait()
        // Terraform waited for the creates under way: nothing lands after it exits.
        #expect(result.stdout.contains("Interrupt received") || result.stderr.contains("Interrupt received"), "\(result)")

        let inTurso = Set(try await emulator.listedTokens().compactMap { $0["name"] as? String })
        let inState = Set((try? workspace.instances())?.filter { $0.address.hasPrefix("turso_api_token.") }.compactMap { $0.string("name") } ?? [])
        print("interrupt \(interruption.rawValue): \(inTurso.count) token(s) in Turso, \(inState.count) in state, Terraform exit \(result.exitCode)")
        #expect(result.exitCode != 0, "the apply was interrupted:\n\(result)")
        #expect(inTurso.count < Self.tokenCount, "interrupted before the end")
        // More than the first wave: the creates under way at the signal were awaited, and are in state.
        #expect(inTurso.count > 4, "no create was under way at the signal; the test proves nothing")
        #expect(inTurso == inState, "tokens in Turso and in state differ:\n\(result)")

        try await emulator.clearFaults()  // the next apply at full speed
        let again = try await workspace.run(["apply", "-auto-approve", "-input=false", "-no-color"])
        #expect(again.exitCode == 0, "the next apply finishes:\n\(again)")
        #expect(!again.stderr.contains("already exists"))
        #expect(try await emulator.listedTokens().count == Self.tokenCount)
        #expect(try workspace.instances().filter { $0.address.hasPrefix("turso_api_token.") }.count == Self.tokenCount)
    }

    /// Ctrl-C twice makes Terraform exit at once ("Two interrupts received.
    /// Exiting immediately. Note that data loss may have occurred."), without
    /// waiting for the provider: a create already sent to Turso lands after
    /// Terraform has written its state, and no provider can put it there.
    /// What holds: every token in state exists in Turso, and the next apply
    /// knows the others for its own abandoned creates (the provider's create
    /// journal): it replaces them instead of failing with "already exists".
    @Test("Ctrl-C twice: creates already sent land after Terraform exits, and the next apply replaces them")
    func interruptedTwice() async throws {
        let emulator = try EmulatorProcess()
        try await emulator.addFault(Fault(method: "POST", delayMilliseconds: 2_000))
        let workspace = try TerraformWorkspace(emulator: emulator)
        try workspace.write("""
        resource "turso_api_token" "many" {
          count = \(Self.tokenCount)
          name  = "many-${count.index}"
        }
        """)
        let run = try InterruptibleTerraform(workspace: workspace, arguments: ["apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=4"])
        try await waitUntilSecondWave(emulator)
        run.signalGroup(SIGINT)
        try await Task.sleep(for: .milliseconds(300))
        run.signalGroup(SIGINT)
        let result = try await run.wait()
        #expect(result.exitCode != 0)
        let inState = Set((try? workspace.instances())?.compactMap { $0.string("name") } ?? [])
        let atExit = Set(try await emulator.listedTokens().compactMap { $0["name"] as? String })
        // The emulator answers each create 2 s after receiving it.
        try await Task.sleep(for: .seconds(4))
        let settled = Set(try await emulator.listedTokens().compactMap { $0["name"] as? String })
        print("interrupt sigint twice: \(atExit.count) token(s) in Turso at Terraform's exit, \(settled.count) once sent creates landed, \(inState.count) in state")
        #expect(inState.isSubset(of: settled), "a token in state that Turso does not have")

        let again = try await workspace.run(["apply", "-auto-approve", "-input=false", "-no-color"])
        #expect(again.exitCode == 0, "the next apply finishes:\n\(again)")
        #expect(!again.stderr.contains("already exists"))
        let abandoned = settled.subtracting(inState)
        if !abandoned.isEmpty {
            #expect(again.stdout.contains("from an interrupted run was replaced"), "\(again)")
        }
        let finalTurso = Set(try await emulator.listedTokens().compactMap { $0["name"] as? String })
        let finalState = Set(try workspace.instances().filter { $0.address.hasPrefix("turso_api_token.") }.compactMap { $0.string("name") })
        print("interrupt sigint twice, next apply: \(finalTurso.count) in Turso, \(finalState.count) in state (\(abandoned.count) abandoned create(s) replaced)")
        #expect(finalTurso.count == Self.tokenCount)
        #expect(finalTurso == finalState)
    }

    /// Waits until the first wave of creates (4) was answered and the emulator
    /// holds a create of the second: the moment to interrupt.
    private func waitUntilSecondWave(_ emulator: EmulatorProcess) async throws {
        try await waitUntil("a create of the second wave under way") {
            let answered = try await emulator.requests().filter { $0.method == "POST" && $0.status == 200 }.count
            guard answered >= 4 else { return false }
            return try await emulator.received() > answered
        }
    }

    /// Polls `condition` (every 50 ms, up to a minute); throws if it never holds.
    private func waitUntil(_ what: String, _ condition: () async throws -> Bool) async throws {
        for _ in 0..<1_200 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw WorkspaceError("timed out waiting for \(what)")
    }
}

/// Terraform started in a process group of its own (through setsid, which
/// keeps the pid), so a test can send Ctrl-C to it and its providers as a
/// terminal would, or a signal to Terraform alone.
final class InterruptibleTerraform {
    let pid: pid_t
    private let output: URL

    init(workspace: TerraformWorkspace, arguments: [String]) throws {
        output = FileManager.default.temporaryDirectory.appendingPathComponent("interruptible-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        pid = try ChildProcess.spawn(
            executable: URL(fileURLWithPath: "/usr/bin/setsid"),
            arguments: [workspace.terraform.executable.path] + arguments,
            directory: workspace.directory,
            environment: workspace.baseEnvironment.merging(workspace.environment) { $1 },
            stdoutPath: output.appendingPathComponent("stdout").path, stderrPath: output.appendingPathComponent("stderr").path
        )
    }

    deinit { try? FileManager.default.removeItem(at: output) }

    /// To the process group: Terraform and the providers it started.
    func signalGroup(_ signal: Int32) { kill(-pid, signal) }

    func signalTerraform(_ signal: Int32) { kill(pid, signal) }

    /// Waits for Terraform to exit (at most five minutes, then kills the group).
    func wait() async throws -> TerraformWorkspace.Result {
        var status: Int32 = 0
        let deadline = ContinuousClock.now + .seconds(300)
        while waitpid(pid, &status, WNOHANG) != pid {
            if ContinuousClock.now > deadline {
                kill(-pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                throw WorkspaceError("Terraform did not exit within five minutes of the interruption")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let signal = status & 0x7f
        return TerraformWorkspace.Result(
            exitCode: signal == 0 ? (status >> 8) & 0xff : 128 + signal,
            stdout: String(decoding: ChildProcess.readFile(output.appendingPathComponent("stdout").path), as: UTF8.self),
            stderr: String(decoding: ChildProcess.readFile(output.appendingPathComponent("stderr").path), as: UTF8.self)
        )
    }
}
