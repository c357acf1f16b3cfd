import CTFPlugin6
import Testing
@testable import TerraformPlugin

@Suite("protobuf-c plumbing")
struct WirePlumbingTests {
    @Test("a message built in the arena unpacks to the same strings, bytes and nested messages")
    func arenaRoundTrip() throws {
        let bytes = request(Tfplugin6__ReadResource__Request.self) { arena, message in
            message.pointee.type_name = arena.string("fake_thing ✓")
            message.pointee.private_ = arena.bytes([0x00, 0xFF, 0x00, 0x7F])
            message.pointee.current_state = dynamic([0xC0], arena)
        }
        let (typeName, privateBytes, state) = try UnpackedMessage<Tfplugin6__ReadResource__Request>(bytes).withMessage { message in
            (String(wire: message.type_name), [UInt8](wire: message.private_), msgpack(message.current_state))
        }
        #expect(typeName == "fake_thing ✓")
        #expect(privateBytes == [0x00, 0xFF, 0x00, 0x7F])
        #expect(state == [0xC0])
    }

    @Test("empty strings and bytes are left out of the packed message, as proto3 wants")
    func emptyFieldsPackToNothing() {
        let bytes = request(Tfplugin6__ReadResource__Response.self) { arena, message in
            message.pointee.private_ = arena.bytes([])
            let (count, diagnostics) = [Diagnostic]().wire(in: arena)
            message.pointee.n_diagnostics = count
            message.pointee.diagnostics = diagnostics
        }
        #expect(bytes == [])
    }

    @Test("a NUL inside a string becomes U+FFFD instead of cutting the C string short")
    func nulIsReplaced() throws {
        let bytes = request(Tfplugin6__Diagnostic.self) { arena, message in
            message.pointee.summary = arena.string("before\u{0}after")
        }
        let summary = try UnpackedMessage<Tfplugin6__Diagnostic>(bytes).withMessage { String(wire: $0.summary) }
        #expect(summary == "before\u{FFFD}after")
    }

    @Test("bytes written by hand unpack field by field")
    func handWrittenBytes() throws {
        let bytes = PB.string(1, "fake_thing") + PB.bytes(2, PB.bytes(1, [0xC0])) + PB.bytes(3, [1, 2, 3])
        let (typeName, state, privateBytes) = try UnpackedMessage<Tfplugin6__ReadResource__Request>(bytes).withMessage { message in
            (String(wire: message.type_name), msgpack(message.current_state), [UInt8](wire: message.private_))
        }
        #expect(typeName == "fake_thing")
        #expect(state == [0xC0])
        #expect(privateBytes == [1, 2, 3])
    }

    @Test("fields this version does not know are skipped", arguments: [
        [0xF8, 0x06, 0x01] as [UInt8],               // field 111, varint 1
        PB.bytes(200, [1, 2, 3]),                     // field 200, length-delimited
    ])
    func unknownFieldsAreSkipped(extra: [UInt8]) throws {
        let bytes = PB.string(1, "fake_thing") + extra
        let typeName = try UnpackedMessage<Tfplugin6__ReadResource__Request>(bytes).withMessage { String(wire: $0.type_name) }
        #expect(typeName == "fake_thing")
    }

    @Test("bytes that are not the message are refused", arguments: [
        [0x0A] as [UInt8],                            // type_name with no length
        [0x0A, 0x05, 0x41],                           // length past the end
        [0x12, 0x03, 0x0A, 0x05, 0x00],               // nested DynamicValue truncated
        [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], // runaway varint tag
        [0x0B],                                       // group start, not allowed here
        [0x10, 0x01],                                 // field 2 (a message) sent as a varint
    ])
    func malformedBytesAreRefused(bytes: [UInt8]) {
        #expect(throws: WireDecodingError.self) {
            _ = try UnpackedMessage<Tfplugin6__ReadResource__Request>(bytes)
        }
    }

    @Test("an empty request is the default message")
    func emptyRequest() throws {
        let (typeName, state) = try UnpackedMessage<Tfplugin6__ReadResource__Request>([]).withMessage { message in
            (String(wire: message.type_name), msgpack(message.current_state))
        }
        #expect(typeName == "")
        #expect(state == nil)
    }

    @Test("repeated fields keep their order and count")
    func repeatedFields() throws {
        let paths = (0..<40).map { AttributePath("a\($0)") }
        let bytes = request(Tfplugin6__PlanResourceChange__Response.self) { arena, message in
            (message.pointee.n_requires_replace, message.pointee.requires_replace) = paths.wire(in: arena)
        }
        let decoded = try UnpackedMessage<Tfplugin6__PlanResourceChange__Response>(bytes).withMessage { message in
            wireElements(message.n_requires_replace, message.requires_replace).map { AttributePath(wire: $0) }
        }
        #expect(decoded == paths)
    }
}
