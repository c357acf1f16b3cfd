import Testing
import TerraformPlugin

@Suite("MessagePack encoding: compact formats, cty's number rules, checked against the type")
struct ValuesMsgPackEncodingTests {
    private func encode(_ value: CtyValue, as type: CtyType) throws -> String {
        ValuesFixtures.hex(try MsgPackValueCodec.encode(value, as: type))
    }

    @Test("Integers take the most compact format", arguments: [
        ("0", "00"), ("127", "7f"), ("128", "cc 80"), ("255", "cc ff"), ("256", "cd 01 00"), ("65535", "cd ff ff"),
        ("65536", "ce 00 01 00 00"), ("4294967295", "ce ff ff ff ff"), ("4294967296", "cf 00 00 00 01 00 00 00 00"),
        ("9223372036854775807", "cf 7f ff ff ff ff ff ff ff"), ("18446744073709551615", "cf ff ff ff ff ff ff ff ff"),
        ("-1", "ff"), ("-32", "e0"), ("-33", "d0 df"), ("-128", "d0 80"), ("-129", "d1 ff 7f"), ("-32768", "d1 80 00"),
        ("-32769", "d2 ff ff 7f ff"), ("-2147483648", "d2 80 00 00 00"), ("-2147483649", "d3 ff ff ff ff 7f ff ff ff"),
        ("-9223372036854775808", "d3 80 00 00 00 00 00 00 00"), ("1e3", "cd 03 e8"),
    ])
    func integers(number: String, hex: String) throws {
        #expect(try encode(.number(ValuesFixtures.number(number)), as: .number) == hex)
    }

    @Test("Non-integers exactly held by a float64 are written as one", arguments: [
        ("1.5", "cb 3f f8 00 00 00 00 00 00"), ("-2.5", "cb c0 04 00 00 00 00 00 00"),
        ("18446744073709551616", "cb 43 f0 00 00 00 00 00 00"), ("0.0009765625", "cb 3f 50 00 00 00 00 00 00"),
    ])
    func floats(number: String, hex: String) throws {
        #expect(try encode(.number(ValuesFixtures.number(number)), as: .number) == hex)
    }

    @Test("The exact value of a decoded float64 is written back as the same float64")
    func floatBitsSurvive() throws {
        let bytes = ValuesFixtures.bytes("cb 3f b9 99 99 99 99 99 9a")  // 0.1
        let value = try MsgPackValueCodec.decode(bytes, as: .number)
        #expect(try MsgPackValueCodec.encode(value, as: .number) == bytes)
        let smallest = ValuesFixtures.bytes("cb 00 00 00 00 00 00 00 01")  // 5e-324
        #expect(try MsgPackValueCodec.encode(MsgPackValueCodec.decode(smallest, as: .number), as: .number) == smallest)
    }

    @Test("Numbers no float64 holds are written as decimal text", arguments: [
        ("0.1", "0.1"), ("9007199254740993.5", "9007199254740993.5"), ("18446744073709551617", "18446744073709551617"),
        ("-9223372036854775809", "-9223372036854775809"), ("1e400", "1e+400"), ("5e-324", "5e-324"),
    ])
    func numbersAsText(number: String, text: String) throws {
        #expect(try encode(.number(ValuesFixtures.number(number)), as: .number) == ValuesFixtures.str(text))
    }

    @Test("Infinities are float64 infinities, as cty writes them")
    func infinities() throws {
        #expect(try encode(.number(.positiveInfinity), as: .number) == "cb 7f f0 00 00 00 00 00 00")
        #expect(try encode(.number(.negativeInfinity), as: .number) == "cb ff f0 00 00 00 00 00 00")
    }

    @Test("Strings switch from fixstr to str8, str16 and str32 at their limits")
    func stringLengths() throws {
        #expect(try encode(.string(""), as: .string) == "a0")
        #expect(try encode(.string(String(repeating: "x", count: 31)), as: .string).hasPrefix("bf 78"))
        #expect(try encode(.string(String(repeating: "x", count: 32)), as: .string).hasPrefix("d9 20 78"))
        #expect(try encode(.string(String(repeating: "x", count: 256)), as: .string).hasPrefix("da 01 00 78"))
        #expect(try encode(.string(String(repeating: "x", count: 65536)), as: .string).hasPrefix("db 00 01 00 00 78"))
        #expect(try encode(.string("€"), as: .string) == "a3 e2 82 ac")
    }

    @Test("Arrays and maps switch from fix formats to 16-bit counts after 15 elements")
    func collectionLengths() throws {
        let fifteen = CtyValue.list(of: .number, (0..<15).map { .number($0) })
        #expect(try encode(fifteen, as: .list(.number)).hasPrefix("9f 00 01"))
        let sixteen = CtyValue.list(of: .number, (0..<16).map { .number($0) })
        #expect(try encode(sixteen, as: .list(.number)).hasPrefix("dc 00 10 00 01"))
        let bigMap = CtyValue.map(of: .bool, Dictionary(uniqueKeysWithValues: (0..<16).map { ("k\($0 + 10)", CtyValue.bool(true)) }))
        #expect(try encode(bigMap, as: .map(.bool)).hasPrefix("de 00 10 a3 6b 31 30 c3"))
        let array32 = CtyValue.list(of: .bool, Array(repeating: .bool(false), count: 65536))
        #expect(try encode(array32, as: .list(.bool)).hasPrefix("dd 00 01 00 00 c2"))
    }

    @Test("Booleans, nulls and nested nulls")
    func scalars() throws {
        #expect(try encode(.bool(true), as: .bool) == "c3")
        #expect(try encode(.bool(false), as: .bool) == "c2")
        #expect(try encode(.null(.string), as: .string) == "c0")
        #expect(try encode(.list(of: .string, [.null(.string), .string("a")]), as: .list(.string)) == "92 c0 a1 61")
        #expect(try encode(.map(of: .number, ["a": .null(.number)]), as: .map(.number)) == "81 a1 61 c0")
    }

    @Test("Object attributes and map keys are written in sorted order")
    func sortedKeys() throws {
        let type = CtyType.object(["name": .string, "id": .string, "count": .number])
        let value = CtyValue.object(type: type, ["name": .string("x"), "id": .unknown(.string), "count": .number(2)])
        #expect(try encode(value, as: type) == "83 a5 63 6f 75 6e 74 02 a2 69 64 d4 00 00 a4 6e 61 6d 65 a1 78")
        let map = CtyValue.map(of: .number, ["b": .number(2), "a": .number(1), "B": .number(0)])
        #expect(try encode(map, as: .map(.number)) == "83 a1 42 00 a1 61 01 a1 62 02")
    }

    @Test("Unknowns without refinements are d4 00 00, at the top and inside collections")
    func plainUnknowns() throws {
        #expect(try encode(.unknown(.string), as: .string) == "d4 00 00")
        #expect(try encode(.list(of: .string, [.unknown(.string)]), as: .list(.string)) == "91 d4 00 00")
        #expect(try encode(.unknown(.list(.string)), as: .list(.string)) == "d4 00 00")
    }

    @Test("Refined unknowns are extension 12 with a non-empty map")
    func refinedUnknowns() throws {
        var prefix = CtyRefinements()
        prefix.notNull = true
        prefix.stringPrefix = "ab"
        #expect(try encode(.unknown(.string, refinements: prefix), as: .string) == "c7 07 0c 82 01 c2 02 a2 61 62")
        var short = CtyRefinements()
        short.stringPrefix = "a"
        #expect(try encode(.unknown(.string, refinements: short), as: .string) == "d6 0c 81 02 a1 61")
        var bounds = CtyRefinements()
        bounds.numberLowerBound = (CtyNumber(0), true)
        bounds.numberUpperBound = (CtyNumber(100), false)
        #expect(try encode(.unknown(.number, refinements: bounds), as: .number) == "c7 09 0c 82 03 92 00 c3 04 92 64 c2")
        var lengths = CtyRefinements()
        lengths.lengthLowerBound = 1
        lengths.lengthUpperBound = 10
        #expect(try encode(.unknown(.set(.string), refinements: lengths), as: .set(.string)) == "c7 05 0c 82 05 01 06 0a")
    }

    @Test("Refinements that do not apply to the declared type are left out")
    func inapplicableRefinements() throws {
        var refinements = CtyRefinements()
        refinements.stringPrefix = "x"
        refinements.lengthLowerBound = 2
        #expect(try encode(.unknown(.number, refinements: refinements), as: .number) == "d4 00 00")
        refinements.notNull = true
        #expect(try encode(.unknown(.number, refinements: refinements), as: .number) == "c7 03 0c 81 01 c2")
    }

    @Test("A value at a dynamic position travels with its type JSON as binary")
    func dynamicValues() throws {
        #expect(try encode(.string("hi"), as: .dynamic) == "92 \(ValuesFixtures.bin("\"string\"")) a2 68 69")
        #expect(try encode(.list(of: .number, [.number(1), .number(2)]), as: .dynamic)
            == "92 c4 11 5b 22 6c 69 73 74 22 2c 22 6e 75 6d 62 65 72 22 5d 92 01 02")
        #expect(try encode(.null(.string), as: .dynamic) == "92 \(ValuesFixtures.bin("\"string\"")) c0")
        #expect(try encode(.unknown(.bool), as: .dynamic) == "92 \(ValuesFixtures.bin("\"bool\"")) d4 00 00")
        let objectType = CtyType.object(["any": .dynamic])
        #expect(try encode(.object(type: objectType, ["any": .bool(true)]), as: objectType)
            == "81 a3 61 6e 79 92 \(ValuesFixtures.bin("\"bool\"")) c3")
    }

    @Test("A null or unknown of undecided type is plain nil or d4 00 00")
    func dynamicNullAndUnknown() throws {
        #expect(try encode(.null(.dynamic), as: .dynamic) == "c0")
        #expect(try encode(.unknown(.dynamic), as: .dynamic) == "d4 00 00")
        // Accepted at concrete positions too: cty converts them.
        #expect(try encode(.null(.dynamic), as: .string) == "c0")
        #expect(try encode(.unknown(.dynamic), as: .list(.number)) == "d4 00 00")
    }

    @Test("Mismatches between value and type throw with the path")
    func mismatches() throws {
        let type = CtyType.object(["name": .string, "tags": .list(.string), "meta": .map(.number)])
        func failure(_ value: CtyValue, as type: CtyType) throws -> ValueCodingError {
            try #require(throws: ValueCodingError.self) { try MsgPackValueCodec.encode(value, as: type) }
        }
        let wrongAttribute = try failure(.object(type: type, ["name": .number(1)]), as: type)
        #expect(wrongAttribute.path == AttributePath("name"))
        #expect(wrongAttribute.message == "expected a string, found a number")

        let wrongElement = try failure(
            .object(type: type, ["tags": CtyValue(uncheckedType: .list(.string), storage: .elements([.string("a"), .bool(true)]))]), as: type)
        #expect(wrongElement.path == AttributePath([.attribute("tags"), .index(1)]))
        #expect(wrongElement.message == "expected a string, found a bool")

        let wrongMapElement = try failure(.object(type: type, ["meta": .map(of: .number, ["k": .string("v")])]), as: type)
        #expect(wrongMapElement.path == AttributePath([.attribute("meta"), .key("k")]))

        let missing = try failure(.object(["name": .string("x")]), as: type)
        #expect(missing.path.isEmpty)
        #expect(missing.message.contains("\"meta\""))

        let extra = CtyValue(uncheckedType: type, storage: .attributes([
            "name": .null(.string), "tags": .null(.list(.string)), "meta": .null(.map(.number)), "other": .bool(true),
        ]))
        #expect(try failure(extra, as: type).message == "unsupported attribute \"other\"")

        let wrongKind = try failure(.list(of: .string, []), as: .set(.string))
        #expect(wrongKind.message == "expected a set of string, found a list of string")

        let wrongNull = try failure(.null(.number), as: .string)
        #expect(wrongNull.message == "expected a string, found a null of type number")

        let tupleLength = try failure(.tuple([.string("a")]), as: .tuple([.string, .string]))
        #expect(tupleLength.message == "expected a tuple of 2 elements, found one of 1")

        let knownDynamic = try failure(CtyValue(uncheckedType: .dynamic, storage: .string("x")), as: .dynamic)
        #expect(knownDynamic.message == "a known value must have a concrete type, not dynamic")
    }

    @Test("Values with nulls in lists and maps conform")
    func conformance() {
        let type = CtyType.object(["list": .list(.string), "map": .map(.string)])
        let value = CtyValue.object(type: type, ["list": .list(of: .string, [.null(.string)]), "map": .map(of: .string, ["a": .null(.string)])])
        #expect(value.conformanceError(to: type) == nil)
        #expect(CtyValue.string("x").conformanceError(to: .number)?.message == "expected a number, found a string")
    }
}
