/// Typed models of object values, as terraform-plugin-framework's `tfsdk`
/// gives them: a small struct per resource (or data source, ephemeral
/// resource, provider configuration...) whose attribute names are declared
/// once, in its `Key` enum, and whose conversion to and from `CtyValue` is
/// written in one place (`init(reading:)` and `write(to:)`).
///
/// Resource logic then reads `model.ttl`, not `value[attribute: "ttl"]`,
/// where a typo read as null. A test checks every model's keys against its
/// schema in both directions and round-trips a value through it, so a
/// forgotten attribute or a swapped field fails in tests.
public protocol ObjectModel: Sendable {
    associatedtype Key: ModelKey

    /// Reads every field from `object`; the one place attribute names meet
    /// fields. A null (or unknown) object reads as all null (or unknown).
    init(reading object: ModelReader<Key>)

    /// Writes every field; attributes not written are null.
    func write(to object: inout ModelWriter<Key>)
}

/// A resource, data source, ephemeral resource, list resource or action
/// whose values are read through `Model`: a test checks every such type's
/// model against its schema.
public protocol ModelBacked {
    associatedtype Model: ObjectModel
}

/// The attribute names of a model: `enum Key: String, ModelKey { case name, ttl, renew_before }`.
public protocol ModelKey: RawRepresentable, CaseIterable, Hashable, Sendable where RawValue == String {}

extension ObjectModel {
    /// The model of an object value.
    public init(_ value: CtyValue) {
        self.init(reading: ModelReader(object: value))
    }

    /// The model as an object value of `type` (the schema's implied type).
    ///
    /// With `base` (the value the model was read from, or the request's value
    /// the answer replaces), an attribute whose field reads the same from
    /// `base` keeps `base`'s exact value: an unknown keeps its refinements,
    /// a collection holding unknowns stays as Terraform sent it.
    public func value(of type: CtyType, over base: CtyValue? = nil) -> CtyValue {
        var writer = ModelWriter<Key>(type: type, base: base)
        write(to: &writer)
        return writer.value
    }

    /// Every field null: a start for building a value field by field.
    public static var allNull: Self { Self(.null(.dynamic)) }

    /// The attribute names the model declares.
    public static var attributeNames: Set<String> { Set(Key.allCases.map(\.rawValue)) }
}

/// Reads typed fields of an object value by key.
public struct ModelReader<Key: ModelKey>: Sendable {
    public let object: CtyValue

    public init(object: CtyValue) { self.object = object }

    /// A typed field: null, unknown, or a known value.
    public subscript<Value: CtyConvertible>(_ key: Key) -> Field<Value> {
        Field(decoding: object[key])
    }

    /// The attribute as it is: for collections whose elements may be
    /// unknown while the collection is known (a configuration's
    /// `scopes = [var.x]`), which a typed field cannot say.
    public subscript(raw key: Key) -> CtyValue { object[key] }
}

/// Writes typed fields into an object value of a declared type.
public struct ModelWriter<Key: ModelKey>: Sendable {
    let type: CtyType
    let base: CtyValue?
    var attributes: [String: CtyValue] = [:]

    init(type: CtyType, base: CtyValue?) {
        self.type = type
        self.base = base.flatMap { $0.attributes == nil ? nil : $0 }
    }

    public mutating func set<Value: CtyConvertible>(_ key: Key, _ field: Field<Value>) {
        let attributeType = attributeType(of: key)
        if let base, Field<Value>(decoding: base[key]) == field {
            attributes[key.rawValue] = base[key]
        } else {
            attributes[key.rawValue] = field.value(of: attributeType)
        }
    }

    public mutating func set(raw key: Key, _ value: CtyValue) {
        let attributeType = attributeType(of: key)
        // A null or unknown read from a value without a type (`allNull`)
        // takes the attribute's type.
        attributes[key.rawValue] = switch value.storage {
        case .null where value.type == .dynamic: .null(attributeType)
        case .unknown where value.type == .dynamic: .unknown(attributeType)
        default: value
        }
    }

    private func attributeType(of key: Key) -> CtyType {
        let attributeType = type.attributeTypes?[key.rawValue]
        assert(attributeType != nil, "the model's type has no attribute \"\(key.rawValue)\"")
        return attributeType ?? .dynamic
    }

    var value: CtyValue { .object(type: type, attributes) }
}

/// A typed attribute value that may be null or unknown, as every value in
/// a configuration or plan may be (a stored state's are never unknown).
public enum Field<Value: CtyConvertible>: Sendable, Hashable {
    case null
    /// Not known until apply: it depends on something not yet created, or
    /// the provider decides it then.
    case unknown
    case known(Value)

    /// Null for nil.
    public init(_ value: Value?) {
        self = value.map(Field.known) ?? .null
    }

    /// The known value; nil when null or unknown.
    public var value: Value? {
        if case .known(let value) = self { return value }
        return nil
    }

    public var isNull: Bool { self == .null }

    /// False when unknown (a null is known).
    public var isKnown: Bool { self != .unknown }

    /// An unset optional+computed attribute the provider decides at apply.
    public var orUnknownIfNull: Field { isNull ? .unknown : self }

    /// A field read from a value. A known value the Swift type cannot hold
    /// (the model declares a type the schema does not) is a programmer
    /// error: debug builds stop, release builds read null.
    public init(decoding value: CtyValue) {
        switch value.storage {
        case .null: self = .null
        case .unknown: self = .unknown
        default:
            guard let converted = Value(cty: value) else {
                assertionFailure("a \(value.type.friendlyName) value does not convert to \(Value.self)")
                self = .null
                return
            }
            self = .known(converted)
        }
    }

    public func value(of type: CtyType) -> CtyValue {
        switch self {
        case .null: .null(type)
        case .unknown: .unknown(type)
        case .known(let value): value.ctyValue(of: type)
        }
    }
}

extension Field: ExpressibleByUnicodeScalarLiteral, ExpressibleByExtendedGraphemeClusterLiteral, ExpressibleByStringLiteral
where Value == String {
    public init(stringLiteral value: String) { self = .known(value) }
}

/// A Swift type a known, non-null value converts to and from.
public protocol CtyConvertible: Sendable, Hashable {
    /// Nil when the value is not of this Swift type.
    init?(cty value: CtyValue)
    func ctyValue(of type: CtyType) -> CtyValue
}

extension String: CtyConvertible {
    public init?(cty value: CtyValue) {
        guard let string = value.stringValue else { return nil }
        self = string
    }

    public func ctyValue(of type: CtyType) -> CtyValue { .string(self) }
}

extension Bool: CtyConvertible {
    public init?(cty value: CtyValue) {
        guard let bool = value.boolValue else { return nil }
        self = bool
    }

    public func ctyValue(of type: CtyType) -> CtyValue { .bool(self) }
}

extension CtyNumber: CtyConvertible {
    public init?(cty value: CtyValue) {
        guard let number = value.numberValue else { return nil }
        self = number
    }

    public func ctyValue(of type: CtyType) -> CtyValue { .number(self) }
}

extension CtyValue {
    /// The attribute `key` of an object value (see `subscript(attribute:)`).
    public subscript<Key: ModelKey>(key: Key) -> CtyValue { self[attribute: key.rawValue] }

    /// A copy of this object value with the attribute `key` replaced.
    public func setting<Key: ModelKey>(_ key: Key, to value: CtyValue) -> CtyValue { setting(key.rawValue, to: value) }
}

extension AttributePath {
    /// A top-level attribute named by a model key.
    public init<Key: ModelKey>(_ key: Key) { self.init(key.rawValue) }
}
