import CTFPlugin6
import Testing
@testable import TerraformPlugin

@Suite("DynamicValue, RawState and capabilities on the wire")
struct WireValueTests {
    static var type: CtyType { CtyType.object(["name": .string]) }

    func decode(_ fill: @escaping (WireArena, UnsafeMutablePointer<Tfplugin6__DynamicValue>) -> Void) throws -> CtyValue {
        let bytes = request(Tfplugin6__DynamicValue.self, fill)
        return try UnpackedMessage<Tfplugin6__DynamicValue>(bytes).withMessage { message in
            try withUnsafePointer(to: message) { pointer throws(ValueCodingError) in try DynamicValueWire.decode(pointer, as: Self.type) }
        }
    }

    @Test("msgpack is decoded against the schema's type")
    func msgpackDecodes() throws {
        let value = try decode { arena, message in
            message.pointee.msgpack = arena.bytes(MP.map([("name", .str("a"))]).bytes)
        }
        #expect(value == .object(["name": .string("a")]))
    }

    @Test("msgpack wins when both encodings are present")
    func msgpackPreferred() throws {
        let value = try decode { arena, message in
            message.pointee.msgpack = arena.bytes(MP.map([("name", .str("from msgpack"))]).bytes)
            message.pointee.json = arena.bytes(Array(#"{"name":"from json"}"#.utf8))
        }
        #expect(value == .object(["name": .string("from msgpack")]))
    }

    @Test("JSON is the fallback when msgpack is empty")
    func jsonFallback() throws {
        let value = try decode { arena, message in
            message.pointee.json = arena.bytes(Array(#"{"name":"from json"}"#.utf8))
        }
        #expect(value == .object(["name": .string("from json")]))
    }

    @Test("a DynamicValue with neither encoding is an error, not a null")
    func emptyIsAnError() {
        #expect(throws: ValueCodingError.self) { try decode { _, _ in } }
    }

    @Test("a missing DynamicValue is an error")
    func missingIsAnError() {
        #expect(throws: ValueCodingError.self) { try DynamicValueWire.decode(nil, as: Self.type) }
    }

    @Test("responses are msgpack that decodes to the same value")
    func encodesMsgpack() throws {
        let value = CtyValue.object(["name": .unknown(.string)])
        let bytes = try DynamicValueWire.encode(value, as: Self.type)
        #expect(try MsgPackValueCodec.decode(bytes, as: Self.type) == value)
    }

    /// Values a provider could build (types are unchecked) that would not
    /// decode as the schema's type on Terraform's side, with the path to the
    /// part that is wrong.
    static var nonConforming: [(String, CtyValue, AttributePath)] {
        let type = CtyType.object(["name": .string, "tags": .map(.string), "rules": .list(.object(["port": .number]))])
        func value(_ overrides: [String: CtyValue]) -> CtyValue {
            var attributes: [String: CtyValue] = [
                "name": .string("a"), "tags": .null(.map(.string)), "rules": .null(.list(.object(["port": .number]))),
            ]
            for (name, value) in overrides { attributes[name] = value }
            return CtyValue(uncheckedType: type, storage: .attributes(attributes))
        }
        return [
            ("a number for a string", value(["name": .number(1)]), "name"),
            ("a wrong map element", value(["tags": CtyValue(uncheckedType: .map(.string), storage: .attributes(["env": .bool(true)]))]),
             AttributePath("tags").appending(key: "env")),
            ("a missing nested attribute", value(["rules": CtyValue(uncheckedType: .list(.object(["port": .number])), storage: .elements([
                CtyValue(uncheckedType: .object(["port": .number]), storage: .attributes([:])),
            ]))]), AttributePath("rules").appending(index: 0)),
            ("a storage that contradicts its type", value(["name": CtyValue(uncheckedType: .string, storage: .bool(true))]), "name"),
            ("an extra attribute", CtyValue(uncheckedType: type, storage: .attributes([
                "name": .string("a"), "tags": .null(.map(.string)), "rules": .null(.list(.object(["port": .number]))), "more": .string("x"),
            ])), AttributePath()),
        ]
    }

    @Test("a value that does not conform to the type is not encoded, and the error names the path", arguments: nonConforming)
    func nonConformingIsRefused(name: String, value: CtyValue, path: AttributePath) throws {
        let type = try #require(value.type.attributeTypes.map { CtyType.object($0) })
        do {
            let bytes = try DynamicValueWire.encode(value, as: type)
            Issue.record("\(name) was encoded: \(bytes)")
        } catch {
            #expect(error.path == path)
        }
    }

    @Test("RawState gives its JSON, or nil for a flatmap-only state")
    func rawState() throws {
        let json = request(Tfplugin6__RawState.self) { arena, message in
            message.pointee.json = arena.bytes(Array(#"{"a":1}"#.utf8))
        }
        // flatmap: {"a": "1"} (map entries are field 2)
        let flatmap = PB.bytes(2, PB.string(1, "a") + PB.string(2, "1"))
        let fromJSON = try UnpackedMessage<Tfplugin6__RawState>(json).withMessage { message in
            withUnsafePointer(to: message) { RawStateWire.json($0) }
        }
        let fromFlatmap = try UnpackedMessage<Tfplugin6__RawState>(flatmap).withMessage { message in
            withUnsafePointer(to: message) { RawStateWire.json($0) }
        }
        #expect(fromJSON == Array(#"{"a":1}"#.utf8))
        #expect(fromFlatmap == nil)
        #expect(RawStateWire.json(nil) == nil)
    }

    @Test("server capabilities say plan_destroy and get_provider_schema_optional, nothing else")
    func capabilities() throws {
        let bytes = request(Tfplugin6__ServerCapabilities.self) { arena, message in
            message.pointee = ServerCapabilities.router.wire(in: arena).pointee
        }
        try UnpackedMessage<Tfplugin6__ServerCapabilities>(bytes).withMessage { message in
            #expect(message.plan_destroy != 0)
            #expect(message.get_provider_schema_optional != 0)
            #expect(message.move_resource_state == 0)
            #expect(message.generate_resource_config == 0)
        }
        // plan_destroy (1) and get_provider_schema_optional (2), both true
        #expect(bytes == [0x08, 0x01, 0x10, 0x01])
    }
}
