import Testing
import TerraformPlugin

@Suite("Type JSON: cty's compact type descriptions, both ways")
struct CtyTypeJSONTests {
    private func json(_ type: CtyType) -> String { String(decoding: type.typeJSON, as: UTF8.self) }

    private func parse(_ text: String) throws -> CtyType { try CtyType(typeJSON: Array(text.utf8)) }

    @Test("Every kind of type has its compact form", arguments: [
        (CtyType.bool, #""bool""#), (.number, #""number""#), (.string, #""string""#), (.dynamic, #""dynamic""#),
        (.list(.string), #"["list","string"]"#), (.set(.number), #"["set","number"]"#), (.map(.bool), #"["map","bool"]"#),
        (.tuple([.string, .bool]), #"["tuple",["string","bool"]]"#), (.tuple([]), #"["tuple",[]]"#),
        (.object([:]), #"["object",{}]"#),
        (.object(["b": .list(.number), "a": .string]), #"["object",{"a":"string","b":["list","number"]}]"#),
        (.object(["a": .string, "b": .number], optional: ["b"]), #"["object",{"a":"string","b":"number"},["b"]]"#),
        (.map(.object(["x": .dynamic])), #"["map",["object",{"x":"dynamic"}]]"#),
    ])
    func compactForms(type: CtyType, text: String) throws {
        #expect(json(type) == text)
        #expect(try parse(text) == type)
    }

    @Test("Attribute names and optional names are sorted by their UTF-8 bytes, so equal types have equal JSON")
    func sortedNames() throws {
        let type = CtyType.object(["é": .bool, "b": .bool, "a": .bool, "B": .bool], optional: ["é", "a", "B"])
        #expect(json(type) == #"["object",{"B":"bool","a":"bool","b":"bool","é":"bool"},["B","a","é"]]"#)
        var attributes: [String: CtyType] = [:]
        for index in (0..<50).reversed() { attributes["attribute\(index)"] = .string }
        let reordered = Dictionary(uniqueKeysWithValues: attributes.sorted { $0.key < $1.key })
        #expect(CtyType.object(attributes).typeJSON == CtyType.object(reordered).typeJSON)
    }

    @Test("Names needing escapes are escaped")
    func escapedNames() throws {
        let type = CtyType.object(["quote\"back\\slash\nline": .string])
        #expect(json(type) == #"["object",{"quote\"back\\slash\nline":"string"}]"#)
        #expect(try parse(json(type)) == type)
    }

    @Test("Whitespace and escapes in the input are accepted")
    func lenientSpacing() throws {
        #expect(try parse(" [ \"list\" ,\n \"string\" ] ") == .list(.string))
        #expect(try parse(#"["\u006cist","string"]"#) == .list(.string))
    }

    @Test("Malformed type JSON is an error naming the problem", arguments: [
        (#""strin""#, #"invalid type JSON: unknown type "strin""#),
        (#"["list"]"#, #"invalid type JSON: "list" takes exactly one element type"#),
        (#"["list","string","x"]"#, #"invalid type JSON: "list" takes exactly one element type"#),
        (#"["tuple","string"]"#, #"invalid type JSON: "tuple" takes exactly one array of element types"#),
        (#"["object",["a"]]"#, #"invalid type JSON: "object" takes an object of attribute types and, optionally, an array of optional attribute names"#),
        (#"["object",{"a":"string"},["b"]]"#, #"invalid type JSON: optional attribute "b" is not an attribute of the object"#),
        (#"["object",{"a":"string"},"a"]"#, "invalid type JSON: the optional attributes of an object must be an array of names"),
        (#"["object",{"a":"string"},[1]]"#, "invalid type JSON: the optional attributes of an object must be an array of names"),
        (#"["object",{"a":"string"},[],[]]"#, #"invalid type JSON: "object" takes an object of attribute types and, optionally, an array of optional attribute names"#),
        ("[]", #"invalid type JSON: expected a kind ("list", "set", "map", "tuple" or "object") as the first element of the array"#),
        ("[1]", #"invalid type JSON: expected a kind ("list", "set", "map", "tuple" or "object") as the first element of the array"#),
        (#"["frob","string"]"#, #"invalid type JSON: unknown kind "frob""#),
        ("42", "invalid type JSON: expected a type name or a [kind, ...] array, found a number"),
        ("null", "invalid type JSON: expected a type name or a [kind, ...] array, found null"),
        (#"{"a":1}"#, "invalid type JSON: expected a type name or a [kind, ...] array, found an object"),
        (#"["list",["set",42]]"#, "invalid type JSON: expected a type name or a [kind, ...] array, found a number"),
        (#""string" x"#, "invalid JSON at byte 9: unexpected data after the JSON value"),
        (#"["list","string""#, "invalid JSON at byte 16: expected ',' or ']', found the end of the input"),
        (#"["object",{"a":"string","a":"bool"}]"#, #"invalid JSON at byte 24: duplicate object key "a""#),
    ])
    func malformed(text: String, message: String) throws {
        let bytes = Array(text.utf8)
        let error = try #require(throws: ValueCodingError.self) { try CtyType(typeJSON: bytes) }
        #expect(error.message == message)
    }

    @Test("Deep types: 512 levels of JSON parse, 513 are refused")
    func nesting() throws {
        var type = CtyType.string
        for _ in 0..<511 { type = .list(type) }
        #expect(try CtyType(typeJSON: type.typeJSON) == type)
        let tooDeep = CtyType.list(.list(type))
        let bytes = tooDeep.typeJSON
        let error = try #require(throws: ValueCodingError.self) { try CtyType(typeJSON: bytes) }
        #expect(error.message.hasSuffix("arrays and objects nested deeper than 512 levels"))
    }

    @Test("Generated types survive typeJSON and back")
    func generatedRoundTrips() throws {
        var random = SeededRandom(seed: 2024)
        for _ in 0..<500 {
            let type = ValuesGenerator.type(depth: 4, using: &random)
            #expect(try CtyType(typeJSON: type.typeJSON) == type, "\(String(decoding: type.typeJSON, as: UTF8.self))")
        }
    }
}
