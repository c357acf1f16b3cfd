import CGRPCCore
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
        ignoreBrokenPipes()
    }

    static func ignoreBrokenPipes() {
        signal(SIGPIPE, SIG_IGN)
    }

    /// Signals whose default action ends the process and that a plugin may
    /// be sent by its host, a terminal, a supervisor or a resource limit.
    /// The crash signals (SIGSEGV, SIGILL, SIGABRT, ...) are left to the
    /// runtime and sanitizers that report them; SIGINT and SIGPIPE are ignored.
    static var terminating: [Int32] {
        [SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ, SIGIO, SIGPWR, SIGSTKFLT]
            + Array(cgrpc_sigrtmin()...cgrpc_sigrtmax())
    }

    /// On any `terminating` signal, remove the socket file at `path`, then
    /// die of the signal as before, so the host still sees how we ended. Call
    /// before the socket exists, so no window is left where it would stay
    /// behind.
    /// `interruptsToo`: SIGINT as well (debug mode, where Ctrl-C is how a
    /// person stops the plugin).
    static func removeOnTermination(socketPath path: String, interruptsToo: Bool = false) {
        // The handler may run on any thread at any time, so it reads only this
        // buffer, written once here before the handler is installed, and calls
        // only async-signal-safe functions.
        let bytes = Array(path.utf8)
        precondition(bytes.count < Int(PATH_MAX), "socket paths are checked against sun_path first")
        for (index, byte) in bytes.enumerated() { terminationSocketPath[index] = CChar(bitPattern: byte) }
        terminationSocketPath[bytes.count] = 0

        var action = sigaction()
        action.__sigaction_handler.sa_handler = removeSocketAndDie
        // The other terminating signals wait while the handler runs: one
        // removal, then the first signal's default action.
        sigfillset(&action.sa_mask)
        action.sa_flags = Int32(truncatingIfNeeded: SA_RESETHAND)  // 0x80000000
        for signalNumber in terminating + (interruptsToo ? [SIGINT] : []) { sigaction(signalNumber, &action, nil) }
    }

    /// Asks the kernel to send SIGTERM (which removes the socket, above) when
    /// the process that launched us ends: a plugin whose host was killed has
    /// nobody to serve, and go-plugin hosts never reap an orphan.
    ///
    /// The signal comes when the parent *thread* ends. Go hosts (Terraform,
    /// OpenTofu) start plugins from threads that live as long as the host.
    static func endWithParent() {
        let parent = getppid()
        _ = cgrpc_set_parent_death_signal(SIGTERM)
        // The parent may have died before the request took effect.
        if getppid() != parent { raise(SIGTERM) }
    }
}

/// Written only by `removeOnTermination`, read only by the signal handler.
nonisolated(unsafe) private let terminationSocketPath = UnsafeMutablePointer<CChar>.allocate(capacity: Int(PATH_MAX))

private func removeSocketAndDie(_ signalNumber: Int32) {
    unlink(terminationSocketPath)
    // SA_RESETHAND restored the default action: this ends the process once
    // the handler returns and the signal is unblocked.
    raise(signalNumber)
}
