import CGRPCCore
import Synchronization

/// One incoming call and every gRPC object it holds, each destroyed exactly
/// once by `destroy()`.
///
/// Ownership passes between threads in phases, never shared: the
/// completion-queue thread owns the call until it hands the request to a
/// handler task; that task owns it until `finish` has started the final
/// batch (and touches nothing after); from the `finished` completion on, the
/// completion-queue thread owns it again and destroys it. gRPC's completion
/// queue orders each hand-over, hence `@unchecked Sendable`.
final class ServerCall: @unchecked Sendable {
    let id: UInt64
    private let storage: UnsafeMutablePointer<cgrpc_server_call>
    private var isDestroyed = false
    /// Orders a handler task's writes before the completion-queue thread's
    /// reads. gRPC's completion queue already does, but inside locks that
    /// ThreadSanitizer cannot see; this makes the hand-over explicit.
    private let handOver = Atomic<Bool>(false)

    init(id: UInt64) {
        self.id = id
        storage = .allocate(capacity: 1)
        storage.initialize(to: cgrpc_server_call())
        grpc_call_details_init(field(\.details))
        grpc_metadata_array_init(field(\.request_metadata))
    }

    deinit { assert(isDestroyed, "call \(id) was never destroyed") }

    /// Asks the server to fill this call in with the next incoming one.
    func request(from server: OpaquePointer, queue: OpaquePointer) {
        let error = grpc_server_request_call(
            server, field(\.call), field(\.details), field(\.request_metadata), queue, queue,
            CompletionTag(callID: id, step: .requested).pointer
        )
        precondition(error == GRPC_CALL_OK, "grpc_server_request_call failed: \(error)")
    }

    /// The full method path, e.g. `/tfplugin6.Provider/GetProviderSchema`.
    var method: String { ByteBuffers.string(of: field(\.details.method)) }

    /// Whether the call ended for a reason other than our status (client
    /// cancel, deadline, disconnect, server shutdown). Valid once `closed`.
    var wasCancelled: Bool { storage.pointee.cancelled != 0 }

    /// Completion-queue thread only: which of the call's last two batches
    /// have completed. The call is released once both have.
    var statusSent = false
    var closeReceived = false
    var isOver: Bool { statusSent && closeReceived }

    /// The rest of a server-streaming answer, sent one message per batch
    /// (gRPC allows one send in flight). Written by the handler task before
    /// its first batch, then read only on the completion-queue thread.
    private var streamedMessages: [[UInt8]] = []
    private var nextStreamedMessage = 0

    /// Starts waiting for the end of the call; completes as `closed`, as soon
    /// as the client cancels or its deadline passes, so the handler can be
    /// told. Started once, when the call arrives.
    func watchForClose() {
        var close = grpc_op()
        close.op = GRPC_OP_RECV_CLOSE_ON_SERVER
        close.data.recv_close_on_server.cancelled = field(\.cancelled)
        start([close], step: .closed)
    }

    /// Starts reading the request message; completes as `received`.
    func receiveRequest() {
        var operation = grpc_op()
        operation.op = GRPC_OP_RECV_MESSAGE
        operation.data.recv_message.recv_message = field(\.request)
        start([operation], step: .received)
    }

    /// The request message, once `received` completed. Frees gRPC's buffer.
    func takeRequest() -> ReceivedRequest {
        guard let buffer = storage.pointee.request else { return .missing }
        storage.pointee.request = nil
        defer { grpc_byte_buffer_destroy(buffer) }
        // The server does not inflate messages itself (see
        // `PluginGRPCServer.init`), so a compressed one arrives marked.
        guard buffer.pointee.data.raw.compression == GRPC_COMPRESS_NONE else { return .compressed }
        return ByteBuffers.bytes(of: buffer).map { .message($0) } ?? .missing
    }

    /// Sends the answer to a unary call, in one batch; completes as
    /// `finished`. The caller must not use the call afterwards: by the time
    /// this returns, the completion-queue thread may already have destroyed it.
    func finish(_ result: RPCResult) {
        switch result {
        case .success(let bytes): sendStatus(.ok, details: "", initialMetadata: true, message: bytes)
        case .failure(let code, let text): sendStatus(code, details: text, initialMetadata: true, message: nil)
        }
    }

    /// Sends a server-streaming answer: each message in its own batch
    /// (completing as `sent`, when `continueStreaming` sends the next), then
    /// the status (`finished`). Same hand-over rule as `finish`.
    func finishStreaming(_ result: RPCStreamResult) {
        switch result {
        case .failure(let code, let text):
            sendStatus(code, details: text, initialMetadata: true, message: nil)
        case .messages(let messages):
            guard let first = messages.first else {
                return sendStatus(.ok, details: "", initialMetadata: true, message: nil)
            }
            streamedMessages = messages
            nextStreamedMessage = 1
            var initialMetadata = grpc_op()
            initialMetadata.op = GRPC_OP_SEND_INITIAL_METADATA
            start([initialMetadata, makeSendMessage(first)], step: .sent)
        }
    }

    /// On the completion-queue thread, after a `sent` completion: the next
    /// message, or the OK status after the last. A failed send means the
    /// client is gone: the rest is dropped and the status (which fails too)
    /// closes our side.
    func continueStreaming(previousSent: Bool) {
        _ = handOver.load(ordering: .acquiring)
        if let buffer = storage.pointee.response {
            grpc_byte_buffer_destroy(buffer)
            storage.pointee.response = nil
        }
        guard previousSent, nextStreamedMessage < streamedMessages.count else {
            streamedMessages = []
            return sendStatus(previousSent ? .ok : .cancelled, details: "", initialMetadata: false, message: nil)
        }
        let message = streamedMessages[nextStreamedMessage]
        streamedMessages[nextStreamedMessage] = []
        nextStreamedMessage += 1
        start([makeSendMessage(message)], step: .sent)
    }

    private func makeSendMessage(_ bytes: [UInt8]) -> grpc_op {
        storage.pointee.response = ByteBuffers.make(bytes)
        var message = grpc_op()
        message.op = GRPC_OP_SEND_MESSAGE
        message.data.send_message.send_message = storage.pointee.response
        return message
    }

    private func sendStatus(_ status: RPCStatusCode, details: String, initialMetadata: Bool, message: [UInt8]?) {
        var operations: [grpc_op] = []
        operations.reserveCapacity(3)
        if initialMetadata {
            var metadata = grpc_op()
            metadata.op = GRPC_OP_SEND_INITIAL_METADATA
            operations.append(metadata)
        }
        if let message { operations.append(makeSendMessage(message)) }
        var hasDetails = false
        if !details.isEmpty {
            storage.pointee.status_details = grpc_slice_from_copied_string(details)
            hasDetails = true
        }
        var sendStatus = grpc_op()
        sendStatus.op = GRPC_OP_SEND_STATUS_FROM_SERVER
        sendStatus.data.send_status_from_server.status = grpc_status_code(rawValue: numericCast(status.rawValue))
        sendStatus.data.send_status_from_server.status_details = hasDetails ? field(\.status_details) : nil
        operations.append(sendStatus)
        start(operations, step: .finished)
    }

    /// Releases everything; called once, on the completion-queue thread,
    /// after the last batch completed (or when no call was ever delivered).
    func destroy() {
        precondition(!isDestroyed, "call \(id) destroyed twice")
        isDestroyed = true
        _ = handOver.load(ordering: .acquiring)
        if let call = storage.pointee.call { grpc_call_unref(call) }
        grpc_call_details_destroy(field(\.details))
        grpc_metadata_array_destroy(field(\.request_metadata))
        if let buffer = storage.pointee.request { grpc_byte_buffer_destroy(buffer) }
        if let buffer = storage.pointee.response { grpc_byte_buffer_destroy(buffer) }
        grpc_slice_unref(storage.pointee.status_details)
        storage.deinitialize(count: 1)
        storage.deallocate()
    }

    private func start(_ operations: [grpc_op], step: CompletionTag.Step) {
        handOver.store(true, ordering: .releasing)
        let tag = CompletionTag(callID: id, step: step).pointer
        let error = operations.withUnsafeBufferPointer { buffer in
            grpc_call_start_batch(storage.pointee.call, buffer.baseAddress, buffer.count, tag, nil)
        }
        // Only misuse (a second batch of the same kind, a closed call) makes
        // this fail, and then no completion would ever come: stop loudly.
        precondition(error == GRPC_CALL_OK, "grpc_call_start_batch failed: \(error)")
    }

    /// The address of one field of the storage, stable for the call's life;
    /// gRPC writes results there.
    private func field<Value>(_ keyPath: WritableKeyPath<cgrpc_server_call, Value>) -> UnsafeMutablePointer<Value> {
        let offset = MemoryLayout<cgrpc_server_call>.offset(of: keyPath)!
        return (UnsafeMutableRawPointer(storage) + offset).assumingMemoryBound(to: Value.self)
    }
}

/// What a call's request turned out to be.
enum ReceivedRequest: Equatable {
    case message([UInt8])
    /// The call ended (or the client half-closed) without a message.
    case missing
    /// A compressed message, refused unread: inflating it could take any
    /// amount of memory (a few hundred kilobytes of gzip inflate to
    /// gigabytes), and plugin hosts never compress.
    case compressed
}
