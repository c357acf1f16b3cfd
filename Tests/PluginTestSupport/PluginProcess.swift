import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plugin binary started the way a plugin host starts it: the given
/// environment (only that, plus the sanitizer options of the test run), stdin
/// from /dev/null, stdout and stderr captured.
public final class PluginProcess: @unchecked Sendable {
    public enum ExitStatus: Equatable, Sendable, CustomStringConvertible {
        case exited(Int32)
        case signaled(Int32)

        public var description: String {
            switch self {
            case .exited(let code): "exit \(code)"
            case .signaled(let signal): "signal \(signal)"
            }
        }
    }

    public let pid: pid_t
    private let stdout: PipeReader
    private let stderr: PipeReader
    private let lock = NSLock()
    private var status: ExitStatus?

    /// Variables passed through from the test run so that a plugin built
    /// with sanitizers reports to the same settings. PATH too (Terraform
    /// passes its whole environment to plugins): without it a sanitizer
    /// build cannot find llvm-symbolizer, and the suppressions in
    /// Tests/lsan.supp, which match symbol names, never apply.
    public static let passedThroughVariables = ["ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS", "TSAN_OPTIONS", "PATH"]

    /// What the plugin gets as its stdout.
    public enum StandardOutput: Sendable {
        /// A pipe the harness reads (`readHandshakeLine`, `standardOutput`).
        case pipe
        /// No file descriptor 1 at all.
        case closed
        /// A pipe whose reading end is already closed: writes fail with EPIPE.
        case brokenPipe
    }

    public init(
        binary: String, environment: [String: String], arguments: [String] = [], standardOutput: StandardOutput = .pipe
    ) throws {
        // Spawned from one long-lived thread: the plugin asks for SIGTERM when
        // the thread that started it ends (PR_SET_PDEATHSIG), and the threads
        // of Swift's pool come and go.
        let spawned = SpawnThread.shared.run {
            Result { try Self.spawn(binary: binary, environment: environment, arguments: arguments, standardOutput: standardOutput) }
        }
        let (pid, out, err) = try spawned.get()
        self.pid = pid
        stdout = PipeReader(fileDescriptor: out, name: "plugin stdout")
        stderr = PipeReader(fileDescriptor: err, name: "plugin stderr")
    }

    /// Starts the process; its pid and the reading ends of its stdout and stderr.
    private static func spawn(
        binary: String, environment: [String: String], arguments: [String], standardOutput: StandardOutput
    ) throws -> (pid_t, Int32, Int32) {
        var environment = environment
        for name in Self.passedThroughVariables where environment[name] == nil {
            if let value = ProcessInfo.processInfo.environment[name] { environment[name] = value }
        }

        // Pipes are made and the child spawned under one lock, and the pipes
        // are close-on-exec, so that a plugin spawned by a parallel test never
        // inherits (and keeps open) another plugin's pipe.
        Self.spawnLock.lock()
        defer { Self.spawnLock.unlock() }
        let out = try Self.pipe()
        let err: (read: Int32, write: Int32)
        do { err = try Self.pipe() } catch {
            close(out.read)
            close(out.write)
            throw error
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        var broken: (read: Int32, write: Int32)?
        switch standardOutput {
        case .pipe:
            posix_spawn_file_actions_adddup2(&actions, out.write, 1)
        case .closed:
            posix_spawn_file_actions_addclose(&actions, 1)
        case .brokenPipe:
            let pipe = try Self.pipe()
            close(pipe.read)
            broken = pipe
            posix_spawn_file_actions_adddup2(&actions, pipe.write, 1)
        }
        defer { broken.map { close($0.write) } }
        posix_spawn_file_actions_adddup2(&actions, err.write, 2)

        // A test runner may block or ignore signals; the plugin must start
        // with the defaults a host gives it.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t(), allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }

        var pid: pid_t = 0
        let result = posix_spawn(&pid, binary, &actions, &attributes, argv, envp)
        close(out.write)
        close(err.write)
        guard result == 0 else {
            close(out.read)
            close(err.read)
            throw PluginTestError("posix_spawn \(binary): \(String(cString: strerror(result)))")
        }
        return (pid, out.read, err.read)
    }

    deinit { terminate() }

    /// Ends the process with SIGKILL if it is still running, and reaps it,
    /// blocking for the short time that takes.
    public func terminate() {
        lock.lock()
        defer { lock.unlock() }
        guard status == nil else { return }
        Glibc.kill(pid, SIGKILL)
        var raw: Int32 = 0
        if waitpid(pid, &raw, 0) == pid { status = .signaled(SIGKILL) }
    }

    /// The first line on stdout, without its newline; nil if none came in time
    /// (or stdout closed first).
    public func readHandshakeLine(timeout: Duration = .seconds(10)) async -> String? {
        let stdout = stdout
        guard let bytes = await onOwnThread({ stdout.waitForLine(timeout: timeout) }) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Everything the plugin wrote on stdout so far.
    public var standardOutput: String { String(decoding: stdout.contents, as: UTF8.self) }
    /// Everything the plugin wrote on stderr so far.
    public var standardError: String { String(decoding: stderr.contents, as: UTF8.self) }

    /// Waits until both streams end (after the process exits), for complete output.
    public func waitForOutputEnd(timeout: Duration = .seconds(5)) async -> Bool {
        let (stdout, stderr) = (stdout, stderr)
        return await onOwnThread { stdout.waitForEnd(timeout: timeout) && stderr.waitForEnd(timeout: timeout) }
    }

    /// Sends `signal`, unless the process has already been reaped (its pid
    /// may belong to another process by now).
    public func send(_ signal: Int32) {
        if exitStatus == nil { Glibc.kill(pid, signal) }
    }

    /// The exit status if the process has ended (reaping it), else nil.
    public var exitStatus: ExitStatus? {
        lock.lock()
        defer { lock.unlock() }
        if status == nil {
            var raw: Int32 = 0
            if waitpid(pid, &raw, WNOHANG) == pid {
                let signal = raw & 0x7f
                status = signal == 0 ? .exited((raw >> 8) & 0xff) : .signaled(signal)
            }
        }
        return status
    }

    /// Polls until the process ends or `timeout` passes.
    public func waitForExit(timeout: Duration) async -> ExitStatus? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let status = exitStatus { return status }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return exitStatus
    }

    /// Ends the process with SIGKILL (if still running) and reaps it.
    public func kill() async -> ExitStatus? {
        if exitStatus == nil { Glibc.kill(pid, SIGKILL) }
        return await waitForExit(timeout: .seconds(10))
    }

    private static let spawnLock = NSLock()

    private static func pipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        guard Glibc.pipe(&fds) == 0 else { throw PluginTestError("pipe: \(String(cString: strerror(errno)))") }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return (fds[0], fds[1])
    }
}

/// Reads a pipe to its end on its own thread, so the writer never blocks on
/// a full pipe, and lets callers wait for a line or for the end.
final class PipeReader: @unchecked Sendable {
    private let condition = NSCondition()
    private var buffer: [UInt8] = []
    private var ended = false

    init(fileDescriptor: Int32, name: String) {
        let thread = Thread { [self] in
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(fileDescriptor, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                condition.lock()
                if count > 0 { buffer.append(contentsOf: chunk[..<count]) } else { ended = true }
                condition.broadcast()
                condition.unlock()
                if count <= 0 { break }
            }
            close(fileDescriptor)
        }
        thread.name = name
        thread.start()
    }

    var contents: [UInt8] {
        condition.lock()
        defer { condition.unlock() }
        return buffer
    }

    func waitForLine(timeout: Duration) -> [UInt8]? {
        let deadline = Date().addingTimeInterval(Self.seconds(timeout))
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) { return Array(buffer[..<newline]) }
            if ended || !condition.wait(until: deadline) { return nil }
        }
    }

    func waitForEnd(timeout: Duration) -> Bool {
        let deadline = Date().addingTimeInterval(Self.seconds(timeout))
        condition.lock()
        defer { condition.unlock() }
        while !ended {
            if !condition.wait(until: deadline) { return ended }
        }
        return true
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}

/// One thread that lives as long as the test process, running what it is
/// given one at a time.
final class SpawnThread: @unchecked Sendable {
    static let shared = SpawnThread()

    private let condition = NSCondition()
    private var work: [() -> Void] = []

    private init() {
        let thread = Thread { [self] in
            while true {
                condition.lock()
                while work.isEmpty { condition.wait() }
                let next = work.removeFirst()
                condition.unlock()
                next()
            }
        }
        thread.name = "plugin spawner"
        thread.start()
    }

    /// Runs `body` on the thread and waits for its result.
    func run<Value>(_ body: @escaping () -> Value) -> Value {
        let done = DispatchSemaphore(value: 0)
        let result = LockedBox<Value?>(nil)
        condition.lock()
        work.append {
            result.value = body()
            done.signal()
        }
        condition.signal()
        condition.unlock()
        done.wait()
        return result.value!
    }
}
