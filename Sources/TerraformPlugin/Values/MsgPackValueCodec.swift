/// Values as MessagePack, the usual encoding of `DynamicValue` (see
/// `reference/object-wire-format.md`).
///
/// Decoding follows cty's `msgpack.Unmarshal`, accepting every MessagePack
/// format of each family; where this decoder is stricter (trailing bytes,
/// duplicate keys, UTF-8) it rejects input Terraform never sends. Strings are
/// kept as sent: cty normalises them to NFC, which needs Unicode tables this
/// Foundation-free module does not carry, and Terraform sends them normalised.
package enum MsgPackValueCodec {
    /// Decodes `bytes` as a value of `type`. Malformed input, or input that
    /// does not match the type, throws with the attribute path.
    package static func decode(_ bytes: [UInt8], as type: CtyType) throws(ValueCodingError) -> CtyValue {
        try bytes.withUnsafeBufferPointer { (buffer) throws(ValueCodingError) -> CtyValue in
            var decoder = MsgPackValueDecoder(buffer)
            return try decoder.decodeDocument(as: type)
        }
    }

    /// Encodes `value` as a value of `type` (for dynamic-typed positions, the
    /// value's own type travels with it). Throws with the path when the value
    /// does not conform to the type.
    package static func encode(_ value: CtyValue, as type: CtyType) throws(ValueCodingError) -> [UInt8] {
        var encoder = ValueEncoder(writer: MsgPackValueWriter())
        try encoder.encode(value, as: type)
        return encoder.writer.writer.bytes
    }

    /// Extension type of an unknown value carrying refinements.
    static let refinedUnknownExtension: Int8 = 12
}

// MARK: - Encoding

/// MessagePack output for the value encoder.
struct MsgPackValueWriter: ValueWriter {
    var writer = MessagePackWriter()

    static var canWriteUnknown: Bool { true }

    mutating func writeNull() { writer.writeNil() }

    mutating func writeUnknown(_ refinements: CtyRefinements, of type: CtyType) {
        guard let payload = MsgPackValueWriter.refinementPayload(refinements, of: type) else {
            // cty's placeholder for a wholly unknown value: fixext1, type 0.
            writer.writeExt(type: 0, payload: [0])
            return
        }
        writer.writeExt(type: MsgPackValueCodec.refinedUnknownExtension, payload: payload)
    }

    /// The refinement map, keeping only refinements that apply to `type`;
    /// nil when none remain (the format forbids an empty map).
    static func refinementPayload(_ refinements: CtyRefinements, of type: CtyType) -> [UInt8]? {
        if type.isDynamic { return nil }
        var entries = MessagePackWriter(capacity: 32)
        var count = 0
        if let notNull = refinements.notNull {
            entries.writeInt(1)
            entries.writeBool(!notNull)  // the wire says "is null"
            count += 1
        }
        switch type {
        case .string:
            if let prefix = refinements.stringPrefix, !prefix.isEmpty {
                entries.writeInt(2)
                entries.writeString(prefix)
                count += 1
            }
        case .number:
            for (key, bound) in [(Int64(3), refinements.numberLowerBound), (4, refinements.numberUpperBound)] {
                guard let bound else { continue }
                entries.writeInt(key)
                entries.writeArrayHeader(count: 2)
                var numberWriter = MsgPackValueWriter(writer: entries)
                numberWriter.writeNumber(bound.value)
                entries = numberWriter.writer
                entries.writeBool(bound.inclusive)
                count += 1
            }
        case .list, .set, .map:
            for (key, bound) in [(Int64(5), refinements.lengthLowerBound), (6, refinements.lengthUpperBound)] {
                guard let bound else { continue }
                entries.writeInt(key)
                entries.writeInt(bound)
                count += 1
            }
        default:
            break
        }
        guard count > 0 else { return nil }
        var payload = MessagePackWriter(capacity: entries.bytes.count + 1)
        payload.writeMapHeader(count: count)
        payload.writeRaw(entries.bytes)
        return payload.bytes
    }

    mutating func writeBool(_ value: Bool) { writer.writeBool(value) }

    /// An integer when it is one that fits 64 bits, else a float64 when one
    /// holds the value exactly, else the decimal text (cty's order; cty
    /// parses the text back without loss).
    mutating func writeNumber(_ value: CtyNumber) {
        if let integer = value.int64Value {
            writer.writeInt(integer)
        } else if let integer = value.uint64Value {
            writer.writeUInt(integer)
        } else if let double = value.exactDoubleValue {
            writer.writeFloat64(double)
        } else {
            writer.writeString(value.description)
        }
    }

    mutating func writeString(_ value: String) { writer.writeString(value) }
    mutating func beginArray(count: Int) { writer.writeArrayHeader(count: count) }
    mutating func beginElement(first: Bool) {}
    mutating func endArray() {}
    mutating func beginMap(count: Int) { writer.writeMapHeader(count: count) }
    mutating func writeKey(_ key: String, first: Bool) { writer.writeString(key) }
    mutating func endMap() {}

    /// `[type JSON as binary, value]`, as cty writes it.
    mutating func beginDynamic(type: CtyType) {
        writer.writeArrayHeader(count: 2)
        writer.writeBinary(type.typeJSON)
    }

    mutating func endDynamic(type: CtyType) {}
}

/// Shared wording helpers for the codecs' messages.
enum ValueMessages {
    /// Input quoted in a message, shortened so a megabyte of junk does not
    /// end up in a diagnostic.
    static func excerpt(_ text: String, limit: Int = 40) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }

    /// "1 element", "2 elements".
    static func count(_ count: Int, _ noun: String) -> String {
        count == 1 ? "1 \(noun)" : "\(count) \(noun)s"
    }
}
