import Foundation

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

/// Spawns a program, collects its output, and waits without blocking a
/// Swift concurrency thread.
enum ChildProcess {
    static func run(
        executable: URL, arguments: [String], directory: URL, environment: [String: String]
    ) async throws -> TerraformWorkspace.Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = environment
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice

        let collected = OutputCollector()
        stdout.fileHandleForReading.readabilityHandler = { handle in collected.append(out: handle.availableData) }
        stderr.fileHandleForReading.readabilityHandler = { handle in collected.append(err: handle.availableData) }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        stdout.fileHandleForReading.readabilityHandler = nil
        stderr.fileHandleForReading.readabilityHandler = nil
        collected.append(out: stdout.fileHandleForReading.readDataToEndOfFile())
        collected.append(err: stderr.fileHandleForReading.readDataToEndOfFile())
        let (out, err) = collected.snapshot()
        return TerraformWorkspace.Result(exitCode: process.terminationStatus, stdout: out, stderr: err)
    }
}

final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var out = Data()
    private var err = Data()

    func append(out data: Data) { lock.withLock { out.append(data) } }
    func append(err data: Data) { lock.withLock { err.append(data) } }
    func snapshot() -> (String, String) {
        lock.withLock { (String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self)) }
    }
}
