// What both decoders share: the words used in their messages, and the types
// of decoded values where the declared type contains `dynamic`.
//
// A decoded value has the declared type, except that each `dynamic` in it is
// replaced by the runtime type the input carried, as cty does (a value of
// declared type `list(dynamic)` holding strings has type `list(string)`).
// Decoders report whether a child's type was so concretised, so the common
// case (no dynamic anywhere) reuses the declared type without comparing types.

extension CtyType {
    /// The type with an article, for messages: "a string", "a list of number".
    var described: String {
        switch self {
        case .bool: "a bool"
        case .number: "a number"
        case .string: "a string"
        case .dynamic: "a value of any type"
        case .list, .set, .map: "a " + friendlyName
        case .tuple: "a tuple"
        case .object: "an object"
        }
    }

    var isDynamic: Bool {
        if case .dynamic = self { return true }
        return false
    }
}

enum DecodedValueTypes {
    // Building blocks for the decoders' recursive functions, kept out of
    // line so that their code (array growth, hashing, type unification)
    // does not enlarge the stack frame of every nesting level.

    @inline(never)
    static func emptyElements(reserving count: Int) -> [CtyValue] {
        var elements: [CtyValue] = []
        elements.reserveCapacity(count)
        return elements
    }

    @inline(never)
    static func append(_ element: CtyValue, to elements: inout [CtyValue]) {
        elements.append(element)
    }

    @inline(never)
    static func emptyAttributes(reserving count: Int) -> [String: CtyValue] {
        [String: CtyValue](minimumCapacity: count)
    }

    /// Inserts unless the key is taken; false when it was.
    @inline(never)
    static func insert(_ value: CtyValue, forKey key: String, into elements: inout [String: CtyValue]) -> Bool {
        elements.updateValue(value, forKey: key) == nil
    }

    /// A decoded list or set; the element type is unified when an element's
    /// type was concretised.
    @inline(never)
    static func collection(_ type: CtyType, _ elements: [CtyValue], concretised: Bool) throws(ValueCodingError) -> CtyValue {
        guard let declaredElementType = type.elementType else { preconditionFailure("not a collection type: \(type)") }
        var elements = elements
        var elementType = declaredElementType
        if concretised { elementType = try unifyElements(&elements, declared: declaredElementType).get() }
        if case .set = type { return .set(of: elementType, elements) }
        return .list(of: elementType, elements)
    }

    /// A decoded map; the element type is unified when an element's type was
    /// concretised.
    @inline(never)
    static func map(_ elementType: CtyType, _ elements: [String: CtyValue], concretised: Bool) throws(ValueCodingError) -> CtyValue {
        guard concretised else { return .map(of: elementType, elements) }
        var elements = elements
        let unified = try unifyElements(&elements, declared: elementType).get()
        return .map(of: unified, elements)
    }

    /// A decoded tuple: its type is derived from the elements when one was
    /// concretised.
    @inline(never)
    static func tuple(_ type: CtyType, _ elements: [CtyValue], concretised: Bool) -> CtyValue {
        let valueType = concretised ? CtyType.tuple(elements.map(\.type)) : type
        return CtyValue(uncheckedType: valueType, storage: .elements(elements))
    }

    /// The element type of a decoded list, set or map whose declared element
    /// type contains `dynamic` and was concretised in some element: the one
    /// type its elements have, as a cty collection holds elements of a
    /// single type. Known elements decide it; null and unknown elements only
    /// need a compatible type (say, a null of the declared, still dynamic,
    /// type) and are retyped to it, as cty's conversions would. Elements of
    /// conflicting types are an error.
    static func unifyElements(_ elements: inout [CtyValue], declared: CtyType) -> Result<CtyType, ValueCodingError> {
        let common = elements.first(where: { !isNullOrUnknown($0) })?.type
            ?? elements.first(where: { $0.type != declared })?.type
            ?? declared
        for index in elements.indices where elements[index].type != common {
            let element = elements[index]
            guard isNullOrUnknown(element), element.type.isCompatible(with: common) else {
                return .failure(ValueCodingError(
                    "the elements of a collection must all have the same type, found \(common.friendlyName) and \(element.type.friendlyName)"
                ))
            }
            elements[index] = CtyValue(uncheckedType: common, storage: element.storage)
        }
        return .success(common)
    }

    /// As `unifyElements`, for the elements of a map.
    static func unifyElements(_ elements: inout [String: CtyValue], declared: CtyType) -> Result<CtyType, ValueCodingError> {
        var keys = Array(elements.keys)
        // Sorted, so that which conflict is reported does not depend on
        // hashing order.
        keys.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var values = keys.map { elements[$0]! }
        let result = unifyElements(&values, declared: declared)
        if case .success = result {
            for (key, value) in zip(keys, values) { elements[key] = value }
        }
        return result
    }

    /// A decoded object: attributes left out of the input are null (cty's
    /// rule), and the type is the declared one unless an attribute's type
    /// was concretised.
    @inline(never)
    static func object(_ type: CtyType, _ attributes: [String: CtyValue], concretised: Bool) -> CtyValue {
        guard case .object(let attributeTypes, let optional) = type else { preconditionFailure("not an object type: \(type)") }
        var attributes = attributes
        if attributes.count < attributeTypes.count {
            for (name, attributeType) in attributeTypes where attributes[name] == nil {
                attributes[name] = .null(attributeType)
            }
        }
        let valueType = concretised ? CtyType.object(attributes.mapValues(\.type), optional: optional) : type
        return CtyValue(uncheckedType: valueType, storage: .attributes(attributes))
    }

    private static func isNullOrUnknown(_ value: CtyValue) -> Bool {
        switch value.storage {
        case .null, .unknown: true
        default: false
        }
    }
}
