import CTFPlugin6

/// `DynamicValue` <-> `CtyValue`. Requests may carry msgpack (what Terraform
/// sends) or JSON; responses always carry msgpack, the only encoding that can
/// hold unknown values.
enum DynamicValueWire {
    /// Decodes a request value against `type`, the schema's implied type.
    static func decode(_ wire: UnsafePointer<Tfplugin6__DynamicValue>?, as type: CtyType) throws(ValueCodingError) -> CtyValue {
        guard let wire else { throw ValueCodingError("no value was sent") }
        let msgpack = [UInt8](wire: wire.pointee.msgpack)
        if !msgpack.isEmpty { return try MsgPackValueCodec.decode(msgpack, as: type) }
        let json = [UInt8](wire: wire.pointee.json)
        if !json.isEmpty { return try JSONValueCodec.decode(json, as: type) }
        // Even a null value has an encoding (msgpack nil, JSON null): an
        // empty message is a broken client, not a null.
        throw ValueCodingError("the value is empty: neither msgpack nor JSON was sent")
    }

    /// The msgpack encoding of a response value. The encoder checks the value
    /// against `type` as it goes (values are built with unchecked types) and
    /// throws, with the path, when it does not conform.
    static func encode(_ value: CtyValue, as type: CtyType) throws(ValueCodingError) -> [UInt8] {
        try MsgPackValueCodec.encode(value, as: type)
    }

    /// A `DynamicValue` message holding already encoded msgpack.
    static func message(msgpack: [UInt8], in arena: WireArena) -> UnsafeMutablePointer<Tfplugin6__DynamicValue> {
        let message = arena.message(Tfplugin6__DynamicValue.self)
        message.pointee.msgpack = arena.bytes(msgpack)
        return message
    }
}
