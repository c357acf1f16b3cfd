/// Reads protobuf's wire format one field at a time, without allocating:
/// the one reader behind the checks made on request bytes before or beside
/// protobuf-c (`RequestFieldBudget`, `WireStringScan`).
struct ProtobufWireReader {
    enum Field {
        /// A varint, fixed64 or fixed32 field.
        case scalar(number: UInt64)
        /// A length-delimited field and where its contents lie.
        case lengthDelimited(number: UInt64, contents: Range<Int>)

        var number: UInt64 {
            switch self {
            case .scalar(let number), .lengthDelimited(let number, _): number
            }
        }
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var offset = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { offset >= bytes.count }

    /// The next field; nil at the end, and where the bytes stop being a
    /// field: a varint that does not end, a value longer than what is left,
    /// a group or an unused wire type (protobuf-c refuses those there).
    mutating func next() -> Field? {
        guard let key = varint() else { return nil }
        let number = key >> 3
        switch key & 7 {
        case 0:
            guard varint() != nil else { return nil }
        case 1:
            guard bytes.count - offset >= 8 else { return nil }
            offset += 8
        case 5:
            guard bytes.count - offset >= 4 else { return nil }
            offset += 4
        case 2:
            guard let length = varint(), length <= UInt64(bytes.count - offset) else { return nil }
            let start = offset
            offset += Int(length)
            return .lengthDelimited(number: number, contents: start..<offset)
        default:
            return nil
        }
        return .scalar(number: number)
    }

    private mutating func varint() -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count, shift < 64 {
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        return nil
    }
}
