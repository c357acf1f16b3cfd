import CTFPlugin6
import Foundation
import PluginTestSupport
@testable import TerraformPlugin
import Testing
import TursoEmulator

/// The RPCs of identity, moves, functions, list resources and actions, sent
/// to the built binary as Terraform sends them, odd requests included: each
/// gets an answer (a diagnostic, a function error, an error event) and the
/// process keeps serving.
@Suite("Identity, move, function, list and action RPCs through the built binary")
struct WorkflowRPCTests {
    @Test("GetResourceIdentitySchemas: turso_api_token's identity is its name, required for import")
    func identitySchemas() async throws {
        let session = try await ProviderSession.launch()
        let names = try await session.rpc("GetResourceIdentitySchemas", [], Tfplugin6__GetResourceIdentitySchemas__Response.self) { message in
            wireElements(message.n_identity_schemas, message.identity_schemas).flatMap { entry in
                wireElements(entry.pointee.value.pointee.n_identity_attributes, entry.pointee.value.pointee.identity_attributes).map {
                    "\(String(wire: entry.pointee.key)).\(String(wire: $0.pointee.name)) required=\($0.pointee.required_for_import)"
                }
            }
        }
        #expect(names == ["turso_api_token.name required=1"])
        await session.finish()
    }

    func callFunction(_ session: ProviderSession, _ name: String, _ arguments: [[UInt8]]) async throws -> (result: [UInt8]?, error: String?, argument: Int64?) {
        let request = ProviderSession.pack(Tfplugin6__CallFunction__Request.self) { arena, message in
            message.pointee.name = arena.string(name)
            (message.pointee.n_arguments, message.pointee.arguments) = arena.repeated(arguments.map { DynamicValueWire.message(msgpack: $0, in: arena) })
        }
        return try await session.rpc("CallFunction", request, Tfplugin6__CallFunction__Response.self) { message in
            let error = message.error?.pointee
            return (
                message.result.map { [UInt8](wire: $0.pointee.msgpack) }, error.map { String(wire: $0.text) },
                error.flatMap { $0._function_argument_case == TFPLUGIN6__FUNCTION_ERROR___FUNCTION_ARGUMENT_FUNCTION_ARGUMENT ? $0.function_argument : nil }
            )
        }
    }

    @Test("CallFunction: token_claims of a JWT, of garbage (an error on argument 0), of the wrong arguments, and an unknown function")
    func functions() async throws {
        let session = try await ProviderSession.launch()
        let jwt = "eyJhbGciOiJFZERTQSJ9.eyJpZCI6ImFiYyIsImlhdCI6MTcwMDAwMDAwMH0.c2ln"
        let claims = try await callFunction(session, "token_claims", [try MsgPackValueCodec.encode(.string(jwt), as: .string)])
        let value = try MsgPackValueCodec.decode(try #require(claims.result), as: .dynamic)
        #expect(value[attribute: "id"] == .string("abc"))
        #expect(value[attribute: "iat"] == .number(1_700_000_000))

        let garbage = try await callFunction(session, "token_claims", [try MsgPackValueCodec.encode(.string("secret-garbage"), as: .string)])
        #expect(garbage.result == nil)
        #expect(garbage.argument == 0)
        #expect(garbage.error?.contains("Not a Turso token") == true)
        #expect(garbage.error?.contains("secret-garbage") == false)

        for (name, arguments) in [("token_claims", [[UInt8]]()), ("token_claims", [[0xC1]]), ("token_claims", [[0x01], [0x02]]), ("nope", [])] {
            let refused = try await callFunction(session, name, arguments)
            #expect(refused.result == nil, "\(name) \(arguments)")
            #expect(refused.error?.isEmpty == false, "\(name) \(arguments)")
        }
        #expect(try await session.getMetadata().resources.count == 2, "still serving")
        await session.finish()
    }

    func listRequest(_ typeName: String, config: [UInt8]?, include: Bool) -> [UInt8] {
        ProviderSession.pack(Tfplugin6__ListResource__Request.self) { arena, message in
            message.pointee.type_name = arena.string(typeName)
            if let config { message.pointee.config = DynamicValueWire.message(msgpack: config, in: arena) }
            message.pointee.include_resource_object = include ? 1 : 0
            message.pointee.limit = 100
        }
    }

    @Test("ListResource streams the user's tokens with identities; errors are events; bad bytes INVALID_ARGUMENT")
    func listResource() async throws {
        let emulator = try TursoAPIEmulator.started()
        defer { emulator.stop() }
        let session = try await ProviderSession.launch()
        try await session.configure(emulator: emulator)
        for name in ["b", "a"] {
            _ = try await session.create("turso_api_token", config: CtyValue.apiTokenConfig(name: name), as: TursoTypes.apiToken)
        }
        let configType = CtyType.object(["organization": .string, "name_prefix": .string])
        let config = try MsgPackValueCodec.encode(.null(configType), as: configType)
        let result = await session.plugin.client.streamingCall("/tfplugin6.Provider/ListResource", request: listRequest("turso_api_token", config: config, include: true))
        #expect(result.status == .ok, "\(result)")
        let events = try result.responses.map { bytes in
            try UnpackedMessage<Tfplugin6__ListResource__Event>(bytes).withMessage { event in
                let identity = try MsgPackValueCodec.decode([UInt8](wire: event.identity.pointee.identity_data.pointee.msgpack), as: .object(["name": .string]))
                let object = try MsgPackValueCodec.decode([UInt8](wire: event.resource_object.pointee.msgpack), as: TursoTypes.apiToken)
                return (identity[attribute: "name"], String(wire: event.display_name), object[attribute: "token"].isNull, event.n_diagnostic)
            }
        }
        #expect(events.map(\.0) == [.string("a"), .string("b")])
        #expect(events.map(\.1) == ["a", "b"])
        #expect(events.allSatisfy { $0.2 && $0.3 == 0 }, "no value is ever listed")

        let unknown = await session.plugin.client.streamingCall("/tfplugin6.Provider/ListResource", request: listRequest("nope", config: nil, include: false))
        #expect(unknown.status == .ok)
        let unknownDiagnostics = try unknown.responses.map { bytes in
            try UnpackedMessage<Tfplugin6__ListResource__Event>(bytes).withMessage { [Diagnostic](wire: $0.n_diagnostic, $0.diagnostic) }
        }
        #expect(unknownDiagnostics.map { $0.map(\.summary) } == [["Unknown list resource type"]])

        let malformed = await session.plugin.client.streamingCall("/tfplugin6.Provider/ListResource", request: [0xFF, 0xFF, 0xFF])
        #expect(malformed.status == .invalidArgument, "\(malformed)")
        #expect(try await session.getMetadata().resources.count == 2, "still serving")
        await session.finish()
    }

    func move(_ session: ProviderSession, source: String, json: String) async throws -> (state: CtyValue?, diagnostics: [Diagnostic]) {
        let request = ProviderSession.pack(Tfplugin6__MoveResourceState__Request.self) { arena, message in
            message.pointee.source_provider_address = arena.string("registry.terraform.io/provide-io/pyvider")
            message.pointee.source_type_name = arena.string(source)
            message.pointee.target_type_name = arena.string("turso_timed_token")
            let raw = arena.message(Tfplugin6__RawState.self)
            raw.pointee.json = arena.bytes(Array(json.utf8))
            message.pointee.source_state = raw
        }
        return try await session.rpc("MoveResourceState", request, Tfplugin6__MoveResourceState__Response.self) { message in
            (try decoded(message.target_state, as: TursoTypes.timedToken), [Diagnostic](wire: message.n_diagnostics, message.diagnostics))
        }
    }

    @Test("MoveResourceState takes a pyvider_timed_token over, and refuses other sources and broken states")
    func moveResourceState() async throws {
        let session = try await ProviderSession.launch()
        try await session.configure(emulator: nil)
        let moved = try await move(session, source: "pyvider_timed_token", json: #"{"name":"ci","id":"i-1","token":"token-x","expires_at":"2030-01-01T00:00:00.5+00:00"}"#)
        #expect(moved.diagnostics.isEmpty)
        #expect(moved.state?[attribute: "token"] == .string("token-x"))
        #expect(moved.state?[attribute: "expires_at"] == .string("2030-01-01T00:00:00Z"))
        for (source, json) in [("pyvider_other", "{}"), ("pyvider_timed_token", "{"), ("pyvider_timed_token", #"{"name":"ci"}"#)] {
            let refused = try await move(session, source: source, json: json)
            #expect(refused.state == nil, "\(source) \(json)")
            #expect(refused.diagnostics.hasErrors, "\(source) \(json)")
        }
        await session.finish()
    }

    @Test("InvokeAction of an unknown action, or with an ill-typed config, completes with an error")
    func invokeAction() async throws {
        let session = try await ProviderSession.launch()
        for (type, config) in [("nope", [UInt8]([0xC0])), ("turso_revoke_api_token", [0xA1, 0x78])] {
            let request = ProviderSession.pack(Tfplugin6__InvokeAction__Request.self) { arena, message in
                message.pointee.action_type = arena.string(type)
                message.pointee.config = DynamicValueWire.message(msgpack: config, in: arena)
            }
            let result = await session.plugin.client.streamingCall("/tfplugin6.Provider/InvokeAction", request: request)
            #expect(result.status == .ok, "\(result)")
            let completed = try result.responses.map { bytes in
                try UnpackedMessage<Tfplugin6__InvokeAction__Event>(bytes).withMessage { event in
                    event.type_case == TFPLUGIN6__INVOKE_ACTION__EVENT__TYPE_COMPLETED
                        ? [Diagnostic](wire: event.completed.pointee.n_diagnostics, event.completed.pointee.diagnostics).hasErrors : false
                }
            }
            #expect(completed == [true], "\(type)")
        }
        await session.finish()
    }
}
