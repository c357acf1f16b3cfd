// PLACEHOLDER: the codec implementation is being written (see DESIGN.md, Values).
/// Values as MessagePack, the usual encoding of `DynamicValue` (see
/// `reference/object-wire-format.md`).
public enum MsgPackValueCodec {
    /// Decodes `bytes` as a value of `type`. Malformed input, or input that
    /// does not match the type, throws with the attribute path.
    public static func decode(_ bytes: [UInt8], as type: CtyType) throws(ValueCodingError) -> CtyValue {
        throw ValueCodingError("msgpack decoding is not implemented yet")
    }

    /// Encodes `value` as a value of `type` (for dynamic-typed positions, the
    /// value's own type travels with it).
    public static func encode(_ value: CtyValue, as type: CtyType) throws(ValueCodingError) -> [UInt8] {
        throw ValueCodingError("msgpack encoding is not implemented yet")
    }
}
