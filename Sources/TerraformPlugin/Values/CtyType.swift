/// A type in Terraform's type system (HashiCorp's cty), as schemas declare
/// them and as dynamic values carry them on the wire.
public indirect enum CtyType: Hashable, Sendable {
    case bool
    case number
    case string
    /// The dynamic pseudo-type: a placeholder whose concrete type is decided
    /// only at runtime. Values of this static type travel with their type.
    case dynamic
    case list(CtyType)
    case set(CtyType)
    case map(CtyType)
    case tuple([CtyType])
    /// An object type. `optional` names attributes that a type constraint
    /// declared with `optional(...)`; it only appears in type constraints.
    case object([String: CtyType], optional: Set<String> = [])

    /// The element type of a list, set or map.
    public var elementType: CtyType? {
        switch self {
        case .list(let element), .set(let element), .map(let element): element
        default: nil
        }
    }

    /// The attribute types of an object type.
    public var attributeTypes: [String: CtyType]? {
        if case .object(let attributes, _) = self { return attributes }
        return nil
    }

    package var isPrimitive: Bool {
        switch self {
        case .bool, .number, .string: true
        default: false
        }
    }

    /// True when the type is, or contains, the dynamic pseudo-type.
    package var hasDynamicTypes: Bool {
        switch self {
        case .dynamic: true
        case .bool, .number, .string: false
        case .list(let element), .set(let element), .map(let element): element.hasDynamicTypes
        case .tuple(let elements): elements.contains { $0.hasDynamicTypes }
        case .object(let attributes, _): attributes.values.contains { $0.hasDynamicTypes }
        }
    }

    /// The type as Terraform prints it in messages: `string`, `list of string`,
    /// `map of number`, `object`, `tuple`.
    package var friendlyName: String {
        switch self {
        case .bool: "bool"
        case .number: "number"
        case .string: "string"
        case .dynamic: "any type"
        case .list(let element): "list of \(element.friendlyName)"
        case .set(let element): "set of \(element.friendlyName)"
        case .map(let element): "map of \(element.friendlyName)"
        case .tuple: "tuple"
        case .object: "object"
        }
    }
}
