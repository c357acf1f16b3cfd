import CGRPCCore

/// Copies between Swift byte arrays and gRPC byte buffers. Whoever holds a
/// `grpc_byte_buffer` destroys it; these functions never take ownership.
package enum ByteBuffers {
    /// A new buffer holding a copy of `bytes`; the caller destroys it.
    package static func make(_ bytes: [UInt8]) -> UnsafeMutablePointer<grpc_byte_buffer> {
        guard !bytes.isEmpty else { return grpc_raw_byte_buffer_create(nil, 0) }
        var slice = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { grpc_slice_from_copied_buffer($0.baseAddress, $0.count) }
        }
        defer { grpc_slice_unref(slice) }
        return grpc_raw_byte_buffer_create(&slice, 1)
    }

    /// The bytes `buffer` holds, decompressed; nil if gRPC cannot read it.
    package static func bytes(of buffer: UnsafeMutablePointer<grpc_byte_buffer>) -> [UInt8]? {
        var reader = grpc_byte_buffer_reader()
        guard grpc_byte_buffer_reader_init(&reader, buffer) != 0 else { return nil }
        defer { grpc_byte_buffer_reader_destroy(&reader) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(grpc_byte_buffer_length(buffer))
        var slice = grpc_slice()
        while grpc_byte_buffer_reader_next(&reader, &slice) != 0 {
            withUnsafePointer(to: &slice) { bytes.append(contentsOf: UnsafeBufferPointer(start: cgrpc_slice_start_ptr($0), count: cgrpc_slice_length($0))) }
            grpc_slice_unref(slice)
        }
        return bytes
    }

    /// The text of a slice (which stays the caller's).
    package static func string(of slice: UnsafePointer<grpc_slice>) -> String {
        String(decoding: UnsafeBufferPointer(start: cgrpc_slice_start_ptr(slice), count: cgrpc_slice_length(slice)), as: UTF8.self)
    }
}
