/// Decodes one MessagePack value from a borrowed buffer, keeping the
/// attribute path for errors. Recursion follows the declared type; `depth`
/// bounds what the type does not (dynamic values carry their own, nestable,
/// types).
///
/// Stack use per nesting level is kept small on purpose: the recursive
/// functions hold only their loop state, and everything else (reading an
/// item header, building messages, inserting into dictionaries, unifying
/// types) lives in functions kept out of line. Inlined, the union of their
/// temporaries made one level of nesting cost kilobytes of stack. Helpers
/// that only read are `mutating` all the same: a non-mutating call from a
/// mutating function copies the whole decoder into a stack slot per call
/// site, which a mutating call (self by reference) does not.
struct MsgPackValueDecoder {
    private var reader: MessagePackReader
    private var path = ValuePath()
    private var depth = 0

    init(_ buffer: UnsafeBufferPointer<UInt8>) {
        reader = MessagePackReader(buffer)
    }

    mutating func decodeDocument(as type: CtyType) throws(ValueCodingError) -> CtyValue {
        let value = try decode(type).value
        guard reader.isAtEnd else { throw trailingDataError() }
        return value
    }

    // MARK: Recursion

    /// The value, and whether its type differs from `type` because a
    /// `dynamic` in `type` was replaced by the type the input carried.
    private mutating func decode(_ type: CtyType) throws(ValueCodingError) -> (value: CtyValue, concretised: Bool) {
        let item = try next()
        switch item {
        case .ext(let extensionType, let payload):
            return (try unknown(of: type, extensionType: extensionType, payload: payload), false)
        case .nil:
            return (.null(type), false)
        default:
            break
        }
        switch type {
        case .bool, .number, .string:
            return (try primitive(type, item), false)
        case .dynamic:
            let value = try dynamic(item)
            return (value, !value.type.isDynamic)
        case .list(let elementType), .set(let elementType):
            guard case .array(let count) = item else { throw mismatch(type, item) }
            return try listOrSet(count: count, type: type, elementType: elementType)
        case .tuple(let elementTypes):
            guard case .array(let count) = item else { throw mismatch(type, item) }
            return try tuple(count: count, type: type, elementTypes: elementTypes)
        case .map(let elementType):
            guard case .map(let count) = item else { throw mismatch(type, item) }
            return try map(count: count, elementType: elementType)
        case .object(let attributeTypes, _):
            guard case .map(let count) = item else { throw mismatch(type, item) }
            return try object(count: count, type: type, attributeTypes: attributeTypes)
        }
    }

    @inline(never)
    private mutating func listOrSet(count: Int, type: CtyType, elementType: CtyType) throws(ValueCodingError) -> (value: CtyValue, concretised: Bool) {
        try enterNesting()
        // count is at most the bytes left in the input (checked by the
        // reader), so this reservation is backed by the input's own size.
        var elements = DecodedValueTypes.emptyElements(reserving: count)
        var concretised = false
        path.pushIndex()
        for index in 0..<count {
            path.setIndex(index)
            let element = try decode(elementType)
            concretised = concretised || element.concretised
            DecodedValueTypes.append(element.value, to: &elements)
        }
        path.pop()
        depth -= 1
        return (try path.collection(type, elements, concretised: concretised), concretised)
    }

    @inline(never)
    private mutating func tuple(count: Int, type: CtyType, elementTypes: [CtyType]) throws(ValueCodingError) -> (value: CtyValue, concretised: Bool) {
        guard count == elementTypes.count else { throw tupleLengthError(expected: elementTypes.count, found: count) }
        try enterNesting()
        var elements = DecodedValueTypes.emptyElements(reserving: count)
        var concretised = false
        path.pushIndex()
        for index in 0..<count {
            path.setIndex(index)
            let element = try decode(elementTypes[index])
            concretised = concretised || element.concretised
            DecodedValueTypes.append(element.value, to: &elements)
        }
        path.pop()
        depth -= 1
        return (DecodedValueTypes.tuple(type, elements, concretised: concretised), concretised)
    }

    @inline(never)
    private mutating func map(count: Int, elementType: CtyType) throws(ValueCodingError) -> (value: CtyValue, concretised: Bool) {
        try enterNesting()
        var elements = DecodedValueTypes.emptyAttributes(reserving: count)
        var concretised = false
        for _ in 0..<count {
            let key = try mapKey(what: "map keys")
            path.push(.key(key))
            let element = try decode(elementType)
            path.pop()
            concretised = concretised || element.concretised
            guard DecodedValueTypes.insert(element.value, forKey: key, into: &elements) else {
                throw duplicateKeyError("duplicate map key", key)
            }
        }
        depth -= 1
        return (try path.map(elementType, elements, concretised: concretised), concretised)
    }

    @inline(never)
    private mutating func object(count: Int, type: CtyType, attributeTypes: [String: CtyType]) throws(ValueCodingError) -> (value: CtyValue, concretised: Bool) {
        try enterNesting()
        var attributes = DecodedValueTypes.emptyAttributes(reserving: attributeTypes.count)
        var concretised = false
        for _ in 0..<count {
            let name = try mapKey(what: "attribute names")
            guard let attributeType = attributeTypes[name] else { throw duplicateKeyError("unsupported attribute", name) }
            path.push(.attribute(name))
            let attribute = try decode(attributeType)
            path.pop()
            concretised = concretised || attribute.concretised
            guard DecodedValueTypes.insert(attribute.value, forKey: name, into: &attributes) else {
                throw duplicateKeyError("duplicate attribute", name)
            }
        }
        depth -= 1
        return (DecodedValueTypes.object(type, attributes, concretised: concretised), concretised)
    }

    /// `[type JSON, value]`: the type JSON as binary data (cty) or a string.
    @inline(never)
    private mutating func dynamic(_ item: MessagePackItem) throws(ValueCodingError) -> CtyValue {
        guard case .array(let count) = item, count == 2 else { throw dynamicShapeError(item) }
        try enterNesting()
        let valueType = try dynamicType()
        let value = try decode(valueType).value
        depth -= 1
        return value
    }

    // MARK: Leaves and helpers (out of line: not part of the recursion's frames)

    @inline(never)
    private mutating func next() throws(ValueCodingError) -> MessagePackItem {
        do {
            return try reader.next()
        } catch {
            throw self.error(error.message)
        }
    }

    private mutating func enterNesting() throws(ValueCodingError) {
        depth += 1
        if depth > ValueNesting.maximumDepth { throw nestingError() }
    }

    @inline(never)
    private mutating func primitive(_ type: CtyType, _ item: MessagePackItem) throws(ValueCodingError) -> CtyValue {
        switch type {
        case .bool:
            guard case .bool(let value) = item else { throw mismatch(type, item) }
            return .bool(value)
        case .number:
            return .number(try number(item))
        default:
            switch item {
            // cty's decoder reads strings with a call that also accepts
            // binary data, so this does too.
            case .string(let range), .binary(let range): return .string(try utf8String(range))
            default: throw mismatch(type, item)
            }
        }
    }

    @inline(never)
    private mutating func number(_ item: MessagePackItem) throws(ValueCodingError) -> CtyNumber {
        switch item {
        case .int(let value):
            return CtyNumber(value)
        case .uint(let value):
            return CtyNumber(value)
        case .float32(let value):
            // Float to Double is exact, so this is the float's exact value.
            guard let number = CtyNumber(exactly: Double(value)) else { throw error("NaN is not a valid number") }
            return number
        case .float64(let value):
            guard let number = CtyNumber(exactly: value) else { throw error("NaN is not a valid number") }
            return number
        case .string(let range), .binary(let range):
            // Numbers that fit neither an integer nor a float64 arrive as text.
            let text = try utf8String(range)
            guard let number = CtyNumber(wireText: text) else {
                throw error("expected a number, found the string \(PluginLog.jsonString(ValueMessages.excerpt(text)))")
            }
            return number
        default:
            throw mismatch(.number, item)
        }
    }

    @inline(never)
    private mutating func mapKey(what: String) throws(ValueCodingError) -> String {
        let item = try next()
        switch item {
        case .string(let range), .binary(let range):
            return try utf8String(range)
        default:
            throw error("\(what) must be strings, found \(item.familyDescription)")
        }
    }

    private mutating func utf8String(_ range: Range<Int>) throws(ValueCodingError) -> String {
        guard let string = UTF8Text.string(UnsafeBufferPointer(rebasing: reader.buffer[range])) else {
            throw error("the string is not valid UTF-8")
        }
        return string
    }

    @inline(never)
    private mutating func dynamicType() throws(ValueCodingError) -> CtyType {
        let typeItem = try next()
        let typeRange: Range<Int>
        switch typeItem {
        case .binary(let range), .string(let range): typeRange = range
        default: throw error("expected the type JSON of a dynamic value, found \(typeItem.familyDescription)")
        }
        do {
            return try CtyType(typeJSON: UnsafeBufferPointer(rebasing: reader.buffer[typeRange]))
        } catch {
            throw self.error("invalid type of a dynamic value: \(error.message)")
        }
    }

    @inline(never)
    private mutating func unknown(of type: CtyType, extensionType: Int8, payload: Range<Int>) throws(ValueCodingError) -> CtyValue {
        // Any extension is an unknown; only type 12 with a payload longer
        // than cty's one-byte placeholder carries refinements. An unknown of
        // undecided type cannot be refined (cty ignores them too).
        guard extensionType == MsgPackValueCodec.refinedUnknownExtension, payload.count > 1, !type.isDynamic else {
            return .unknown(type)
        }
        do {
            var payloadReader = MessagePackReader(reader.buffer, range: payload)
            return .unknown(type, refinements: try RefinementsDecoder.decode(&payloadReader, for: type))
        } catch {
            throw self.error("invalid refinements of an unknown value: \(error.message)")
        }
    }

    // MARK: Errors

    @inline(never)
    private mutating func error(_ message: String) -> ValueCodingError {
        path.error(message)
    }

    @inline(never)
    private mutating func mismatch(_ type: CtyType, _ item: MessagePackItem) -> ValueCodingError {
        error("expected \(type.described), found \(item.familyDescription)")
    }

    @inline(never)
    private mutating func nestingError() -> ValueCodingError {
        error("the value is nested deeper than \(ValueNesting.maximumDepth) levels")
    }

    @inline(never)
    private mutating func tupleLengthError(expected: Int, found: Int) -> ValueCodingError {
        error("expected a tuple of \(ValueMessages.count(expected, "element")), found an array of \(found)")
    }

    @inline(never)
    private mutating func duplicateKeyError(_ what: String, _ key: String) -> ValueCodingError {
        error("\(what) \(PluginLog.jsonString(key))")
    }

    @inline(never)
    private mutating func dynamicShapeError(_ item: MessagePackItem) -> ValueCodingError {
        let found = if case .array(let count) = item { "an array of \(ValueMessages.count(count, "element"))" } else { item.familyDescription }
        return error("expected a value of any type, as an array of its type JSON and the value, found \(found)")
    }

    @inline(never)
    private mutating func trailingDataError() -> ValueCodingError {
        let count = reader.remaining
        return error("unexpected data after the value: \(count) more \(count == 1 ? "byte" : "bytes")")
    }
}

/// The refinement map of a refined unknown (extension 12). Keys this code
/// does not know are skipped, as the format asks; known refinements that do
/// not apply to the type are dropped (cty rejects them, Terraform never
/// sends them). Bytes after the map are ignored, as cty reserves them.
enum RefinementsDecoder {
    static func decode(_ reader: inout MessagePackReader, for type: CtyType) throws(MessagePackReadError) -> CtyRefinements {
        guard case .map(let count) = try reader.next() else {
            throw MessagePackReadError(message: "expected a map")
        }
        var refinements = CtyRefinements()
        for _ in 0..<count {
            let key: Int64
            switch try reader.next() {
            case .int(let value): key = value
            case .uint: key = -1  // larger than any known key
            case let other: throw MessagePackReadError(message: "keys must be integers, found \(other.familyDescription)")
            }
            switch key {
            case 1:
                guard case .bool(let isNull) = try reader.next() else {
                    throw MessagePackReadError(message: "nullness must be a boolean")
                }
                refinements.notNull = !isNull
            case 2:
                let item = try reader.next()
                guard case .string(let range) = item,
                      let prefix = UTF8Text.string(UnsafeBufferPointer(rebasing: reader.buffer[range]))
                else {
                    throw MessagePackReadError(message: "the string prefix must be a UTF-8 string")
                }
                if case .string = type, !prefix.isEmpty { refinements.stringPrefix = prefix }
            case 3, 4:
                let bound = try numberBound(&reader)
                if case .number = type {
                    if key == 3 { refinements.numberLowerBound = bound } else { refinements.numberUpperBound = bound }
                }
            case 5, 6:
                let length: Int64
                switch try reader.next() {
                case .int(let value) where value >= 0: length = value
                case .uint: length = Int64.max  // beyond any real collection
                default: throw MessagePackReadError(message: "a length bound must be a non-negative integer")
                }
                switch type {
                case .list, .set, .map:
                    if key == 5 { refinements.lengthLowerBound = length } else { refinements.lengthUpperBound = length }
                default:
                    break
                }
            default:
                try reader.skipItem(depthLimit: ValueNesting.maximumDepth)
            }
        }
        return refinements
    }

    private static func numberBound(_ reader: inout MessagePackReader) throws(MessagePackReadError) -> (value: CtyNumber, inclusive: Bool) {
        let malformed = MessagePackReadError(message: "a number bound must be an array of a number and a boolean")
        guard case .array(count: 2) = try reader.next() else { throw malformed }
        let number: CtyNumber?
        switch try reader.next() {
        case .int(let value): number = CtyNumber(value)
        case .uint(let value): number = CtyNumber(value)
        case .float32(let value): number = CtyNumber(exactly: Double(value))
        case .float64(let value): number = CtyNumber(exactly: value)
        case .string(let range):
            number = UTF8Text.string(UnsafeBufferPointer(rebasing: reader.buffer[range]))
                .flatMap { CtyNumber(wireText: $0) }
        default: number = nil
        }
        guard let number, case .bool(let inclusive) = try reader.next() else { throw malformed }
        return (number, inclusive)
    }
}

