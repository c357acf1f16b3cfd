// PLACEHOLDER: the codec implementation is being written (see DESIGN.md, Values).
extension CtyType {
    /// Parses a type in cty's JSON form: `"string"`, `["list","number"]`,
    /// `["object",{"a":"bool"}]`, `["object",{...},["optional_attr"]]`.
    public init(typeJSON bytes: [UInt8]) throws(ValueCodingError) {
        throw ValueCodingError("type JSON parsing is not implemented yet")
    }

    /// The compact JSON form, with object attributes in sorted order.
    public var typeJSON: [UInt8] { [] }
}
