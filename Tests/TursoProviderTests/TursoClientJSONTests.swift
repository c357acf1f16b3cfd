import Testing
@testable import TursoProvider

@Suite("Turso client: the JSON it reads and writes")
struct TursoClientJSONTests {
    @Test("A token listing parses, with escapes, surrogate pairs and absent fields")
    func parseListing() throws {
        let text = #"""
            {"tokens":[{"name":"a\"b\\c\/d","id":"x","scopes":["read"],"created_at":"2026-05-21","extra":[1,2.5e3,true,null]},
             {"name":"\u00e9\ud83d\ude00","id":"y","owner":{"username":"alice","email":"a@example.com"}}]}
            """#
        let list = try #require(try TursoJSON.parse(Array(text.utf8))["tokens"]?.arrayValue)
        let tokens = list.compactMap(APIToken.init(json:))
        #expect(tokens == [
            APIToken(name: #"a"b\c/d"#, id: "x", scopes: ["read"], createdAt: "2026-05-21"),
            APIToken(name: "é😀", id: "y", owner: APIToken.Owner(username: "alice", email: "a@example.com")),
        ])
    }

    @Test("Numbers keep their text; exp reads as an integer")
    func numbers() throws {
        #expect(try TursoJSON.parse(Array(#"{"exp":-1}"#.utf8))["exp"]?.int64Value == -1)
        #expect(try TursoJSON.parse(Array(#"{"exp":1800000000}"#.utf8))["exp"]?.int64Value == 1_800_000_000)
        #expect(try TursoJSON.parse(Array(#"{"exp":1.5}"#.utf8))["exp"]?.int64Value == nil)
    }

    @Test(
        "Malformed documents are refused",
        arguments: ["", "{", #"{"a":}"#, #"{"a":1,}"#, "[1 2]", #""unterminated"#, #""\ud800""#, "tru", "{} {}", #""\q""#, "\"\u{01}\""]
    )
    func malformed(text: String) {
        #expect(throws: TursoJSON.ParseError.self) { try TursoJSON.parse(Array(text.utf8)) }
    }

    @Test("A create body is written compactly with sorted keys and escaped strings")
    func writeBody() {
        let body = TursoJSON.object([
            "scopes": .array([.string("read"), .string("db:create")]),
            "organization": .string("my-\"org\"\n"),
            "group": .string("default"),
        ])
        #expect(String(decoding: body.encoded, as: UTF8.self) == #"{"group":"default","organization":"my-\"org\"\n","scopes":["read","db:create"]}"#)
    }

    @Test("Deep nesting is refused rather than recursed into")
    func depth() {
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: TursoJSON.ParseError.self) { try TursoJSON.parse(Array(deep.utf8)) }
    }
}
