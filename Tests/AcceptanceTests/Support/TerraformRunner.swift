import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs Terraform processes, at most a few at a time: each one launches the
/// provider several times, and the machines running the tests have 2 cores.
actor TerraformRunner {
    static let shared = TerraformRunner(limit: 3)

    private let limit: Int
    private var running = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { self.limit = limit }

    private func acquire() async {
        if running < limit {
            running += 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty {
            running -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }

    func run(
        executable: URL, arguments: [String], directory: URL, environment: [String: String]
    ) async throws -> TerraformWorkspace.Result {
        await acquire()
        defer { release() }
        return try await ChildProcess.run(executable: executable, arguments: arguments, directory: directory, environment: environment)
    }
}

/// Spawns a program with `posix_spawn`, its output going to temporary files,
/// and polls for its exit without blocking a Swift concurrency thread.
///
/// Not Foundation's `Process`: on Linux it leaks its own bookkeeping (and,
/// with pipe readers, a weak reference per handle), which LeakSanitizer
/// reports in the ASan run. Files rather than pipes also mean an unread
/// pipe can never stall the child.
enum ChildProcess {
    static func run(
        executable: URL, arguments: [String], directory: URL, environment: [String: String]
    ) async throws -> TerraformWorkspace.Result {
        let outputDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("child-output-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: outputDirectory) }
        let stdoutPath = outputDirectory.appendingPathComponent("stdout").path
        let stderrPath = outputDirectory.appendingPathComponent("stderr").path
        let pid = try spawn(
            executable: executable, arguments: arguments, directory: directory, environment: environment,
            stdoutPath: stdoutPath, stderrPath: stderrPath
        )

        var status: Int32 = 0
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { break }
            if reaped < 0 && errno != EINTR { throw WorkspaceError("waitpid: \(String(cString: strerror(errno)))") }
            try? await Task.sleep(for: .milliseconds(20))
        }
        let signal = status & 0x7f
        return TerraformWorkspace.Result(
            exitCode: signal == 0 ? (status >> 8) & 0xff : 128 + signal,
            stdout: String(decoding: readFile(stdoutPath), as: UTF8.self),
            stderr: String(decoding: readFile(stderrPath), as: UTF8.self)
        )
    }

    /// Starts a program with stdin from /dev/null and stdout and stderr
    /// written to the given files; returns its pid for the caller to reap.
    static func spawn(
        executable: URL, arguments: [String], directory: URL, environment: [String: String],
        stdoutPath: String, stderrPath: String
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        // The test runner may block signals; the child starts with defaults.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        var allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        // posix_spawn cannot change directory portably (Glibc's module does
        // not export the _np extension); coreutils' `env -C` does it.
        let argv = (["/usr/bin/env", "-C", directory.path, executable.path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/usr/bin/env", &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            throw WorkspaceError("could not start \(executable.path): \(String(cString: strerror(spawned)))")
        }
        return pid
    }

    /// Reads a whole file. Not FileManager.contents(atPath:): for an empty
    /// file it leaks its 4 KiB read buffer (seen under LeakSanitizer).
    static func readFile(_ path: String) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            bytes += chunk[..<count]
        }
        return bytes
    }
}
