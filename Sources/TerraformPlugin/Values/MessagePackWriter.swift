/// Appends MessagePack items to a byte array, always in the most compact
/// format that holds the value (what the wire format recommends).
struct MessagePackWriter {
    private(set) var bytes: [UInt8]

    init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    mutating func writeNil() { bytes.append(0xC0) }

    mutating func writeBool(_ value: Bool) { bytes.append(value ? 0xC3 : 0xC2) }

    mutating func writeInt(_ value: Int64) {
        if value >= 0 {
            writeUInt(UInt64(value))
        } else if value >= -32 {
            bytes.append(UInt8(truncatingIfNeeded: value))  // negative fixint
        } else if value >= Int64(Int8.min) {
            bytes.append(0xD0)
            appendBigEndian(UInt64(truncatingIfNeeded: value), count: 1)
        } else if value >= Int64(Int16.min) {
            bytes.append(0xD1)
            appendBigEndian(UInt64(truncatingIfNeeded: value), count: 2)
        } else if value >= Int64(Int32.min) {
            bytes.append(0xD2)
            appendBigEndian(UInt64(truncatingIfNeeded: value), count: 4)
        } else {
            bytes.append(0xD3)
            appendBigEndian(UInt64(bitPattern: value), count: 8)
        }
    }

    mutating func writeUInt(_ value: UInt64) {
        if value <= 0x7F {
            bytes.append(UInt8(value))  // positive fixint
        } else if value <= UInt64(UInt8.max) {
            bytes.append(0xCC)
            appendBigEndian(value, count: 1)
        } else if value <= UInt64(UInt16.max) {
            bytes.append(0xCD)
            appendBigEndian(value, count: 2)
        } else if value <= UInt64(UInt32.max) {
            bytes.append(0xCE)
            appendBigEndian(value, count: 4)
        } else {
            bytes.append(0xCF)
            appendBigEndian(value, count: 8)
        }
    }

    mutating func writeFloat64(_ value: Double) {
        bytes.append(0xCB)
        appendBigEndian(value.bitPattern, count: 8)
    }

    mutating func writeString(_ value: String) {
        var value = value
        // Native strings are contiguous UTF-8; this copies them in one go.
        value.withUTF8 { utf8 in
            writeLength(utf8.count, fix: (0xA0, 31), one: 0xD9, two: 0xDA, four: 0xDB)
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func writeBinary(_ value: [UInt8]) {
        writeLength(value.count, fix: nil, one: 0xC4, two: 0xC5, four: 0xC6)
        bytes.append(contentsOf: value)
    }

    mutating func writeArrayHeader(count: Int) {
        writeLength(count, fix: (0x90, 15), one: nil, two: 0xDC, four: 0xDD)
    }

    mutating func writeMapHeader(count: Int) {
        writeLength(count, fix: (0x80, 15), one: nil, two: 0xDE, four: 0xDF)
    }

    mutating func writeExt(type: Int8, payload: [UInt8]) {
        let typeByte = UInt8(bitPattern: type)
        switch payload.count {
        case 1: bytes.append(0xD4)
        case 2: bytes.append(0xD5)
        case 4: bytes.append(0xD6)
        case 8: bytes.append(0xD7)
        case 16: bytes.append(0xD8)
        default: writeLength(payload.count, fix: nil, one: 0xC7, two: 0xC8, four: 0xC9)
        }
        bytes.append(typeByte)
        bytes.append(contentsOf: payload)
    }

    /// Appends raw, already encoded MessagePack.
    mutating func writeRaw(_ encoded: [UInt8]) { bytes.append(contentsOf: encoded) }

    /// A length prefix in the smallest format of a family. Values cannot
    /// exceed 2^32-1 elements: a process never holds that many.
    private mutating func writeLength(_ length: Int, fix: (base: UInt8, maximum: Int)?, one: UInt8?, two: UInt8, four: UInt8) {
        if let fix, length <= fix.maximum {
            bytes.append(fix.base | UInt8(length))
        } else if let one, length <= Int(UInt8.max) {
            bytes.append(one)
            appendBigEndian(UInt64(length), count: 1)
        } else if length <= Int(UInt16.max) {
            bytes.append(two)
            appendBigEndian(UInt64(length), count: 2)
        } else {
            precondition(length <= Int(UInt32.max), "a MessagePack length cannot exceed 2^32-1")
            bytes.append(four)
            appendBigEndian(UInt64(length), count: 4)
        }
    }

    private mutating func appendBigEndian(_ value: UInt64, count: Int) {
        var shift = (count - 1) * 8
        while shift >= 0 {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
            shift -= 8
        }
    }
}
