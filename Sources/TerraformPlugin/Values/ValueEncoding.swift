/// The output side of a value encoder. The walker below checks every value
/// against its declared type and calls these in document order, so MessagePack
/// and JSON (and the conformance check, which writes nothing) apply exactly
/// the same rules.
protocol ValueWriter {
    /// JSON has no way to write an unknown value.
    static var canWriteUnknown: Bool { get }
    mutating func writeNull()
    /// Only called when `canWriteUnknown`. `type` is the declared type, which
    /// decides which refinements apply.
    mutating func writeUnknown(_ refinements: CtyRefinements, of type: CtyType)
    mutating func writeBool(_ value: Bool)
    mutating func writeNumber(_ value: CtyNumber)
    mutating func writeString(_ value: String)
    mutating func beginArray(count: Int)
    /// Before each array element; `first` for the first one.
    mutating func beginElement(first: Bool)
    mutating func endArray()
    mutating func beginMap(count: Int)
    /// A map key or attribute name, before its value.
    mutating func writeKey(_ key: String, first: Bool)
    mutating func endMap()
    /// Around a value at a `dynamic` position, whose own type travels with it.
    mutating func beginDynamic(type: CtyType)
    mutating func endDynamic(type: CtyType)
}

/// Walks a value along its declared type, checking that it conforms, and
/// hands the parts to a writer. Errors carry the path of the offending part.
///
/// As in the decoders, the recursive functions keep small stack frames (a
/// decoded value may be nested 512 levels deep): `encode` only dispatches,
/// the rest is out of line, and read-only helpers are `mutating` so that
/// calling them does not copy the encoder into the caller's frame.
struct ValueEncoder<Writer: ValueWriter> {
    var writer: Writer
    private var path = ValuePath()

    init(writer: Writer) { self.writer = writer }

    mutating func encode(_ value: CtyValue, as type: CtyType) throws(ValueCodingError) {
        if case .dynamic = type {
            try encodeDynamic(value)
            return
        }
        switch value.storage {
        case .null, .unknown:
            try encodeNullOrUnknown(value, as: type)
        case .bool, .number, .string:
            try encodePrimitive(value, as: type)
        case .elements(let elements):
            switch (type, value.type) {
            case (.list(let elementType), .list), (.set(let elementType), .set):
                try encodeElements(elements, elementType: elementType)
            case (.tuple(let elementTypes), .tuple):
                try encodeTuple(elements, elementTypes: elementTypes)
            default:
                throw mismatch(value, type)
            }
        case .attributes(let attributes):
            switch (type, value.type) {
            case (.map(let elementType), .map):
                try encodeMap(attributes, elementType: elementType)
            case (.object(let attributeTypes, _), .object):
                try encodeObject(attributes, attributeTypes: attributeTypes)
            default:
                throw mismatch(value, type)
            }
        }
    }

    @inline(never)
    private mutating func encodeNullOrUnknown(_ value: CtyValue, as type: CtyType) throws(ValueCodingError) {
        // Nulls and unknowns have no content to check, only their type. A
        // type that is `dynamic` (or holds it) on either side is compatible:
        // a null of an undecided type is a null of any type, as cty converts it.
        guard value.type.isCompatible(with: type) else { throw mismatch(value, type) }
        if case .unknown(let refinements) = value.storage {
            guard Writer.canWriteUnknown else { throw unknownInJSONError() }
            writer.writeUnknown(refinements, of: type)
        } else {
            writer.writeNull()
        }
    }

    @inline(never)
    private mutating func encodePrimitive(_ value: CtyValue, as type: CtyType) throws(ValueCodingError) {
        switch (value.storage, type, value.type) {
        case (.bool(let bool), .bool, .bool): writer.writeBool(bool)
        case (.number(let number), .number, .number): writer.writeNumber(number)
        case (.string(let string), .string, .string): writer.writeString(string)
        default: throw mismatch(value, type)
        }
    }

    @inline(never)
    private mutating func encodeDynamic(_ value: CtyValue) throws(ValueCodingError) {
        // A null or unknown whose type is not decided has no type to send.
        if value.type.isDynamic {
            switch value.storage {
            case .null:
                writer.writeNull()
            case .unknown:
                guard Writer.canWriteUnknown else { throw unknownInJSONError() }
                writer.writeUnknown(CtyRefinements(), of: .dynamic)
            default:
                throw error("a known value must have a concrete type, not dynamic")
            }
            return
        }
        writer.beginDynamic(type: value.type)
        try encode(value, as: value.type)
        writer.endDynamic(type: value.type)
    }

    @inline(never)
    private mutating func encodeElements(_ elements: [CtyValue], elementType: CtyType) throws(ValueCodingError) {
        writer.beginArray(count: elements.count)
        path.pushIndex()
        for index in elements.indices {
            path.setIndex(index)
            writer.beginElement(first: index == 0)
            try encode(elements[index], as: elementType)
        }
        path.pop()
        writer.endArray()
    }

    @inline(never)
    private mutating func encodeTuple(_ elements: [CtyValue], elementTypes: [CtyType]) throws(ValueCodingError) {
        guard elements.count == elementTypes.count else {
            throw error("expected a tuple of \(ValueMessages.count(elementTypes.count, "element")), found one of \(elements.count)")
        }
        writer.beginArray(count: elements.count)
        path.pushIndex()
        for index in elements.indices {
            path.setIndex(index)
            writer.beginElement(first: index == 0)
            try encode(elements[index], as: elementTypes[index])
        }
        path.pop()
        writer.endArray()
    }

    @inline(never)
    private mutating func encodeMap(_ elements: [String: CtyValue], elementType: CtyType) throws(ValueCodingError) {
        writer.beginMap(count: elements.count)
        // Sorted by UTF-8 bytes, as cty orders keys: the output is
        // deterministic, so equal values encode to equal bytes. Only the
        // keys are sorted: moving (key, value) pairs around costs a retain
        // and release of both per swap.
        let keys = ValueEncoder.sortedKeys(elements)
        for index in keys.indices {
            let key = keys[index]
            writer.writeKey(key, first: index == 0)
            path.push(.key(key))
            try encode(elements[key]!, as: elementType)
            path.pop()
        }
        writer.endMap()
    }

    @inline(never)
    private mutating func encodeObject(_ attributes: [String: CtyValue], attributeTypes: [String: CtyType]) throws(ValueCodingError) {
        // Equal counts and every attribute declared mean equal name sets,
        // checked with one lookup per attribute.
        guard attributes.count == attributeTypes.count else { throw attributeSetError(attributes, attributeTypes) }
        writer.beginMap(count: attributes.count)
        let names = ValueEncoder.sortedKeys(attributes)
        for index in names.indices {
            let name = names[index]
            guard let attributeType = attributeTypes[name] else { throw attributeSetError(attributes, attributeTypes) }
            writer.writeKey(name, first: index == 0)
            path.push(.attribute(name))
            try encode(attributes[name]!, as: attributeType)
            path.pop()
        }
        writer.endMap()
    }

    @inline(never)
    private static func sortedKeys(_ dictionary: [String: CtyValue]) -> [String] {
        dictionary.keys.sorted(by: UTF8Text.precedes)
    }

    // MARK: Errors

    @inline(never)
    private mutating func error(_ message: String) -> ValueCodingError {
        path.error(message)
    }

    @inline(never)
    private mutating func unknownInJSONError() -> ValueCodingError {
        error("the value is unknown, and JSON cannot represent unknown values")
    }

    /// The first missing attribute, else the first undeclared one.
    @inline(never)
    private mutating func attributeSetError(_ attributes: [String: CtyValue], _ attributeTypes: [String: CtyType]) -> ValueCodingError {
        if let missing = attributeTypes.keys.filter({ attributes[$0] == nil }).min(by: UTF8Text.precedes) {
            return error("the object has no attribute \(PluginLog.jsonString(missing)), which its type requires")
        }
        let extra = attributes.keys.filter { attributeTypes[$0] == nil }.min(by: UTF8Text.precedes) ?? ""
        return error("unsupported attribute \(PluginLog.jsonString(extra))")
    }

    @inline(never)
    private mutating func mismatch(_ value: CtyValue, _ type: CtyType) -> ValueCodingError {
        switch value.storage {
        case .null: error("expected \(type.described), found a null of type \(value.type.friendlyName)")
        case .unknown: error("expected \(type.described), found an unknown of type \(value.type.friendlyName)")
        default: error("expected \(type.described), found \(value.type.described)")
        }
    }
}

extension CtyType {
    /// Equal up to `dynamic`, which matches any type, and to the optional
    /// markers of object type constraints.
    func isCompatible(with other: CtyType) -> Bool {
        switch (self, other) {
        case (.dynamic, _), (_, .dynamic): true
        case (.bool, .bool), (.number, .number), (.string, .string): true
        case (.list(let a), .list(let b)), (.set(let a), .set(let b)), (.map(let a), .map(let b)): a.isCompatible(with: b)
        case (.tuple(let a), .tuple(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.isCompatible(with: $1) }
        case (.object(let a, _), .object(let b, _)):
            a.count == b.count && a.allSatisfy { name, type in b[name].map { type.isCompatible(with: $0) } ?? false }
        default: false
        }
    }
}

/// Writes nothing: the walker alone is the conformance check.
struct DiscardingValueWriter: ValueWriter {
    static var canWriteUnknown: Bool { true }
    mutating func writeNull() {}
    mutating func writeUnknown(_ refinements: CtyRefinements, of type: CtyType) {}
    mutating func writeBool(_ value: Bool) {}
    mutating func writeNumber(_ value: CtyNumber) {}
    mutating func writeString(_ value: String) {}
    mutating func beginArray(count: Int) {}
    mutating func beginElement(first: Bool) {}
    mutating func endArray() {}
    mutating func beginMap(count: Int) {}
    mutating func writeKey(_ key: String, first: Bool) {}
    mutating func endMap() {}
    mutating func beginDynamic(type: CtyType) {}
    mutating func endDynamic(type: CtyType) {}
}

extension CtyValue {
    /// Why this value cannot be sent as a value of `type`, or nil when it
    /// can: the same check the encoders make, with the path of the first
    /// offending part. Nulls may stand anywhere; `dynamic` accepts any
    /// value of a concrete type.
    package func conformanceError(to type: CtyType) -> ValueCodingError? {
        var encoder = ValueEncoder(writer: DiscardingValueWriter())
        do {
            try encoder.encode(self, as: type)
            return nil
        } catch {
            return error
        }
    }
}
