/// A value in Terraform's type system: typed, possibly null, possibly unknown
/// (a placeholder decided only at apply), at any depth.
///
/// Values are immutable. The `type` is the value's concrete type; for a value
/// of a dynamic attribute it is the runtime type, or `.dynamic` when the value
/// is a null or unknown whose type is not yet decided.
public struct CtyValue: Sendable {
    public let type: CtyType
    public let storage: Storage

    public enum Storage: Sendable {
        case null
        /// Boxed: refinements are rare but large (about 110 bytes inline),
        /// and every value would otherwise carry their size, on the heap and
        /// on the stack of every recursive codec function.
        indirect case unknown(CtyRefinements)
        case bool(Bool)
        case number(CtyNumber)
        case string(String)
        /// Elements of a list, set or tuple (the type says which). A set's
        /// elements are unique and their order carries no meaning.
        case elements([CtyValue])
        /// Elements of a map, or attributes of an object (the type says which).
        case attributes([String: CtyValue])
    }

    /// Builds a value without checking it against its type. Prefer the
    /// factory functions below, which derive or check types.
    public init(uncheckedType type: CtyType, storage: Storage) {
        self.type = type
        self.storage = storage
    }
}

// MARK: - Factories

extension CtyValue {
    public static func null(_ type: CtyType) -> CtyValue { CtyValue(uncheckedType: type, storage: .null) }

    public static func unknown(_ type: CtyType, refinements: CtyRefinements = CtyRefinements()) -> CtyValue {
        CtyValue(uncheckedType: type, storage: .unknown(refinements))
    }

    public static func bool(_ value: Bool) -> CtyValue { CtyValue(uncheckedType: .bool, storage: .bool(value)) }

    public static func string(_ value: String) -> CtyValue { CtyValue(uncheckedType: .string, storage: .string(value)) }

    public static func number(_ value: CtyNumber) -> CtyValue { CtyValue(uncheckedType: .number, storage: .number(value)) }

    public static func number(_ value: Int) -> CtyValue { .number(CtyNumber(Int64(value))) }

    public static func list(of elementType: CtyType, _ elements: [CtyValue]) -> CtyValue {
        CtyValue(uncheckedType: .list(elementType), storage: .elements(elements))
    }

    /// A set; duplicate elements are dropped, as sets hold each value once.
    /// Elements that are or contain unknowns are all kept: cty never counts
    /// two unknowns as the same element (they may turn out different), and
    /// Terraform checks that a plan keeps as many elements as it sent.
    public static func set(of elementType: CtyType, _ elements: [CtyValue]) -> CtyValue {
        var unique: [CtyValue] = []
        unique.reserveCapacity(elements.count)
        var seen = Set<CtyValue>(minimumCapacity: elements.count)
        for element in elements where !element.isWhollyKnown || seen.insert(element).inserted {
            unique.append(element)
        }
        return CtyValue(uncheckedType: .set(elementType), storage: .elements(unique))
    }

    public static func map(of elementType: CtyType, _ elements: [String: CtyValue]) -> CtyValue {
        CtyValue(uncheckedType: .map(elementType), storage: .attributes(elements))
    }

    /// A tuple whose type is derived from its elements' types.
    public static func tuple(_ elements: [CtyValue]) -> CtyValue {
        CtyValue(uncheckedType: .tuple(elements.map(\.type)), storage: .elements(elements))
    }

    /// An object whose type is derived from its attributes' types.
    public static func object(_ attributes: [String: CtyValue]) -> CtyValue {
        CtyValue(uncheckedType: .object(attributes.mapValues(\.type)), storage: .attributes(attributes))
    }

    /// An object of a declared type: attributes missing from `attributes` are
    /// null of their declared type. Given a type that is not an object type
    /// (a programmer error), the value keeps that type and fails to encode,
    /// which the router reports as a provider bug: nothing here traps.
    public static func object(type: CtyType, _ attributes: [String: CtyValue]) -> CtyValue {
        guard case .object(let attributeTypes, _) = type else {
            return CtyValue(uncheckedType: type, storage: .attributes(attributes))
        }
        var filled = attributes
        for (name, attributeType) in attributeTypes where filled[name] == nil {
            filled[name] = .null(attributeType)
        }
        return CtyValue(uncheckedType: type, storage: .attributes(filled))
    }
}

// MARK: - Inspection

extension CtyValue {
    public var isNull: Bool {
        if case .null = storage { return true }
        return false
    }

    /// False when this value itself is unknown (nested unknowns do not count).
    public var isKnown: Bool {
        if case .unknown = storage { return false }
        return true
    }

    /// True when neither this value nor anything inside it is unknown.
    public var isWhollyKnown: Bool {
        switch storage {
        case .unknown: false
        case .elements(let elements): elements.allSatisfy(\.isWhollyKnown)
        case .attributes(let attributes): attributes.values.allSatisfy(\.isWhollyKnown)
        default: true
        }
    }

    /// The string, when this is a known, non-null string.
    public var stringValue: String? {
        if case .string(let value) = storage { return value }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let value) = storage { return value }
        return nil
    }

    public var numberValue: CtyNumber? {
        if case .number(let value) = storage { return value }
        return nil
    }

    /// Elements of a known, non-null list, set or tuple.
    public var elements: [CtyValue]? {
        if case .elements(let elements) = storage { return elements }
        return nil
    }

    /// Elements of a known, non-null map, or attributes of an object.
    public var attributes: [String: CtyValue]? {
        if case .attributes(let attributes) = storage { return attributes }
        return nil
    }

    /// The named attribute of an object value. For a null or unknown object,
    /// the attribute is null or unknown in turn, as Terraform treats it.
    ///
    /// Asking an object for an attribute its type does not have is a
    /// programmer error (a typo would read as null, which plan logic takes
    /// for "not set"): debug builds, which the tests run, stop at it; release
    /// builds never trap and read null. Resource code reads attributes
    /// through its model (`ObjectModel`), whose names are checked against the
    /// schema by tests.
    public subscript(attribute name: String) -> CtyValue {
        assert(type.hasAttributeOrIsNotObject(name), "object type has no attribute \"\(name)\"")
        let attributeType = type.attributeTypes?[name] ?? .dynamic
        switch storage {
        case .attributes(let attributes): return attributes[name] ?? .null(attributeType)
        case .unknown: return .unknown(attributeType)
        default: return .null(attributeType)
        }
    }

    /// A copy of this object value with one attribute replaced.
    ///
    /// A null or unknown object has no attributes to replace: the value is
    /// returned unchanged. This never traps, because it is reached with
    /// request data (the router only passes known objects where resources
    /// set attributes, but resource code must not be able to crash the
    /// process should a value slip through). Check `isNull`/`isKnown` first
    /// where the difference matters.
    /// Setting an attribute the object's type lacks is a programmer error:
    /// debug builds stop at it (the value would not conform to the schema).
    public func setting(_ name: String, to value: CtyValue) -> CtyValue {
        assert(type.hasAttributeOrIsNotObject(name), "object type has no attribute \"\(name)\"")
        guard case .attributes(var attributes) = storage else { return self }
        attributes[name] = value
        return CtyValue(uncheckedType: type, storage: .attributes(attributes))
    }

    /// A copy of this object value with several attributes replaced.
    public func setting(_ values: [String: CtyValue]) -> CtyValue {
        values.reduce(self) { $0.setting($1.key, to: $1.value) }
    }
}

// MARK: - Equality

// Equality is cty's: same type and same value, where set elements compare
// without regard to order. Unknowns compare equal when their types and
// refinements are equal (what a "no change" check between plans needs).
extension CtyValue: Hashable {
    public static func == (lhs: CtyValue, rhs: CtyValue) -> Bool {
        guard lhs.type == rhs.type else { return false }
        switch (lhs.storage, rhs.storage) {
        case (.null, .null): return true
        case (.unknown(let a), .unknown(let b)): return a == b
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.attributes(let a), .attributes(let b)): return a == b
        case (.elements(let a), .elements(let b)):
            guard a.count == b.count else { return false }
            if case .set = lhs.type { return CtyValue.sameElements(a, b) }
            return a == b
        default: return false
        }
    }

    /// Set elements compared as a multiset: a set may hold the same unknown
    /// more than once (see `set(of:_:)`).
    private static func sameElements(_ a: [CtyValue], _ b: [CtyValue]) -> Bool {
        var counts = [CtyValue: Int](minimumCapacity: a.count)
        for element in a { counts[element, default: 0] += 1 }
        for element in b {
            guard let count = counts[element], count > 0 else { return false }
            counts[element] = count - 1
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(type)
        switch storage {
        case .null: hasher.combine(0)
        case .unknown(let refinements): hasher.combine(1); hasher.combine(refinements)
        case .bool(let value): hasher.combine(value)
        case .number(let value): hasher.combine(value)
        case .string(let value): hasher.combine(value)
        case .attributes(let attributes): hasher.combine(attributes)
        case .elements(let elements):
            if case .set = type {
                // Order-independent: combine the elements' own hashes
                // commutatively. A sum, not XOR, so that repeated unknown
                // elements do not cancel out.
                hasher.combine(elements.reduce(0) { $0 &+ $1.hashValue })
            } else {
                hasher.combine(elements)
            }
        }
    }
}

/// What is known about an unknown value (Terraform 1.6+ "refinements").
/// Values decoded from older Terraform versions carry none. The codecs keep
/// refinements so that a provider echoing an unknown back preserves them.
public struct CtyRefinements: Hashable, Sendable {
    /// `true`: definitely not null. `false` would mean definitely null, which
    /// Terraform never sends (it sends a null instead). `nil`: may be null.
    public var notNull: Bool?
    /// For strings: a prefix the final value starts with.
    public var stringPrefix: String?
    /// For numbers: bounds, each with whether it is inclusive.
    public var numberLowerBound: (value: CtyNumber, inclusive: Bool)? {
        get { numberLower.map { ($0.value, $0.inclusive) } }
        set { numberLower = newValue.map { Bound(value: $0.value, inclusive: $0.inclusive) } }
    }
    public var numberUpperBound: (value: CtyNumber, inclusive: Bool)? {
        get { numberUpper.map { ($0.value, $0.inclusive) } }
        set { numberUpper = newValue.map { Bound(value: $0.value, inclusive: $0.inclusive) } }
    }
    /// For collections: inclusive bounds on the number of elements.
    public var lengthLowerBound: Int64?
    public var lengthUpperBound: Int64?

    private var numberLower: Bound?
    private var numberUpper: Bound?
    private struct Bound: Hashable, Sendable {
        var value: CtyNumber
        var inclusive: Bool
    }

    public init() {}

    /// True when nothing is known: encoded as a plain unknown (extension 0).
    public var isEmpty: Bool { self == CtyRefinements() }
}

extension CtyType {
    /// False only for an object type without the attribute `name`.
    func hasAttributeOrIsNotObject(_ name: String) -> Bool {
        guard case .object(let attributes, _) = self else { return true }
        return attributes[name] != nil
    }
}
