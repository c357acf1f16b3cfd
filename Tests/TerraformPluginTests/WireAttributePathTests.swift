import CTFPlugin6
import Testing
@testable import TerraformPlugin

@Suite("AttributePath on the wire")
struct WireAttributePathTests {
    /// A step as protobuf-c holds it: (selector, name or key, index).
    struct RawStep: Equatable, CustomStringConvertible {
        var selector: UInt32
        var text: String?
        var index: Int64?
        var description: String { "(\(selector), \(text ?? "-"), \(index.map(String.init) ?? "-"))" }
    }

    static var cases: [(AttributePath, [RawStep])] { [
        (AttributePath(), []),
        (AttributePath("name"), [RawStep(selector: 1, text: "name")]),
        (AttributePath("tags").appending(key: "env"), [RawStep(selector: 1, text: "tags"), RawStep(selector: 2, text: "env")]),
        (AttributePath("rule").appending(index: 3).appending(attribute: "port"),
         [RawStep(selector: 1, text: "rule"), RawStep(selector: 3, index: 3), RawStep(selector: 1, text: "port")]),
        (AttributePath([.key(""), .index(-1), .key("ü ✓")]),
         [RawStep(selector: 2, text: ""), RawStep(selector: 3, index: -1), RawStep(selector: 2, text: "ü ✓")]),
        (AttributePath([.index(Int64.max)]), [RawStep(selector: 3, index: Int64.max)]),
    ] }

    static func rawSteps(_ path: UnsafePointer<Tfplugin6__AttributePath>) -> [RawStep] {
        wireElements(path.pointee.n_steps, path.pointee.steps).map { step in
            let selector = step.pointee.selector_case.rawValue
            switch step.pointee.selector_case {
            case TFPLUGIN6__ATTRIBUTE_PATH__STEP__SELECTOR_ATTRIBUTE_NAME:
                return RawStep(selector: selector, text: String(wire: step.pointee.attribute_name))
            case TFPLUGIN6__ATTRIBUTE_PATH__STEP__SELECTOR_ELEMENT_KEY_STRING:
                return RawStep(selector: selector, text: String(wire: step.pointee.element_key_string))
            default:
                return RawStep(selector: selector, index: step.pointee.element_key_int)
            }
        }
    }

    @Test("paths encode to attribute_name / element_key_string / element_key_int steps", arguments: cases)
    func encodes(path: AttributePath, expected: [RawStep]) throws {
        let bytes = request(Tfplugin6__AttributePath.self) { arena, message in
            message.pointee = path.wire(in: arena).pointee
        }
        let steps = try UnpackedMessage<Tfplugin6__AttributePath>(bytes).withMessage { message in
            withUnsafePointer(to: message) { Self.rawSteps($0) }
        }
        #expect(steps == expected)
    }

    @Test("paths decode back to the same steps", arguments: cases)
    func decodes(path: AttributePath, expected: [RawStep]) throws {
        let bytes = request(Tfplugin6__AttributePath.self) { arena, message in
            message.pointee = path.wire(in: arena).pointee
        }
        let decoded = try UnpackedMessage<Tfplugin6__AttributePath>(bytes).withMessage { message in
            withUnsafePointer(to: message) { AttributePath(wire: $0) }
        }
        #expect(decoded == path)
    }

    @Test("a step with no selector is skipped")
    func emptyStepIsSkipped() throws {
        // steps: [{attribute_name: "a"}, {}, {element_key_int: 2}]
        let bytes = PB.bytes(1, PB.string(1, "a")) + PB.bytes(1, []) + PB.bytes(1, [0x18, 0x02])
        let decoded = try UnpackedMessage<Tfplugin6__AttributePath>(bytes).withMessage { message in
            withUnsafePointer(to: message) { AttributePath(wire: $0) }
        }
        #expect(decoded == AttributePath([.attribute("a"), .index(2)]))
    }
}
