import CTFPlugin6
import Foundation
import PluginTestSupport
@testable import TerraformPlugin
import Testing
import TursoEmulator

/// An ephemeral `turso_api_token` whose plugin is killed between Open and
/// Close, through the built binary over gRPC and the emulator over HTTP:
/// the next plugin started with the same HOME revokes it, and leaves the
/// tokens of plugins still running alone.
@Suite("Ephemeral API tokens of a killed plugin, through the built binary")
struct EphemeralOrphanRPCTests {
    static let apiType = CtyType.object([
        "name_prefix": .string, "organization": .string, "group": .string, "scopes": .set(.string),
        "name": .string, "id": .string, "token": .string,
    ])
    static let prefix = "rpc-orphan-"

    struct Opened {
        var name: String
        var `private`: [UInt8]
    }

    static func open(_ session: ProviderSession) async throws -> Opened {
        let config = CtyValue.object(type: apiType, [
            "name_prefix": .string(prefix), "organization": .null(.string), "group": .null(.string), "scopes": .null(.set(.string)),
            "name": .null(.string), "id": .null(.string), "token": .null(.string),
        ])
        let request = try ProviderSession.pack(Tfplugin6__OpenEphemeralResource__Request.self) { arena, message in
            message.pointee.type_name = arena.string("turso_api_token")
            message.pointee.config = try dynamic(config, as: apiType, arena)
        }
        let (result, blob, diagnostics) = try await session.rpc("OpenEphemeralResource", request, Tfplugin6__OpenEphemeralResource__Response.self) {
            (try decoded($0.result, as: apiType), [UInt8](wire: $0.private_), [Diagnostic](wire: $0.n_diagnostics, $0.diagnostics))
        }
        guard diagnostics.isEmpty, let name = result?[attribute: "name"].stringValue, name.hasPrefix(prefix), !blob.isEmpty else {
            throw ProtocolTestFailure("OpenEphemeralResource: \(String(describing: result)) \(diagnostics)")
        }
        return Opened(name: name, private: blob)
    }

    static func close(_ session: ProviderSession, _ opened: Opened) async throws -> [Diagnostic] {
        let request = ProviderSession.pack(Tfplugin6__CloseEphemeralResource__Request.self) { arena, message in
            message.pointee.type_name = arena.string("turso_api_token")
            message.pointee._private_case = TFPLUGIN6__CLOSE_EPHEMERAL_RESOURCE__REQUEST___PRIVATE_PRIVATE
            message.pointee.private_ = arena.bytes(opened.private)
        }
        return try await session.rpc("CloseEphemeralResource", request, Tfplugin6__CloseEphemeralResource__Response.self) {
            [Diagnostic](wire: $0.n_diagnostics, $0.diagnostics)
        }
    }

    /// Token names the emulator answered a revoke of with 200, in order.
    static func revoked(_ emulator: TursoAPIEmulator) -> [String] {
        emulator.requestLog().filter { $0.method == "DELETE" && $0.status == 200 }
            .map { String($0.path.dropFirst("/v1/auth/api-tokens/".count)) }
    }

    /// The names the plugin lists through `turso_api_tokens` (over HTTP).
    static func listed(_ session: ProviderSession) async throws -> Set<String> {
        let read = try await session.readDataSource("turso_api_tokens", .object(type: TursoTypes.apiTokens, [:]), as: TursoTypes.apiTokens)
        guard read.diagnostics.isEmpty, let tokens = read.state?[attribute: "tokens"].elements else {
            throw ProtocolTestFailure("turso_api_tokens: \(read.diagnostics)")
        }
        return Set(tokens.compactMap { $0[attribute: "name"].stringValue })
    }

    @Test("A token opened by a plugin killed with SIGKILL before Close is revoked at the next plugin's Open; a running plugin's token is not")
    func killedPluginTokenRevoked() async throws {
        let emulator = try TursoAPIEmulator.started()
        defer { emulator.stop() }
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("orphan-rpc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let environment = ["HOME": home.path, "XDG_CONFIG_HOME": home.appendingPathComponent(".config").path]
        let records = home.appendingPathComponent(".config/terraform-provider-turso/open-ephemeral").path
        func recordCount() -> Int { ((try? FileManager.default.contentsOfDirectory(atPath: records)) ?? []).count }

        // Two runs at once: each plugin opens a token.
        let killed = try await ProviderSession.launch(environment: environment)
        try await killed.configure(emulator: emulator)
        let orphan = try await Self.open(killed)
        let running = try await ProviderSession.launch(environment: environment)
        try await running.configure(emulator: emulator)
        let concurrent = try await Self.open(running)
        // The second Open swept, and the first plugin runs: nothing revoked.
        #expect(Self.revoked(emulator).isEmpty)
        #expect(recordCount() == 2)

        // The first run is killed before its Close.
        #expect(await killed.plugin.process.kill() == .signaled(SIGKILL))
        #expect(recordCount() == 2)

        let next = try await ProviderSession.launch(environment: environment)
        try await next.configure(emulator: emulator)
        let fresh = try await Self.open(next)
        #expect(Self.revoked(emulator) == [orphan.name], "\(emulator.requestLog().map { "\($0.method) \($0.path) \($0.status ?? 0)" })")
        let listed = try await Self.listed(next)
        #expect(!listed.contains(orphan.name), "\(listed)")
        #expect(listed.contains(concurrent.name) && listed.contains(fresh.name), "\(listed)")
        #expect(recordCount() == 2)

        // The runs still going close their own tokens, which removes their records.
        #expect(try await Self.close(running, concurrent).isEmpty)
        #expect(try await Self.close(next, fresh).isEmpty)
        #expect(Self.revoked(emulator) == [orphan.name, concurrent.name, fresh.name])
        #expect(try await Self.listed(next).filter { $0.hasPrefix(Self.prefix) }.isEmpty)
        #expect(recordCount() == 0)
        await running.finish()
        await next.finish()
    }
}
