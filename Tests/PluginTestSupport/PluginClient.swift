import CGRPCCore
import Foundation
import TerraformPlugin

/// A gRPC status code (all of gRPC's, not only those a plugin answers with).
public struct StatusCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let ok = StatusCode(rawValue: 0)
    public static let cancelled = StatusCode(rawValue: 1)
    public static let unknown = StatusCode(rawValue: 2)
    public static let invalidArgument = StatusCode(rawValue: 3)
    public static let deadlineExceeded = StatusCode(rawValue: 4)
    public static let notFound = StatusCode(rawValue: 5)
    public static let resourceExhausted = StatusCode(rawValue: 8)
    public static let failedPrecondition = StatusCode(rawValue: 9)
    public static let unimplemented = StatusCode(rawValue: 12)
    public static let `internal` = StatusCode(rawValue: 13)
    public static let unavailable = StatusCode(rawValue: 14)

    public var description: String {
        let names: [Int32: String] = [
            0: "OK", 1: "CANCELLED", 2: "UNKNOWN", 3: "INVALID_ARGUMENT", 4: "DEADLINE_EXCEEDED", 5: "NOT_FOUND",
            6: "ALREADY_EXISTS", 7: "PERMISSION_DENIED", 8: "RESOURCE_EXHAUSTED", 9: "FAILED_PRECONDITION",
            10: "ABORTED", 11: "OUT_OF_RANGE", 12: "UNIMPLEMENTED", 13: "INTERNAL", 14: "UNAVAILABLE",
            15: "DATA_LOSS", 16: "UNAUTHENTICATED",
        ]
        return names[rawValue] ?? "STATUS(\(rawValue))"
    }
}

/// What a call came back with.
public struct CallResult: Sendable, CustomStringConvertible {
    public var status: StatusCode
    public var message: String
    /// The (first) response message; nil when the server sent none.
    public var response: [UInt8]?

    public var description: String {
        "\(status) \"\(message)\" " + (response.map { "\($0.count) response bytes" } ?? "no response")
    }
}

/// What a server-streaming call came back with.
public struct StreamingCallResult: Sendable, CustomStringConvertible {
    public var status: StatusCode
    public var message: String
    public var responses: [[UInt8]]

    public var description: String { "\(status) \"\(message)\" \(responses.count) messages" }
}

/// TLS settings for a client, as Terraform dials a plugin under AutoMTLS:
/// trust only the server certificate from the handshake, present our own.
public struct ClientTLS: Sendable {
    public var serverCertificatePEM: String
    public var identity: ClientIdentity

    public init(serverCertificatePEM: String, identity: ClientIdentity) {
        self.serverCertificatePEM = serverCertificatePEM
        self.identity = identity
    }
}

/// A gRPC C core client on a plugin's Unix socket. Safe to use from many
/// threads at once: the channel is shared, each call has its own queue.
public final class PluginClient: @unchecked Sendable {
    private let library = GRPCLibrary()
    private let channel: OpaquePointer

    /// `tls` nil: plaintext. The name checked in the server certificate is
    /// `localhost`, as go-plugin does.
    public init(socketPath: String, tls: ClientTLS?) {
        var arguments = ChannelArguments()
        let limit = Int32(256 << 20)
        arguments.integers = [(GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH, limit), (GRPC_ARG_MAX_SEND_MESSAGE_LENGTH, limit)]
        arguments.strings = [(GRPC_SSL_TARGET_NAME_OVERRIDE_ARG, "localhost")]
        let credentials: OpaquePointer
        if let tls {
            credentials = tls.identity.privateKeyPEM.withCString { key in
                tls.identity.certificatePEM.withCString { chain in
                    var pair = grpc_ssl_pem_key_cert_pair(private_key: key, cert_chain: chain)
                    return grpc_ssl_credentials_create(tls.serverCertificatePEM, &pair, nil, nil)!
                }
            }
        } else {
            credentials = grpc_insecure_credentials_create()!
        }
        defer { grpc_channel_credentials_release(credentials) }
        channel = arguments.withUnsafeArguments { grpc_channel_create("unix:" + socketPath, credentials, $0)! }
    }

    deinit { grpc_channel_destroy(channel) }

    /// A unary call: sends `request` and half-closes, then waits for the
    /// answer (at most `timeout`; the deadline travels with the call). The
    /// wait happens on a thread of its own, so many calls can be in flight.
    public func call(_ method: String, request: [UInt8] = [], timeout: Duration = .seconds(10)) async -> CallResult {
        await onOwnThread { self.blockingCall(method, request: request, timeout: timeout) }
    }

    /// `call`, blocking the calling thread (never use it on the cooperative pool).
    public func blockingCall(_ method: String, request: [UInt8] = [], timeout: Duration = .seconds(10)) -> CallResult {
        perform(method, request: request, halfClose: true, timeout: timeout)
    }

    /// A unary call that the client cancels (as Terraform cancels a call's
    /// context) as soon as `cancelWhen` holds, e.g. once the handler has it:
    /// a rendezvous, not a deadline.
    public func call(
        _ method: String, request: [UInt8] = [], timeout: Duration = .seconds(120), cancelWhen: @escaping @Sendable () -> Bool
    ) async -> CallResult {
        await onOwnThread { self.perform(method, request: request, halfClose: true, timeout: timeout, cancelWhen: cancelWhen) }
    }

    /// Opens a call and sends nothing but headers (no message, no half-close),
    /// as a streaming client that waits for the server would; returns when
    /// the server ends the call or the deadline passes.
    public func openStreamAndWait(_ method: String, timeout: Duration = .seconds(10)) async -> CallResult {
        await onOwnThread { self.perform(method, request: nil, halfClose: false, timeout: timeout) }
    }

    private func perform(
        _ method: String, request: [UInt8]?, halfClose: Bool, timeout: Duration, cancelWhen: (@Sendable () -> Bool)? = nil
    ) -> CallResult {
        let queue = grpc_completion_queue_create_for_pluck(nil)!
        defer {
            grpc_completion_queue_shutdown(queue)
            _ = grpc_completion_queue_pluck(queue, nil, gpr_inf_future(GPR_CLOCK_MONOTONIC), nil)
            grpc_completion_queue_destroy(queue)
        }
        let deadline = GRPCDeadline.after(timeout)
        let methodSlice = grpc_slice_from_copied_string(method)
        let call = grpc_channel_create_call(channel, nil, cgrpc_propagate_defaults(), queue, methodSlice, nil, deadline, nil)!
        grpc_slice_unref(methodSlice)
        defer { grpc_call_unref(call) }

        let slots = ClientCallSlots()
        defer { slots.release() }
        let requestBuffer = request.map(ByteBuffers.make)
        defer { requestBuffer.map(grpc_byte_buffer_destroy) }

        var operations: [grpc_op] = []
        func add(_ type: grpc_op_type, _ configure: (inout grpc_op) -> Void = { _ in }) {
            var operation = grpc_op()
            operation.op = type
            configure(&operation)
            operations.append(operation)
        }
        add(GRPC_OP_SEND_INITIAL_METADATA)
        if let requestBuffer { add(GRPC_OP_SEND_MESSAGE) { $0.data.send_message.send_message = requestBuffer } }
        if halfClose { add(GRPC_OP_SEND_CLOSE_FROM_CLIENT) }
        add(GRPC_OP_RECV_INITIAL_METADATA) { $0.data.recv_initial_metadata.recv_initial_metadata = slots.initialMetadata }
        add(GRPC_OP_RECV_MESSAGE) { $0.data.recv_message.recv_message = slots.response }
        add(GRPC_OP_RECV_STATUS_ON_CLIENT) {
            $0.data.recv_status_on_client.trailing_metadata = slots.trailingMetadata
            $0.data.recv_status_on_client.status = slots.status
            $0.data.recv_status_on_client.status_details = slots.details
        }
        let error = operations.withUnsafeBufferPointer { buffer in
            grpc_call_start_batch(call, buffer.baseAddress, buffer.count, Self.batchTag, nil)
        }
        guard error == GRPC_CALL_OK else {
            return CallResult(status: .internal, message: "grpc_call_start_batch failed: \(error)", response: nil)
        }
        // Cancels from a thread of its own; the call outlives that thread.
        let batchDone = LockedBox(false)
        let cancellerDone = DispatchSemaphore(value: 0)
        if let cancelWhen {
            let callAddress = UInt(bitPattern: call)
            let canceller = Thread {
                while !batchDone.value {
                    if cancelWhen() {
                        grpc_call_cancel(OpaquePointer(bitPattern: callAddress), nil)
                        break
                    }
                    usleep(5_000)
                }
                cancellerDone.signal()
            }
            canceller.start()
        }
        // The call's deadline bounds this wait.
        let event = grpc_completion_queue_pluck(queue, Self.batchTag, gpr_inf_future(GPR_CLOCK_MONOTONIC), nil)
        batchDone.value = true
        if cancelWhen != nil { cancellerDone.wait() }
        precondition(event.type == GRPC_OP_COMPLETE, "pluck: \(event.type)")
        return CallResult(
            status: StatusCode(rawValue: Int32(slots.status.pointee.rawValue)),
            message: ByteBuffers.string(of: slots.details),
            response: slots.response.pointee.flatMap(ByteBuffers.bytes(of:))
        )
    }

    /// A server-streaming call: sends `request` and half-closes, then reads
    /// every message until the status (all within `timeout`).
    public func streamingCall(_ method: String, request: [UInt8] = [], timeout: Duration = .seconds(10)) async -> StreamingCallResult {
        await onOwnThread { self.blockingStreamingCall(method, request: request, timeout: timeout) }
    }

    public func blockingStreamingCall(_ method: String, request: [UInt8], timeout: Duration) -> StreamingCallResult {
        let queue = grpc_completion_queue_create_for_pluck(nil)!
        defer {
            grpc_completion_queue_shutdown(queue)
            _ = grpc_completion_queue_pluck(queue, nil, gpr_inf_future(GPR_CLOCK_MONOTONIC), nil)
            grpc_completion_queue_destroy(queue)
        }
        let methodSlice = grpc_slice_from_copied_string(method)
        let call = grpc_channel_create_call(
            channel, nil, cgrpc_propagate_defaults(), queue, methodSlice, nil, GRPCDeadline.after(timeout), nil
        )!
        grpc_slice_unref(methodSlice)
        defer { grpc_call_unref(call) }
        let slots = ClientCallSlots()
        defer { slots.release() }
        let requestBuffer = ByteBuffers.make(request)
        defer { grpc_byte_buffer_destroy(requestBuffer) }

        func run(_ operations: [grpc_op]) -> Bool {
            let error = operations.withUnsafeBufferPointer { grpc_call_start_batch(call, $0.baseAddress, $0.count, Self.batchTag, nil) }
            guard error == GRPC_CALL_OK else { return false }
            let event = grpc_completion_queue_pluck(queue, Self.batchTag, gpr_inf_future(GPR_CLOCK_MONOTONIC), nil)
            return event.type == GRPC_OP_COMPLETE && event.success != 0
        }
        func operation(_ type: grpc_op_type, _ configure: (inout grpc_op) -> Void = { _ in }) -> grpc_op {
            var operation = grpc_op()
            operation.op = type
            configure(&operation)
            return operation
        }
        var messages: [[UInt8]] = []
        let opened = run([
            operation(GRPC_OP_SEND_INITIAL_METADATA),
            operation(GRPC_OP_SEND_MESSAGE) { $0.data.send_message.send_message = requestBuffer },
            operation(GRPC_OP_SEND_CLOSE_FROM_CLIENT),
            operation(GRPC_OP_RECV_INITIAL_METADATA) { $0.data.recv_initial_metadata.recv_initial_metadata = slots.initialMetadata },
        ])
        if opened {
            while run([operation(GRPC_OP_RECV_MESSAGE) { $0.data.recv_message.recv_message = slots.response }]),
                  let buffer = slots.response.pointee {
                slots.response.pointee = nil
                messages.append(ByteBuffers.bytes(of: buffer) ?? [])
                grpc_byte_buffer_destroy(buffer)
            }
        }
        _ = run([operation(GRPC_OP_RECV_STATUS_ON_CLIENT) {
            $0.data.recv_status_on_client.trailing_metadata = slots.trailingMetadata
            $0.data.recv_status_on_client.status = slots.status
            $0.data.recv_status_on_client.status_details = slots.details
        }])
        return StreamingCallResult(
            status: StatusCode(rawValue: Int32(slots.status.pointee.rawValue)),
            message: ByteBuffers.string(of: slots.details),
            responses: messages
        )
    }

    private static var batchTag: UnsafeMutableRawPointer { UnsafeMutableRawPointer(bitPattern: 1)! }
}

/// The out-parameters of one client batch, at stable addresses until released.
private struct ClientCallSlots {
    let initialMetadata = UnsafeMutablePointer<grpc_metadata_array>.allocate(capacity: 1)
    let trailingMetadata = UnsafeMutablePointer<grpc_metadata_array>.allocate(capacity: 1)
    let response = UnsafeMutablePointer<UnsafeMutablePointer<grpc_byte_buffer>?>.allocate(capacity: 1)
    let status = UnsafeMutablePointer<grpc_status_code>.allocate(capacity: 1)
    let details = UnsafeMutablePointer<grpc_slice>.allocate(capacity: 1)

    init() {
        grpc_metadata_array_init(initialMetadata)
        grpc_metadata_array_init(trailingMetadata)
        response.initialize(to: nil)
        status.initialize(to: GRPC_STATUS_UNKNOWN)
        details.initialize(to: grpc_empty_slice())
    }

    func release() {
        grpc_metadata_array_destroy(initialMetadata)
        grpc_metadata_array_destroy(trailingMetadata)
        if let buffer = response.pointee { grpc_byte_buffer_destroy(buffer) }
        grpc_slice_unref(details.pointee)
        initialMetadata.deallocate()
        trailingMetadata.deallocate()
        response.deallocate()
        status.deallocate()
        details.deallocate()
    }
}
