import Testing
import TerraformPlugin

@Suite("JSON syntax: a strict RFC 8259 parser that throws, never crashes")
struct ValuesJSONSyntaxTests {
    private func failure(_ bytes: [UInt8], as type: CtyType = .string) throws -> ValueCodingError {
        try #require(throws: ValueCodingError.self) { try JSONValueCodec.decode(bytes, as: type) }
    }

    private func failure(_ json: String, as type: CtyType = .string) throws -> ValueCodingError {
        try failure(Array(json.utf8), as: type)
    }

    @Test("Whitespace of the four JSON kinds may surround the value")
    func whitespace() throws {
        #expect(try JSONValueCodec.decode(Array(" \t\n\r 1 \t\n\r ".utf8), as: .number) == .number(1))
        #expect(try JSONValueCodec.decode(Array("[ 1 , 2 ]".utf8), as: .list(.number)) == .list(of: .number, [.number(1), .number(2)]))
    }

    @Test("Malformed documents name what went wrong and where", arguments: [
        ("", "invalid JSON at byte 0: expected a value, found the end of the input"),
        ("[1,]", "invalid JSON at byte 3: expected a value, found ']'"),
        ("01", "invalid JSON at byte 1: a number may not have leading zeros"),
        ("-", "invalid JSON at byte 1: expected a digit, found the end of the input"),
        ("-a", "invalid JSON at byte 1: expected a digit, found 'a'"),
        ("1.", "invalid JSON at byte 2: expected a digit after the decimal point, found the end of the input"),
        (".5", "invalid JSON at byte 0: expected a value, found '.'"),
        ("1e", "invalid JSON at byte 2: expected a digit in the exponent, found the end of the input"),
        ("1e+", "invalid JSON at byte 3: expected a digit in the exponent, found the end of the input"),
        ("+1", "invalid JSON at byte 0: expected a value, found '+'"),
        ("NaN", "invalid JSON at byte 0: expected a value, found 'N'"),
        ("Infinity", "invalid JSON at byte 0: expected a value, found 'I'"),
        ("'a'", "invalid JSON at byte 0: expected a value, found '''"),
        ("tru", "invalid JSON at byte 0: expected a value, found 't'"),
        ("nul", "invalid JSON at byte 0: expected a value, found 'n'"),
        ("[1 2]", "invalid JSON at byte 3: expected ',' or ']', found '2'"),
        ("[1", "invalid JSON at byte 2: expected ',' or ']', found the end of the input"),
        ("{\"a\" 1}", "invalid JSON at byte 5: expected ':' after an object key, found '1'"),
        ("{a:1}", "invalid JSON at byte 1: expected a string key, found 'a'"),
        ("{\"a\":1,}", "invalid JSON at byte 7: expected a string key, found '}'"),
        ("{\"a\":1", "invalid JSON at byte 6: expected ',' or '}', found the end of the input"),
        ("1 2", "invalid JSON at byte 2: unexpected data after the JSON value"),
        ("// c\n1", "invalid JSON at byte 0: expected a value, found '/'"),
        ("\"abc", "invalid JSON at byte 0: unterminated string"),
        ("\"a\\nbc", "invalid JSON at byte 0: unterminated string"),
        ("\"a\nb\"", "invalid JSON at byte 2: control character U+000A must be escaped in a string"),
        ("\"a\tb\"", "invalid JSON at byte 2: control character U+0009 must be escaped in a string"),
        ("\"\\x\"", "invalid JSON at byte 1: invalid escape sequence in a string"),
        ("\"\\u12\"", "invalid JSON at byte 3: a \\u escape needs four hexadecimal digits"),
        ("\"\\u12g4\"", "invalid JSON at byte 5: a \\u escape needs four hexadecimal digits"),
        ("\"\\ud800\"", "invalid JSON at byte 1: unpaired surrogate in a \\u escape"),
        ("\"\\udc00\"", "invalid JSON at byte 1: unpaired surrogate in a \\u escape"),
        ("\"\\ud800\\u0041\"", "invalid JSON at byte 1: unpaired surrogate in a \\u escape"),
        ("\"\\ud800x\"", "invalid JSON at byte 1: unpaired surrogate in a \\u escape"),
        ("{\"a\":1,\"a\":2}", "invalid JSON at byte 7: duplicate object key \"a\""),
    ])
    func malformed(json: String, message: String) throws {
        let error = try failure(json, as: .dynamic)
        #expect(error.message == message)
        #expect(error.path.isEmpty)
    }

    @Test("Invalid UTF-8 in a string is an error, escaped neighbours or not", arguments: [
        [0x22, 0xFF, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xE2, 0x82, 0x22],
        [0x22, 0x5C, 0x6E, 0xFF, 0x22], [0x22, 0xE2, 0x82, 0x5C, 0x6E, 0x22], [0x22, 0x80, 0x22],
    ] as [[UInt8]])
    func invalidUTF8(bytes: [UInt8]) throws {
        let error = try failure(bytes)
        #expect(error.message == "invalid JSON at byte 1: the string is not valid UTF-8")
    }

    @Test("Bytes outside strings that are not JSON are errors: a byte order mark, a non-breaking space")
    func strayBytes() throws {
        #expect(try failure([0xEF, 0xBB, 0xBF, 0x31], as: .number).message == "invalid JSON at byte 0: expected a value, found byte 0xef")
        #expect(try failure([0x31, 0xC2, 0xA0], as: .number).message == "invalid JSON at byte 1: unexpected data after the JSON value")
        #expect(try failure([0x00], as: .number).message == "invalid JSON at byte 0: expected a value, found byte 0x00")
    }

    @Test("Duplicate keys are found in large objects too")
    func duplicateInLargeObject() throws {
        let members = (0..<40).map { "\"k\($0)\":\($0)" } + ["\"k17\":0"]
        let json = "{" + members.joined(separator: ",") + "}"
        let error = try failure(json, as: .map(.number))
        #expect(error.message.hasSuffix("duplicate object key \"k17\""))
        let unique = "{" + members.dropLast().joined(separator: ",") + "}"
        #expect(try JSONValueCodec.decode(Array(unique.utf8), as: .map(.number)).attributes?.count == 40)
    }

    @Test("512 levels of nesting parse; 513 are refused")
    func nestingBound() throws {
        func nestedType(_ levels: Int) -> CtyType {
            var type = CtyType.bool
            for _ in 0..<levels { type = .list(type) }
            return type
        }
        let fine = Array((String(repeating: "[", count: 512) + String(repeating: "]", count: 512)).utf8)
        #expect(try JSONValueCodec.decode(fine, as: nestedType(512)).type == nestedType(512))
        let tooDeep = Array((String(repeating: "[", count: 513) + String(repeating: "]", count: 513)).utf8)
        let error = try failure(tooDeep, as: nestedType(513))
        #expect(error.message == "invalid JSON at byte 512: arrays and objects nested deeper than 512 levels")
        let objects = Array((String(repeating: "{\"a\":", count: 600) + "1" + String(repeating: "}", count: 600)).utf8)
        #expect(try failure(objects, as: .dynamic).message.hasSuffix("arrays and objects nested deeper than 512 levels"))
        // Far deeper input is refused just as cheaply.
        let huge = [UInt8](repeating: UInt8(ascii: "["), count: 1_000_000)
        #expect(try failure(huge, as: .dynamic).message.hasSuffix("nested deeper than 512 levels"))
    }

    @Test("Random bytes and mutated documents never crash the parser")
    func randomInput() throws {
        var random = SeededRandom(seed: 99)
        let alphabet = Array("{}[]\",:0123456789-+.eEtrufalsn \\u\tab".utf8) + [0xC3, 0xA9, 0xFF, 0x00, 0xED]
        let type = CtyType.object(["a": .list(.dynamic), "b": .map(.string)])
        let seed = Array(#"{"a":[{"value":1,"type":"number"},{"value":2.5,"type":"number"}],"b":{"k":"v\u00e9"}}"#.utf8)
        #expect(try JSONValueCodec.decode(seed, as: type).attributes?.count == 2)
        for round in 0..<10000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int(random.next() % 20)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
            } else {
                bytes = seed
                for _ in 0..<1 + Int(random.next() % 3) {
                    let index = Int(random.next() % UInt64(bytes.count))
                    switch random.next() % 3 {
                    case 0: bytes[index] = alphabet[Int(random.next() % UInt64(alphabet.count))]
                    case 1: bytes.remove(at: index)
                    default: bytes = Array(bytes[..<index])
                    }
                    if bytes.isEmpty { break }
                }
            }
            _ = try? JSONValueCodec.decode(bytes, as: type, ignoringUndefinedAttributes: round % 4 == 1)
            _ = try? CtyType(typeJSON: bytes)
        }
    }
}
