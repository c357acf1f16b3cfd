import Foundation

/// Runs blocking work (a gRPC call, a wait on a pipe) on a thread of its own
/// and awaits its result. Blocking a thread of Swift's cooperative pool
/// instead would starve the tasks that answer calls in an in-process server
/// (the pool has one thread per core), and slow every other test.
public func onOwnThread<Value: Sendable>(_ body: @escaping @Sendable () -> Value) async -> Value {
    await withCheckedContinuation { continuation in
        let thread = Thread { continuation.resume(returning: body()) }
        thread.stackSize = 1 << 20
        thread.start()
    }
}
