import Testing
@testable import TerraformPlugin

@Suite("MessagePack decoding errors: malformed or mismatched input throws with the path, never crashes")
struct ValuesMsgPackErrorTests {
    private func failure(_ hex: String, as type: CtyType) throws -> ValueCodingError {
        let bytes = ValuesFixtures.bytes(hex)
        return try #require(throws: ValueCodingError.self) { try MsgPackValueCodec.decode(bytes, as: type) }
    }

    @Test("Truncated input names the missing bytes", arguments: [
        ("", CtyType.string, "truncated MessagePack: 1 byte missing"),
        ("cd 01", .number, "truncated MessagePack: 1 byte missing"),
        ("cf 00 00", .number, "truncated MessagePack: 6 bytes missing"),
        ("a5 68 65", .string, "truncated MessagePack: 3 bytes missing"),
        ("d9", .string, "truncated MessagePack: 1 byte missing"),
        ("92 01", .list(.number), "truncated MessagePack: at least 1 byte missing"),
        ("d4 00", .string, "truncated MessagePack: 1 byte missing"),
        ("c7 05 0c 82", .string, "truncated MessagePack: 4 bytes missing"),
    ])
    func truncated(hex: String, type: CtyType, message: String) throws {
        let error = try failure(hex, as: type)
        #expect(error.message == message)
    }

    @Test("Lengths larger than the input are refused before anything is allocated", arguments: [
        ("db ff ff ff ff", CtyType.string, "truncated MessagePack: 4294967295 bytes missing"),
        ("c6 ff ff ff ff 00", .string, "truncated MessagePack: 4294967294 bytes missing"),
        ("dd ff ff ff ff", .list(.number), "truncated MessagePack: at least 4294967295 bytes missing"),
        ("df ff ff ff ff 00", .map(.number), "truncated MessagePack: at least 8589934589 bytes missing"),
        ("c9 7f ff ff ff 00", .number, "truncated MessagePack: 2147483647 bytes missing"),
    ])
    func hugeLengths(hex: String, type: CtyType, message: String) throws {
        let error = try failure(hex, as: type)
        #expect(error.message == message)
    }

    @Test("Truncation inside an object points at the attribute")
    func truncatedAttribute() throws {
        let error = try failure("81 a4 6e 61 6d 65 a5 68", as: .object(["name": .string]))
        #expect(error.path == AttributePath("name"))
        #expect(error.message == "truncated MessagePack: 4 bytes missing")
    }

    @Test("Every proper prefix of a valid encoding throws")
    func everyPrefixThrows() throws {
        let type = CtyType.object([
            "name": .string, "tags": .set(.string), "count": .number, "meta": .map(.dynamic), "pair": .tuple([.bool, .number]),
        ])
        var refinements = CtyRefinements()
        refinements.stringPrefix = "tok-"
        let value = CtyValue.object(type: type, [
            "name": .string("example"), "tags": .set(of: .string, [.string("a"), .unknown(.string, refinements: refinements)]),
            "count": .number(ValuesFixtures.number("1e400")), "meta": .map(of: .dynamic, ["k": .null(.dynamic)]),
            "pair": .tuple([.bool(true), .number(CtyNumber(exactly: 0.25)!)]),
        ])
        let bytes = try MsgPackValueCodec.encode(value, as: type)
        #expect(try MsgPackValueCodec.decode(bytes, as: type) == value)
        for length in 0..<bytes.count {
            #expect(throws: ValueCodingError.self) { try MsgPackValueCodec.decode(Array(bytes[..<length]), as: type) }
        }
    }

    @Test("Bytes after the value are an error")
    func trailingBytes() throws {
        #expect(try failure("c3 c3", as: .bool).message == "unexpected data after the value: 1 more byte")
        #expect(try failure("90 00 00", as: .list(.number)).message == "unexpected data after the value: 2 more bytes")
    }

    @Test("The never-used byte 0xc1 is an error")
    func neverUsed() throws {
        #expect(try failure("c1", as: .bool).message == "invalid MessagePack: byte 0xc1 is never used")
        #expect(try failure("91 c1", as: .list(.bool)).path == AttributePath([.index(0)]))
    }

    @Test("A MessagePack family the type does not allow is an error", arguments: [
        ("c3", CtyType.string, "expected a string, found a boolean"),
        ("01", .bool, "expected a bool, found an integer"),
        ("cb 3f f8 00 00 00 00 00 00", .string, "expected a string, found a float"),
        ("a5 68 65 6c 6c 6f", .number, "expected a number, found the string \"hello\""),
        ("c3", .number, "expected a number, found a boolean"),
        ("80", .list(.string), "expected a list of string, found a map"),
        ("90", .map(.string), "expected a map of string, found an array"),
        ("90", .object([:]), "expected an object, found an array"),
        ("80", .tuple([]), "expected a tuple, found a map"),
        ("c4 01 00", .bool, "expected a bool, found binary data"),
        ("81 01 c3", .map(.bool), "map keys must be strings, found an integer"),
        ("81 c0 c3", .object(["a": .bool]), "attribute names must be strings, found nil"),
        ("92 01 02", .tuple([.number]), "expected a tuple of 1 element, found an array of 2"),
    ])
    func wrongFamily(hex: String, type: CtyType, message: String) throws {
        let error = try failure(hex, as: type)
        #expect(error.message == message)
    }

    @Test("An attribute the type does not have is named")
    func unsupportedAttribute() throws {
        let type = CtyType.object(["items": .list(.object(["a": .string]))])
        // {"items": [{"a": "x"}, {"x": 1}]}
        let error = try failure("81 a5 69 74 65 6d 73 92 81 a1 61 a1 78 81 a1 78 01", as: type)
        #expect(error.message == "unsupported attribute \"x\"")
        #expect(error.path == AttributePath([.attribute("items"), .index(1)]))
    }

    @Test("Duplicate keys are refused, in maps and in objects")
    func duplicateKeys() throws {
        #expect(try failure("82 a1 61 01 a1 61 02", as: .map(.number)).message == "duplicate map key \"a\"")
        #expect(try failure("82 a1 61 01 a1 61 02", as: .object(["a": .number])).message == "duplicate attribute \"a\"")
    }

    @Test("Invalid UTF-8 is an error at the string's path", arguments: [
        "a1 ff", "a2 c0 af", "a3 ed a0 80", "a2 e2 82", "a4 f4 90 80 80", "a1 80",
    ])
    func invalidUTF8(string: String) throws {
        let type = CtyType.object(["tags": .list(.string)])
        let error = try failure("81 a4 74 61 67 73 92 a1 61 \(string)", as: type)
        #expect(error.message == "the string is not valid UTF-8")
        #expect(error.path == AttributePath([.attribute("tags"), .index(1)]))
    }

    @Test("Invalid UTF-8 in a map key or attribute name is an error")
    func invalidUTF8Keys() throws {
        #expect(try failure("81 a1 ff c3", as: .map(.bool)).message == "the string is not valid UTF-8")
        #expect(try failure("81 a1 ff c3", as: .object(["a": .bool])).message == "the string is not valid UTF-8")
    }

    @Test("NaN is not a number")
    func notANumber() throws {
        #expect(try failure("cb 7f f8 00 00 00 00 00 00", as: .number).message == "NaN is not a valid number")
        #expect(try failure("ca 7f c0 00 00", as: .number).message == "NaN is not a valid number")
        #expect(try failure(ValuesFixtures.str("NaN"), as: .number).message == "expected a number, found the string \"NaN\"")
    }

    @Test("Malformed dynamic values are errors", arguments: [
        ("a1 61", "expected a value of any type, as an array of its type JSON and the value, found a string"),
        ("91 c0", "expected a value of any type, as an array of its type JSON and the value, found an array of 1 element"),
        ("93 c0 c0 c0", "expected a value of any type, as an array of its type JSON and the value, found an array of 3 elements"),
        ("92 01 01", "expected the type JSON of a dynamic value, found an integer"),
        ("92 c4 03 66 6f 6f 01", "invalid type of a dynamic value: invalid JSON at byte 0: expected a value, found 'f'"),
        ("92 \(ValuesFixtures.bin("\"strin\"")) 01", "invalid type of a dynamic value: invalid type JSON: unknown type \"strin\""),
        ("92 \(ValuesFixtures.bin("\"string\"")) 01", "expected a string, found an integer"),
    ])
    func malformedDynamic(hex: String, message: String) throws {
        let error = try failure("81 a1 76 " + hex, as: .object(["v": .dynamic]))
        #expect(error.message == message)
        #expect(error.path == AttributePath("v"))
    }

    @Test("A list of dynamic with elements of different types is an error")
    func inconsistentDynamicElements() throws {
        let hex = "92 92 \(ValuesFixtures.bin("\"string\"")) a1 61 92 \(ValuesFixtures.bin("\"number\"")) 01"
        #expect(try failure(hex, as: .list(.dynamic)).message
            == "the elements of a collection must all have the same type, found string and number")
    }

    @Test("Malformed refinements are errors at the unknown's path", arguments: [
        ("c7 02 0c 01 02", "invalid refinements of an unknown value: expected a map"),
        ("c7 04 0c 81 a1 61 c3", "invalid refinements of an unknown value: keys must be integers, found a string"),
        ("c7 03 0c 81 01 01", "invalid refinements of an unknown value: nullness must be a boolean"),
        ("c7 03 0c 81 02 01", "invalid refinements of an unknown value: the string prefix must be a UTF-8 string"),
        ("c7 04 0c 81 02 a1 ff", "invalid refinements of an unknown value: the string prefix must be a UTF-8 string"),
        ("c7 02 0c 82 01", "invalid refinements of an unknown value: truncated MessagePack: at least 3 bytes missing"),
    ])
    func malformedRefinements(hex: String, message: String) throws {
        let error = try failure("91 " + hex, as: .list(.string))
        #expect(error.message == message)
        #expect(error.path == AttributePath([.index(0)]))
    }

    @Test("Malformed number and length bounds are errors", arguments: [
        "c7 04 0c 81 03 91 00", "c7 05 0c 81 03 92 c0 c3", "c7 05 0c 81 04 92 01 01", "c7 03 0c 81 05 ff", "c7 03 0c 81 06 c3",
    ])
    func malformedBounds(hex: String) throws {
        let type: CtyType = hex.contains("81 05") || hex.contains("81 06") ? .list(.string) : .number
        let error = try failure(hex, as: type)
        #expect(error.message.hasPrefix("invalid refinements of an unknown value: "))
    }

    @Test("Nesting is bounded: 512 nested dynamic values decode, 513 are refused")
    func nestingBound() throws {
        let dynamicType = ValuesFixtures.bin("\"dynamic\"")
        func nested(_ levels: Int) -> [UInt8] {
            ValuesFixtures.bytes(String(repeating: "92 \(dynamicType) ", count: levels) + "c3")
        }
        // The innermost level holds the type "dynamic" again, then a value
        // of its own: c3 at a dynamic position is malformed, so end in nil.
        let fine = Array(nested(511).dropLast()) + ValuesFixtures.bytes("92 \(ValuesFixtures.bin("\"bool\"")) c3")
        #expect(try MsgPackValueCodec.decode(fine, as: .dynamic) == .bool(true))
        let tooDeep = Array(nested(513).dropLast()) + [0xC0]
        let error = try #require(throws: ValueCodingError.self) { try MsgPackValueCodec.decode(tooDeep, as: .dynamic) }
        #expect(error.message == "the value is nested deeper than 512 levels")
    }

    @Test("Nesting is bounded for deep declared types too")
    func deepDeclaredType() throws {
        var type = CtyType.bool
        for _ in 0..<600 { type = .list(type) }
        let bytes = [UInt8](repeating: 0x91, count: 600) + [0xC3]
        let error = try #require(throws: ValueCodingError.self) { try MsgPackValueCodec.decode(bytes, as: type) }
        #expect(error.message == "the value is nested deeper than 512 levels")
        #expect(error.path.steps.count == 512)
    }

    @Test("Random bytes against random types never crash the decoder")
    func randomBytes() {
        var random = SeededRandom(seed: 7)
        let types: [CtyType] = [
            .bool, .number, .string, .dynamic, .list(.dynamic), .set(.string), .map(.number), .tuple([.string, .dynamic]),
            .object(["a": .string, "b": .list(.object(["c": .dynamic]))]),
        ]
        var decodedCount = 0
        for _ in 0..<10000 {
            let length = Int(random.next() % 24)
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            for type in types where (try? MsgPackValueCodec.decode(bytes, as: type)) != nil { decodedCount += 1 }
        }
        // Some inputs are valid (a lone fixint is a number), most are not.
        #expect(decodedCount > 0)
    }
}

@Suite("UTF-8 validation agrees with the standard library's")
struct ValuesUTF8ValidationTests {
    private func agrees(_ bytes: [UInt8]) -> Bool {
        let ours = bytes.withUnsafeBufferPointer { UTF8Text.string($0) }
        return ours == String(validating: bytes, as: UTF8.self)
    }

    @Test("Boundary sequences: overlong forms, surrogates, the last code point and beyond")
    func boundaries() {
        let cases: [[UInt8]] = [
            [], [0x00], [0x7F], [0x80], [0xC0, 0x80], [0xC1, 0xBF], [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0x9F, 0xBF],
            [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xED, 0xA0, 0x80], [0xEE, 0x80, 0x80], [0xEF, 0xBF, 0xBF],
            [0xF0, 0x8F, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80],
            [0xF5, 0x80, 0x80, 0x80], [0xFF], [0xE2, 0x82], [0xE2, 0x82, 0x41], [0xF0, 0x9F, 0x98],
            Array("plain ASCII that is longer than eight bytes".utf8), Array("ascii then é then more ascii!".utf8),
            Array("12345678".utf8) + [0xC3], Array("1234567".utf8) + [0xC3, 0xA9],
        ]
        for bytes in cases {
            #expect(agrees(bytes), "\(ValuesFixtures.hex(bytes))")
        }
    }

    @Test("Random byte strings")
    func randomBytes() {
        var random = SeededRandom(seed: 8)
        let interesting: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF]
        for _ in 0..<20000 {
            let bytes = (0..<Int(random.next() % 16)).map { _ in
                random.next() % 2 == 0 ? interesting[Int(random.next() % UInt64(interesting.count))] : UInt8(truncatingIfNeeded: random.next())
            }
            #expect(agrees(bytes), "\(ValuesFixtures.hex(bytes))")
        }
    }
}
