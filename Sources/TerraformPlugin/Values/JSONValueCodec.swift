/// Values as JSON: the secondary `DynamicValue` encoding, and the encoding of
/// stored states in `UpgradeResourceState`.
///
/// Decoding follows cty's `json.Unmarshal`, including its conversions of
/// primitives written as another primitive (a number or bool where a
/// string is declared, a string of decimal text where a number is, "true" or
/// "false" where a bool is). Unknown values cannot be written in JSON;
/// infinities are written as the strings "+Inf" and "-Inf", which cty parses
/// back as numbers, since a JSON number cannot hold them.
package enum JSONValueCodec {
    /// Decodes a JSON document as a value of `type`. With
    /// `ignoringUndefinedAttributes`, object members the type does not
    /// declare are dropped at every depth, as when a stored state is read
    /// with a newer schema; otherwise they are an error.
    package static func decode(
        _ bytes: [UInt8], as type: CtyType, ignoringUndefinedAttributes: Bool = false
    ) throws(ValueCodingError) -> CtyValue {
        let document = try JSONParser.parse(bytes)
        var decoder = JSONValueDecoder(ignoringUndefinedAttributes: ignoringUndefinedAttributes)
        return try decoder.decode(document, as: type).value
    }

    /// Encodes `value` as compact JSON of `type`, object attributes and map
    /// keys in sorted order. Throws with the path for unknown values and
    /// values that do not conform to the type.
    package static func encode(_ value: CtyValue, as type: CtyType) throws(ValueCodingError) -> [UInt8] {
        var encoder = ValueEncoder(writer: JSONValueWriter())
        try encoder.encode(value, as: type)
        return encoder.writer.writer.bytes
    }
}

// MARK: - Decoding

/// Decodes a parsed document along the declared type. The parser bounded
/// the document's depth, and recursion here follows the document, so
/// there is no further bound to keep. As in `MsgPackValueDecoder`, the
/// recursive functions keep small frames: the rest is out of line, and
/// read-only helpers are `mutating` so that calls do not copy the decoder.
struct JSONValueDecoder {
    let ignoringUndefinedAttributes: Bool
    private var path = ValuePath()

    init(ignoringUndefinedAttributes: Bool) {
        self.ignoringUndefinedAttributes = ignoringUndefinedAttributes
    }

    /// The value, and whether its type differs from `type` because a
    /// `dynamic` in `type` was replaced by the type the document gave.
    mutating func decode(_ document: JSONDocument, as type: CtyType) throws(ValueCodingError) -> (value: CtyValue, concretised: Bool) {
        if case .null = document { return (.null(type), false) }
        switch type {
        case .bool, .number, .string:
            return (try primitive(document, as: type), false)
        case .dynamic:
            let value = try dynamic(document)
            return (value, !value.type.isDynamic)
        case .list(let elementType), .set(let elementType):
            guard case .array(let documents) = document else { throw mismatch(type, document) }
            return try listOrSet(documents, type: type, elementType: elementType)
        case .tuple(let elementTypes):
            guard case .array(let documents) = document else { throw mismatch(type, document) }
            return try tuple(documents, type: type, elementTypes: elementTypes)
        case .map(let elementType):
            guard case .object(let members) = document else { throw mismatch(type, document) }
            return try map(members, elementType: elementType)
        case .object(let attributeTypes, _):
            guard case .object(let members) = document else { throw mismatch(type, document) }
            return try object(members, type: type, attributeTypes: attributeTypes)
        }
    }

    @inline(never)
    private mutating func listOrSet(
        _ documents: [JSONDocument], type: CtyType, elementType: CtyType
    ) throws(ValueCodingError) -> (value: CtyValue, concretised: Bool) {
        var elements = DecodedValueTypes.emptyElements(reserving: documents.count)
        var concretised = false
        path.pushIndex()
        for index in documents.indices {
            path.setIndex(index)
            let element = try decode(documents[index], as: elementType)
            concretised = concretised || element.concretised
            DecodedValueTypes.append(element.value, to: &elements)
        }
        path.pop()
        return (try path.collection(type, elements, concretised: concretised), concretised)
    }

    @inline(never)
    private mutating func tuple(
        _ documents: [JSONDocument], type: CtyType, elementTypes: [CtyType]
    ) throws(ValueCodingError) -> (value: CtyValue, concretised: Bool) {
        guard documents.count == elementTypes.count else {
            throw tupleLengthError(expected: elementTypes.count, found: documents.count)
        }
        var elements = DecodedValueTypes.emptyElements(reserving: documents.count)
        var concretised = false
        path.pushIndex()
        for index in documents.indices {
            path.setIndex(index)
            let element = try decode(documents[index], as: elementTypes[index])
            concretised = concretised || element.concretised
            DecodedValueTypes.append(element.value, to: &elements)
        }
        path.pop()
        return (DecodedValueTypes.tuple(type, elements, concretised: concretised), concretised)
    }

    @inline(never)
    private mutating func map(
        _ members: [(key: String, value: JSONDocument)], elementType: CtyType
    ) throws(ValueCodingError) -> (value: CtyValue, concretised: Bool) {
        var elements = DecodedValueTypes.emptyAttributes(reserving: members.count)
        var concretised = false
        for index in members.indices {
            let key = members[index].key
            path.push(.key(key))
            let element = try decode(members[index].value, as: elementType)
            path.pop()
            concretised = concretised || element.concretised
            // The parser already refused duplicate keys.
            _ = DecodedValueTypes.insert(element.value, forKey: key, into: &elements)
        }
        return (try path.map(elementType, elements, concretised: concretised), concretised)
    }

    @inline(never)
    private mutating func object(
        _ members: [(key: String, value: JSONDocument)], type: CtyType, attributeTypes: [String: CtyType]
    ) throws(ValueCodingError) -> (value: CtyValue, concretised: Bool) {
        var attributes = DecodedValueTypes.emptyAttributes(reserving: attributeTypes.count)
        var concretised = false
        for index in members.indices {
            let name = members[index].key
            guard let attributeType = attributeTypes[name] else {
                if ignoringUndefinedAttributes { continue }
                throw unsupportedAttributeError(name)
            }
            path.push(.attribute(name))
            let attribute = try decode(members[index].value, as: attributeType)
            path.pop()
            concretised = concretised || attribute.concretised
            _ = DecodedValueTypes.insert(attribute.value, forKey: name, into: &attributes)
        }
        return (DecodedValueTypes.object(type, attributes, concretised: concretised), concretised)
    }

    /// `{"value": ..., "type": ...}`, in either order; both are required and
    /// nothing else is allowed (as in cty).
    @inline(never)
    private mutating func dynamic(_ document: JSONDocument) throws(ValueCodingError) -> CtyValue {
        let (valueDocument, valueType) = try dynamicParts(document)
        return try decode(valueDocument, as: valueType).value
    }

    // MARK: Leaves and helpers (out of line: not part of the recursion's frames)

    @inline(never)
    private mutating func dynamicParts(_ document: JSONDocument) throws(ValueCodingError) -> (JSONDocument, CtyType) {
        guard case .object(let members) = document else {
            throw error("expected a value of any type, as an object of \"value\" and \"type\", found \(document.kindDescription)")
        }
        var typeDocument: JSONDocument?
        var valueDocument: JSONDocument?
        for (key, member) in members {
            switch key {
            case "type": typeDocument = member
            case "value": valueDocument = member
            default: throw error("invalid key \(PluginLog.jsonString(key)) in a value of any type: only \"value\" and \"type\" are allowed")
            }
        }
        guard let typeDocument else { throw error("a value of any type has no \"type\"") }
        guard let valueDocument else { throw error("a value of any type has no \"value\"") }
        do {
            return (valueDocument, try CtyType(typeDocument: typeDocument))
        } catch {
            throw self.error("invalid type of a dynamic value: \(error.message)")
        }
    }

    @inline(never)
    private mutating func primitive(_ document: JSONDocument, as type: CtyType) throws(ValueCodingError) -> CtyValue {
        switch (type, document) {
        case (.bool, .bool(let value)): return .bool(value)
        case (.bool, .string("true")): return .bool(true)
        case (.bool, .string("false")): return .bool(false)
        case (.number, .number(let text)):
            // The grammar was checked; only an exponent beyond what
            // CtyNumber holds (nine digits) can fail here.
            guard let number = CtyNumber(decimal: text) else {
                throw error("the number \(ValueMessages.excerpt(text)) is out of range")
            }
            return .number(number)
        case (.number, .string(let text)):
            guard let number = CtyNumber(wireText: text) else {
                throw error("expected a number, found the string \(PluginLog.jsonString(ValueMessages.excerpt(text)))")
            }
            return .number(number)
        case (.string, .string(let value)): return .string(value)
        case (.string, .number(let text)): return .string(text)
        case (.string, .bool(let value)): return .string(value ? "true" : "false")
        default: throw mismatch(type, document)
        }
    }

    // MARK: Errors

    @inline(never)
    private mutating func error(_ message: String) -> ValueCodingError {
        path.error(message)
    }

    @inline(never)
    private mutating func mismatch(_ type: CtyType, _ document: JSONDocument) -> ValueCodingError {
        error("expected \(type.described), found \(document.kindDescription)")
    }

    @inline(never)
    private mutating func tupleLengthError(expected: Int, found: Int) -> ValueCodingError {
        error("expected a tuple of \(ValueMessages.count(expected, "element")), found an array of \(found)")
    }

    @inline(never)
    private mutating func unsupportedAttributeError(_ name: String) -> ValueCodingError {
        error("unsupported attribute \(PluginLog.jsonString(name))")
    }
}

// MARK: - Encoding

/// JSON output for the value encoder.
struct JSONValueWriter: ValueWriter {
    var writer = JSONWriter()

    static var canWriteUnknown: Bool { false }

    mutating func writeNull() { writer.writeRaw("null") }
    mutating func writeUnknown(_ refinements: CtyRefinements, of type: CtyType) {}
    mutating func writeBool(_ value: Bool) { writer.writeRaw(value ? "true" : "false") }

    mutating func writeNumber(_ value: CtyNumber) {
        switch value.kind {
        case .finite: writer.writeASCII(value.description)  // exact, valid JSON number text
        case .positiveInfinity: writer.writeRaw("\"+Inf\"")
        case .negativeInfinity: writer.writeRaw("\"-Inf\"")
        }
    }

    mutating func writeString(_ value: String) { writer.writeString(value) }
    mutating func beginArray(count: Int) { writer.writeByte(UInt8(ascii: "[")) }
    mutating func beginElement(first: Bool) { if !first { writer.writeByte(UInt8(ascii: ",")) } }
    mutating func endArray() { writer.writeByte(UInt8(ascii: "]")) }
    mutating func beginMap(count: Int) { writer.writeByte(UInt8(ascii: "{")) }

    mutating func writeKey(_ key: String, first: Bool) {
        if !first { writer.writeByte(UInt8(ascii: ",")) }
        writer.writeString(key)
        writer.writeByte(UInt8(ascii: ":"))
    }

    mutating func endMap() { writer.writeByte(UInt8(ascii: "}")) }

    /// `{"value":...,"type":...}`, in cty's order.
    mutating func beginDynamic(type: CtyType) { writer.writeRaw("{\"value\":") }

    mutating func endDynamic(type: CtyType) {
        writer.writeRaw(",\"type\":")
        type.writeTypeJSON(into: &writer)
        writer.writeByte(UInt8(ascii: "}"))
    }
}
