/// A bound on how much memory unpacking a request can take, checked on the
/// wire bytes before any unpacking.
///
/// protobuf-c keeps every field it does not know (and every element of a
/// repeated field) as its own allocation: about 90 bytes for a 2-byte
/// field. 200 MiB of tiny unknown fields took the process to 6.4 GB. So the
/// server counts fields first, cheaply and without allocating, and refuses
/// a request with more than `allowance(forBytes:)` of them.
///
/// The count needs no schema: every length-delimited field might be a
/// nested message that protobuf-c would unpack, so its contents are counted
/// as one (up to `maxDepth` levels, deeper than any tfplugin6 request
/// nests, so a nested message protobuf-c would unpack is always counted);
/// contents that stop parsing as protobuf count for the fields read so
/// far. It can only over-count, never miss a field protobuf-c would keep.
/// Real requests stay far below the allowance: a value travels as one
/// msgpack or JSON field, whatever its size.
package enum RequestFieldBudget {
    static let baseAllowance = 65_536
    static let bytesPerAllowedField = 64
    static let maxDepth = 5

    /// At most about 4 M fields for a 256 MiB request, so a few hundred MB
    /// of protobuf-c allocations.
    package static func allowance(forBytes count: Int) -> Int {
        baseAllowance + count / bytesPerAllowedField
    }

    /// Why `request` is refused, or nil when it is within the budget.
    package static func refusal(for request: [UInt8]) -> String? {
        let allowance = allowance(forBytes: request.count)
        let counted = request.withUnsafeBufferPointer { countFields($0, depth: 0, stopAbove: allowance) }
        guard counted > allowance else { return nil }
        return "the request message has more than \(allowance) protobuf fields, the most this plugin unpacks for its size"
    }

    /// The fields of `bytes` read as a message, nested ones included; stops
    /// counting once past `limit`.
    package static func countFields(_ bytes: UnsafeBufferPointer<UInt8>, depth: Int, stopAbove limit: Int) -> Int {
        var count = 0
        var offset = 0
        let end = bytes.count
        func varint() -> UInt64? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while offset < end, shift < 64 {
                let byte = bytes[offset]
                offset += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return value }
                shift += 7
            }
            return nil
        }
        while offset < end, count <= limit {
            guard let key = varint(), key >> 3 != 0 else { return count }
            switch key & 7 {
            case 0:
                guard varint() != nil else { return count }
            case 1:
                guard end - offset >= 8 else { return count }
                offset += 8
            case 5:
                guard end - offset >= 4 else { return count }
                offset += 4
            case 2:
                guard let length = varint(), length <= UInt64(end - offset) else { return count }
                let start = offset
                offset += Int(length)
                if depth + 1 < maxDepth, length > 0 {
                    let contents = UnsafeBufferPointer(rebasing: bytes[start..<offset])
                    count += countFields(contents, depth: depth + 1, stopAbove: limit - count)
                }
            default:
                // Groups (3, 4) and the unused wire types: protobuf-c refuses
                // the message here, having kept nothing past this point.
                return count
            }
            count += 1
        }
        return count
    }
}
