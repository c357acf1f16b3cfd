import CTFPlugin6
import Testing
@testable import TerraformPlugin

@Suite("Diagnostic on the wire")
struct WireDiagnosticTests {
    /// (diagnostic, severity number on the wire, summary, detail, attribute steps or nil)
    static var cases: [(Diagnostic, UInt32, String, String, AttributePath?)] { [
        (.error("Broken", "It broke."), 1, "Broken", "It broke.", nil),
        (.warning("Careful", "Mind the step.", at: "name"), 2, "Careful", "Mind the step.", AttributePath("name")),
        (.error("Nested", at: AttributePath("tags").appending(key: "env")), 1, "Nested", "", AttributePath("tags").appending(key: "env")),
        (.error("Root path", "x", at: AttributePath()), 1, "Root path", "x", nil),
        (.error("Ünïcödé ✓", "line\nbreak"), 1, "Ünïcödé ✓", "line\nbreak", nil),
        (.error("NUL\u{0}inside", "also\u{0}"), 1, "NUL\u{FFFD}inside", "also\u{FFFD}", nil),
    ] }

    @Test("diagnostics encode severity, summary, detail and path", arguments: cases)
    func encodes(diagnostic: Diagnostic, severity: UInt32, summary: String, detail: String, attribute: AttributePath?) throws {
        let bytes = request(Tfplugin6__Diagnostic.self) { arena, message in
            message.pointee = diagnostic.wire(in: arena).pointee
        }
        try UnpackedMessage<Tfplugin6__Diagnostic>(bytes).withMessage { message in
            #expect(message.severity.rawValue == severity)
            #expect(String(wire: message.summary) == summary)
            #expect(String(wire: message.detail) == detail)
            #expect(message.attribute.map { AttributePath(wire: $0) } == attribute)
        }
    }

    @Test("invalid UTF-8 from the wire is repaired, never trusted")
    func invalidUTF8IsRepaired() throws {
        // summary: "a", 0xFF, "b" (protobuf-c 1.4 does not check string fields)
        let bytes = [0x08, 0x01] + PB.bytes(2, [0x61, 0xFF, 0x62])
        let diagnostic = try UnpackedMessage<Tfplugin6__Diagnostic>(bytes).withMessage { message in
            withUnsafePointer(to: message) { Diagnostic(wire: $0) }
        }
        #expect(diagnostic == .error("a\u{FFFD}b"))
    }
}
