import CTFPlugin6
import Synchronization
import Testing
@testable import TerraformPlugin

// A provider with every optional ability: a resource with an identity that
// can take over another type's state, functions, a list resource and an
// action. The router's new RPCs are driven with protobuf-c requests, as
// Terraform sends them, including the odd ones.

private enum Named {
    static let typeName = "fake_named"
    static let schema = Schema(block: SchemaBlock(attributes: [
        .required("name", .string, "The name."),
        .computed("id", .string, "The id."),
    ]))
    static let identity = ResourceIdentitySchema(version: 1, attributes: [
        IdentityAttribute(name: "name", type: .string, description: "The name.", requiredForImport: true),
    ])
    static func state(_ name: String) -> CtyValue { .object(type: schema.impliedType, ["name": .string(name), "id": .string("id-\(name)")]) }
}

private struct NamedResource: ResourceWithIdentity, ResourceWithMoveState {
    var typeName: String { Named.typeName }
    var schema: Schema { Named.schema }
    var identitySchema: ResourceIdentitySchema { Named.identity }

    func identity(of state: CtyValue) -> CtyValue? {
        state.isNull ? nil : .object(type: Named.identity.impliedType, ["name": state[attribute: "name"]])
    }

    func importState(identity: CtyValue) async -> ImportResourceStateResponse {
        guard let name = identity[attribute: "name"].stringValue else { return ImportResourceStateResponse(diagnostics: [.error("no name")]) }
        return ImportResourceStateResponse(importedResources: [ImportedResource(typeName: typeName, state: Named.state(name))])
    }

    func moveState(_ request: MoveResourceStateRequest) async -> MoveResourceStateResponse? {
        guard request.sourceTypeName == "old_named" else { return nil }
        if request.sourceStateJSON == Array("null".utf8) { return MoveResourceStateResponse(targetState: .null(Named.schema.impliedType)) }
        return MoveResourceStateResponse(targetState: Named.state("moved"), targetPrivate: request.sourcePrivate)
    }

    func plan(_ request: PlanResourceChangeRequest) async -> PlanResourceChangeResponse { PlanResourceChangeResponse(plannedState: request.proposedNewState) }
    func apply(_ request: ApplyResourceChangeRequest) async -> ApplyResourceChangeResponse { ApplyResourceChangeResponse(newState: request.plannedState) }
    func read(_ request: ReadResourceRequest) async -> ReadResourceResponse { ReadResourceResponse(newState: request.currentState, private: request.private) }
}

/// A resource without identity or moves, and a list resource for it (a bug
/// the router must report, not crash on).
private struct PlainResource: ManagedResource {
    var typeName: String { "fake_plain" }
    var schema: Schema { Named.schema }
    func plan(_ request: PlanResourceChangeRequest) async -> PlanResourceChangeResponse { PlanResourceChangeResponse(plannedState: request.proposedNewState) }
    func apply(_ request: ApplyResourceChangeRequest) async -> ApplyResourceChangeResponse { ApplyResourceChangeResponse(newState: request.plannedState) }
    func read(_ request: ReadResourceRequest) async -> ReadResourceResponse { ReadResourceResponse(newState: request.currentState, private: request.private) }
}

private struct NamedList: ListResource {
    var typeName: String
    var schema: Schema { Schema(block: SchemaBlock(attributes: [.optional("prefix", .string, "A prefix.")])) }
    func list(_ request: ListResourceRequest) async -> ListResourceResponse {
        let prefix = request.config.isNull ? "" : request.config[attribute: "prefix"].stringValue ?? ""
        if prefix == "fail" { return ListResourceResponse(diagnostics: [.error("Listing failed")]) }
        return ListResourceResponse(results: ["a", "b", "c"].map { name in
            ListResourceResult(
                identity: .object(type: Named.identity.impliedType, ["name": .string(prefix + name)]), displayName: "Named \(prefix + name)",
                resourceObject: prefix == "badobject" ? .string("not an object") : Named.state(prefix + name)
            )
        })
    }
}

private struct EchoFunction: ProviderFunction {
    var name: String { "echo" }
    var definition: FunctionDefinition {
        FunctionDefinition(parameters: [FunctionParameter(name: "text", type: .string, description: "Text.")], returnType: .string, summary: "Echo", description: "Echoes.")
    }
    func call(_ arguments: [CtyValue]) async -> Result<CtyValue, FunctionError> {
        if arguments.first?.stringValue == "bad" { return .failure(FunctionError("bad text", argument: 0)) }
        if arguments.first?.stringValue == "number" { return .success(.number(1)) }  // not the declared string type
        return .success(arguments[0])
    }
}

private struct NoteAction: ProviderAction {
    var typeName: String { "fake_note" }
    var schema: Schema { Schema(block: SchemaBlock(attributes: [.required("text", .string, "Text.")])) }
    func invoke(_ request: InvokeActionRequest, progress: @Sendable (String) async -> Void) async -> [Diagnostic] {
        await progress("one")
        await progress("two")
        return [.warning("Noted", request.config[attribute: "text"].stringValue ?? "")]
    }
}

private struct AbilityProvider: Provider, ProviderWithFunctions, ProviderWithListResources, ProviderWithActions {
    var address: String { "registry.terraform.io/example/abilities" }
    var schema: Schema { Schema(block: SchemaBlock(attributes: [])) }
    var resources: [any ManagedResource] { [NamedResource(), PlainResource()] }
    var dataSources: [any DataSource] { [] }
    var functions: [any ProviderFunction] { [EchoFunction()] }
    var listResources: [any ListResource] { [NamedList(typeName: "fake_named"), NamedList(typeName: "fake_plain")] }
    var actions: [any ProviderAction] { [NoteAction()] }
    func configure(_ request: ConfigureProviderRequest) async -> [Diagnostic] { [] }
}

@Suite("Router: identities, moves, functions, list resources and actions")
struct RouterAbilitiesTests {
    let router = ProviderRouter(provider: AbilityProvider())

    func stream(_ method: String, _ request: [UInt8]) async -> RPCStreamResult {
        await router.handleServerStream(method: "/tfplugin6.Provider/" + method, request: request)
    }

    func events<Message: WireMessage, Result>(_ type: Message.Type, _ result: RPCStreamResult, _ read: (Message) throws -> Result) throws -> [Result] {
        guard case .messages(let messages) = result else { throw UnexpectedFailure(description: "expected messages, got \(result)") }
        return try messages.map { bytes in try UnpackedMessage<Message>(bytes).withMessage { try read($0) } }
    }

    static let namedMP = MP.map([("id", .str("id-x")), ("name", .str("x"))]).bytes

    // MARK: Metadata and schemas

    @Test("GetMetadata lists functions, list resources and actions, and advertises move_resource_state")
    func metadata() async throws {
        try response(Tfplugin6__GetMetadata__Response.self, await router.call("GetMetadata", [])) { message in
            #expect(wireElements(message.n_functions, message.functions).map { String(wire: $0.pointee.name) } == ["echo"])
            #expect(wireElements(message.n_list_resources, message.list_resources).map { String(wire: $0.pointee.type_name) } == ["fake_named", "fake_plain"])
            #expect(wireElements(message.n_actions, message.actions).map { String(wire: $0.pointee.type_name) } == ["fake_note"])
            let required1 = try #require(message.server_capabilities)
            #expect(required1.pointee.move_resource_state == 1)
        }
    }

    @Test("A provider without these abilities does not advertise moves")
    func noMoves() async throws {
        let (plain, _) = makeRouter()
        try response(Tfplugin6__GetMetadata__Response.self, await plain.call("GetMetadata", [])) { message in
            let required2 = try #require(message.server_capabilities)
            #expect(required2.pointee.move_resource_state == 0)
            #expect(message.n_functions == 0 && message.n_list_resources == 0 && message.n_actions == 0)
        }
    }

    @Test("GetProviderSchema carries functions, list resource and action schemas")
    func schemas() async throws {
        try response(Tfplugin6__GetProviderSchema__Response.self, await router.call("GetProviderSchema", [])) { message in
            let function = try #require(wireElements(message.n_functions, message.functions).first).pointee
            #expect(String(wire: function.key) == "echo")
            let parameters = wireElements(function.value.pointee.n_parameters, function.value.pointee.parameters)
            #expect(parameters.map { String(wire: $0.pointee.name) } == ["text"])
            #expect([UInt8](wire: function.value.pointee.return_.pointee.type) == Array(#""string""#.utf8))
            #expect(wireElements(message.n_list_resource_schemas, message.list_resource_schemas).map { String(wire: $0.pointee.key) } == ["fake_named", "fake_plain"])
            let action = try #require(wireElements(message.n_action_schemas, message.action_schemas).first).pointee
            #expect(String(wire: action.key) == "fake_note")
            #expect(action.value.pointee.schema.pointee.block.pointee.n_attributes == 1)
            let required3 = try #require(message.server_capabilities)
            #expect(required3.pointee.move_resource_state == 1)
        }
    }

    @Test("GetResourceIdentitySchemas lists the resources with an identity only")
    func identitySchemas() async throws {
        try response(Tfplugin6__GetResourceIdentitySchemas__Response.self, await router.call("GetResourceIdentitySchemas", [])) { message in
            let entries = wireElements(message.n_identity_schemas, message.identity_schemas)
            #expect(entries.map { String(wire: $0.pointee.key) } == ["fake_named"])
            let schema = try #require(entries.first).pointee.value.pointee
            #expect(schema.version == 1)
            let attribute = try #require(wireElements(schema.n_identity_attributes, schema.identity_attributes).first).pointee
            #expect(String(wire: attribute.name) == "name")
            #expect(attribute.required_for_import == 1)
        }
    }

    // MARK: Identity in resource RPCs

    @Test("Read returns the identity of the new state; a resource without identity returns none")
    func readIdentity() async throws {
        for (typeName, expected) in [("fake_named", CtyValue.object(["name": .string("x")])), ("fake_plain", nil)] {
            let bytes = request(Tfplugin6__ReadResource__Request.self) { arena, message in
                message.pointee.type_name = arena.string(typeName)
                message.pointee.current_state = dynamic(Self.namedMP, arena)
            }
            try response(Tfplugin6__ReadResource__Response.self, await router.call("ReadResource", bytes)) { message in
                #expect(message.n_diagnostics == 0)
                let identity = try decoded(message.new_identity?.pointee.identity_data, as: Named.identity.impliedType)
                #expect(identity == expected, "\(typeName)")
            }
        }
    }

    @Test("Import by identity reaches importState(identity:) and answers with the identity")
    func importByIdentity() async throws {
        let bytes = request(Tfplugin6__ImportResourceState__Request.self) { arena, message in
            message.pointee.type_name = arena.string("fake_named")
            let data = arena.message(Tfplugin6__ResourceIdentityData.self)
            data.pointee.identity_data = dynamic(MP.map([("name", .str("adopted"))]).bytes, arena)
            message.pointee.identity = data
        }
        try response(Tfplugin6__ImportResourceState__Response.self, await router.call("ImportResourceState", bytes)) { message in
            #expect(message.n_diagnostics == 0)
            let imported = try #require(wireElements(message.n_imported_resources, message.imported_resources).first).pointee
            let value438 = try decoded(imported.state, as: Named.schema.impliedType)?[attribute: "name"]
            #expect(value438 == .string("adopted"))
            let value919 = try decoded(imported.identity.pointee.identity_data, as: Named.identity.impliedType)
            #expect(value919 == .object(["name": .string("adopted")]))
        }
    }

    @Test("An identity that does not decode, is unknown, or is given for a type without identity is refused", arguments: [
        ("fake_named", MP.map([("name", .int(5)), ("extra", .str("x"))]).bytes),
        ("fake_named", MP.unknown.bytes),
        ("fake_named", MP.null.bytes),
        ("fake_plain", MP.map([("name", .str("x"))]).bytes),
    ])
    func importByBadIdentity(_ typeName: String, _ identity: [UInt8]) async throws {
        let bytes = request(Tfplugin6__ImportResourceState__Request.self) { arena, message in
            message.pointee.type_name = arena.string(typeName)
            let data = arena.message(Tfplugin6__ResourceIdentityData.self)
            data.pointee.identity_data = dynamic(identity, arena)
            message.pointee.identity = data
        }
        try response(Tfplugin6__ImportResourceState__Response.self, await router.call("ImportResourceState", bytes)) { message in
            #expect(message.n_imported_resources == 0)
            #expect(diagnostics(message.n_diagnostics, message.diagnostics).hasErrors)
        }
    }

    @Test("UpgradeResourceIdentity upgrades this version, and refuses other versions, bad JSON, unknown and identity-less types", arguments: [
        ("fake_named", Int64(1), #"{"name":"x"}"#, true),
        ("fake_named", Int64(0), #"{"name":"x"}"#, false),
        ("fake_named", Int64(1), #"{"name":"#, false),
        ("fake_plain", Int64(1), #"{"name":"x"}"#, false),
        ("nope", Int64(1), #"{"name":"x"}"#, false),
    ])
    func upgradeIdentity(_ typeName: String, _ version: Int64, _ json: String, _ succeeds: Bool) async throws {
        let bytes = request(Tfplugin6__UpgradeResourceIdentity__Request.self) { arena, message in
            message.pointee.type_name = arena.string(typeName)
            message.pointee.version = version
            let raw = arena.message(Tfplugin6__RawState.self)
            raw.pointee.json = arena.bytes(Array(json.utf8))
            message.pointee.raw_identity = raw
        }
        try response(Tfplugin6__UpgradeResourceIdentity__Response.self, await router.call("UpgradeResourceIdentity", bytes)) { message in
            let upgraded = try decoded(message.upgraded_identity?.pointee.identity_data, as: Named.identity.impliedType)
            #expect((upgraded == .object(["name": .string("x")])) == succeeds)
            #expect(diagnostics(message.n_diagnostics, message.diagnostics).hasErrors != succeeds)
        }
    }

    // MARK: Moves

    func move(from sourceType: String, to targetType: String, state: String = #"{"a":1}"#) -> [UInt8] {
        request(Tfplugin6__MoveResourceState__Request.self) { arena, message in
            message.pointee.source_provider_address = arena.string("registry.terraform.io/other/old")
            message.pointee.source_type_name = arena.string(sourceType)
            message.pointee.target_type_name = arena.string(targetType)
            message.pointee.source_private = arena.bytes([1, 2, 3])
            let raw = arena.message(Tfplugin6__RawState.self)
            raw.pointee.json = arena.bytes(Array(state.utf8))
            message.pointee.source_state = raw
        }
    }

    @Test("MoveResourceState returns the moved state, private bytes and identity")
    func moves() async throws {
        try response(Tfplugin6__MoveResourceState__Response.self, await router.call("MoveResourceState", move(from: "old_named", to: "fake_named"))) { message in
            #expect(message.n_diagnostics == 0)
            let value386 = try decoded(message.target_state, as: Named.schema.impliedType)
            #expect(value386 == Named.state("moved"))
            #expect([UInt8](wire: message.target_private) == [1, 2, 3])
            let value31 = try decoded(message.target_identity.pointee.identity_data, as: Named.identity.impliedType)
            #expect(value31 == .object(["name": .string("moved")]))
        }
    }

    @Test("A move from an unknown source, to a type that cannot move, to an unknown type, or to a null state is an error", arguments: [
        ("other_type", "fake_named", #"{}"#), ("old_named", "fake_plain", #"{}"#), ("old_named", "nope", #"{}"#), ("old_named", "fake_named", "null"),
    ])
    func moveRefused(_ source: String, _ target: String, _ state: String) async throws {
        try response(Tfplugin6__MoveResourceState__Response.self, await router.call("MoveResourceState", move(from: source, to: target, state: state))) { message in
            #expect(message.target_state == nil)
            #expect(diagnostics(message.n_diagnostics, message.diagnostics).hasErrors)
        }
    }

    // MARK: Functions

    func callFunction(_ name: String, _ arguments: [[UInt8]]) -> [UInt8] {
        request(Tfplugin6__CallFunction__Request.self) { arena, message in
            message.pointee.name = arena.string(name)
            (message.pointee.n_arguments, message.pointee.arguments) = arena.repeated(arguments.map { dynamic($0, arena) })
        }
    }

    @Test("GetFunctions lists the functions")
    func getFunctions() async throws {
        try response(Tfplugin6__GetFunctions__Response.self, await router.call("GetFunctions", [])) { message in
            #expect(wireElements(message.n_functions, message.functions).map { String(wire: $0.pointee.key) } == ["echo"])
        }
    }

    @Test("CallFunction returns the result")
    func callsFunction() async throws {
        try response(Tfplugin6__CallFunction__Response.self, await router.call("CallFunction", callFunction("echo", [MP.str("hi").bytes]))) { message in
            #expect(message.error == nil)
            let value288 = try decoded(message.result, as: .string)
            #expect(value288 == .string("hi"))
        }
    }

    @Test("A function's own error keeps its argument index")
    func functionError() async throws {
        try response(Tfplugin6__CallFunction__Response.self, await router.call("CallFunction", callFunction("echo", [MP.str("bad").bytes]))) { message in
            #expect(message.result == nil)
            let error = try #require(message.error).pointee
            #expect(String(wire: error.text) == "bad text")
            #expect(error._function_argument_case == TFPLUGIN6__FUNCTION_ERROR___FUNCTION_ARGUMENT_FUNCTION_ARGUMENT)
            #expect(error.function_argument == 0)
        }
    }

    @Test("Unknown functions, wrong argument counts or types, unknown arguments and ill-typed results are function errors", arguments: [
        ("nope", [MP.str("x").bytes]), ("echo", []), ("echo", [MP.str("a").bytes, MP.str("b").bytes]),
        ("echo", [MP.array([]).bytes]), ("echo", [MP.unknown.bytes]), ("echo", [MP.str("number").bytes]), ("echo", [[0xC1]]),
    ])
    func functionRefused(_ name: String, _ arguments: [[UInt8]]) async throws {
        try response(Tfplugin6__CallFunction__Response.self, await router.call("CallFunction", callFunction(name, arguments))) { message in
            #expect(message.result == nil)
            let error = try #require(message.error)
            #expect(!String(wire: error.pointee.text).isEmpty)
        }
    }

    @Test("An argument that does not decode is a function error on that argument")
    func functionArgumentIndex() async throws {
        try response(Tfplugin6__CallFunction__Response.self, await router.call("CallFunction", callFunction("echo", [MP.array([]).bytes]))) { message in
            let error = try #require(message.error).pointee
            #expect(error._function_argument_case == TFPLUGIN6__FUNCTION_ERROR___FUNCTION_ARGUMENT_FUNCTION_ARGUMENT)
            #expect(error.function_argument == 0)
            #expect(String(wire: error.text).contains("argument 0"))
        }
    }

    // MARK: List resources

    func listRequest(_ typeName: String, config: [UInt8]? = nil, include: Bool = true, limit: Int64 = 100) -> [UInt8] {
        request(Tfplugin6__ListResource__Request.self) { arena, message in
            message.pointee.type_name = arena.string(typeName)
            if let config { message.pointee.config = dynamic(config, arena) }
            message.pointee.include_resource_object = include ? 1 : 0
            message.pointee.limit = limit
        }
    }

    typealias Event = (name: CtyValue?, display: String, object: CtyValue?, diagnostics: [Diagnostic])

    func listEvents(_ bytes: [UInt8]) async throws -> [Event] {
        try events(Tfplugin6__ListResource__Event.self, await stream("ListResource", bytes)) { event in
            let identity = try decoded(event.identity?.pointee.identity_data, as: Named.identity.impliedType)
            let object = event._resource_object_case == TFPLUGIN6__LIST_RESOURCE__EVENT___RESOURCE_OBJECT_RESOURCE_OBJECT
                ? try decoded(event.resource_object, as: Named.schema.impliedType) : nil
            return (identity?[attribute: "name"], String(wire: event.display_name), object, diagnostics(event.n_diagnostic, event.diagnostic))
        }
    }

    @Test("ListResource streams one event per result with identity, display name and object")
    func lists() async throws {
        let listed = try await listEvents(listRequest("fake_named", config: MP.map([("prefix", .str("p-"))]).bytes))
        #expect(listed.map(\.name) == ["p-a", "p-b", "p-c"].map(CtyValue.string))
        #expect(listed.map(\.display) == ["Named p-a", "Named p-b", "Named p-c"])
        #expect(listed.first?.object == Named.state("p-a"))
        #expect(listed.allSatisfy { $0.diagnostics.isEmpty })
    }

    @Test("ListResource honours the limit, leaves objects out unless asked, and takes a missing config block as null")
    func listLimit() async throws {
        let listed = try await listEvents(listRequest("fake_named", config: MP.null.bytes, include: false, limit: 2))
        #expect(listed.map(\.name) == ["a", "b"].map(CtyValue.string))
        #expect(listed.allSatisfy { $0.object == nil })
    }

    @Test("ListResource errors are events: unknown type, bad config, a failed listing, a type without identity, an ill-typed object", arguments: [
        ("nope", MP.null.bytes), ("fake_named", MP.map([("prefix", .int(1)), ("x", .null)]).bytes), ("fake_named", MP.unknown.bytes),
        ("fake_named", MP.map([("prefix", .str("fail"))]).bytes), ("fake_plain", MP.null.bytes),
        ("fake_named", MP.map([("prefix", .str("badobject"))]).bytes),
    ])
    func listErrors(_ typeName: String, _ config: [UInt8]) async throws {
        let listed = try await listEvents(listRequest(typeName, config: config))
        #expect(!listed.isEmpty)
        #expect(listed.contains { $0.diagnostics.hasErrors })
    }

    @Test("Bytes that are not a ListResource request are INVALID_ARGUMENT; unknown streaming methods UNIMPLEMENTED")
    func listMalformed() async throws {
        guard case .failure(let code, _) = await stream("ListResource", [0xFF, 0xFF, 0xFF]) else { Issue.record("answered"); return }
        #expect(code == .invalidArgument)
        guard case .failure(let other, _) = await stream("ReadStateBytes", []) else { Issue.record("answered"); return }
        #expect(other == .unimplemented)
    }

    @Test("ValidateListResourceConfig of an unknown type is a diagnostic")
    func validateListUnknown() async throws {
        let bytes = request(Tfplugin6__ValidateListResourceConfig__Request.self) { arena, message in
            message.pointee.type_name = arena.string("nope")
        }
        try response(Tfplugin6__ValidateListResourceConfig__Response.self, await router.call("ValidateListResourceConfig", bytes)) { message in
            #expect(diagnostics(message.n_diagnostics, message.diagnostics).map(\.summary) == ["Unknown list resource type"])
        }
    }

    // MARK: Actions

    func invokeRequest(_ typeName: String, _ config: [UInt8]) -> [UInt8] {
        request(Tfplugin6__InvokeAction__Request.self) { arena, message in
            message.pointee.action_type = arena.string(typeName)
            message.pointee.config = dynamic(config, arena)
        }
    }

    func invokeEvents(_ bytes: [UInt8]) async throws -> [(progress: String?, completed: [Diagnostic]?)] {
        try events(Tfplugin6__InvokeAction__Event.self, await stream("InvokeAction", bytes)) { event in
            switch event.type_case {
            case TFPLUGIN6__INVOKE_ACTION__EVENT__TYPE_PROGRESS: (String(wire: event.progress.pointee.message), nil)
            case TFPLUGIN6__INVOKE_ACTION__EVENT__TYPE_COMPLETED: (nil, diagnostics(event.completed.pointee.n_diagnostics, event.completed.pointee.diagnostics))
            default: (nil, nil)
            }
        }
    }

    @Test("InvokeAction streams progress, then one Completed event with the diagnostics")
    func invokes() async throws {
        let events = try await invokeEvents(invokeRequest("fake_note", MP.map([("text", .str("hello"))]).bytes))
        #expect(events.map(\.progress) == ["one", "two", nil])
        #expect(events.last?.completed == [.warning("Noted", "hello")])
    }

    @Test("InvokeAction of an unknown action, with an unknown or ill-typed config, completes with an error", arguments: [
        ("nope", MP.map([("text", .str("x"))]).bytes), ("fake_note", MP.map([("text", .unknown)]).bytes), ("fake_note", MP.str("x").bytes),
    ])
    func invokeRefused(_ typeName: String, _ config: [UInt8]) async throws {
        let events = try await invokeEvents(invokeRequest(typeName, config))
        #expect(events.count == 1)
        #expect(events.first?.completed?.hasErrors == true)
    }

    @Test("PlanAction and ValidateActionConfig of an unknown action are diagnostics")
    func planActionUnknown() async throws {
        let plan = request(Tfplugin6__PlanAction__Request.self) { arena, message in message.pointee.action_type = arena.string("nope") }
        try response(Tfplugin6__PlanAction__Response.self, await router.call("PlanAction", plan)) { message in
            #expect(diagnostics(message.n_diagnostics, message.diagnostics).map(\.summary) == ["Unknown action type"])
        }
        let validate = request(Tfplugin6__ValidateActionConfig__Request.self) { arena, message in
            message.pointee.type_name = arena.string("fake_note")
            message.pointee.config = dynamic(MP.map([("text", .str("x"))]).bytes, arena)
        }
        try response(Tfplugin6__ValidateActionConfig__Response.self, await router.call("ValidateActionConfig", validate)) { message in
            #expect(message.n_diagnostics == 0)
        }
    }
}
