import Testing
@testable import TerraformPlugin

@Suite("ObjectModel: typed fields read from and written to object values in one place")
struct ObjectModelTests {
    struct Pair: ObjectModel {
        enum Key: String, ModelKey { case label, count, enabled, items }

        var label: Field<String>
        var count: Field<CtyNumber>
        var enabled: Field<Bool>
        var items: CtyValue

        init(reading object: ModelReader<Key>) {
            label = object[.label]
            count = object[.count]
            enabled = object[.enabled]
            items = object[raw: .items]
        }

        func write(to object: inout ModelWriter<Key>) {
            object.set(.label, label)
            object.set(.count, count)
            object.set(.enabled, enabled)
            object.set(raw: .items, items)
        }
    }

    let type = CtyType.object(["label": .string, "count": .number, "enabled": .bool, "items": .set(.string)])

    @Test("Known, null and unknown fields round-trip")
    func roundTrip() {
        let values: [CtyValue] = [
            .object(type: type, [
                "label": .string("a"), "count": .number(3), "enabled": .bool(true), "items": .set(of: .string, [.string("x")]),
            ]),
            .object(type: type, [:]),
            .object(type: type, [
                "label": .unknown(.string), "count": .unknown(.number), "enabled": .unknown(.bool), "items": .unknown(.set(.string)),
            ]),
        ]
        for value in values {
            #expect(Pair(value).value(of: type) == value)
        }
        let known = Pair(values[0])
        #expect(known.label == "a")
        #expect(known.count == .known(CtyNumber(3)))
        #expect(known.enabled.value == true)
        #expect(Pair(values[1]).label.isNull)
        #expect(!Pair(values[2]).label.isKnown)
    }

    @Test("A null or unknown object reads as all null or all unknown fields")
    func nullAndUnknownObjects() {
        #expect(Pair(.null(type)).label == .null)
        #expect(Pair(.unknown(type)).count == .unknown)
        #expect(Pair.allNull.value(of: type) == .object(type: type, [:]), "raw fields take the attribute's type")
    }

    @Test("Written over a base, unchanged fields keep the base's exact value; changed ones are written")
    func overBase() {
        var refinements = CtyRefinements()
        refinements.notNull = true
        let base = CtyValue.object(type: type, ["label": .unknown(.string, refinements: refinements), "count": .number(1)])
        var model = Pair(base)
        #expect(model.value(of: type, over: base)[attribute: "label"] == .unknown(.string, refinements: refinements))
        #expect(model.value(of: type)[attribute: "label"] == .unknown(.string), "without a base, a plain unknown")
        model.count = .known(CtyNumber(2))
        #expect(model.value(of: type, over: base)[attribute: "count"] == .number(2))
    }

    @Test("The declared attribute names")
    func names() {
        #expect(Pair.attributeNames == ["label", "count", "enabled", "items"])
    }

    @Test("Looking up an attribute the object's type lacks stops a debug build")
    func missingAttributeTraps() async {
        await #expect(processExitsWith: .failure) {
            let value = CtyValue.object(type: .object(["name": .string]), ["name": .string("a")])
            _ = value[attribute: "nmae"]
        }
        await #expect(processExitsWith: .failure) {
            let value = CtyValue.object(type: .object(["name": .string]), ["name": .string("a")])
            _ = value.setting("nmae", to: .string("b"))
        }
    }

    @Test("A model field whose Swift type does not fit the attribute stops a debug build")
    func mismatchedFieldTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Field<Bool>(decoding: .string("yes"))
        }
    }

    @Test("Attributes the type has, and values of other types (maps, dynamic nulls), read without stopping")
    func legitimateLookups() {
        let value = CtyValue.object(type: .object(["name": .string]), ["name": .string("a")])
        #expect(value[attribute: "name"] == .string("a"))
        #expect(CtyValue.null(.dynamic)[attribute: "anything"].isNull)
        #expect(CtyValue.map(of: .string, ["k": .string("v")])[attribute: "k"] == .string("v"))
    }
}
