/// UTF-8 helpers for the codecs' hot paths.
///
/// The standard library's `String(validating:as:)` is generic and not
/// specialisable from outside the standard library: every call looked up
/// generic metadata, a fifth of the decoders' time. This validator is
/// concrete, and the String is then made by `String(decoding:as:)`, whose
/// contiguous UTF-8 path is fast.
enum UTF8Text {
    /// The string the bytes spell, or nil when they are not valid UTF-8
    /// (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
    static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard isValid(bytes) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        var index = 0
        while index < count {
            // Eight ASCII bytes at a time: the common case for names and ids.
            if count - index >= 8 {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 {
                    index += 8
                    continue
                }
            }
            let lead = base[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            // The second byte's range excludes overlong forms (after E0 and
            // F0), surrogates (after ED) and code points above U+10FFFF
            // (after F4); C0, C1 and F5...FF never lead.
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return false
            }
            guard count - index >= length else { return false }
            let second = base[index + 1]
            guard second >= low && second <= high else { return false }
            for offset in 2..<length where base[index + offset] & 0xC0 != 0x80 { return false }
            index += length
        }
        return true
    }

    /// Byte-wise order of the UTF-8 encodings, as Go's sort.Strings (and so
    /// cty) orders attribute names and map keys.
    static func precedes(_ a: String, _ b: String) -> Bool {
        // Native strings are contiguous UTF-8 and are compared in place;
        // anything else takes the generic path.
        let inPlace = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y in
                let common = min(x.count, y.count)
                var index = 0
                while index < common {
                    if x[index] != y[index] { return x[index] < y[index] }
                    index += 1
                }
                return x.count < y.count
            }
        }
        return (inPlace ?? nil) ?? a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}
