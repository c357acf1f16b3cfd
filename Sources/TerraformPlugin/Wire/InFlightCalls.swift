import Synchronization

/// The provider calls being served, so that StopProvider can cancel them.
///
/// Each call runs in its own task, registered here while it runs: cancelling
/// it reaches the provider's code through `Task.isCancelled` and cancellation
/// handlers, wherever that code is suspended. Each call's
/// `CallCancellation` says which of the two did it: StopProvider
/// (`cancelAll`) or the caller's own task being cancelled (the client gave
/// up or the server is shutting down).
final class InFlightCalls: Sendable {
    private struct State {
        var nextID: UInt64 = 0
        var cancellers: [UInt64: @Sendable () -> Void] = [:]
    }

    private let state = Mutex(State())

    /// Runs `operation` as a cancellable in-flight call and returns its result.
    /// Cancelling the calling task cancels the call too.
    func run<Result: Sendable>(_ operation: @escaping @Sendable () async -> Result) async -> Result {
        // The task is created and registered under one lock, so a concurrent
        // `cancelAll` either runs before it exists or sees it.
        let (id, task, cancellation) = state.withLock { state in
            let cancellation = CallCancellation()
            let task = Task { await cancellation.bind(operation) }
            let id = state.nextID
            state.nextID += 1
            state.cancellers[id] = {
                cancellation.record(.stopProvider)
                task.cancel()
            }
            return (id, task, cancellation)
        }
        defer { _ = state.withLock { $0.cancellers.removeValue(forKey: id) } }
        return await withTaskCancellationHandler {
            await task.value
        } onCancel: {
            cancellation.record(.callerGone)
            task.cancel()
        }
    }

    /// Cancels every call in flight; returns how many there were.
    @discardableResult
    func cancelAll() -> Int {
        let cancellers = state.withLock { Array($0.cancellers.values) }
        // Outside the lock: cancellation runs the provider's handlers, which
        // may start or finish calls of their own.
        for cancel in cancellers { cancel() }
        return cancellers.count
    }

    var count: Int { state.withLock { $0.cancellers.count } }
}
