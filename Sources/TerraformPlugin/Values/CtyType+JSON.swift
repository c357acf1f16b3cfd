extension CtyType {
    /// Parses a type in cty's JSON form: `"string"`, `["list","number"]`,
    /// `["object",{"a":"bool"}]`, `["object",{...},["optional_attr"]]`.
    /// The JSON is parsed strictly (see `JSONParser`) and may nest at most
    /// `ValueNesting.maximumDepth` levels.
    public init(typeJSON bytes: [UInt8]) throws(ValueCodingError) {
        self = try bytes.withUnsafeBufferPointer { (buffer) throws(ValueCodingError) -> CtyType in
            try CtyType(typeJSON: buffer)
        }
    }

    init(typeJSON buffer: UnsafeBufferPointer<UInt8>) throws(ValueCodingError) {
        try self.init(typeDocument: JSONParser.parse(buffer))
    }

    /// A type from its parsed JSON form. Recursion follows the document,
    /// whose depth the parser bounded; the recursive step only dispatches,
    /// so a level of nesting costs a small stack frame.
    init(typeDocument document: JSONDocument) throws(ValueCodingError) {
        switch document {
        case .string(let name):
            self = try CtyType.primitive(named: name)
        case .array(let parts):
            switch try CtyType.kind(of: parts) {
            case "list": self = .list(try CtyType(typeDocument: CtyType.elementDocument(of: parts, kind: "list")))
            case "set": self = .set(try CtyType(typeDocument: CtyType.elementDocument(of: parts, kind: "set")))
            case "map": self = .map(try CtyType(typeDocument: CtyType.elementDocument(of: parts, kind: "map")))
            case "tuple": self = try CtyType.tuple(parts)
            default: self = try CtyType.object(parts)
            }
        default:
            throw CtyType.invalid("expected a type name or a [kind, ...] array, found \(document.kindDescription)")
        }
    }

    @inline(never)
    private static func invalid(_ message: String) -> ValueCodingError {
        ValueCodingError("invalid type JSON: \(message)")
    }

    @inline(never)
    private static func primitive(named name: String) throws(ValueCodingError) -> CtyType {
        switch name {
        case "bool": .bool
        case "number": .number
        case "string": .string
        case "dynamic": .dynamic
        default: throw invalid("unknown type \(PluginLog.jsonString(ValueMessages.excerpt(name)))")
        }
    }

    /// The kind named by the first element, one of the five known ones.
    @inline(never)
    private static func kind(of parts: [JSONDocument]) throws(ValueCodingError) -> String {
        guard case .string(let kind)? = parts.first else {
            throw invalid("expected a kind (\"list\", \"set\", \"map\", \"tuple\" or \"object\") as the first element of the array")
        }
        switch kind {
        case "list", "set", "map", "tuple", "object": return kind
        default: throw invalid("unknown kind \(PluginLog.jsonString(ValueMessages.excerpt(kind)))")
        }
    }

    @inline(never)
    private static func elementDocument(of parts: [JSONDocument], kind: String) throws(ValueCodingError) -> JSONDocument {
        guard parts.count == 2 else { throw invalid("\(PluginLog.jsonString(kind)) takes exactly one element type") }
        return parts[1]
    }

    @inline(never)
    private static func tuple(_ parts: [JSONDocument]) throws(ValueCodingError) -> CtyType {
        guard parts.count == 2, case .array(let elementDocuments) = parts[1] else {
            throw invalid("\"tuple\" takes exactly one array of element types")
        }
        var elements: [CtyType] = []
        elements.reserveCapacity(elementDocuments.count)
        for elementDocument in elementDocuments { elements.append(try CtyType(typeDocument: elementDocument)) }
        return .tuple(elements)
    }

    @inline(never)
    private static func object(_ parts: [JSONDocument]) throws(ValueCodingError) -> CtyType {
        guard parts.count == 2 || parts.count == 3, case .object(let members) = parts[1] else {
            throw invalid("\"object\" takes an object of attribute types and, optionally, an array of optional attribute names")
        }
        var attributes = [String: CtyType](minimumCapacity: members.count)
        for (name, attributeDocument) in members { attributes[name] = try CtyType(typeDocument: attributeDocument) }
        var optional = Set<String>()
        if parts.count == 3 {
            guard case .array(let names) = parts[2] else {
                throw invalid("the optional attributes of an object must be an array of names")
            }
            for nameDocument in names {
                guard case .string(let name) = nameDocument else {
                    throw invalid("the optional attributes of an object must be an array of names")
                }
                guard attributes[name] != nil else {
                    throw invalid("optional attribute \(PluginLog.jsonString(name)) is not an attribute of the object")
                }
                optional.insert(name)
            }
        }
        return .object(attributes, optional: optional)
    }

    /// The compact JSON form, with object attributes (and optional attribute
    /// names) in sorted order, so equal types have equal JSON.
    package var typeJSON: [UInt8] {
        var writer = JSONWriter(capacity: 64)
        writeTypeJSON(into: &writer)
        return writer.bytes
    }

    func writeTypeJSON(into writer: inout JSONWriter) {
        switch self {
        case .bool: writer.writeRaw("\"bool\"")
        case .number: writer.writeRaw("\"number\"")
        case .string: writer.writeRaw("\"string\"")
        case .dynamic: writer.writeRaw("\"dynamic\"")
        case .list(let element):
            writer.writeRaw("[\"list\",")
            element.writeTypeJSON(into: &writer)
            writer.writeByte(UInt8(ascii: "]"))
        case .set(let element):
            writer.writeRaw("[\"set\",")
            element.writeTypeJSON(into: &writer)
            writer.writeByte(UInt8(ascii: "]"))
        case .map(let element):
            writer.writeRaw("[\"map\",")
            element.writeTypeJSON(into: &writer)
            writer.writeByte(UInt8(ascii: "]"))
        case .tuple(let elements):
            writer.writeRaw("[\"tuple\",[")
            for (index, element) in elements.enumerated() {
                if index > 0 { writer.writeByte(UInt8(ascii: ",")) }
                element.writeTypeJSON(into: &writer)
            }
            writer.writeRaw("]]")
        case .object(let attributes, let optional):
            writer.writeRaw("[\"object\",{")
            let names = attributes.keys.sorted(by: UTF8Text.precedes)
            for (index, name) in names.enumerated() {
                if index > 0 { writer.writeByte(UInt8(ascii: ",")) }
                writer.writeString(name)
                writer.writeByte(UInt8(ascii: ":"))
                attributes[name]!.writeTypeJSON(into: &writer)
            }
            writer.writeByte(UInt8(ascii: "}"))
            if !optional.isEmpty {
                writer.writeRaw(",[")
                for (index, name) in optional.sorted(by: UTF8Text.precedes).enumerated() {
                    if index > 0 { writer.writeByte(UInt8(ascii: ",")) }
                    writer.writeString(name)
                }
                writer.writeByte(UInt8(ascii: "]"))
            }
            writer.writeByte(UInt8(ascii: "]"))
        }
    }
}
