import Testing
@testable import TerraformPlugin

@Suite("Conformance of provider values to their schema")
struct WireConformanceTests {
    static var type: CtyType { CtyType.object([
        "name": .string,
        "tags": .map(.string),
        "rules": .list(.object(["port": .number])),
        "pair": .tuple([.string, .bool]),
        "any": .dynamic,
    ]) }

    static func value(_ overrides: [String: CtyValue] = [:]) -> CtyValue {
        var attributes: [String: CtyValue] = [
            "name": .string("a"),
            "tags": .map(of: .string, ["env": .string("prod")]),
            "rules": .list(of: .object(["port": .number]), [.object(["port": .number(80)])]),
            "pair": .tuple([.string("x"), .bool(true)]),
            "any": .number(1),
        ]
        for (name, value) in overrides { attributes[name] = value }
        return CtyValue(uncheckedType: type, storage: .attributes(attributes))
    }

    static var conforming: [(String, CtyValue)] { [
        ("a full value", value()),
        ("nulls of the right types", value(["name": .null(.string), "tags": .null(.map(.string)), "any": .null(.dynamic)])),
        ("unknowns of the right types", value(["rules": .unknown(.list(.object(["port": .number]))), "any": .unknown(.dynamic)])),
        ("a dynamic attribute holding a list", value(["any": .list(of: .string, [.string("x")])])),
        ("a null object", .null(type)),
        ("an unknown object", .unknown(type)),
    ] }

    static var nonConforming: [(String, CtyValue, ValueCodingError)] { [
        ("a number for a string", value(["name": .number(1)]), ValueCodingError("expected string, got number", at: "name")),
        ("a null of another type", value(["name": .null(.number)]), ValueCodingError("expected string, got number", at: "name")),
        ("a wrong map element", value(["tags": CtyValue(uncheckedType: .map(.string), storage: .attributes(["env": .bool(true)]))]),
         ValueCodingError("expected string, got bool", at: AttributePath("tags").appending(key: "env"))),
        ("a missing nested attribute", value(["rules": CtyValue(uncheckedType: .list(.object(["port": .number])), storage: .elements([
            CtyValue(uncheckedType: .object(["port": .number]), storage: .attributes([:])),
        ]))]), ValueCodingError("attribute \"port\" is missing", at: AttributePath("rules").appending(index: 0))),
        ("a short tuple", value(["pair": CtyValue(uncheckedType: .tuple([.string, .bool]), storage: .elements([.string("x")]))]),
         ValueCodingError("expected 2 tuple elements, got 1", at: "pair")),
        ("a known value without a type in a dynamic attribute", value(["any": CtyValue(uncheckedType: .dynamic, storage: .string("x"))]),
         ValueCodingError("a known value has no type", at: "any")),
        ("a storage that contradicts the type", value(["name": CtyValue(uncheckedType: .string, storage: .bool(true))]),
         ValueCodingError("expected string, got bool", at: "name")),
        ("an empty map of another element type", value(["tags": .map(of: .number, [:])]),
         ValueCodingError("expected map of string, got map of number", at: "tags")),
        ("fitting contents under a wrong declared type", value(["rules": CtyValue(
            uncheckedType: .list(.object(["port": .number, "extra": .string])),
            storage: .elements([.object(["port": .number(80)])])
        )]), ValueCodingError("the value's type does not match the schema's list of object type", at: "rules")),
        ("an object with an extra attribute", CtyValue(uncheckedType: .object(["a": .string]), storage: .attributes(["a": .string("x"), "b": .string("y")])),
         ValueCodingError("unexpected attribute \"b\"")),
        ("an object of another type", CtyValue.object(["name": .string("a")]), ValueCodingError("attribute \"any\" is missing")),
    ] }

    @Test("values of the schema's type conform", arguments: conforming)
    func conforms(name: String, value: CtyValue) {
        #expect(value.conformanceError(to: Self.type) == nil)
    }

    @Test("values that break the schema are named with the path to the problem", arguments: nonConforming)
    func doesNotConform(name: String, value: CtyValue, expected: ValueCodingError) {
        let target: CtyType = name == "an object with an extra attribute" ? .object(["a": .string]) : Self.type
        #expect(value.conformanceError(to: target) == expected)
    }
}
