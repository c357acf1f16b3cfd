import CTFPlugin6
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Request bytes that protobuf-c could not parse (truncated, wrong wire
/// types, a string that is not UTF-8, ...). The router answers these with
/// `INVALID_ARGUMENT`: there is no message to put a diagnostic in.
struct WireDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    var messageName: String
    /// Why, when more can be said than "it does not parse".
    var reason: String? = nil
    var description: String {
        "the request is not a valid \(messageName) message" + (reason.map { ": \($0)" } ?? "")
    }
}

/// One message unpacked by protobuf-c. This object is the only owner of the
/// C allocation and frees it exactly once, in `deinit`. Fields are read
/// inside `withMessage` and copied into Swift values there: nothing that
/// points into the message may leave the closure.
final class UnpackedMessage<Message: WireMessage> {
    private let base: UnsafeMutablePointer<ProtobufCMessage>

    init(_ bytes: [UInt8]) throws(WireDecodingError) {
        let unpacked = bytes.withUnsafeBufferPointer { buffer in
            protobuf_c_message_unpack(Message.descriptor, nil, buffer.count, buffer.baseAddress)
        }
        guard let unpacked else {
            throw WireDecodingError(messageName: String(cString: Message.descriptor.pointee.name))
        }
        base = unpacked
        // protobuf-c hands strings over NUL-terminated, so a string holding
        // a NUL would be read cut short: `type_name = "x_y\0evil"` served as
        // "x_y". No name or id of the protocol holds one; refuse the request.
        if let field = WireStringScan.firstFieldHoldingNUL(bytes, Message.descriptor) {
            throw WireDecodingError(
                messageName: String(cString: Message.descriptor.pointee.name),
                reason: "the string field \(field) holds a NUL character"
            )
        }
    }

    deinit {
        protobuf_c_message_free_unpacked(base, nil)
    }

    /// Runs `body` with the message. The struct's pointers are borrowed from
    /// this object and valid only until `body` returns (the method call keeps
    /// `self`, and so the allocation, alive for that long).
    func withMessage<Result, Failure: Error>(_ body: (Message) throws(Failure) -> Result) throws(Failure) -> Result {
        try body(UnsafePointer<Message>(OpaquePointer(base)).pointee)
    }
}

// MARK: - Copying C fields into Swift values

extension String {
    /// Copies a protobuf-c string field. Invalid UTF-8 is repaired with
    /// U+FFFD rather than trusted; a missing string is empty, as in proto3.
    init(wire pointer: UnsafePointer<CChar>?) {
        guard let pointer else {
            self = ""
            return
        }
        self = String(decoding: UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)), as: UTF8.self)
    }
}

extension Array where Element == UInt8 {
    /// Copies a protobuf-c `bytes` field.
    init(wire data: ProtobufCBinaryData) {
        guard data.len > 0, let bytes = data.data else {
            self = []
            return
        }
        self = Array(UnsafeBufferPointer(start: bytes, count: data.len))
    }
}

/// The messages of a protobuf-c repeated field (`n_x`, `x`), skipping null
/// entries, which protobuf-c never produces but a struct could hold.
func wireElements<Element>(_ count: Int, _ pointer: UnsafeMutablePointer<UnsafeMutablePointer<Element>?>?) -> [UnsafeMutablePointer<Element>] {
    guard count > 0, let pointer else { return [] }
    return UnsafeBufferPointer(start: pointer, count: count).compactMap { $0 }
}

/// A scan of a message's top-level fields (the bytes have already been
/// parsed by protobuf-c, so they are well formed) for string fields that
/// hold a NUL byte.
enum WireStringScan {
    static func firstFieldHoldingNUL(_ bytes: [UInt8], _ descriptor: UnsafePointer<ProtobufCMessageDescriptor>) -> String? {
        bytes.withUnsafeBufferPointer { buffer in
            var reader = ProtobufWireReader(buffer)
            while let field = reader.next() {
                guard case .lengthDelimited(let number, let contents) = field,
                      number <= UInt64(UInt32.max),
                      let described = protobuf_c_message_descriptor_get_field(descriptor, UInt32(number)),
                      described.pointee.type == PROTOBUF_C_TYPE_STRING
                else { continue }
                if buffer[contents].contains(0) { return String(cString: described.pointee.name) }
            }
            return nil
        }
    }
}
