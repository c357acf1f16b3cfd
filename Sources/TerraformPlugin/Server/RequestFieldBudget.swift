import CTFPlugin6

/// A bound on how much memory unpacking a request can take, checked on the
/// wire bytes before any unpacking.
///
/// protobuf-c keeps every field it does not know (and every element of a
/// repeated field) as its own allocation: about 90 bytes for a 2-byte
/// field. 200 MiB of tiny unknown fields took the process to 6.4 GB. So the
/// server counts fields first, cheaply and without allocating, and refuses
/// a request with more than `allowance(forBytes:)` of them.
///
/// For tfplugin6 methods the count follows protobuf-c's own descriptors: the
/// contents of a length-delimited field are counted as a nested message
/// exactly when protobuf-c would unpack them as one (a known field of
/// message type), so a large bytes value that happens to parse as protobuf
/// is one field, as it is to protobuf-c. For other methods no schema is
/// known, and every length-delimited field's contents are counted as if a
/// message (up to `maxDepth` levels), which can only over-count. Contents
/// that stop parsing count for the fields read so far: protobuf-c scans
/// (and allocates for) that far before it gives up. Real requests stay far
/// below the allowance: a value travels as one msgpack or JSON field,
/// whatever its size.
package enum RequestFieldBudget {
    static let baseAllowance = 65_536
    static let bytesPerAllowedField = 128
    static let maxDepth = 5

    /// At most about 2.2 M fields for a 256 MiB request (about 200 MB of
    /// protobuf-c allocations): with the request's own copies, the worst
    /// accepted request stays under 1 GiB (scripts/benchmark-memory,
    /// `budget-edge`).
    package static func allowance(forBytes count: Int) -> Int {
        baseAllowance + count / bytesPerAllowedField
    }

    /// Why `request` (a call of `method`, a full gRPC path) is refused, or
    /// nil when it is within the budget.
    package static func refusal(for request: [UInt8], method: String? = nil) -> String? {
        let allowance = allowance(forBytes: request.count)
        let descriptor = method.flatMap { requestDescriptors[$0] }.flatMap { UnsafePointer<ProtobufCMessageDescriptor>(bitPattern: $0) }
        let counted = request.withUnsafeBufferPointer { countFields($0, schema: descriptor, depth: 0, stopAbove: allowance) }
        guard counted > allowance else { return nil }
        return "the request message has more than \(allowance) protobuf fields, the most this plugin unpacks for its size"
    }

    /// The fields of `bytes` read as a message, nested ones included; stops
    /// counting once past `limit`.
    package static func countFields(
        _ bytes: UnsafeBufferPointer<UInt8>, schema: UnsafePointer<ProtobufCMessageDescriptor>? = nil, depth: Int, stopAbove limit: Int
    ) -> Int {
        var count = 0
        var reader = ProtobufWireReader(bytes)
        while !reader.isAtEnd, count <= limit {
            // A field that does not parse (or field number 0): protobuf-c
            // refuses the message there, having kept nothing past it.
            guard let field = reader.next(), field.number != 0 else { return count }
            if case .lengthDelimited(let number, let range) = field, depth + 1 < maxDepth, !range.isEmpty {
                let contents = UnsafeBufferPointer(rebasing: bytes[range])
                if let schema {
                    if let nested = messageField(schema, number: number) {
                        count += countFields(contents, schema: nested, depth: depth + 1, stopAbove: limit - count)
                    }
                } else {
                    count += countFields(contents, depth: depth + 1, stopAbove: limit - count)
                }
            }
            count += 1
        }
        return count
    }

    /// The descriptor of field `number` of `message` when protobuf-c unpacks
    /// it as a nested message; nil for any other field, known or not.
    private static func messageField(
        _ message: UnsafePointer<ProtobufCMessageDescriptor>, number: UInt64
    ) -> UnsafePointer<ProtobufCMessageDescriptor>? {
        let descriptor = message.pointee
        guard let fields = descriptor.fields else { return nil }
        for index in 0..<Int(descriptor.n_fields) where UInt64(fields[index].id) == number {
            guard fields[index].type == PROTOBUF_C_TYPE_MESSAGE, let nested = fields[index].descriptor else { return nil }
            return nested.assumingMemoryBound(to: ProtobufCMessageDescriptor.self)
        }
        return nil
    }

    /// The request message descriptor of each `tfplugin6.Provider` method, by
    /// full path, as addresses (the descriptors are constants of the
    /// generated code, alive for the whole process).
    package static let requestDescriptors: [String: UInt] = {
        let service = tfplugin6__provider__descriptor
        var descriptors: [String: UInt] = [:]
        guard let methods = service.methods, let serviceName = service.name else { return descriptors }
        for index in 0..<Int(service.n_methods) {
            guard let name = methods[index].name, let input = methods[index].input else { continue }
            descriptors["/" + String(cString: serviceName) + "/" + String(cString: name)] = UInt(bitPattern: input)
        }
        return descriptors
    }()
}
