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
        // The decoders call this only for list and set types; an error, not
        // a trap, should that ever change.
        guard let declaredElementType = type.elementType else { throw ValueCodingError("not a collection type: \(type)") }
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
    /// type all elements can have, as a cty collection holds elements of a
    /// single type. Element types are merged, a `dynamic` in one giving way
    /// to what another has in its place (a null of undecided type, an empty
    /// `list(dynamic)` next to a `list(string)`), and elements are retyped to
    /// the result, as cty's conversions would. Conflicting types (a string
    /// and a number) are an error.
    static func unifyElements(_ elements: inout [CtyValue], declared: CtyType) -> Result<CtyType, ValueCodingError> {
        guard var common = elements.first?.type else { return .success(declared) }
        for element in elements.dropFirst() where element.type != common {
            guard let merged = common.merged(with: element.type) else {
                return .failure(ValueCodingError(
                    "the elements of a collection must all have the same type, found \(common.friendlyName) and \(element.type.friendlyName)"
                ))
            }
            common = merged
        }
        for index in elements.indices where elements[index].type != common {
            elements[index] = elements[index].retyped(as: common)
        }
        return .success(common)
    }

    /// As `unifyElements`, for the elements of a map.
    static func unifyElements(_ elements: inout [String: CtyValue], declared: CtyType) -> Result<CtyType, ValueCodingError> {
        var keys = Array(elements.keys)
        // Sorted, so that which conflict is reported does not depend on
        // hashing order.
        keys.sort(by: UTF8Text.precedes)
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
        // The decoders call this only for object types; should that ever
        // change, the value keeps the type it was given (and fails to encode)
        // rather than trapping.
        guard case .object(let attributeTypes, let optional) = type else {
            return CtyValue(uncheckedType: type, storage: .attributes(attributes))
        }
        var attributes = attributes
        if attributes.count < attributeTypes.count {
            for (name, attributeType) in attributeTypes where attributes[name] == nil {
                attributes[name] = .null(attributeType)
            }
        }
        let valueType = concretised ? CtyType.object(attributes.mapValues(\.type), optional: optional) : type
        return CtyValue(uncheckedType: valueType, storage: .attributes(attributes))
    }

}

extension CtyType {
    /// The most concrete type compatible with both, where `dynamic` in one
    /// gives way to whatever the other has in its place; nil when the two
    /// disagree. Optional markers are kept from `self`.
    func merged(with other: CtyType) -> CtyType? {
        switch (self, other) {
        case (.dynamic, _): return other
        case (_, .dynamic): return self
        case (.bool, .bool), (.number, .number), (.string, .string): return self
        case (.list(let a), .list(let b)): return a.merged(with: b).map { .list($0) }
        case (.set(let a), .set(let b)): return a.merged(with: b).map { .set($0) }
        case (.map(let a), .map(let b)): return a.merged(with: b).map { .map($0) }
        case (.tuple(let a), .tuple(let b)):
            guard a.count == b.count else { return nil }
            var merged: [CtyType] = []
            merged.reserveCapacity(a.count)
            for (x, y) in zip(a, b) {
                guard let type = x.merged(with: y) else { return nil }
                merged.append(type)
            }
            return .tuple(merged)
        case (.object(let a, let optional), .object(let b, _)):
            guard a.count == b.count else { return nil }
            var merged = [String: CtyType](minimumCapacity: a.count)
            for (name, x) in a {
                guard let y = b[name], let type = x.merged(with: y) else { return nil }
                merged[name] = type
            }
            return .object(merged, optional: optional)
        default:
            return nil
        }
    }
}

extension CtyValue {
    /// This value as one of `type`, a type it is compatible with that is
    /// more concrete where this value's type has `dynamic` (see `merged`).
    /// Nulls and unknowns simply take the type; collections pass it down.
    func retyped(as type: CtyType) -> CtyValue {
        if self.type == type { return self }
        switch (storage, type) {
        case (.elements(let elements), .list(let elementType)):
            return CtyValue(uncheckedType: type, storage: .elements(elements.map { $0.retyped(as: elementType) }))
        case (.elements(let elements), .set(let elementType)):
            // Elements that differed only in type may now be equal.
            return .set(of: elementType, elements.map { $0.retyped(as: elementType) })
        case (.elements(let elements), .tuple(let elementTypes)) where elements.count == elementTypes.count:
            return CtyValue(uncheckedType: type, storage: .elements(zip(elements, elementTypes).map { $0.retyped(as: $1) }))
        case (.attributes(let elements), .map(let elementType)):
            return CtyValue(uncheckedType: type, storage: .attributes(elements.mapValues { $0.retyped(as: elementType) }))
        case (.attributes(let attributes), .object(let attributeTypes, _)):
            var retyped = [String: CtyValue](minimumCapacity: attributes.count)
            for (name, attribute) in attributes {
                retyped[name] = attributeTypes[name].map { attribute.retyped(as: $0) } ?? attribute
            }
            return CtyValue(uncheckedType: type, storage: .attributes(retyped))
        default:
            // Nulls, unknowns and primitives: the type is all there is to change.
            return CtyValue(uncheckedType: type, storage: storage)
        }
    }
}
