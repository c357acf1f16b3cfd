// PLACEHOLDER: the codec implementation is being written (see DESIGN.md, Values).
/// Values as JSON: the secondary `DynamicValue` encoding, and the encoding of
/// stored states in `UpgradeResourceState`.
public enum JSONValueCodec {
    public static func decode(
        _ bytes: [UInt8], as type: CtyType, ignoringUndefinedAttributes: Bool = false
    ) throws(ValueCodingError) -> CtyValue {
        throw ValueCodingError("JSON decoding is not implemented yet")
    }

    public static func encode(_ value: CtyValue, as type: CtyType) throws(ValueCodingError) -> [UInt8] {
        throw ValueCodingError("JSON encoding is not implemented yet")
    }
}
