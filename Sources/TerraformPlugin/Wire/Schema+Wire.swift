import CTFPlugin6

extension Schema {
    func wire(in arena: WireArena) -> UnsafeMutablePointer<Tfplugin6__Schema> {
        let message = arena.message(Tfplugin6__Schema.self)
        message.pointee.version = version
        message.pointee.block = block.wire(in: arena)
        return message
    }
}

extension SchemaBlock {
    func wire(in arena: WireArena) -> UnsafeMutablePointer<Tfplugin6__Schema__Block> {
        let message = arena.message(Tfplugin6__Schema__Block.self)
        (message.pointee.n_attributes, message.pointee.attributes) = arena.repeated(attributes.map { $0.wire(in: arena) })
        (message.pointee.n_block_types, message.pointee.block_types) = arena.repeated(blocks.map { $0.wire(in: arena) })
        message.pointee.description = arena.string(description)
        message.pointee.description_kind = descriptionKind.wire
        message.pointee.deprecated = deprecated ? 1 : 0
        return message
    }
}

extension SchemaAttribute {
    func wire(in arena: WireArena) -> UnsafeMutablePointer<Tfplugin6__Schema__Attribute> {
        let message = arena.message(Tfplugin6__Schema__Attribute.self)
        message.pointee.name = arena.string(name)
        message.pointee.type = arena.bytes(type.typeJSON)
        message.pointee.description = arena.string(description)
        message.pointee.description_kind = descriptionKind.wire
        message.pointee.required = required ? 1 : 0
        message.pointee.optional = optional ? 1 : 0
        message.pointee.computed = computed ? 1 : 0
        message.pointee.sensitive = sensitive ? 1 : 0
        message.pointee.deprecated = deprecated ? 1 : 0
        message.pointee.write_only = writeOnly ? 1 : 0
        return message
    }
}

extension SchemaNestedBlock {
    func wire(in arena: WireArena) -> UnsafeMutablePointer<Tfplugin6__Schema__NestedBlock> {
        let message = arena.message(Tfplugin6__Schema__NestedBlock.self)
        message.pointee.type_name = arena.string(typeName)
        message.pointee.block = block.wire(in: arena)
        message.pointee.nesting = nesting.wire
        message.pointee.min_items = minItems
        message.pointee.max_items = maxItems
        return message
    }
}

extension SchemaNestedBlock.Nesting {
    var wire: Tfplugin6__Schema__NestedBlock__NestingMode {
        switch self {
        case .single: TFPLUGIN6__SCHEMA__NESTED_BLOCK__NESTING_MODE__SINGLE
        case .list: TFPLUGIN6__SCHEMA__NESTED_BLOCK__NESTING_MODE__LIST
        case .set: TFPLUGIN6__SCHEMA__NESTED_BLOCK__NESTING_MODE__SET
        case .map: TFPLUGIN6__SCHEMA__NESTED_BLOCK__NESTING_MODE__MAP
        case .group: TFPLUGIN6__SCHEMA__NESTED_BLOCK__NESTING_MODE__GROUP
        }
    }
}

extension DescriptionKind {
    var wire: Tfplugin6__StringKind {
        switch self {
        case .plain: TFPLUGIN6__STRING_KIND__PLAIN
        case .markdown: TFPLUGIN6__STRING_KIND__MARKDOWN
        }
    }
}
