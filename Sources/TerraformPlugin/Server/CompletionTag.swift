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
        /// One message of a server-streaming answer went out (or could not).
        case sent
        /// The status went out: nothing more will be sent on the call.
        case finished
        /// The call is over for the client (`RECV_CLOSE_ON_SERVER`): after our
        /// status, or earlier when the client cancelled, its deadline passed
        /// or the connection went away.
        case closed
        /// `grpc_server_shutdown_and_notify` completed.
        case serverShutdown
    }

    private static let stepBits = 3

    static let serverShutdown = CompletionTag(callID: 0, step: .serverShutdown)

    let callID: UInt64
    let step: Step

    init(callID: UInt64, step: Step) {
        self.callID = callID
        self.step = step
    }

    init(_ pointer: UnsafeMutableRawPointer?) {
        let bits = UInt(bitPattern: pointer)
        callID = UInt64(bits >> Self.stepBits)
        // Only tags made by `pointer` come back from gRPC.
        step = Step(rawValue: bits & (1 << Self.stepBits - 1))!
    }

    /// Never null: call ids start at 1, and the shutdown tag has step bits.
    var pointer: UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(bitPattern: UInt(callID) << Self.stepBits | step.rawValue)!
    }
}
