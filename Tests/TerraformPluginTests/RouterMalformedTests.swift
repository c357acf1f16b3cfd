import CTFPlugin6
import Testing
@testable import TerraformPlugin

@Suite("Router: malformed requests and misbehaving providers")
struct RouterMalformedTests {
    static let methods = [
        "GetMetadata", "GetProviderSchema", "ValidateProviderConfig", "ConfigureProvider", "StopProvider",
        "ValidateResourceConfig", "UpgradeResourceState", "ReadResource", "PlanResourceChange", "ApplyResourceChange",
        "ImportResourceState", "ValidateDataResourceConfig", "ReadDataSource",
    ]

    @Test("request bytes that do not unpack are INVALID_ARGUMENT and reach no provider code", arguments: methods)
    func undecodableBytes(method: String) async {
        let (router, recorder) = makeRouter()
        for bytes: [UInt8] in [[0x0A], [0x12, 0x7F, 0x00], [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]] {
            let result = await router.call(method, bytes)
            #expect(result.failureCode == .invalidArgument, "\(method) with \(bytes)")
        }
        #expect(recorder.calls.isEmpty)
    }

    @Test("methods the router does not implement are UNIMPLEMENTED", arguments: [
        "/tfplugin6.Provider/GetFunctions", "/tfplugin6.Provider/CallFunction", "/tfplugin6.Provider/MoveResourceState",
        "/tfplugin6.Provider/GetResourceIdentitySchemas", "/tfplugin6.Provider/OpenEphemeralResource",
        "/tfplugin6.Provider/ListResource", "/tfplugin6.Provider/PlanAction", "/tfplugin6.Provider/Nonexistent",
        "/tfplugin5.Provider/GetProviderSchema", "/plugin.GRPCStdio/StreamStdio", "", "GetProviderSchema",
    ])
    func unimplemented(method: String) async {
        let (router, recorder) = makeRouter()
        let result = await router.handle(method: method, request: [])
        #expect(result.failureCode == .unimplemented)
        #expect(recorder.calls.isEmpty)
    }

    /// A request for `method` about `typeName` whose value is `value`
    /// (msgpack), in the field that carries the configuration or state.
    static func request(_ method: String, typeName: String, value: [UInt8]) -> [UInt8] {
        switch method {
        case "ValidateResourceConfig":
            return TerraformPluginTests.request(Tfplugin6__ValidateResourceConfig__Request.self) { arena, message in
                message.pointee.type_name = arena.string(typeName)
                message.pointee.config = dynamic(value, arena)
            }
        case "ReadResource":
            return TerraformPluginTests.request(Tfplugin6__ReadResource__Request.self) { arena, message in
                message.pointee.type_name = arena.string(typeName)
                message.pointee.current_state = dynamic(value, arena)
                message.pointee.private_ = arena.bytes([5, 6])
            }
        case "PlanResourceChange":
            return TerraformPluginTests.request(Tfplugin6__PlanResourceChange__Request.self) { arena, message in
                message.pointee.type_name = arena.string(typeName)
                message.pointee.prior_state = dynamic(MP.null.bytes, arena)
                message.pointee.proposed_new_state = dynamic(value, arena)
                message.pointee.config = dynamic(MP.null.bytes, arena)
                message.pointee.prior_private = arena.bytes([5, 6])
            }
        case "ApplyResourceChange":
            return TerraformPluginTests.request(Tfplugin6__ApplyResourceChange__Request.self) { arena, message in
                message.pointee.type_name = arena.string(typeName)
                message.pointee.prior_state = dynamic(MP.null.bytes, arena)
                message.pointee.planned_state = dynamic(value, arena)
                message.pointee.config = dynamic(MP.null.bytes, arena)
                message.pointee.planned_private = arena.bytes([5, 6])
            }
        case "UpgradeResourceState":
            return TerraformPluginTests.request(Tfplugin6__UpgradeResourceState__Request.self) { arena, message in
                message.pointee.type_name = arena.string(typeName)
                let raw = arena.message(Tfplugin6__RawState.self)
                raw.pointee.json = arena.bytes(Array(#"{"id":null,"name":"n","size":null,"tags":null}"#.utf8))
                message.pointee.raw_state = raw
            }
        case "ImportResourceState":
            return TerraformPluginTests.request(Tfplugin6__ImportResourceState__Request.self) { arena, message in
                message.pointee.type_name = arena.string(typeName)
                message.pointee.id = arena.string("x")
            }
        case "ValidateDataResourceConfig":
            return TerraformPluginTests.request(Tfplugin6__ValidateDataResourceConfig__Request.self) { arena, message in
                message.pointee.type_name = arena.string(typeName)
                message.pointee.config = dynamic(value, arena)
            }
        case "ReadDataSource":
            return TerraformPluginTests.request(Tfplugin6__ReadDataSource__Request.self) { arena, message in
                message.pointee.type_name = arena.string(typeName)
                message.pointee.config = dynamic(value, arena)
            }
        default:
            preconditionFailure("no request builder for \(method)")
        }
    }

    /// The diagnostics of any response that has a `diagnostics` field, found
    /// through the descriptor (field names are the same in all of them).
    static func responseDiagnostics(_ method: String, _ result: RPCResult) throws -> [Diagnostic] {
        switch method {
        case "ValidateResourceConfig":
            return try response(Tfplugin6__ValidateResourceConfig__Response.self, result) { TerraformPluginTests.diagnostics($0.n_diagnostics, $0.diagnostics) }
        case "ReadResource":
            return try response(Tfplugin6__ReadResource__Response.self, result) { TerraformPluginTests.diagnostics($0.n_diagnostics, $0.diagnostics) }
        case "PlanResourceChange":
            return try response(Tfplugin6__PlanResourceChange__Response.self, result) { TerraformPluginTests.diagnostics($0.n_diagnostics, $0.diagnostics) }
        case "ApplyResourceChange":
            return try response(Tfplugin6__ApplyResourceChange__Response.self, result) { TerraformPluginTests.diagnostics($0.n_diagnostics, $0.diagnostics) }
        case "UpgradeResourceState":
            return try response(Tfplugin6__UpgradeResourceState__Response.self, result) { TerraformPluginTests.diagnostics($0.n_diagnostics, $0.diagnostics) }
        case "ImportResourceState":
            return try response(Tfplugin6__ImportResourceState__Response.self, result) { TerraformPluginTests.diagnostics($0.n_diagnostics, $0.diagnostics) }
        case "ValidateDataResourceConfig":
            return try response(Tfplugin6__ValidateDataResourceConfig__Response.self, result) { TerraformPluginTests.diagnostics($0.n_diagnostics, $0.diagnostics) }
        case "ReadDataSource":
            return try response(Tfplugin6__ReadDataSource__Response.self, result) { TerraformPluginTests.diagnostics($0.n_diagnostics, $0.diagnostics) }
        default:
            preconditionFailure("no response reader for \(method)")
        }
    }

    static let typedMethods = [
        "ValidateResourceConfig", "UpgradeResourceState", "ReadResource", "PlanResourceChange", "ApplyResourceChange",
        "ImportResourceState", "ValidateDataResourceConfig", "ReadDataSource",
    ]

    @Test("an unknown type name is a diagnostic naming the type", arguments: typedMethods)
    func unknownTypeName(method: String) async throws {
        let (router, recorder) = makeRouter()
        let result = await router.call(method, Self.request(method, typeName: "fake_nope", value: MP.null.bytes))
        let diagnostics = try Self.responseDiagnostics(method, result)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.severity == .error)
        #expect(diagnostics.first?.detail.contains("\"fake_nope\"") == true)
        #expect(recorder.calls.isEmpty)
    }

    @Test("a type name is compared exactly: one with a NUL inside is refused, never served as its prefix", arguments: typedMethods)
    func typeNameWithNUL(method: String) async throws {
        let (router, recorder) = makeRouter()
        let good = Self.request(method, typeName: "fake_thing", value: MP.null.bytes)
        // Field 1 is type_name in every typed request; a later occurrence wins.
        let lookup = ["ValidateDataResourceConfig", "ReadDataSource"].contains(method) ? "fake_lookup" : "fake_thing"
        let evil = good + PB.bytes(1, Array(lookup.utf8) + [0] + Array("evil".utf8))
        let result = await router.call(method, evil)
        #expect(result.failureCode == .invalidArgument, "\(method)")
        if case .failure(_, let message) = result { #expect(message.contains("type_name holds a NUL")) }
        #expect(recorder.calls.isEmpty)
    }

    static let valueMethods = [
        "ValidateResourceConfig", "ReadResource", "PlanResourceChange", "ApplyResourceChange",
    ]

    /// (what is wrong, msgpack of a fake_thing that is wrong in `name`)
    static let badValues: [(String, [UInt8])] = [
        ("truncated msgpack", Array(fakeThingMP(name: .str("a longer name")).prefix(16))),
        ("invalid UTF-8", fakeThingMP(name: .rawStr([0x61, 0xFF, 0xFE]))),
        ("a number where a string belongs", fakeThingMP(name: .int(5))),
        ("a list where a string belongs", fakeThingMP(name: .array([.str("a")]))),
    ]

    @Test("a resource value that does not decode is a diagnostic naming the attribute, and the resource is not called",
          arguments: valueMethods, badValues)
    func undecodableResourceValue(method: String, bad: (String, [UInt8])) async throws {
        let (router, recorder) = makeRouter()
        let result = await router.call(method, Self.request(method, typeName: "fake_thing", value: bad.1))
        let diagnostics = try Self.responseDiagnostics(method, result)
        #expect(diagnostics.count == 1, "\(bad.0)")
        #expect(diagnostics.first?.severity == .error)
        #expect(diagnostics.first?.attribute == AttributePath("name"), "\(bad.0): \(diagnostics)")
        #expect(recorder.calls.isEmpty)
    }

    @Test("a data source value that does not decode is a diagnostic naming the attribute",
          arguments: ["ValidateDataResourceConfig", "ReadDataSource"])
    func undecodableDataSourceValue(method: String) async throws {
        let (router, recorder) = makeRouter()
        let value = MP.map([("name", .bool(true)), ("length", .null)]).bytes
        let diagnostics = try Self.responseDiagnostics(method, await router.call(method, Self.request(method, typeName: "fake_lookup", value: value)))
        #expect(diagnostics.map(\.attribute) == [AttributePath("name")])
        #expect(recorder.calls.isEmpty)
    }

    @Test("a provider configuration that does not decode is a diagnostic naming the attribute",
          arguments: ["ValidateProviderConfig", "ConfigureProvider"])
    func undecodableProviderConfig(method: String) async throws {
        let (router, recorder) = makeRouter()
        let config = MP.map([("endpoint", .int(1))]).bytes
        let diagnostics: [Diagnostic]
        if method == "ConfigureProvider" {
            let bytes = TerraformPluginTests.request(Tfplugin6__ConfigureProvider__Request.self) { arena, message in message.pointee.config = dynamic(config, arena) }
            diagnostics = try response(Tfplugin6__ConfigureProvider__Response.self, await router.call(method, bytes)) {
                TerraformPluginTests.diagnostics($0.n_diagnostics, $0.diagnostics)
            }
        } else {
            let bytes = TerraformPluginTests.request(Tfplugin6__ValidateProviderConfig__Request.self) { arena, message in message.pointee.config = dynamic(config, arena) }
            diagnostics = try response(Tfplugin6__ValidateProviderConfig__Response.self, await router.call(method, bytes)) {
                TerraformPluginTests.diagnostics($0.n_diagnostics, $0.diagnostics)
            }
        }
        #expect(diagnostics.map(\.attribute) == [AttributePath("endpoint")])
        #expect(diagnostics.map(\.severity) == [.error])
        #expect(recorder.calls.isEmpty)
    }

    @Test("a request value that is missing altogether is a diagnostic, not a crash")
    func missingValue() async throws {
        let (router, recorder) = makeRouter()
        let bytes = PB.string(1, "fake_thing")  // ReadResource with no current_state
        let diagnostics = try Self.responseDiagnostics("ReadResource", await router.call("ReadResource", bytes))
        #expect(diagnostics.map(\.severity) == [.error])
        #expect(recorder.calls.isEmpty)
    }

    @Test("private bytes come back unchanged when the request is refused",
          arguments: ["ReadResource", "PlanResourceChange", "ApplyResourceChange"])
    func privateKeptOnRefusal(method: String) async throws {
        let (router, _) = makeRouter()
        let result = await router.call(method, Self.request(method, typeName: "fake_thing", value: fakeThingMP(name: .int(1))))
        let returned: [UInt8] = switch method {
        case "ReadResource": try response(Tfplugin6__ReadResource__Response.self, result) { [UInt8](wire: $0.private_) }
        case "PlanResourceChange": try response(Tfplugin6__PlanResourceChange__Response.self, result) { [UInt8](wire: $0.planned_private) }
        default: try response(Tfplugin6__ApplyResourceChange__Response.self, result) { [UInt8](wire: $0.private_) }
        }
        #expect(returned == [5, 6])
    }

    // MARK: Values the provider gets wrong

    @Test("a planned state that breaks the schema is reported as a provider bug and not sent")
    func invalidPlannedState() async throws {
        let (router, _) = makeRouter()
        let result = await router.call("PlanResourceChange", Self.request("PlanResourceChange", typeName: "fake_thing", value: fakeThingMP(name: .str("invalid"))))
        let (planned, diagnostics) = try response(Tfplugin6__PlanResourceChange__Response.self, result) {
            (msgpack($0.planned_state), TerraformPluginTests.diagnostics($0.n_diagnostics, $0.diagnostics))
        }
        #expect(planned == nil)
        #expect(diagnostics.map(\.summary) == ["Provider produced an invalid value"])
        #expect(diagnostics.first?.detail.contains("fake_thing") == true)
        #expect(diagnostics.first?.detail.contains("name: ") == true)
    }

    @Test("a new state from apply that breaks the schema is reported, and the prior state is kept")
    func invalidAppliedState() async throws {
        let (router, _) = makeRouter()
        let bytes = TerraformPluginTests.request(Tfplugin6__ApplyResourceChange__Request.self) { arena, message in
            message.pointee.type_name = arena.string("fake_thing")
            message.pointee.prior_state = dynamic(fakeThingMP(id: .str("i-1"), name: .str("before")), arena)
            message.pointee.planned_state = dynamic(fakeThingMP(id: .str("i-1"), name: .str("invalid")), arena)
            message.pointee.config = dynamic(fakeThingMP(name: .str("invalid")), arena)
        }
        let result = await router.call("ApplyResourceChange", bytes)
        let (state, returnedPrivate, diagnostics) = try response(Tfplugin6__ApplyResourceChange__Response.self, result) {
            (try decoded($0.new_state, as: FakeThing.type), [UInt8](wire: $0.private_), TerraformPluginTests.diagnostics($0.n_diagnostics, $0.diagnostics))
        }
        #expect(diagnostics.map(\.summary) == ["Provider produced an invalid value"])
        #expect(state == FakeThing.value(id: .string("i-1"), name: "before"))
        #expect(returnedPrivate == [9])
    }

    @Test("a state from read that breaks the schema is reported, and the current state is kept")
    func invalidReadState() async throws {
        let (router, _) = makeRouter()
        let result = await router.call("ReadResource", Self.request("ReadResource", typeName: "fake_thing", value: fakeThingMP(id: .str("i-1"), name: .str("invalid"))))
        let (state, returnedPrivate, diagnostics) = try response(Tfplugin6__ReadResource__Response.self, result) {
            (try decoded($0.new_state, as: FakeThing.type), [UInt8](wire: $0.private_), TerraformPluginTests.diagnostics($0.n_diagnostics, $0.diagnostics))
        }
        #expect(diagnostics.map(\.summary) == ["Provider produced an invalid value"])
        #expect(state == FakeThing.value(id: .string("i-1"), name: "invalid"))
        #expect(returnedPrivate == [5, 6])
    }

    @Test("a data source state that breaks the schema is reported as a provider bug")
    func invalidDataSourceState() async throws {
        let (router, _) = makeRouter()
        let value = MP.map([("name", .str("invalid")), ("length", .null)]).bytes
        let result = await router.call("ReadDataSource", Self.request("ReadDataSource", typeName: "fake_lookup", value: value))
        let (state, diagnostics) = try response(Tfplugin6__ReadDataSource__Response.self, result) {
            (msgpack($0.state), TerraformPluginTests.diagnostics($0.n_diagnostics, $0.diagnostics))
        }
        #expect(state == nil)
        #expect(diagnostics.map(\.summary) == ["Provider produced an invalid value"])
        #expect(diagnostics.first?.detail.contains("\"length\"") == true)
    }

    @Test("an upgrade that returns nothing, or a state that breaks the schema, is reported", arguments: [
        (Int64(99), "Provider produced no upgraded state"), (Int64(98), "Provider produced an invalid value"),
    ])
    func invalidUpgrade(version: Int64, summary: String) async throws {
        let (router, _) = makeRouter()
        let bytes = TerraformPluginTests.request(Tfplugin6__UpgradeResourceState__Request.self) { arena, message in
            message.pointee.type_name = arena.string("fake_thing")
            message.pointee.version = version
        }
        let (state, diagnostics) = try response(Tfplugin6__UpgradeResourceState__Response.self, await router.call("UpgradeResourceState", bytes)) {
            (msgpack($0.upgraded_state), TerraformPluginTests.diagnostics($0.n_diagnostics, $0.diagnostics))
        }
        #expect(state == nil)
        #expect(diagnostics.map(\.summary) == [summary])
    }
}
