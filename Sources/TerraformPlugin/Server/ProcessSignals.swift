#if canImport(Glibc)
import Glibc
#endif

/// Signal dispositions of a plugin process.
enum ProcessSignals {
    /// Ctrl-C reaches the whole process group, but the host stops a plugin
    /// through `StopProvider` and `Shutdown`, so SIGINT is ignored (as go-plugin
    /// does). A host that goes away must not kill us in the middle of a log
    /// write either: with SIGPIPE ignored the write just fails.
    static func ignoreInterrupts() {
        signal(SIGINT, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)
    }

    /// On SIGTERM, remove the socket file at `path`, then die of the signal as
    /// before, so the host still sees how we ended. Call before the socket
    /// exists, so no window is left where it would stay behind.
    static func removeOnTermination(socketPath path: String) {
        // The handler may run on any thread at any time, so it reads only this
        // buffer, written once here before the handler is installed, and calls
        // only async-signal-safe functions.
        let bytes = Array(path.utf8)
        precondition(bytes.count < Int(PATH_MAX))
        for (index, byte) in bytes.enumerated() { terminationSocketPath[index] = CChar(bitPattern: byte) }
        terminationSocketPath[bytes.count] = 0

        var action = sigaction()
        action.__sigaction_handler.sa_handler = removeSocketAndDie
        sigemptyset(&action.sa_mask)
        action.sa_flags = Int32(truncatingIfNeeded: SA_RESETHAND)  // 0x80000000
        sigaction(SIGTERM, &action, nil)
    }
}

/// Written only by `removeOnTermination`, read only by the signal handler.
nonisolated(unsafe) private let terminationSocketPath = UnsafeMutablePointer<CChar>.allocate(capacity: Int(PATH_MAX))

private func removeSocketAndDie(_ signalNumber: Int32) {
    unlink(terminationSocketPath)
    // SA_RESETHAND restored the default action: this ends the process.
    raise(signalNumber)
}
