import CTFPlugin6
import Testing
@testable import TerraformPlugin

/// MessagePack written by hand, so that request values in tests do not come
/// from the encoder under test.
indirect enum MP {
    case null
    case bool(Bool)
    case int(Int64)
    case str(String)
    case rawStr([UInt8])
    case array([MP])
    case map([(String, MP)])
    case unknown

    var bytes: [UInt8] {
        switch self {
        case .null: return [0xC0]
        case .bool(let value): return [value ? 0xC3 : 0xC2]
        case .int(let value):
            if value >= 0 && value < 128 { return [UInt8(value)] }
            return [0xD3] + (0..<8).reversed().map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
        case .str(let text): return MP.rawStr(Array(text.utf8)).bytes
        case .rawStr(let utf8):
            precondition(utf8.count < 256)
            return (utf8.count < 32 ? [0xA0 | UInt8(utf8.count)] : [0xD9, UInt8(utf8.count)]) + utf8
        case .array(let elements):
            precondition(elements.count < 16)
            return [0x90 | UInt8(elements.count)] + elements.flatMap(\.bytes)
        case .map(let entries):
            precondition(entries.count < 16)
            return [0x80 | UInt8(entries.count)] + entries.flatMap { MP.str($0.0).bytes + $0.1.bytes }
        case .unknown: return [0xD4, 0x00, 0x00]
        }
    }
}

/// A `fake_thing` object as msgpack.
func fakeThingMP(id: MP = .null, name: MP, size: MP = .null, tags: MP = .null) -> [UInt8] {
    MP.map([("id", id), ("name", name), ("size", size), ("tags", tags)]).bytes
}

/// Protocol buffers written by hand (length-delimited fields only), for
/// requests that must not depend on protobuf-c's encoder.
enum PB {
    static func varint(_ value: Int) -> [UInt8] {
        var value = UInt64(value)
        var out: [UInt8] = []
        repeat {
            var byte = UInt8(value & 0x7F)
            value >>= 7
            if value != 0 { byte |= 0x80 }
            out.append(byte)
        } while value != 0
        return out
    }

    static func bytes(_ field: Int, _ payload: [UInt8]) -> [UInt8] {
        varint(field << 3 | 2) + varint(payload.count) + payload
    }

    static func string(_ field: Int, _ text: String) -> [UInt8] { bytes(field, Array(text.utf8)) }
}

/// Serializes a request message built with protobuf-c.
func request<Message: WireMessage>(_ type: Message.Type, _ fill: (WireArena, UnsafeMutablePointer<Message>) -> Void) -> [UInt8] {
    WireArena.pack(type, fill)
}

/// A `DynamicValue` field holding msgpack.
func dynamic(_ msgpack: [UInt8], _ arena: WireArena) -> UnsafeMutablePointer<Tfplugin6__DynamicValue> {
    DynamicValueWire.message(msgpack: msgpack, in: arena)
}

/// A `DynamicValue` field holding JSON only.
func dynamicJSON(_ json: String, _ arena: WireArena) -> UnsafeMutablePointer<Tfplugin6__DynamicValue> {
    let message = arena.message(Tfplugin6__DynamicValue.self)
    message.pointee.json = arena.bytes(Array(json.utf8))
    return message
}

struct UnexpectedFailure: Error, CustomStringConvertible {
    var description: String
}

/// Unpacks a successful response and reads it inside `read`.
func response<Message: WireMessage, Result>(
    _ type: Message.Type, _ result: RPCResult, _ read: (Message) throws -> Result
) throws -> Result {
    guard case .success(let bytes) = result else {
        throw UnexpectedFailure(description: "expected a response, got \(result)")
    }
    return try UnpackedMessage<Message>(bytes).withMessage { message in try read(message) }
}

/// The msgpack bytes of a response's `DynamicValue`, or nil when absent.
func msgpack(_ value: UnsafeMutablePointer<Tfplugin6__DynamicValue>?) -> [UInt8]? {
    value.map { [UInt8](wire: $0.pointee.msgpack) }
}

/// Decodes a response value against `type` (through the codec: responses
/// are checked by what they mean, not byte by byte).
func decoded(_ value: UnsafeMutablePointer<Tfplugin6__DynamicValue>?, as type: CtyType) throws -> CtyValue? {
    try msgpack(value).map { try MsgPackValueCodec.decode($0, as: type) }
}

func diagnostics(_ count: Int, _ pointer: UnsafeMutablePointer<UnsafeMutablePointer<Tfplugin6__Diagnostic>?>?) -> [Diagnostic] {
    [Diagnostic](wire: count, pointer)
}

/// A router over a `FakeProvider`, with the fakes' recorder.
func makeRouter(extraResources: [any ManagedResource] = []) -> (ProviderRouter, FakeRecorder) {
    let recorder = FakeRecorder()
    return (ProviderRouter(provider: FakeProvider(recorder: recorder, extraResources: extraResources)), recorder)
}

extension ProviderRouter {
    /// Calls a `/tfplugin6.Provider/` method by its short name.
    func call(_ method: String, _ request: [UInt8]) async -> RPCResult {
        await handle(method: "/tfplugin6.Provider/" + method, request: request)
    }
}

extension RPCResult {
    var failureCode: RPCStatusCode? {
        if case .failure(let code, _) = self { return code }
        return nil
    }
}
