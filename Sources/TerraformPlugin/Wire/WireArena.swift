import CTFPlugin6

/// Owns every C buffer of one response message while it is built and
/// packed: message structs, pointer arrays of repeated fields, strings and
/// bytes. Nothing is freed piecemeal; everything goes at once when the arena
/// does, after `protobuf_c_message_pack` has copied it into Swift bytes.
///
/// Use it only through `WireArena.pack`, which creates it, hands it to the
/// builder, packs and releases it; pointers it returns must not be kept.
final class WireArena {
    private var allocations: [UnsafeMutableRawPointer] = []

    private init() {}

    deinit {
        for allocation in allocations { allocation.deallocate() }
    }

    /// Builds a `Message` with `fill` and returns its serialized bytes.
    static func pack<Message: WireMessage>(
        _ type: Message.Type, _ fill: (WireArena, UnsafeMutablePointer<Message>) -> Void
    ) -> [UInt8] {
        let arena = WireArena()
        let root = arena.message(Message.self)
        fill(arena, root)
        return arena.serialize(root)
    }

    /// A method, so that `self` (and every buffer the message points at)
    /// stays alive until packing is done.
    private func serialize<Message: WireMessage>(_ root: UnsafeMutablePointer<Message>) -> [UInt8] {
        let base = UnsafePointer<ProtobufCMessage>(OpaquePointer(root))
        let size = protobuf_c_message_get_packed_size(base)
        guard size > 0 else { return [] }
        return [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            count = protobuf_c_message_pack(base, buffer.baseAddress)
        }
    }

    private func allocate(byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer {
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 1), alignment: alignment)
        allocations.append(pointer)
        return pointer
    }

    /// A message struct initialised as protobuf-c's `__INIT` would: its
    /// descriptor set, scalars zero, strings the shared empty string.
    func message<Message: WireMessage>(_ type: Message.Type = Message.self) -> UnsafeMutablePointer<Message> {
        let descriptor = Message.descriptor
        // The generated descriptor and the imported struct describe the same
        // C type; a mismatch would let protobuf-c write past the allocation.
        // (C's sizeof includes tail padding, as Swift's stride does.)
        precondition(descriptor.pointee.sizeof_message == MemoryLayout<Message>.stride, "descriptor does not match \(Message.self)")
        let raw = allocate(byteCount: descriptor.pointee.sizeof_message, alignment: MemoryLayout<Message>.alignment)
        protobuf_c_message_init(descriptor, raw)
        return raw.bindMemory(to: Message.self, capacity: 1)
    }

    /// A NUL-terminated copy of `text`. U+0000 becomes U+FFFD: a C string
    /// ends at the first NUL, and a silently cut message is worse than a
    /// visibly replaced character.
    func string(_ text: String) -> UnsafeMutablePointer<CChar> {
        var utf8 = Array(text.utf8)
        if utf8.contains(0) {
            utf8 = Array(String(text.unicodeScalars.map { $0 == "\0" ? "\u{FFFD}" : Character($0) }).utf8)
        }
        let raw = allocate(byteCount: utf8.count + 1, alignment: 1)
        let chars = raw.bindMemory(to: CChar.self, capacity: utf8.count + 1)
        utf8.withUnsafeBytes { source in
            if let address = source.baseAddress { raw.copyMemory(from: address, byteCount: source.count) }
        }
        chars[utf8.count] = 0
        return chars
    }

    /// A copy of `bytes` for a protobuf-c `bytes` field.
    func bytes(_ bytes: [UInt8]) -> ProtobufCBinaryData {
        guard !bytes.isEmpty else { return ProtobufCBinaryData(len: 0, data: nil) }
        let raw = allocate(byteCount: bytes.count, alignment: 1)
        bytes.withUnsafeBytes { source in raw.copyMemory(from: source.baseAddress!, byteCount: source.count) }
        return ProtobufCBinaryData(len: bytes.count, data: raw.assumingMemoryBound(to: UInt8.self))
    }

    /// The pointer array of a repeated message field, as `(n_x, x)`.
    func repeated<Element>(_ elements: [UnsafeMutablePointer<Element>]) -> (Int, UnsafeMutablePointer<UnsafeMutablePointer<Element>?>?) {
        guard !elements.isEmpty else { return (0, nil) }
        let raw = allocate(
            byteCount: MemoryLayout<UnsafeMutablePointer<Element>?>.stride * elements.count,
            alignment: MemoryLayout<UnsafeMutablePointer<Element>?>.alignment
        )
        let array = raw.bindMemory(to: UnsafeMutablePointer<Element>?.self, capacity: elements.count)
        for (index, element) in elements.enumerated() { (array + index).initialize(to: element) }
        return (elements.count, array)
    }
}
