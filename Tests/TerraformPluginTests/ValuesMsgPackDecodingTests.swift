import Testing
import TerraformPlugin

// Vectors written by hand from the MessagePack spec; several were checked
// against Python's msgpack package (msgpack.packb).

@Suite("MessagePack decoding: every format of each family, driven by the type")
struct ValuesMsgPackDecodingTests {
    private func decode(_ hex: String, as type: CtyType) throws -> CtyValue {
        try MsgPackValueCodec.decode(ValuesFixtures.bytes(hex), as: type)
    }

    @Test("Booleans and nil")
    func booleansAndNil() throws {
        #expect(try decode("c3", as: .bool) == .bool(true))
        #expect(try decode("c2", as: .bool) == .bool(false))
        #expect(try decode("c0", as: .bool) == .null(.bool))
        #expect(try decode("c0", as: .list(.string)) == .null(.list(.string)))
    }

    @Test("Integers of every width decode exactly", arguments: [
        ("00", "0"), ("7f", "127"), ("cc ff", "255"), ("cd 01 00", "256"), ("ce 00 01 00 00", "65536"),
        ("cf 00 00 00 01 00 00 00 00", "4294967296"), ("cf 7f ff ff ff ff ff ff ff", "9223372036854775807"),
        ("cf ff ff ff ff ff ff ff ff", "18446744073709551615"), ("e0", "-32"), ("ff", "-1"), ("d0 80", "-128"),
        ("d0 7f", "127"), ("d1 80 00", "-32768"), ("d2 80 00 00 00", "-2147483648"),
        ("d3 80 00 00 00 00 00 00 00", "-9223372036854775808"), ("d3 00 00 00 00 00 00 00 05", "5"),
        ("cc 00", "0"), ("cd 00 05", "5"),
    ])
    func integers(hex: String, expected: String) throws {
        #expect(try decode(hex, as: .number) == .number(ValuesFixtures.number(expected)))
    }

    @Test("Floats decode to the exact value of their bits", arguments: [
        ("cb 3f f8 00 00 00 00 00 00", "1.5"),
        ("cb 3f b9 99 99 99 99 99 9a", "0.1000000000000000055511151231257827021181583404541015625"),
        ("cb c0 04 00 00 00 00 00 00", "-2.5"),
        ("cb 80 00 00 00 00 00 00 00", "0"),
        ("ca 3f c0 00 00", "1.5"),
        ("ca 3d cc cc cd", "0.100000001490116119384765625"),
        ("cb 43 f0 00 00 00 00 00 00", "18446744073709551616"),
    ])
    func floats(hex: String, expected: String) throws {
        #expect(try decode(hex, as: .number) == .number(ValuesFixtures.number(expected)))
    }

    @Test("Infinite floats are the infinite numbers")
    func infiniteFloats() throws {
        #expect(try decode("cb 7f f0 00 00 00 00 00 00", as: .number) == .number(.positiveInfinity))
        #expect(try decode("cb ff f0 00 00 00 00 00 00", as: .number) == .number(.negativeInfinity))
        #expect(try decode("ca ff 80 00 00", as: .number) == .number(.negativeInfinity))
    }

    @Test("Numbers too big for 64 bits arrive as decimal text and keep every digit")
    func numbersAsText() throws {
        let text = "123456789012345678901234567890.000000000000000000001"
        let hex = "d9 \(ValuesFixtures.hex([UInt8(text.utf8.count)])) " + ValuesFixtures.hex(Array(text.utf8))
        #expect(try decode(hex, as: .number) == .number(ValuesFixtures.number(text)))
        #expect(try decode(ValuesFixtures.str("-1e400"), as: .number) == .number(ValuesFixtures.number("-1e400")))
        #expect(try decode(ValuesFixtures.str("+Inf"), as: .number) == .number(.positiveInfinity))
    }

    @Test("Strings in fixstr, str8, str16, str32 and (as cty tolerates) bin formats")
    func strings() throws {
        #expect(try decode("a5 68 65 6c 6c 6f", as: .string) == .string("hello"))
        #expect(try decode("a0", as: .string) == .string(""))
        #expect(try decode("d9 03 61 62 63", as: .string) == .string("abc"))
        #expect(try decode("da 00 03 61 62 63", as: .string) == .string("abc"))
        #expect(try decode("db 00 00 00 03 61 62 63", as: .string) == .string("abc"))
        #expect(try decode("c4 03 61 62 63", as: .string) == .string("abc"))
        #expect(try decode("c5 00 01 7a", as: .string) == .string("z"))
        #expect(try decode("c6 00 00 00 01 7a", as: .string) == .string("z"))
        #expect(try decode("a7 e2 82 ac f0 9f 98 80", as: .string) == .string("€😀"))
    }

    @Test("Strings are not normalised: decomposed text keeps its bytes")
    func noNormalisation() throws {
        let decoded = try decode("a3 65 cc 81", as: .string)  // "e" + combining acute accent
        #expect(Array(try #require(decoded.stringValue).utf8) == [0x65, 0xCC, 0x81])
    }

    @Test("Arrays in fixarray, array16 and array32 formats")
    func arrays() throws {
        let expected = CtyValue.list(of: .number, [.number(1), .number(2)])
        #expect(try decode("92 01 02", as: .list(.number)) == expected)
        #expect(try decode("dc 00 02 01 02", as: .list(.number)) == expected)
        #expect(try decode("dd 00 00 00 02 01 02", as: .list(.number)) == expected)
        #expect(try decode("90", as: .list(.number)) == .list(of: .number, []))
    }

    @Test("Maps in fixmap, map16 and map32 formats")
    func maps() throws {
        let expected = CtyValue.map(of: .bool, ["a": .bool(true)])
        #expect(try decode("81 a1 61 c3", as: .map(.bool)) == expected)
        #expect(try decode("de 00 01 a1 61 c3", as: .map(.bool)) == expected)
        #expect(try decode("df 00 00 00 01 a1 61 c3", as: .map(.bool)) == expected)
        #expect(try decode("80", as: .map(.bool)) == .map(of: .bool, [:]))
    }

    @Test("Extension d4 00 00 is an unknown, at the top and inside every collection")
    func unknowns() throws {
        #expect(try decode("d4 00 00", as: .string) == .unknown(.string))
        #expect(try decode("d4 00 00", as: .list(.number)) == .unknown(.list(.number)))
        #expect(try decode("92 a1 61 d4 00 00", as: .list(.string)) == .list(of: .string, [.string("a"), .unknown(.string)]))
        #expect(try decode("82 a1 61 01 a1 62 d4 00 00", as: .map(.number))
            == .map(of: .number, ["a": .number(1), "b": .unknown(.number)]))
        let objectType = CtyType.object(["id": .string, "name": .string])
        #expect(try decode("82 a2 69 64 d4 00 00 a4 6e 61 6d 65 a1 78", as: objectType)
            == .object(type: objectType, ["id": .unknown(.string), "name": .string("x")]))
        #expect(try decode("92 d4 00 00 01", as: .tuple([.bool, .number])) == .tuple([.unknown(.bool), .number(1)]))
    }

    @Test("Any extension type and every extension format is an unknown", arguments: [
        "d4 05 00", "d5 00 00 00", "d6 7f 01 02 03 04", "d7 01 00 00 00 00 00 00 00 00",
        "d8 02 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00", "c7 00 07", "c8 00 01 03 aa", "c9 00 00 00 02 7f 01 02",
        "d4 0c 00", "c7 01 0c 80",
    ])
    func extensionFormats(hex: String) throws {
        #expect(try decode(hex, as: .number) == .unknown(.number))
    }

    @Test("Extension 12 carries refinements: not null and a string prefix")
    func refinedString() throws {
        var refinements = CtyRefinements()
        refinements.notNull = true
        refinements.stringPrefix = "ab"
        #expect(try decode("c7 07 0c 82 01 c2 02 a2 61 62", as: .string) == .unknown(.string, refinements: refinements))
        // The same refinements at an attribute.
        let objectType = CtyType.object(["token": .string])
        let decoded = try decode("81 a5 74 6f 6b 65 6e c7 07 0c 82 01 c2 02 a2 61 62", as: objectType)
        #expect(decoded[attribute: "token"] == .unknown(.string, refinements: refinements))
    }

    @Test("Extension 12 carries number bounds in every number format")
    func refinedNumber() throws {
        var refinements = CtyRefinements()
        refinements.numberLowerBound = (CtyNumber(0), true)
        refinements.numberUpperBound = (CtyNumber(100), false)
        #expect(try decode("c7 11 0c 82 03 92 00 c3 04 92 cb 40 59 00 00 00 00 00 00 c2", as: .number)
            == .unknown(.number, refinements: refinements))
        var textBound = CtyRefinements()
        textBound.numberUpperBound = (ValuesFixtures.number("1e400"), true)
        #expect(try decode("c7 0b 0c 81 04 92 a6 31 65 2b 34 30 30 c3", as: .number) == .unknown(.number, refinements: textBound))
    }

    @Test("Extension 12 carries collection length bounds")
    func refinedCollection() throws {
        var refinements = CtyRefinements()
        refinements.lengthLowerBound = 1
        refinements.lengthUpperBound = 10
        #expect(try decode("c7 05 0c 82 05 01 06 0a", as: .list(.string)) == .unknown(.list(.string), refinements: refinements))
        #expect(try decode("c7 05 0c 82 05 01 06 0a", as: .set(.number)) == .unknown(.set(.number), refinements: refinements))
    }

    @Test("Refinement keys nobody defined yet are skipped, whatever their value")
    func unknownRefinementKeys() throws {
        var refinements = CtyRefinements()
        refinements.notNull = true
        // {9: [1, {"x": nil}], 1: false, 10: "later"}
        let payload = "83 09 92 01 81 a1 78 c0 01 c2 0a a5 6c 61 74 65 72"
        let length = ValuesFixtures.bytes(payload).count
        let hex = "c7 \(ValuesFixtures.hex([UInt8(length)])) 0c " + payload
        #expect(try decode(hex, as: .string) == .unknown(.string, refinements: refinements))
    }

    @Test("Refinements that do not apply to the type are dropped")
    func inapplicableRefinements() throws {
        // A string prefix on a number, a length bound on a string.
        #expect(try decode("d6 0c 81 02 a1 61", as: .number) == .unknown(.number))
        #expect(try decode("c7 03 0c 81 05 01", as: .string) == .unknown(.string))
        // Unknowns of undecided type have no refinements.
        #expect(try decode("c7 03 0c 81 01 c2", as: .dynamic) == .unknown(.dynamic))
    }

    @Test("Nested collections: a list of maps of sets")
    func nestedCollections() throws {
        let type = CtyType.list(.map(.set(.number)))
        // [{"a": [1, 2]}, {}]
        let decoded = try decode("92 81 a1 61 92 01 02 80", as: type)
        #expect(decoded == .list(of: .map(.set(.number)), [
            .map(of: .set(.number), ["a": .set(of: .number, [.number(1), .number(2)])]),
            .map(of: .set(.number), [:]),
        ]))
    }

    @Test("Sets drop duplicate elements but keep every unknown")
    func setsWithDuplicates() throws {
        let decoded = try decode("93 a1 61 a1 62 a1 61", as: .set(.string))
        #expect(decoded.elements?.count == 2)
        #expect(decoded == .set(of: .string, [.string("b"), .string("a")]))
        // cty never counts two unknowns as the same element.
        let unknowns = try decode("93 d4 00 00 d4 00 00 a1 61", as: .set(.string))
        #expect(unknowns.elements?.count == 3)
    }

    @Test("Tuples decode element by element")
    func tuples() throws {
        #expect(try decode("93 a1 61 01 c0", as: .tuple([.string, .number, .bool]))
            == .tuple([.string("a"), .number(1), .null(.bool)]))
        #expect(try decode("90", as: .tuple([])) == .tuple([]))
    }

    @Test("Object attributes left out are null, as cty makes them")
    func missingAttributes() throws {
        let type = CtyType.object(["a": .string, "b": .list(.number), "c": .bool])
        let decoded = try decode("81 a1 61 a1 78", as: type)
        #expect(decoded == .object(type: type, ["a": .string("x")]))
        #expect(decoded[attribute: "b"] == .null(.list(.number)))
        #expect(try decode("80", as: type) == .object(type: type, [:]))
    }

    @Test("A dynamic value is an array of its type JSON (bin or str) and the value")
    func dynamicValues() throws {
        #expect(try decode("92 \(ValuesFixtures.bin("\"string\"")) a2 68 69", as: .dynamic) == .string("hi"))
        #expect(try decode("92 \(ValuesFixtures.str("\"string\"")) a2 68 69", as: .dynamic) == .string("hi"))
        #expect(try decode("92 c4 11 5b 22 6c 69 73 74 22 2c 22 6e 75 6d 62 65 72 22 5d 92 01 02", as: .dynamic)
            == .list(of: .number, [.number(1), .number(2)]))
        #expect(try decode("92 \(ValuesFixtures.bin("\"number\"")) c0", as: .dynamic) == .null(.number))
        #expect(try decode("92 \(ValuesFixtures.bin("\"bool\"")) d4 00 00", as: .dynamic) == .unknown(.bool))
    }

    @Test("At a dynamic position nil is a null and any extension an unknown, both of undecided type")
    func dynamicNullAndUnknown() throws {
        #expect(try decode("c0", as: .dynamic) == .null(.dynamic))
        #expect(try decode("d4 00 00", as: .dynamic) == .unknown(.dynamic))
        #expect(try decode("d6 03 00 00 00 00", as: .dynamic) == .unknown(.dynamic))
    }

    @Test("A dynamic attribute gives the object the runtime type of its value")
    func dynamicAttribute() throws {
        let type = CtyType.object(["any": .dynamic, "name": .string])
        let decoded = try decode("82 a3 61 6e 79 92 \(ValuesFixtures.bin("\"number\"")) 05 a4 6e 61 6d 65 a1 78", as: type)
        #expect(decoded.type == .object(["any": .number, "name": .string]))
        #expect(decoded[attribute: "any"] == .number(5))
        let withNull = try decode("81 a3 61 6e 79 c0", as: type)
        #expect(withNull.type == type)
    }

    @Test("A list of dynamic takes its elements' one type; untyped nulls join it")
    func listOfDynamic() throws {
        let string = ValuesFixtures.bin("\"string\"")
        let decoded = try decode("93 92 \(string) a1 61 c0 92 \(string) a1 62", as: .list(.dynamic))
        #expect(decoded == .list(of: .string, [.string("a"), .null(.string), .string("b")]))
        #expect(try decode("90", as: .list(.dynamic)) == .list(of: .dynamic, []))
        #expect(try decode("91 c0", as: .list(.dynamic)) == .list(of: .dynamic, [.null(.dynamic)]))
        let map = try decode("81 a1 6b 92 \(string) a1 76", as: .map(.dynamic))
        #expect(map == .map(of: .string, ["k": .string("v")]))
    }

    @Test("A dynamic value may nest another dynamic value")
    func nestedDynamic() throws {
        let decoded = try decode("92 \(ValuesFixtures.bin("\"dynamic\"")) 92 \(ValuesFixtures.bin("\"bool\"")) c3", as: .dynamic)
        #expect(decoded == .bool(true))
    }
}
