/// The schema of a provider, resource or data source: what its configuration
/// accepts and what its state holds. Descriptions are user documentation:
/// Terraform shows them, and docs are written from them.
public struct Schema: Sendable {
    /// Bumped when the stored state's shape changes; `UpgradeResourceState`
    /// receives states written with older versions.
    public var version: Int64
    public var block: SchemaBlock

    public init(version: Int64 = 0, block: SchemaBlock) {
        self.version = version
        self.block = block
    }

    /// The object type of values conforming to this schema.
    public var impliedType: CtyType { block.impliedType }
}

public enum DescriptionKind: Hashable, Sendable {
    case plain
    case markdown
}

public struct SchemaBlock: Sendable {
    public var attributes: [SchemaAttribute]
    public var blocks: [SchemaNestedBlock]
    public var description: String
    public var descriptionKind: DescriptionKind
    public var deprecated: Bool

    public init(
        attributes: [SchemaAttribute],
        blocks: [SchemaNestedBlock] = [],
        description: String = "",
        descriptionKind: DescriptionKind = .markdown,
        deprecated: Bool = false
    ) {
        self.attributes = attributes
        self.blocks = blocks
        self.description = description
        self.descriptionKind = descriptionKind
        self.deprecated = deprecated
    }

    public var impliedType: CtyType {
        var types: [String: CtyType] = [:]
        for attribute in attributes { types[attribute.name] = attribute.type }
        for block in blocks { types[block.typeName] = block.impliedType }
        return .object(types)
    }

    public func attribute(named name: String) -> SchemaAttribute? { attributes.first { $0.name == name } }
}

public struct SchemaAttribute: Sendable {
    public var name: String
    public var type: CtyType
    public var description: String
    public var descriptionKind: DescriptionKind
    public var required: Bool
    public var optional: Bool
    public var computed: Bool
    public var sensitive: Bool
    public var deprecated: Bool
    /// Write-only attributes (protocol 6.8+) are never stored in state.
    public var writeOnly: Bool
    /// How the optional plan layer (`ModelResource`) plans this attribute:
    /// requires-replace, use-state-for-unknown, a default. Never sent to
    /// Terraform. Set with `.requiresReplace()`, `.useStateForUnknown()`,
    /// `.defaultValue(_:)`.
    public var planBehaviour = AttributePlanBehaviour()

    public init(
        name: String,
        type: CtyType,
        description: String,
        descriptionKind: DescriptionKind = .markdown,
        required: Bool = false,
        optional: Bool = false,
        computed: Bool = false,
        sensitive: Bool = false,
        deprecated: Bool = false,
        writeOnly: Bool = false
    ) {
        self.name = name
        self.type = type
        self.description = description
        self.descriptionKind = descriptionKind
        self.required = required
        self.optional = optional
        self.computed = computed
        self.sensitive = sensitive
        self.deprecated = deprecated
        self.writeOnly = writeOnly
    }

    /// Set by the user; must be present.
    public static func required(_ name: String, _ type: CtyType, sensitive: Bool = false, _ description: String) -> SchemaAttribute {
        SchemaAttribute(name: name, type: type, description: description, required: true, sensitive: sensitive)
    }

    /// May be set by the user; null when not.
    public static func optional(_ name: String, _ type: CtyType, sensitive: Bool = false, _ description: String) -> SchemaAttribute {
        SchemaAttribute(name: name, type: type, description: description, optional: true, sensitive: sensitive)
    }

    /// May be set by the user; the provider decides it when not.
    public static func optionalComputed(_ name: String, _ type: CtyType, sensitive: Bool = false, _ description: String) -> SchemaAttribute {
        SchemaAttribute(name: name, type: type, description: description, optional: true, computed: true, sensitive: sensitive)
    }

    /// Decided by the provider only.
    public static func computed(_ name: String, _ type: CtyType, sensitive: Bool = false, _ description: String) -> SchemaAttribute {
        SchemaAttribute(name: name, type: type, description: description, computed: true, sensitive: sensitive)
    }
}

public struct SchemaNestedBlock: Sendable {
    public enum Nesting: Hashable, Sendable { case single, list, set, map, group }

    public var typeName: String
    public var block: SchemaBlock
    public var nesting: Nesting
    public var minItems: Int64
    public var maxItems: Int64

    public init(typeName: String, block: SchemaBlock, nesting: Nesting, minItems: Int64 = 0, maxItems: Int64 = 0) {
        self.typeName = typeName
        self.block = block
        self.nesting = nesting
        self.minItems = minItems
        self.maxItems = maxItems
    }

    public var impliedType: CtyType {
        let blockType = block.impliedType
        switch nesting {
        case .single, .group: return blockType
        case .list: return .list(blockType)
        case .set: return .set(blockType)
        case .map: return .map(blockType)
        }
    }
}
