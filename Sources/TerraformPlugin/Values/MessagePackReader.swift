/// One MessagePack item header: scalars carry their value, strings, binary
/// data and extensions the range of their payload in the buffer, arrays and
/// maps their element count (the elements follow).
enum MessagePackItem {
    case `nil`
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case float32(Float)
    case float64(Double)
    case string(Range<Int>)
    case binary(Range<Int>)
    case array(count: Int)
    case map(count: Int)
    case ext(type: Int8, payload: Range<Int>)

    /// The item's family, for messages: "found a boolean".
    var familyDescription: String {
        switch self {
        case .nil: "nil"
        case .bool: "a boolean"
        case .int, .uint: "an integer"
        case .float32, .float64: "a float"
        case .string: "a string"
        case .binary: "binary data"
        case .array: "an array"
        case .map: "a map"
        case .ext: "an extension value"
        }
    }
}

/// Why MessagePack bytes could not be read; the value decoder adds the
/// attribute path.
struct MessagePackReadError: Error {
    var message: String
}

/// Reads MessagePack item headers from a borrowed buffer. It only exists
/// inside the `withUnsafeBufferPointer` scope that lends the buffer.
///
/// Every length read from the input is checked against the bytes that remain
/// before it is used, so a forged length can neither read out of bounds nor
/// make a caller reserve memory the input does not back.
struct MessagePackReader {
    let buffer: UnsafeBufferPointer<UInt8>
    private(set) var position: Int
    let end: Int

    init(_ buffer: UnsafeBufferPointer<UInt8>, range: Range<Int>? = nil) {
        self.buffer = buffer
        self.position = range?.lowerBound ?? 0
        self.end = range?.upperBound ?? buffer.count
    }

    var remaining: Int { end - position }
    var isAtEnd: Bool { position >= end }

    /// Reads the next item header, and skips over the payload of strings,
    /// binary data and extensions (their range is in the item).
    mutating func next() throws(MessagePackReadError) -> MessagePackItem {
        let lead = try byte()
        switch lead {
        case 0x00...0x7F: return .int(Int64(lead))
        case 0x80...0x8F: return try .map(count: checkedCount(Int(lead & 0x0F), bytesPerElement: 2))
        case 0x90...0x9F: return try .array(count: checkedCount(Int(lead & 0x0F), bytesPerElement: 1))
        case 0xA0...0xBF: return try .string(payload(Int(lead & 0x1F)))
        case 0xC0: return .nil
        case 0xC1: throw MessagePackReadError(message: "invalid MessagePack: byte 0xc1 is never used")
        case 0xC2: return .bool(false)
        case 0xC3: return .bool(true)
        case 0xC4:
            let length = try Int(bigEndian(1))
            return try .binary(payload(length))
        case 0xC5:
            let length = try Int(bigEndian(2))
            return try .binary(payload(length))
        case 0xC6:
            let length = try Int(bigEndian(4))
            return try .binary(payload(length))
        case 0xC7:
            let length = try Int(bigEndian(1))
            return try ext(length: length)
        case 0xC8:
            let length = try Int(bigEndian(2))
            return try ext(length: length)
        case 0xC9:
            let length = try Int(bigEndian(4))
            return try ext(length: length)
        case 0xCA: return try .float32(Float(bitPattern: UInt32(truncatingIfNeeded: bigEndian(4))))
        case 0xCB: return try .float64(Double(bitPattern: bigEndian(8)))
        case 0xCC: return try .int(Int64(bigEndian(1)))
        case 0xCD: return try .int(Int64(bigEndian(2)))
        case 0xCE: return try .int(Int64(bigEndian(4)))
        case 0xCF:
            let value = try bigEndian(8)
            return value <= UInt64(Int64.max) ? .int(Int64(value)) : .uint(value)
        case 0xD0: return try .int(Int64(Int8(truncatingIfNeeded: bigEndian(1))))
        case 0xD1: return try .int(Int64(Int16(truncatingIfNeeded: bigEndian(2))))
        case 0xD2: return try .int(Int64(Int32(truncatingIfNeeded: bigEndian(4))))
        case 0xD3: return try .int(Int64(bitPattern: bigEndian(8)))
        case 0xD4: return try ext(length: 1)
        case 0xD5: return try ext(length: 2)
        case 0xD6: return try ext(length: 4)
        case 0xD7: return try ext(length: 8)
        case 0xD8: return try ext(length: 16)
        case 0xD9:
            let length = try Int(bigEndian(1))
            return try .string(payload(length))
        case 0xDA:
            let length = try Int(bigEndian(2))
            return try .string(payload(length))
        case 0xDB:
            let length = try Int(bigEndian(4))
            return try .string(payload(length))
        // The count is read into a local first: a method call captures self
        // before its arguments run, so checkedCount(bigEndian(...)) would
        // check against the position before the count bytes.
        case 0xDC:
            let count = try Int(bigEndian(2))
            return try .array(count: checkedCount(count, bytesPerElement: 1))
        case 0xDD:
            let count = try Int(bigEndian(4))
            return try .array(count: checkedCount(count, bytesPerElement: 1))
        case 0xDE:
            let count = try Int(bigEndian(2))
            return try .map(count: checkedCount(count, bytesPerElement: 2))
        case 0xDF:
            let count = try Int(bigEndian(4))
            return try .map(count: checkedCount(count, bytesPerElement: 2))
        default: return .int(Int64(Int8(bitPattern: lead)))  // 0xE0...0xFF: negative fixint
        }
    }

    /// Skips one whole item, nested items included, without building
    /// anything. `depthLimit` bounds the recursion for nested arrays and maps.
    mutating func skipItem(depthLimit: Int) throws(MessagePackReadError) {
        guard depthLimit > 0 else {
            throw MessagePackReadError(message: "MessagePack nested deeper than \(ValueNesting.maximumDepth) levels")
        }
        switch try next() {
        case .array(let count):
            for _ in 0..<count { try skipItem(depthLimit: depthLimit - 1) }
        case .map(let count):
            for _ in 0..<count * 2 { try skipItem(depthLimit: depthLimit - 1) }
        default:
            break
        }
    }

    // MARK: - Bytes

    private mutating func byte() throws(MessagePackReadError) -> UInt8 {
        guard position < end else { throw MessagePackReader.truncated(missing: 1) }
        defer { position += 1 }
        return buffer[position]
    }

    /// A big-endian unsigned integer of `count` (1...8) bytes.
    private mutating func bigEndian(_ count: Int) throws(MessagePackReadError) -> UInt64 {
        guard remaining >= count else { throw MessagePackReader.truncated(missing: count - remaining) }
        var value: UInt64 = 0
        for index in position..<position + count { value = value << 8 | UInt64(buffer[index]) }
        position += count
        return value
    }

    private mutating func payload(_ length: Int) throws(MessagePackReadError) -> Range<Int> {
        guard remaining >= length else { throw MessagePackReader.truncated(missing: length - remaining) }
        defer { position += length }
        return position..<position + length
    }

    private mutating func ext(length: Int) throws(MessagePackReadError) -> MessagePackItem {
        let type = try Int8(bitPattern: byte())
        return try .ext(type: type, payload: payload(length))
    }

    /// Each element takes at least one byte (a map entry two), so a count
    /// the remaining bytes cannot hold is a truncation, caught before any
    /// caller reserves space for it.
    private func checkedCount(_ count: Int, bytesPerElement: Int) throws(MessagePackReadError) -> Int {
        let needed = count * bytesPerElement  // count < 2^32: no overflow
        guard needed <= remaining else { throw MessagePackReader.truncated(missing: needed - remaining, atLeast: true) }
        return count
    }

    static func truncated(missing: Int, atLeast: Bool = false) -> MessagePackReadError {
        let bytes = missing == 1 ? "1 byte" : "\(missing) bytes"
        return MessagePackReadError(message: "truncated MessagePack: \(atLeast ? "at least " : "")\(bytes) missing")
    }
}

/// The bound on nesting shared by the codecs: values, JSON documents and type
/// JSON deeper than this are rejected, so crafted input cannot exhaust the
/// stack of the thread decoding it. Real schemas nest a few levels.
enum ValueNesting {
    static let maximumDepth = 512
}
