import CGRPCCore

/// The gRPC server of a plugin: generic (unregistered) calls on one Unix
/// socket, driven by one completion queue that only the thread calling `run`
/// reads. Unary calls are read here, answered by the handler in their own
/// Swift tasks (so a slow call never holds up the others), and written back
/// in one batch. Not `Sendable`: it lives on the thread that runs it.
package final class PluginGRPCServer {
    package struct Options: Sendable {
        package var socketPath: String
        package var handlerServices: [String]
        package var serverStreamingMethods: Set<String>
        package var maxMessageBytes: Int
        package var shutdownGracePeriod: Duration
        /// How many `grpc_server_request_call`s are kept waiting; each is
        /// re-armed as soon as it yields a call, so this bounds only how many
        /// calls can arrive between two turns of the loop, not concurrency.
        package var pendingCallRequests = 32

        package init(socketPath: String, configuration: PluginServerConfiguration = .init()) {
            self.socketPath = socketPath
            handlerServices = configuration.handlerServices
            serverStreamingMethods = configuration.serverStreamingMethods
            maxMessageBytes = configuration.maxMessageBytes
            shutdownGracePeriod = configuration.shutdownGracePeriod
        }
    }

    /// How `run` ended.
    package enum Outcome: Equatable, Sendable {
        /// Every call closed and every gRPC object of the server destroyed.
        case drained
        /// The grace period ran out with calls still in the handler; the
        /// server was left as it was, for the process to exit over it.
        case abandoned(callsInFlight: Int)
    }

    private let server: OpaquePointer
    private let queue: OpaquePointer
    /// Set by `run`: no call is requested from gRPC before then.
    private var handler: (any RPCHandler)?
    private let options: Options

    private var calls: [UInt64: ServerCall] = [:]
    private var handlerTasks: [UInt64: Task<Void, Never>] = [:]
    private var lastCallID: UInt64 = 0
    private var shutdownCallIDs: Set<UInt64> = []
    private var isShuttingDown = false
    private var serverShutdownCompleted = false

    /// Binds `unix:<socketPath>` and starts listening. The caller keeps a
    /// `GRPCLibrary` alive for the server's whole life. Connections are
    /// accepted (and TLS handshakes made) from here on; calls wait in gRPC
    /// until `run` asks for them.
    package init(options: Options, credentials: borrowing ServerCredentials) throws(PluginServerError) {
        self.options = options
        let server = Self.channelArguments(options).withUnsafeArguments { grpc_server_create($0, nil)! }
        let queue = grpc_completion_queue_create_for_next(nil)!
        grpc_server_register_completion_queue(server, queue, nil)
        guard grpc_server_add_http2_port(server, "unix:" + options.socketPath, credentials.raw) != 0 else {
            Self.destroy(server: server, queue: queue, started: false)
            throw .listen(options.socketPath)
        }
        grpc_server_start(server)
        self.server = server
        self.queue = queue
    }

    /// What the gRPC core is told, mostly to bound what a client can make it
    /// hold (Debian 12's gRPC 1.51; a hostile or broken host is the threat,
    /// since it needs the client certificate).
    static func channelArguments(_ options: Options) -> ChannelArguments {
        var arguments = ChannelArguments()
        let limit = Int32(clamping: options.maxMessageBytes)
        arguments.integers = [
            (GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH, limit),
            (GRPC_ARG_MAX_SEND_MESSAGE_LENGTH, limit),
            // gRPC 1.51 inflates a compressed message in full before it
            // checks the size limit (4 GiB of zeros was inflated). With
            // per-message decompression off, a compressed message reaches
            // us still compressed and is refused unread (`ReceivedRequest`);
            // the enabled set (identity only) makes gRPC refuse gzip and
            // deflate calls itself and never offer them.
            (GRPC_ARG_ENABLE_PER_MESSAGE_DECOMPRESSION, 0),
            (GRPC_ARG_ENABLE_PER_MESSAGE_COMPRESSION, 0),
            (GRPC_COMPRESSION_CHANNEL_ENABLED_ALGORITHMS_BITSET, 1),
            // Streams open at once on one connection. Terraform runs at most
            // `-parallelism` (10 by default) calls at a time; more wait in
            // the client's queue instead of piling up here.
            (GRPC_ARG_MAX_CONCURRENT_STREAMS, 256),
            // Request headers: Terraform sends a few hundred bytes.
            (GRPC_ARG_MAX_METADATA_SIZE, 16 << 10),
        ]
        return arguments
    }

    /// Serves on the calling thread until `plugin.GRPCController/Shutdown`
    /// has been answered and the server has drained (or the grace period ran
    /// out).
    ///
    /// The handler is an existential, as in `PluginServer.serve`: no generic
    /// specialisation of this path for the optimizer to get wrong (see there).
    package func run(handler: any RPCHandler) -> Outcome {
        self.handler = handler
        for _ in 0..<max(1, options.pendingCallRequests) { requestCall() }
        var drainDeadline: gpr_timespec?
        var cancelledOpenCalls = false
        while !(serverShutdownCompleted && calls.isEmpty) {
            let event = grpc_completion_queue_next(queue, drainDeadline ?? gpr_inf_future(GPR_CLOCK_MONOTONIC), nil)
            switch event.type {
            case GRPC_OP_COMPLETE:
                complete(CompletionTag(event.tag), success: event.success != 0)
            case GRPC_QUEUE_TIMEOUT where !cancelledOpenCalls:
                // The grace period is over: end whatever is still open, and
                // give the cancellations a moment to come back.
                PluginLog.debug("plugin server: grace period over, cancelling open calls", ["calls": String(calls.count)])
                grpc_server_cancel_all_calls(server)
                cancelledOpenCalls = true
                drainDeadline = GRPCDeadline.after(.milliseconds(100))
            case GRPC_QUEUE_TIMEOUT:
                PluginLog.debug("plugin server: exiting with calls still in the handler", ["calls": String(calls.count)])
                return .abandoned(callsInFlight: calls.count)
            default:
                preconditionFailure("the completion queue shut down while the server was running")
            }
            if isShuttingDown, drainDeadline == nil {
                drainDeadline = GRPCDeadline.after(options.shutdownGracePeriod)
            }
        }
        Self.destroy(server: server, queue: queue, started: true)
        PluginLog.debug("plugin server: stopped")
        return .drained
    }

    private func complete(_ tag: CompletionTag, success: Bool) {
        if tag == .serverShutdown {
            serverShutdownCompleted = true
            return
        }
        guard let call = calls[tag.callID] else { preconditionFailure("completion for unknown call \(tag.callID)") }
        switch tag.step {
        case .requested:
            // A request fails only when the server shuts down: no call was made.
            guard success else { return retire(call) }
            if !isShuttingDown { requestCall() }
            start(call)
        case .received:
            respond(to: call, request: call.takeRequest())
        case .sent:
            call.continueStreaming(previousSent: success)
        case .finished:
            call.statusSent = true
            if shutdownCallIDs.remove(tag.callID) != nil { beginShutdown() }
            if call.isOver { retire(call) }
        case .closed:
            call.closeReceived = true
            if call.wasCancelled, let task = handlerTasks[call.id] {
                // The client cancelled, its deadline passed or it went away:
                // nobody will read the answer, so the work stops.
                PluginLog.debug("plugin server: call cancelled by the client", ["method": call.method])
                task.cancel()
            }
            if call.isOver { retire(call) }
        case .serverShutdown:
            preconditionFailure("server shutdown tag with a call id")
        }
    }

    private func requestCall() {
        lastCallID += 1
        let call = ServerCall(id: lastCallID)
        calls[call.id] = call
        call.request(from: server, queue: queue)
    }

    private func route(of call: ServerCall) -> CallRoute {
        CallRoute(method: call.method, handlerServices: options.handlerServices, serverStreamingMethods: options.serverStreamingMethods)
    }

    private func start(_ call: ServerCall) {
        PluginLog.trace("plugin server: call", ["method": call.method])
        call.watchForClose()
        switch route(of: call) {
        case .shutdown, .healthCheck, .handler, .serverStreaming:
            call.receiveRequest()
        case .unimplemented:
            call.finish(.failure(.unimplemented, "unknown method \(call.method)"))
        }
    }

    private func respond(to call: ServerCall, request received: ReceivedRequest) {
        let request: [UInt8]
        switch received {
        case .message(let bytes): request = bytes
        case .missing:
            // The client went away or half-closed without a message; the
            // call still has to be closed to be released.
            return call.finish(.failure(.cancelled, "no request message"))
        case .compressed:
            return call.finish(.failure(.unimplemented, "compressed messages are not accepted"))
        }
        let method = call.method
        // `run` sets the handler before it asks gRPC for the first call.
        guard let handler else { return call.finish(.failure(.unavailable, "the server is not serving yet")) }
        switch route(of: call) {
        case .shutdown:
            shutdownCallIDs.insert(call.id)
            call.finish(.success([]))
        case .healthCheck:
            call.finish(HealthCheck.answer(request))
        case .handler:
            track(call, Task.detached {
                // Counted in the task, not on this thread: a large request
                // takes a moment to scan, and other calls must not wait.
                if let refusal = RequestFieldBudget.refusal(for: request, method: method) {
                    return call.finish(.failure(.resourceExhausted, refusal))
                }
                let result = await handler.handle(method: method, request: request)
                call.finish(result)
            })
        case .serverStreaming:
            track(call, Task.detached {
                if let refusal = RequestFieldBudget.refusal(for: request, method: method) {
                    return call.finishStreaming(.failure(.resourceExhausted, refusal))
                }
                let result = await handler.handleServerStream(method: method, request: request)
                call.finishStreaming(result)
            })
        case .unimplemented:
            preconditionFailure("unimplemented methods are answered before reading")
        }
    }

    private func track(_ call: ServerCall, _ task: Task<Void, Never>) {
        // A request that arrived as shutdown began, or whose client has
        // already gone: nobody waits for it.
        if isShuttingDown || call.closeReceived { task.cancel() }
        handlerTasks[call.id] = task
    }

    private func retire(_ call: ServerCall) {
        if PluginLog.isEnabled(.trace) {
            PluginLog.trace("plugin server: call closed", ["method": call.method, "cancelled": String(call.wasCancelled)])
        }
        calls[call.id] = nil
        handlerTasks[call.id] = nil
        call.destroy()
    }

    /// After the Shutdown reply was handed to gRPC: no new calls, and the
    /// handlers still working are told that nobody waits for them. The
    /// shutdown is graceful (GOAWAY, open streams finish) so that the reply
    /// still reaches the host: cancelling all calls at once can close the
    /// connection before it is written ("Broken pipe" at the client). Calls
    /// still open when the grace period ends are cancelled by `run`.
    private func beginShutdown() {
        guard !isShuttingDown else { return }
        isShuttingDown = true
        PluginLog.debug("plugin server: shutting down", ["calls_in_handler": String(handlerTasks.count)])
        grpc_server_shutdown_and_notify(server, queue, CompletionTag.serverShutdown.pointer)
        for task in handlerTasks.values { task.cancel() }
    }

    /// Destroys a server and its queue once nothing is pending on either.
    private static func destroy(server: OpaquePointer, queue: OpaquePointer, started: Bool) {
        if !started {
            grpc_server_shutdown_and_notify(server, queue, CompletionTag.serverShutdown.pointer)
            _ = grpc_completion_queue_next(queue, gpr_inf_future(GPR_CLOCK_MONOTONIC), nil)
        }
        grpc_server_destroy(server)
        grpc_completion_queue_shutdown(queue)
        while grpc_completion_queue_next(queue, gpr_inf_future(GPR_CLOCK_MONOTONIC), nil).type != GRPC_QUEUE_SHUTDOWN {}
        grpc_completion_queue_destroy(queue)
    }

}
