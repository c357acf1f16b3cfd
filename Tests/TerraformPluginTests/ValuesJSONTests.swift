import Testing
import TerraformPlugin

@Suite("JSON values: decoding along the type, exact numbers, dynamic values, stored states")
struct ValuesJSONTests {
    private func decode(_ json: String, as type: CtyType, ignoring: Bool = false) throws -> CtyValue {
        try JSONValueCodec.decode(Array(json.utf8), as: type, ignoringUndefinedAttributes: ignoring)
    }

    private func encode(_ value: CtyValue, as type: CtyType) throws -> String {
        String(decoding: try JSONValueCodec.encode(value, as: type), as: UTF8.self)
    }

    private func failure(_ json: String, as type: CtyType, ignoring: Bool = false) throws -> ValueCodingError {
        let bytes = Array(json.utf8)
        return try #require(throws: ValueCodingError.self) {
            try JSONValueCodec.decode(bytes, as: type, ignoringUndefinedAttributes: ignoring)
        }
    }

    @Test("An object of every primitive and collection kind decodes")
    func objectOfEverything() throws {
        let type = CtyType.object([
            "id": .string, "count": .number, "enabled": .bool, "tags": .list(.string), "labels": .map(.string),
            "zones": .set(.string), "pair": .tuple([.string, .number]), "nothing": .string,
        ])
        let json = """
            { "id": "abc", "count": 3, "enabled": true, "tags": ["a", "b"], "labels": {"env": "prod"},
              "zones": ["z1", "z2", "z1"], "pair": ["x", 1.5], "nothing": null }
            """
        let value = try decode(json, as: type)
        #expect(value == .object(type: type, [
            "id": .string("abc"), "count": .number(3), "enabled": .bool(true),
            "tags": .list(of: .string, [.string("a"), .string("b")]), "labels": .map(of: .string, ["env": .string("prod")]),
            "zones": .set(of: .string, [.string("z1"), .string("z2")]),
            "pair": .tuple([.string("x"), .number(ValuesFixtures.number("1.5"))]),
        ]))
    }

    @Test("Numbers keep their exact decimal value, whatever their size", arguments: [
        "0.1", "-0", "12345678901234567890123456789.123456789", "1e400", "-2.5E-10", "0.000001", "18446744073709551616",
    ])
    func exactNumbers(text: String) throws {
        let value = try decode(text, as: .number)
        #expect(value == .number(ValuesFixtures.number(text)))
        // And a string holding the same text is the same number.
        #expect(try decode("\"\(text)\"", as: .number) == value)
    }

    @Test("Numbers are written as exact JSON numbers")
    func encodeNumbers() throws {
        #expect(try encode(.number(ValuesFixtures.number("0.1")), as: .number) == "0.1")
        #expect(try encode(.number(ValuesFixtures.number("-1234.5")), as: .number) == "-1234.5")
        #expect(try encode(.number(ValuesFixtures.number("1e400")), as: .number) == "1e+400")
        #expect(try encode(.number(ValuesFixtures.number("1e-30")), as: .number) == "1e-30")
        #expect(try encode(.number(CtyNumber(exactly: 0.1)!), as: .number) == "0.1000000000000000055511151231257827021181583404541015625")
        #expect(try encode(.number(.positiveInfinity), as: .number) == "\"+Inf\"")
        #expect(try decode("\"-Inf\"", as: .number) == .number(.negativeInfinity))
    }

    @Test("cty's conversions between primitives are accepted when decoding")
    func primitiveConversions() throws {
        #expect(try decode("42", as: .string) == .string("42"))
        #expect(try decode("1.50", as: .string) == .string("1.50"))
        #expect(try decode("true", as: .string) == .string("true"))
        #expect(try decode("\"false\"", as: .bool) == .bool(false))
        #expect(try failure("\"yes\"", as: .bool).message == "expected a bool, found a string")
        #expect(try failure("\"12a\"", as: .number).message == "expected a number, found the string \"12a\"")
    }

    @Test("String escapes, including surrogate pairs, decode to their characters")
    func escapes() throws {
        let value = try decode(#""\"\\\/\b\f\n\r\t\u00e9\u20AC\ud83d\ude00 é""#, as: .string)
        #expect(value == .string("\"\\/\u{08}\u{0C}\n\r\té€😀 é"))
        #expect(try decode(#""\u0000""#, as: .string) == .string("\u{0}"))
    }

    @Test("Strings are written with only the escapes JSON requires")
    func encodeStrings() throws {
        #expect(try encode(.string("a\"b\\c\n\r\t\u{1}\u{1F}é😀/"), as: .string) == #""a\"b\\c\n\r\t\u0001\u001fé😀/""#)
        let map = CtyValue.map(of: .string, ["k\"": .string("v")])
        #expect(try encode(map, as: .map(.string)) == #"{"k\"":"v"}"#)
    }

    @Test("Objects and maps are written compactly in sorted key order")
    func encodeCollections() throws {
        let type = CtyType.object(["b": .list(.number), "a": .map(.bool), "c": .set(.string), "d": .tuple([.string, .bool])])
        let value = CtyValue.object(type: type, [
            "b": .list(of: .number, [.number(1), .null(.number)]), "a": .map(of: .bool, ["y": .bool(true), "x": .bool(false)]),
            "c": .set(of: .string, []), "d": .tuple([.string("s"), .bool(true)]),
        ])
        #expect(try encode(value, as: type) == #"{"a":{"x":false,"y":true},"b":[1,null],"c":[],"d":["s",true]}"#)
        #expect(try encode(.null(type), as: type) == "null")
    }

    @Test("Dynamic values are {\"value\", \"type\"} objects, in either order")
    func dynamicValues() throws {
        #expect(try decode(#"{"value":"hi","type":"string"}"#, as: .dynamic) == .string("hi"))
        #expect(try decode(#"{"type":["list","number"],"value":[1,2]}"#, as: .dynamic) == .list(of: .number, [.number(1), .number(2)]))
        #expect(try decode("null", as: .dynamic) == .null(.dynamic))
        #expect(try decode(#"{"value":null,"type":"bool"}"#, as: .dynamic) == .null(.bool))
        #expect(try encode(.string("hi"), as: .dynamic) == #"{"value":"hi","type":"string"}"#)
        #expect(try encode(.map(of: .number, ["a": .number(1)]), as: .dynamic) == #"{"value":{"a":1},"type":["map","number"]}"#)
        #expect(try encode(.null(.dynamic), as: .dynamic) == "null")
        let objectType = CtyType.object(["any": .dynamic])
        let decoded = try decode(#"{"any":{"value":true,"type":"bool"}}"#, as: objectType)
        #expect(decoded.type == .object(["any": .bool]))
    }

    @Test("Malformed dynamic values are errors", arguments: [
        (#"{"value":1}"#, "a value of any type has no \"type\""),
        (#"{"type":"number"}"#, "a value of any type has no \"value\""),
        (#"{"type":"number","value":1,"extra":2}"#, "invalid key \"extra\" in a value of any type: only \"value\" and \"type\" are allowed"),
        ("[1]", "expected a value of any type, as an object of \"value\" and \"type\", found an array"),
        (#"{"type":"text","value":1}"#, "invalid type of a dynamic value: invalid type JSON: unknown type \"text\""),
        (#"{"type":"number","value":"x"}"#, "expected a number, found the string \"x\""),
    ])
    func malformedDynamic(json: String, message: String) throws {
        let error = try failure(#"{"v":\#(json)}"#, as: .object(["v": .dynamic]))
        #expect(error.message == message)
        #expect(error.path == AttributePath("v"))
    }

    @Test("Unknown values cannot be written as JSON")
    func unknownsThrow() throws {
        let type = CtyType.object(["tags": .list(.string)])
        let value = CtyValue.object(type: type, ["tags": .list(of: .string, [.string("a"), .unknown(.string)])])
        let error = try #require(throws: ValueCodingError.self) { try JSONValueCodec.encode(value, as: type) }
        #expect(error.path == AttributePath([.attribute("tags"), .index(1)]))
        #expect(error.message == "the value is unknown, and JSON cannot represent unknown values")
        #expect(throws: ValueCodingError.self) { try JSONValueCodec.encode(.unknown(.dynamic), as: .dynamic) }
    }

    @Test("Attributes the type does not declare are an error, or dropped at every depth when asked")
    func undefinedAttributes() throws {
        let inner = CtyType.object(["name": .string])
        let type = CtyType.object(["id": .string, "items": .list(inner), "single": inner, "any": .dynamic])
        let json = #"""
            {"id": "x", "removed": {"deep": [1, 2]}, "items": [{"name": "a", "gone": true}],
             "single": {"name": "b", "gone": null},
             "any": {"type": ["object", {"name": "string"}], "value": {"name": "c", "gone": 1}}}
            """#
        let error = try failure(json, as: type)
        #expect(error.message == "unsupported attribute \"removed\"")
        #expect(error.path.isEmpty)
        let value = try decode(json, as: type, ignoring: true)
        #expect(value[attribute: "id"] == .string("x"))
        #expect(value[attribute: "items"] == .list(of: inner, [.object(type: inner, ["name": .string("a")])]))
        #expect(value[attribute: "single"] == .object(type: inner, ["name": .string("b")]))
        #expect(value[attribute: "any"] == .object(type: inner, ["name": .string("c")]))
        let nested = try failure(#"{"items":[{"name":"a"},{"name":"b","gone":1}]}"#, as: type)
        #expect(nested.path == AttributePath([.attribute("items"), .index(1)]))
        #expect(nested.message == "unsupported attribute \"gone\"")
    }

    @Test("Attributes missing from the document are null")
    func missingAttributes() throws {
        let type = CtyType.object(["a": .string, "b": .list(.number)])
        #expect(try decode("{}", as: type) == .object(type: type, [:]))
        #expect(try decode(#"{"a":"x"}"#, as: type)[attribute: "b"] == .null(.list(.number)))
    }

    @Test("Type mismatches name the path", arguments: [
        (#"{"list":{}}"#, "expected a list of string, found an object", AttributePath("list")),
        (#"{"list":["a",[1]]}"#, "expected a string, found an array", AttributePath([.attribute("list"), .index(1)])),
        (#"{"map":{"k":[1]}}"#, "expected a number, found an array", AttributePath([.attribute("map"), .key("k")])),
        (#"{"tuple":["a"]}"#, "expected a tuple of 2 elements, found an array of 1", AttributePath("tuple")),
        (#"{"flag":1}"#, "expected a bool, found a number", AttributePath("flag")),
        ("[]", "expected an object, found an array", AttributePath()),
    ])
    func mismatches(json: String, message: String, path: AttributePath) throws {
        let type = CtyType.object(["list": .list(.string), "map": .map(.number), "tuple": .tuple([.string, .bool]), "flag": .bool])
        let error = try failure(json, as: type)
        #expect(error.message == message)
        #expect(error.path == path)
    }
}
