import CTFPlugin6
import Testing
@testable import TerraformPlugin

@Suite("Router: mutated requests never crash")
struct RouterFuzzTests {
    static let valueMethods = ["ValidateResourceConfig", "ReadResource", "PlanResourceChange", "ApplyResourceChange", "ReadDataSource"]

    static func validRequest(_ method: String) -> [UInt8] {
        switch method {
        case "ReadDataSource":
            return RouterMalformedTests.request(method, typeName: "fake_lookup", value: MP.map([("name", .str("abc")), ("length", .null)]).bytes)
        default:
            return RouterMalformedTests.request(
                method, typeName: "fake_thing",
                value: fakeThingMP(id: .str("i-1"), name: .str("n"), size: .int(3), tags: .map([("k", .str("v"))]))
            )
        }
    }

    static func mutate(_ bytes: [UInt8], _ generator: inout SeededRandom) -> [UInt8] {
        var bytes = bytes
        for _ in 0..<Int.random(in: 1...4, using: &generator) {
            switch Int.random(in: 0..<4, using: &generator) {
            case 0 where !bytes.isEmpty:
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            case 1 where !bytes.isEmpty:
                bytes.removeLast(Int.random(in: 1...bytes.count, using: &generator))
            case 2:
                bytes.insert(UInt8.random(in: 0...255, using: &generator), at: Int.random(in: 0...bytes.count, using: &generator))
            default:
                let index = Int.random(in: 0...bytes.count, using: &generator)
                bytes.insert(contentsOf: [0xFF, 0xFF, 0xFF, 0x7F], at: index)  // a huge length or varint
            }
        }
        return bytes
    }

    @Test("mutated requests are answered (a response or INVALID_ARGUMENT), never a crash",
          arguments: valueMethods + ["UpgradeResourceState", "ImportResourceState", "ConfigureProvider", "GetProviderSchema"])
    func mutatedRequests(method: String) async {
        let (router, _) = makeRouter()
        var generator = SeededRandom(seed: UInt64(truncatingIfNeeded: method.utf8.reduce(7) { $0 &* 31 &+ Int($1) }))
        let valid: [UInt8] = switch method {
        case "UpgradeResourceState", "ImportResourceState": RouterMalformedTests.request(method, typeName: "fake_thing", value: [])
        case "ConfigureProvider":
            request(Tfplugin6__ConfigureProvider__Request.self) { arena, message in
                message.pointee.terraform_version = arena.string("1.0.3")
                message.pointee.config = dynamic(MP.map([("endpoint", .str("x"))]).bytes, arena)
            }
        case "GetProviderSchema": []
        default: Self.validRequest(method)
        }
        var answered = 0
        for _ in 0..<300 {
            let result = await router.call(method, Self.mutate(valid, &generator))
            switch result {
            case .success: answered += 1
            case .failure(let code, _): #expect(code == .invalidArgument)
            }
        }
        // Most mutations still parse as protobuf (a changed byte inside a
        // string or a msgpack payload): those must get real answers.
        #expect(answered > 0)
    }

    @Test("mutated msgpack inside a well-formed request is a diagnostic or a normal answer", arguments: valueMethods)
    func mutatedValues(method: String) async throws {
        let (router, _) = makeRouter()
        var generator = SeededRandom(seed: 42)
        let typeName = method == "ReadDataSource" ? "fake_lookup" : "fake_thing"
        let value = method == "ReadDataSource"
            ? MP.map([("name", .str("abc")), ("length", .null)]).bytes
            : fakeThingMP(id: .str("i-1"), name: .str("n"), size: .int(3), tags: .map([("k", .str("v"))]))
        for _ in 0..<300 {
            let result = await router.call(method, RouterMalformedTests.request(method, typeName: typeName, value: Self.mutate(value, &generator)))
            // The protobuf around the value is intact, so there is always a
            // response; whatever is wrong inside the value is a diagnostic.
            let diagnostics = try RouterMalformedTests.responseDiagnostics(method, result)
            #expect(diagnostics.allSatisfy { !$0.summary.isEmpty })
        }
    }
}
