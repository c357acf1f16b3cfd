import CTFPlugin6
import Testing
@testable import TerraformPlugin

@Suite("Router: each RPC decodes, calls the provider, encodes")
struct RouterTests {
    let router: ProviderRouter
    let recorder: FakeRecorder

    init() {
        (router, recorder) = makeRouter()
    }

    // MARK: Provider

    @Test("GetMetadata lists the resource and data source types and the capabilities")
    func getMetadata() async throws {
        let result = await router.call("GetMetadata", [])
        try response(Tfplugin6__GetMetadata__Response.self, result) { message in
            #expect(wireElements(message.n_resources, message.resources).map { String(wire: $0.pointee.type_name) } == ["fake_thing"])
            #expect(wireElements(message.n_data_sources, message.data_sources).map { String(wire: $0.pointee.type_name) } == ["fake_lookup"])
            let capabilities = try #require(message.server_capabilities)
            #expect(ServerCapabilities(wire: capabilities) == ServerCapabilities(planDestroy: true, getProviderSchemaOptional: true))
            #expect(message.n_diagnostics == 0)
        }
        #expect(recorder.providerCalls.isEmpty)
    }

    @Test("GetProviderSchema carries the provider, provider_meta, resource and data source schemas and the capabilities")
    func getProviderSchema() async throws {
        let result = await router.call("GetProviderSchema", [])
        try response(Tfplugin6__GetProviderSchema__Response.self, result) { message in
            let provider = try #require(message.provider).pointee
            #expect(wireElements(provider.block.pointee.n_attributes, provider.block.pointee.attributes).map { String(wire: $0.pointee.name) } == ["endpoint"])
            let meta = try #require(message.provider_meta).pointee
            #expect(wireElements(meta.block.pointee.n_attributes, meta.block.pointee.attributes).map { String(wire: $0.pointee.name) } == ["module"])

            let resources = wireElements(message.n_resource_schemas, message.resource_schemas)
            #expect(resources.map { String(wire: $0.pointee.key) } == ["fake_thing"])
            let thing = try #require(resources.first?.pointee.value).pointee
            #expect(thing.version == 2)
            let attributes = wireElements(thing.block.pointee.n_attributes, thing.block.pointee.attributes).map(WireSchemaTests.attribute)
            #expect(attributes.map(\.name) == ["id", "name", "size", "tags"])
            #expect(attributes.map(\.typeJSON) == [#""string""#, #""string""#, #""number""#, #"["map","string"]"#])
            #expect(attributes.map(\.computed) == [true, false, false, false])

            let dataSources = wireElements(message.n_data_source_schemas, message.data_source_schemas)
            #expect(dataSources.map { String(wire: $0.pointee.key) } == ["fake_lookup"])

            let capabilities = try #require(message.server_capabilities)
            #expect(ServerCapabilities(wire: capabilities) == .router)
            #expect(message.n_diagnostics == 0)
        }
    }

    @Test("ValidateProviderConfig passes the configuration and returns the provider's diagnostics")
    func validateProviderConfig() async throws {
        let bytes = request(Tfplugin6__ValidateProviderConfig__Request.self) { arena, message in
            message.pointee.config = dynamic(MP.map([("endpoint", .str("https://x"))]).bytes, arena)
        }
        let result = await router.call("ValidateProviderConfig", bytes)
        let diagnostics = try response(Tfplugin6__ValidateProviderConfig__Response.self, result) {
            TerraformPluginTests.diagnostics($0.n_diagnostics, $0.diagnostics)
        }
        #expect(diagnostics == [.warning("Endpoint", "Checked.", at: "endpoint")])
        guard case .validateProvider(let request) = try #require(recorder.providerCalls.first) else {
            Issue.record("expected ValidateProviderConfig, got \(recorder.providerCalls)")
            return
        }
        #expect(request.config == .object(["endpoint": .string("https://x")]))
    }

    @Test("ConfigureProvider passes the Terraform version and the configuration")
    func configureProvider() async throws {
        let bytes = request(Tfplugin6__ConfigureProvider__Request.self) { arena, message in
            message.pointee.terraform_version = arena.string("1.0.3")
            message.pointee.config = dynamic(MP.map([("endpoint", .null)]).bytes, arena)
        }
        let result = await router.call("ConfigureProvider", bytes)
        let count = try response(Tfplugin6__ConfigureProvider__Response.self, result) { $0.n_diagnostics }
        #expect(count == 0)
        guard case .configure(let request) = try #require(recorder.providerCalls.first) else {
            Issue.record("expected ConfigureProvider, got \(recorder.providerCalls)")
            return
        }
        #expect(request.terraformVersion == "1.0.3")
        #expect(request.config == .object(["endpoint": .null(.string)]))
    }

    // MARK: Managed resource

    @Test("ValidateResourceConfig passes the configuration and returns diagnostics with their paths")
    func validateResourceConfig() async throws {
        let bytes = request(Tfplugin6__ValidateResourceConfig__Request.self) { arena, message in
            message.pointee.type_name = arena.string("fake_thing")
            message.pointee.config = dynamic(fakeThingMP(name: .str(""), tags: .unknown), arena)
        }
        let result = await router.call("ValidateResourceConfig", bytes)
        let diagnostics = try response(Tfplugin6__ValidateResourceConfig__Response.self, result) {
            TerraformPluginTests.diagnostics($0.n_diagnostics, $0.diagnostics)
        }
        #expect(diagnostics == [.error("Empty name", "Give the thing a name.", at: "name")])
        guard case .validateResource(let request) = try #require(recorder.providerCalls.first) else {
            Issue.record("expected ValidateResourceConfig, got \(recorder.providerCalls)")
            return
        }
        #expect(request.typeName == "fake_thing")
        #expect(request.config == FakeThing.value(name: "").setting("tags", to: .unknown(.map(.string))))
    }

    @Test("UpgradeResourceState decodes raw_state.json and answers msgpack in the current schema")
    func upgradeResourceState() async throws {
        let bytes = request(Tfplugin6__UpgradeResourceState__Request.self) { arena, message in
            message.pointee.type_name = arena.string("fake_thing")
            message.pointee.version = 1
            let raw = arena.message(Tfplugin6__RawState.self)
            raw.pointee.json = arena.bytes(Array(#"{"id":"i-1","name":"n","size":3,"tags":null,"removed":"x"}"#.utf8))
            message.pointee.raw_state = raw
        }
        let result = await router.call("UpgradeResourceState", bytes)
        let (state, diagnostics) = try response(Tfplugin6__UpgradeResourceState__Response.self, result) {
            (try decoded($0.upgraded_state, as: FakeThing.type), TerraformPluginTests.diagnostics($0.n_diagnostics, $0.diagnostics))
        }
        #expect(diagnostics == [])
        #expect(state == FakeThing.value(id: .string("i-1"), name: "n", size: 3))
        guard case .upgrade(let request) = try #require(recorder.providerCalls.first) else {
            Issue.record("expected UpgradeResourceState, got \(recorder.providerCalls)")
            return
        }
        #expect(request.version == 1)
        #expect(request.rawStateJSON == Array(#"{"id":"i-1","name":"n","size":3,"tags":null,"removed":"x"}"#.utf8))
    }

    @Test("UpgradeResourceState passes a flatmap-only state as no JSON")
    func upgradeFlatmap() async throws {
        // type_name, version 0, raw_state { flatmap: {"id": "x"} }
        let bytes = PB.string(1, "fake_thing") + PB.bytes(3, PB.bytes(2, PB.string(1, "id") + PB.string(2, "x")))
        let result = await router.call("UpgradeResourceState", bytes)
        let (state, diagnostics) = try response(Tfplugin6__UpgradeResourceState__Response.self, result) {
            (msgpack($0.upgraded_state), TerraformPluginTests.diagnostics($0.n_diagnostics, $0.diagnostics))
        }
        #expect(state == nil)
        #expect(diagnostics.map(\.summary) == ["Unsupported state format"])
        guard case .upgrade(let request) = try #require(recorder.providerCalls.first) else {
            Issue.record("expected UpgradeResourceState, got \(recorder.providerCalls)")
            return
        }
        #expect(request.rawStateJSON == nil)
    }

    @Test("ReadResource round-trips the state, private bytes and provider_meta")
    func readResource() async throws {
        let privateBytes: [UInt8] = [0x00, 0xFF, 0x10, 0x00]
        let bytes = request(Tfplugin6__ReadResource__Request.self) { arena, message in
            message.pointee.type_name = arena.string("fake_thing")
            message.pointee.current_state = dynamic(fakeThingMP(id: .str("i-1"), name: .str("n"), tags: .map([("env", .str("prod"))])), arena)
            message.pointee.private_ = arena.bytes(privateBytes)
            message.pointee.provider_meta = dynamic(MP.map([("module", .str("root"))]).bytes, arena)
        }
        let result = await router.call("ReadResource", bytes)
        let (state, returnedPrivate, diagnostics) = try response(Tfplugin6__ReadResource__Response.self, result) {
            (try decoded($0.new_state, as: FakeThing.type), [UInt8](wire: $0.private_), TerraformPluginTests.diagnostics($0.n_diagnostics, $0.diagnostics))
        }
        #expect(diagnostics == [])
        #expect(state == FakeThing.value(id: .string("i-1"), name: "n", size: 42, tags: ["env": "prod"]))
        #expect(returnedPrivate == privateBytes)
        guard case .read(let request) = try #require(recorder.providerCalls.first) else {
            Issue.record("expected ReadResource, got \(recorder.providerCalls)")
            return
        }
        #expect(request.private == privateBytes)
        #expect(request.currentState == FakeThing.value(id: .string("i-1"), name: "n", tags: ["env": "prod"]))
        #expect(request.providerMeta == .object(["module": .string("root")]))
    }

    @Test("ReadResource answers a null state when the object is gone")
    func readGone() async throws {
        let bytes = request(Tfplugin6__ReadResource__Request.self) { arena, message in
            message.pointee.type_name = arena.string("fake_thing")
            message.pointee.current_state = dynamic(fakeThingMP(id: .str("i-1"), name: .str("gone")), arena)
        }
        let result = await router.call("ReadResource", bytes)
        let state = try response(Tfplugin6__ReadResource__Response.self, result) { msgpack($0.new_state) }
        #expect(state == [0xC0])
    }

    @Test("PlanResourceChange for a create plans unknowns and carries the private bytes the resource returns")
    func planCreate() async throws {
        let bytes = request(Tfplugin6__PlanResourceChange__Request.self) { arena, message in
            message.pointee.type_name = arena.string("fake_thing")
            message.pointee.prior_state = dynamic(MP.null.bytes, arena)
            message.pointee.proposed_new_state = dynamic(fakeThingMP(name: .str("n"), size: .int(-300)), arena)
            message.pointee.config = dynamic(fakeThingMP(name: .str("n"), size: .int(-300)), arena)
            message.pointee.prior_private = arena.bytes([7, 0])
        }
        let result = await router.call("PlanResourceChange", bytes)
        let (planned, plannedPrivate, replace, diagnostics) = try response(Tfplugin6__PlanResourceChange__Response.self, result) {
            (
                try decoded($0.planned_state, as: FakeThing.type), [UInt8](wire: $0.planned_private),
                wireElements($0.n_requires_replace, $0.requires_replace).map { AttributePath(wire: $0) },
                TerraformPluginTests.diagnostics($0.n_diagnostics, $0.diagnostics)
            )
        }
        #expect(planned == FakeThing.value(id: .unknown(.string), name: "n", size: -300))
        #expect(plannedPrivate == [7, 0, 0x00, 0xFF])
        #expect(replace == [])
        #expect(diagnostics == [.warning("Planned", "", at: "size")])
        guard case .plan(let request) = try #require(recorder.providerCalls.first) else {
            Issue.record("expected PlanResourceChange, got \(recorder.providerCalls)")
            return
        }
        #expect(request.priorState == .null(FakeThing.type))
        #expect(request.priorPrivate == [7, 0])
        #expect(request.providerMeta == nil)
    }

    @Test("PlanResourceChange returns requires_replace paths")
    func planReplace() async throws {
        let bytes = request(Tfplugin6__PlanResourceChange__Request.self) { arena, message in
            message.pointee.type_name = arena.string("fake_thing")
            message.pointee.prior_state = dynamic(fakeThingMP(id: .str("i-1"), name: .str("old")), arena)
            message.pointee.proposed_new_state = dynamic(fakeThingMP(id: .str("i-1"), name: .str("new")), arena)
            message.pointee.config = dynamic(fakeThingMP(name: .str("new")), arena)
        }
        let result = await router.call("PlanResourceChange", bytes)
        let steps = try response(Tfplugin6__PlanResourceChange__Response.self, result) { message in
            wireElements(message.n_requires_replace, message.requires_replace).map { WireAttributePathTests.rawSteps($0) }
        }
        #expect(steps == [
            [.init(selector: 1, text: "name")],
            [.init(selector: 1, text: "tags"), .init(selector: 2, text: "env")],
            [.init(selector: 1, text: "list"), .init(selector: 3, index: 3)],
        ])
    }

    @Test("PlanResourceChange for a destroy passes the null proposed state through")
    func planDestroy() async throws {
        let bytes = request(Tfplugin6__PlanResourceChange__Request.self) { arena, message in
            message.pointee.type_name = arena.string("fake_thing")
            message.pointee.prior_state = dynamic(fakeThingMP(id: .str("i-1"), name: .str("n")), arena)
            message.pointee.proposed_new_state = dynamic(MP.null.bytes, arena)
            message.pointee.config = dynamic(MP.null.bytes, arena)
            message.pointee.prior_private = arena.bytes([42])
        }
        let result = await router.call("PlanResourceChange", bytes)
        let (planned, plannedPrivate) = try response(Tfplugin6__PlanResourceChange__Response.self, result) {
            (msgpack($0.planned_state), [UInt8](wire: $0.planned_private))
        }
        #expect(planned == [0xC0])
        #expect(plannedPrivate == [42])
        guard case .plan(let request) = try #require(recorder.providerCalls.first) else {
            Issue.record("expected PlanResourceChange, got \(recorder.providerCalls)")
            return
        }
        #expect(request.proposedNewState == .null(FakeThing.type))
        #expect(request.config == .null(FakeThing.type))
    }

    @Test("ApplyResourceChange passes planned private bytes and returns the new state and private bytes")
    func applyResourceChange() async throws {
        let bytes = request(Tfplugin6__ApplyResourceChange__Request.self) { arena, message in
            message.pointee.type_name = arena.string("fake_thing")
            message.pointee.prior_state = dynamic(MP.null.bytes, arena)
            message.pointee.planned_state = dynamic(fakeThingMP(id: .unknown, name: .str("n")), arena)
            message.pointee.config = dynamic(fakeThingMP(name: .str("n")), arena)
            message.pointee.planned_private = arena.bytes([1, 2, 0, 3])
        }
        let result = await router.call("ApplyResourceChange", bytes)
        let (state, newPrivate, diagnostics) = try response(Tfplugin6__ApplyResourceChange__Response.self, result) {
            (try decoded($0.new_state, as: FakeThing.type), [UInt8](wire: $0.private_), TerraformPluginTests.diagnostics($0.n_diagnostics, $0.diagnostics))
        }
        #expect(diagnostics == [])
        #expect(state == FakeThing.value(id: .string("id-1"), name: "n"))
        #expect(newPrivate == [3, 0, 2, 1])
        guard case .apply(let request) = try #require(recorder.providerCalls.first) else {
            Issue.record("expected ApplyResourceChange, got \(recorder.providerCalls)")
            return
        }
        #expect(request.plannedPrivate == [1, 2, 0, 3])
        #expect(request.plannedState == FakeThing.value(id: .unknown(.string), name: "n"))
    }

    @Test("ImportResourceState passes the id and returns the imported state and private bytes")
    func importResourceState() async throws {
        let bytes = request(Tfplugin6__ImportResourceState__Request.self) { arena, message in
            message.pointee.type_name = arena.string("fake_thing")
            message.pointee.id = arena.string("i-9")
        }
        let result = await router.call("ImportResourceState", bytes)
        let imported = try response(Tfplugin6__ImportResourceState__Response.self, result) { message in
            try wireElements(message.n_imported_resources, message.imported_resources).map { resource in
                (String(wire: resource.pointee.type_name), try decoded(resource.pointee.state, as: FakeThing.type), [UInt8](wire: resource.pointee.private_))
            }
        }
        try #require(imported.count == 1)
        #expect(imported[0].0 == "fake_thing")
        #expect(imported[0].1 == FakeThing.value(id: .string("i-9"), name: "imported"))
        #expect(imported[0].2 == [1, 2, 3])
    }

    @Test("ImportResourceState reports an imported object of a type the provider does not have")
    func importUnknownType() async throws {
        let bytes = request(Tfplugin6__ImportResourceState__Request.self) { arena, message in
            message.pointee.type_name = arena.string("fake_thing")
            message.pointee.id = arena.string("elsewhere")
        }
        let result = await router.call("ImportResourceState", bytes)
        let (count, diagnostics) = try response(Tfplugin6__ImportResourceState__Response.self, result) {
            ($0.n_imported_resources, TerraformPluginTests.diagnostics($0.n_diagnostics, $0.diagnostics))
        }
        #expect(count == 0)
        #expect(diagnostics == [.unknownResourceType("fake_unknown", rpc: "ImportResourceState")])
    }

    // MARK: Data source

    @Test("ValidateDataResourceConfig passes the configuration")
    func validateDataResourceConfig() async throws {
        let bytes = request(Tfplugin6__ValidateDataResourceConfig__Request.self) { arena, message in
            message.pointee.type_name = arena.string("fake_lookup")
            message.pointee.config = dynamic(MP.map([("name", .str("abc")), ("length", .null)]).bytes, arena)
        }
        let result = await router.call("ValidateDataResourceConfig", bytes)
        let count = try response(Tfplugin6__ValidateDataResourceConfig__Response.self, result) { $0.n_diagnostics }
        #expect(count == 0)
        guard case .validateDataSource(let request) = try #require(recorder.providerCalls.first) else {
            Issue.record("expected ValidateDataResourceConfig, got \(recorder.providerCalls)")
            return
        }
        #expect(request.config == .object(type: FakeDataSource.type, ["name": .string("abc")]))
    }

    @Test("ReadDataSource returns the state the data source computed")
    func readDataSource() async throws {
        let bytes = request(Tfplugin6__ReadDataSource__Request.self) { arena, message in
            message.pointee.type_name = arena.string("fake_lookup")
            message.pointee.config = dynamic(MP.map([("name", .str("abcd")), ("length", .null)]).bytes, arena)
            message.pointee.provider_meta = dynamic(MP.map([("module", .null)]).bytes, arena)
        }
        let result = await router.call("ReadDataSource", bytes)
        let (state, diagnostics) = try response(Tfplugin6__ReadDataSource__Response.self, result) {
            (try decoded($0.state, as: FakeDataSource.type), TerraformPluginTests.diagnostics($0.n_diagnostics, $0.diagnostics))
        }
        #expect(diagnostics == [])
        #expect(state == .object(type: FakeDataSource.type, ["name": .string("abcd"), "length": .number(4)]))
        guard case .readDataSource(let request) = try #require(recorder.providerCalls.first) else {
            Issue.record("expected ReadDataSource, got \(recorder.providerCalls)")
            return
        }
        #expect(request.providerMeta == .object(["module": .null(.string)]))
    }

    @Test("a value sent as JSON is answered as msgpack")
    func jsonInMsgpackOut() async throws {
        let bytes = request(Tfplugin6__ReadResource__Request.self) { arena, message in
            message.pointee.type_name = arena.string("fake_thing")
            message.pointee.current_state = dynamicJSON(#"{"id":"i-1","name":"n","size":null,"tags":null}"#, arena)
        }
        let result = await router.call("ReadResource", bytes)
        let (state, json) = try response(Tfplugin6__ReadResource__Response.self, result) {
            (try decoded($0.new_state, as: FakeThing.type), $0.new_state.map { [UInt8](wire: $0.pointee.json) })
        }
        #expect(state == FakeThing.value(id: .string("i-1"), name: "n", size: 42))
        #expect(json == [])
    }

    @Test("durations in the trace log are milliseconds with three decimals", arguments: [
        (Duration.microseconds(42), "0.042"), (.microseconds(1500), "1.500"), (.seconds(2), "2000.000"), (.nanoseconds(999), "0.000"),
    ])
    func logDuration(duration: Duration, text: String) {
        #expect(ProviderRouter.milliseconds(duration) == text)
    }

    @Test("a request written by hand as protobuf bytes is served")
    func handWrittenRequest() async throws {
        let bytes = PB.string(1, "fake_thing")
            + PB.bytes(2, PB.bytes(1, fakeThingMP(id: .str("i-1"), name: .str("n"))))
            + PB.bytes(3, [0xAB])
        let result = await router.call("ReadResource", bytes)
        let returnedPrivate = try response(Tfplugin6__ReadResource__Response.self, result) { [UInt8](wire: $0.private_) }
        #expect(returnedPrivate == [0xAB])
    }
}
