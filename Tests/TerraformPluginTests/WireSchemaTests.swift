import CTFPlugin6
import Testing
@testable import TerraformPlugin

@Suite("Schema on the wire")
struct WireSchemaTests {
    /// An attribute as the wire carries it.
    struct WireAttribute: Equatable {
        var name: String
        var typeJSON: String
        var description: String
        var descriptionKind: UInt32
        var required = false, optional = false, computed = false, sensitive = false, deprecated = false, writeOnly = false
    }

    struct WireNestedBlock: Equatable {
        var typeName: String
        var nesting: UInt32
        var minItems: Int64
        var maxItems: Int64
        var attributeNames: [String]
        var deprecated: Bool
    }

    static var schema: Schema { Schema(
        version: 3,
        block: SchemaBlock(
            attributes: [
                SchemaAttribute(name: "name", type: .string, description: "The name.", descriptionKind: .plain, required: true),
                SchemaAttribute(name: "tags", type: .map(.string), description: "Tags.", optional: true),
                SchemaAttribute(name: "token", type: .string, description: "**Secret**.", computed: true, sensitive: true),
                SchemaAttribute(name: "password", type: .string, description: "Write-only.", optional: true, sensitive: true, writeOnly: true),
                SchemaAttribute(name: "old", type: .list(.number), description: "Old.", optional: true, computed: true, deprecated: true),
                SchemaAttribute(name: "shape", type: .object(["a": .bool, "b": .set(.string)]), description: "", computed: true),
            ],
            blocks: [
                SchemaNestedBlock(
                    typeName: "rule", block: SchemaBlock(attributes: [.required("port", .number, "Port.")]),
                    nesting: .list, minItems: 1, maxItems: 3
                ),
                SchemaNestedBlock(
                    typeName: "limits", block: SchemaBlock(attributes: [.optional("max", .number, "Max.")], deprecated: true),
                    nesting: .single
                ),
                SchemaNestedBlock(typeName: "set_block", block: SchemaBlock(attributes: []), nesting: .set),
                SchemaNestedBlock(typeName: "map_block", block: SchemaBlock(attributes: []), nesting: .map),
                SchemaNestedBlock(typeName: "group_block", block: SchemaBlock(attributes: []), nesting: .group),
            ],
            description: "A thing.",
            descriptionKind: .plain,
            deprecated: true
        )
    ) }

    static let expectedAttributes: [WireAttribute] = [
        WireAttribute(name: "name", typeJSON: #""string""#, description: "The name.", descriptionKind: 0, required: true),
        WireAttribute(name: "tags", typeJSON: #"["map","string"]"#, description: "Tags.", descriptionKind: 1, optional: true),
        WireAttribute(name: "token", typeJSON: #""string""#, description: "**Secret**.", descriptionKind: 1, computed: true, sensitive: true),
        WireAttribute(name: "password", typeJSON: #""string""#, description: "Write-only.", descriptionKind: 1, optional: true, sensitive: true, writeOnly: true),
        WireAttribute(name: "old", typeJSON: #"["list","number"]"#, description: "Old.", descriptionKind: 1, optional: true, computed: true, deprecated: true),
        WireAttribute(name: "shape", typeJSON: #"["object",{"a":"bool","b":["set","string"]}]"#, description: "", descriptionKind: 1, computed: true),
    ]

    static let expectedBlocks: [WireNestedBlock] = [
        WireNestedBlock(typeName: "rule", nesting: 2, minItems: 1, maxItems: 3, attributeNames: ["port"], deprecated: false),
        WireNestedBlock(typeName: "limits", nesting: 1, minItems: 0, maxItems: 0, attributeNames: ["max"], deprecated: true),
        WireNestedBlock(typeName: "set_block", nesting: 3, minItems: 0, maxItems: 0, attributeNames: [], deprecated: false),
        WireNestedBlock(typeName: "map_block", nesting: 4, minItems: 0, maxItems: 0, attributeNames: [], deprecated: false),
        WireNestedBlock(typeName: "group_block", nesting: 5, minItems: 0, maxItems: 0, attributeNames: [], deprecated: false),
    ]

    static func attribute(_ pointer: UnsafeMutablePointer<Tfplugin6__Schema__Attribute>) -> WireAttribute {
        let attribute = pointer.pointee
        return WireAttribute(
            name: String(wire: attribute.name),
            typeJSON: String(decoding: [UInt8](wire: attribute.type), as: UTF8.self),
            description: String(wire: attribute.description),
            descriptionKind: attribute.description_kind.rawValue,
            required: attribute.required != 0, optional: attribute.optional != 0, computed: attribute.computed != 0,
            sensitive: attribute.sensitive != 0, deprecated: attribute.deprecated != 0, writeOnly: attribute.write_only != 0
        )
    }

    /// Packs the schema and reads it back with `read`.
    func withEncoded<Result>(_ read: (Tfplugin6__Schema) throws -> Result) throws -> Result {
        let bytes = request(Tfplugin6__Schema.self) { arena, message in
            message.pointee = Self.schema.wire(in: arena).pointee
        }
        return try UnpackedMessage<Tfplugin6__Schema>(bytes).withMessage(read)
    }

    @Test("the schema version and the block's description, kind and deprecation are encoded")
    func block() throws {
        try withEncoded { schema in
            #expect(schema.version == 3)
            let block = try #require(schema.block).pointee
            #expect(String(wire: block.description) == "A thing.")
            #expect(block.description_kind == TFPLUGIN6__STRING_KIND__PLAIN)
            #expect(block.deprecated != 0)
        }
    }

    @Test("attributes carry their flags, descriptions and types as cty type JSON")
    func attributes() throws {
        let attributes = try withEncoded { schema in
            wireElements(schema.block.pointee.n_attributes, schema.block.pointee.attributes).map(Self.attribute)
        }
        #expect(attributes == Self.expectedAttributes)
    }

    @Test("nested blocks carry their nesting mode, item limits and own block")
    func nestedBlocks() throws {
        let blocks = try withEncoded { schema in
            wireElements(schema.block.pointee.n_block_types, schema.block.pointee.block_types).map { pointer in
                let nested = pointer.pointee
                return WireNestedBlock(
                    typeName: String(wire: nested.type_name),
                    nesting: nested.nesting.rawValue,
                    minItems: nested.min_items,
                    maxItems: nested.max_items,
                    attributeNames: wireElements(nested.block.pointee.n_attributes, nested.block.pointee.attributes).map { String(wire: $0.pointee.name) },
                    deprecated: nested.block.pointee.deprecated != 0
                )
            }
        }
        #expect(blocks == Self.expectedBlocks)
    }

    @Test("a nested block's attributes are encoded like top-level ones")
    func nestedAttributes() throws {
        let port = try withEncoded { schema in
            let rule = try #require(wireElements(schema.block.pointee.n_block_types, schema.block.pointee.block_types).first)
            return try #require(wireElements(rule.pointee.block.pointee.n_attributes, rule.pointee.block.pointee.attributes).first).pipe(Self.attribute)
        }
        #expect(port == WireAttribute(name: "port", typeJSON: #""number""#, description: "Port.", descriptionKind: 1, required: true))
    }
}

extension UnsafeMutablePointer {
    func pipe<Result>(_ transform: (Self) -> Result) -> Result { transform(self) }
}
