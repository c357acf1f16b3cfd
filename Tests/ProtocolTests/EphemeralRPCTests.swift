import CTFPlugin6
import Foundation
import PluginTestSupport
@testable import TerraformPlugin
import Testing
import TursoEmulator

/// Ephemeral resource RPCs through the built binary over gRPC: what Terraform
/// could send that is wrong gets a diagnostic, and the plugin keeps serving.
@Suite("Ephemeral resource RPCs through the built binary")
struct EphemeralRPCTests {
    static let timedType = CtyType.object(["name": .string, "ttl": .string, "id": .string, "token": .string, "expires_at": .string])

    static func openRequest(_ typeName: String, _ config: CtyValue?, as type: CtyType) throws -> [UInt8] {
        try ProviderSession.pack(Tfplugin6__OpenEphemeralResource__Request.self) { arena, message in
            message.pointee.type_name = arena.string(typeName)
            if let config { message.pointee.config = try dynamic(config, as: type, arena) }
        }
    }

    static func openDiagnostics(_ session: ProviderSession, _ request: [UInt8]) async throws -> (CtyValue?, [Diagnostic]) {
        try await session.rpc("OpenEphemeralResource", request, Tfplugin6__OpenEphemeralResource__Response.self) {
            (try decoded($0.result, as: timedType), [Diagnostic](wire: $0.n_diagnostics, $0.diagnostics))
        }
    }

    @Test("GetMetadata lists the ephemeral types; Open of a timed token answers its result")
    func served() async throws {
        let session = try await ProviderSession.launch()
        let names = try await session.rpc("GetMetadata", [], Tfplugin6__GetMetadata__Response.self) { message in
            (0..<message.n_ephemeral_resources).map { String(wire: message.ephemeral_resources[$0]!.pointee.type_name) }
        }
        #expect(names == ["turso_api_token", "turso_timed_token", "turso_unsealed_token"])
        try await session.configure(emulator: nil)
        let config = CtyValue.object(type: Self.timedType, [
            "name": .string("n"), "ttl": .string("2m"), "id": .null(.string), "token": .null(.string), "expires_at": .null(.string),
        ])
        let (result, diagnostics) = try await Self.openDiagnostics(session, try Self.openRequest("turso_timed_token", config, as: Self.timedType))
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(result?[attribute: "token"].stringValue?.hasPrefix("token-") == true)
        await session.finish()
    }

    @Test("an unknown type name, an unknown or null configuration, and a forged private record at Close are diagnostics")
    func oddRequests() async throws {
        let session = try await ProviderSession.launch()
        try await session.configure(emulator: nil)
        let known = CtyValue.object(type: Self.timedType, [
            "name": .string("n"), "ttl": .null(.string), "id": .null(.string), "token": .null(.string), "expires_at": .null(.string),
        ])
        let unknownType = try await Self.openDiagnostics(session, try Self.openRequest("turso_timed_tokens", known, as: Self.timedType))
        #expect(unknownType.1.map(\.summary) == ["Unknown ephemeral resource type"])
        for config in [CtyValue.unknown(Self.timedType), .null(Self.timedType), known.setting("name", to: .unknown(.string))] {
            let refused = try await Self.openDiagnostics(session, try Self.openRequest("turso_timed_token", config, as: Self.timedType))
            #expect(refused.1.map(\.summary) == ["Invalid ephemeral resource configuration"], "\(config)")
            #expect(refused.0 == nil)
        }
        let close = ProviderSession.pack(Tfplugin6__CloseEphemeralResource__Request.self) { arena, message in
            message.pointee.type_name = arena.string("turso_api_token")
            message.pointee._private_case = TFPLUGIN6__CLOSE_EPHEMERAL_RESOURCE__REQUEST___PRIVATE_PRIVATE
            message.pointee.private_ = arena.bytes(Array(#"{"name":"someone-elses-token","id":"x"}"#.utf8))
        }
        let closed = try await session.rpc("CloseEphemeralResource", close, Tfplugin6__CloseEphemeralResource__Response.self) {
            [Diagnostic](wire: $0.n_diagnostics, $0.diagnostics)
        }
        #expect(closed.map(\.summary) == ["Ephemeral API token not revoked"], "\(closed)")
        // Still serving.
        #expect(try await session.getMetadata().resources.count == 2)
        await session.finish()
    }

    @Test("turso_unsealed_token: an unknown or null configuration, a null, garbage or hostile sealed_token are diagnostics; the plugin keeps serving")
    func unsealedTokenOddRequests() async throws {
        let type = CtyType.object(["sealed_token": .string, "token": .string])
        let session = try await ProviderSession.launch()
        try await session.configure(emulator: nil)
        func open(_ config: CtyValue) async throws -> (CtyValue?, [Diagnostic]) {
            try await session.rpc("OpenEphemeralResource", try Self.openRequest("turso_unsealed_token", config, as: type),
                                  Tfplugin6__OpenEphemeralResource__Response.self) {
                (try decoded($0.result, as: type), [Diagnostic](wire: $0.n_diagnostics, $0.diagnostics))
            }
        }
        let unknownSealed = CtyValue.object(type: type, ["sealed_token": .unknown(.string), "token": .null(.string)])
        for config in [CtyValue.unknown(type), .null(type), unknownSealed] {
            let refused = try await open(config)
            #expect(refused.1.map(\.summary) == ["Invalid ephemeral resource configuration"], "\(config)")
            #expect(refused.0 == nil)
        }
        let cases: [(String?, String)] = [
            (nil, "No sealed_token to open"), ("garbage", "Cannot open sealed_token"),
            ("turso_api_token:\u{1B}[2J:AAAA", "Cannot open sealed_token"), ("turso_timed_token:x:" + String(repeating: "A", count: 70_000), "Cannot open sealed_token"),
        ]
        for (sealed, summary) in cases {
            let config = CtyValue.object(type: type, ["sealed_token": sealed.map(CtyValue.string) ?? .null(.string), "token": .null(.string)])
            let answer = try await open(config)
            #expect(answer.1.map(\.summary) == [summary], "\(answer.1)")
            #expect(answer.1.allSatisfy { !$0.detail.unicodeScalars.contains("\u{1B}") })
        }
        // Still serving.
        #expect(try await session.getMetadata().resources.count == 2)
        await session.finish()
    }
}
