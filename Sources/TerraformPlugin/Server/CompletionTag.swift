/// What a completion-queue event is about, carried in the event's tag as a
/// plain integer: the call's id and the step that completed. No pointer to a
/// Swift object ever goes through gRPC, so there is nothing to retain or
/// release across the C boundary.
struct CompletionTag: Equatable {
    enum Step: UInt {
        /// `grpc_server_request_call` produced a call (or failed at shutdown).
        case requested
        /// The request message arrived (or the call ended first).
        case received
        /// The response and status went out and the call is closed.
        case finished
        /// `grpc_server_shutdown_and_notify` completed.
        case serverShutdown
    }

    static let serverShutdown = CompletionTag(callID: 0, step: .serverShutdown)

    let callID: UInt64
    let step: Step

    init(callID: UInt64, step: Step) {
        self.callID = callID
        self.step = step
    }

    init(_ pointer: UnsafeMutableRawPointer?) {
        let bits = UInt(bitPattern: pointer)
        callID = UInt64(bits >> 2)
        step = Step(rawValue: bits & 3)!
    }

    /// Never null: call ids start at 1, and the shutdown tag has step bits.
    var pointer: UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(bitPattern: UInt(callID) << 2 | step.rawValue)!
    }
}
