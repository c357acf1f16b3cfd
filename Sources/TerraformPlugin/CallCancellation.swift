import Synchronization

/// Why the provider call running in this task was cancelled, for code that
/// must decide whether to finish work it has already sent elsewhere.
///
/// Two different things cancel a call's task. Terraform's StopProvider:
/// Terraform still waits for the call's answer, so a request already sent
/// may be worth awaiting briefly, to report what it did. The client giving
/// up (it cancelled, its deadline passed, it went away, or the server is
/// shutting down): nobody can read the answer, so nothing more should be
/// sent or awaited.
///
/// Read `current` before suspending (a cancellation handler runs in the
/// canceller's context, where task-locals are not the call's), then look at
/// `reason` when cancelled.
public final class CallCancellation: Sendable {
    public enum Reason: Sendable, Equatable {
        /// Terraform's StopProvider: the call's answer is still awaited.
        case stopProvider
        /// The client cancelled or went away, or its deadline passed: nobody
        /// reads the answer.
        case callerGone
    }

    /// The cancellation of the provider call this task serves; nil outside
    /// one (a direct caller of provider code decides for itself).
    public static var current: CallCancellation? { task }

    @TaskLocal static var task: CallCancellation?

    private let recorded = Mutex<Reason?>(nil)

    package init() {}

    /// Why the call was cancelled; nil while it is not. The first reason
    /// given is kept.
    public var reason: Reason? { recorded.withLock { $0 } }

    /// Records `reason` unless one is recorded already. Call before
    /// cancelling the task, so its cancellation handlers see it.
    package func record(_ reason: Reason) {
        recorded.withLock { if $0 == nil { $0 = reason } }
    }

    /// Runs `operation` with `self` as the current call's cancellation.
    package func bind<Result>(_ operation: () async throws -> Result) async rethrows -> Result {
        try await Self.$task.withValue(self, operation: operation)
    }
}
