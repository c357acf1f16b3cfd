import CTFPlugin6
import Synchronization
import Testing
@testable import TerraformPlugin

/// A provider with one ephemeral resource, `fake_lease`: `name` (required),
/// `secret` (computed). Open answers the name reversed as the secret, asks
/// for a renewal, and returns `lease:<name>` as private bytes.
private final class LeaseRecorder: Sendable {
    enum Call: Sendable {
        case validate(ValidateEphemeralResourceConfigRequest)
        case open(OpenEphemeralResourceRequest)
        case renew(RenewEphemeralResourceRequest)
        case close(CloseEphemeralResourceRequest)
    }
    private let storage = Mutex<[Call]>([])
    func record(_ call: Call) { storage.withLock { $0.append(call) } }
    var calls: [Call] { storage.withLock { $0 } }
}

private struct FakeLease: EphemeralResource {
    let recorder: LeaseRecorder
    static let typeName = "fake_lease"
    static let schema = Schema(block: SchemaBlock(attributes: [
        .required("name", .string, "The name."),
        .computed("secret", .string, sensitive: true, "The secret."),
    ]))
    static var type: CtyType { schema.impliedType }
    static let renewAt: Int64 = 1_900_000_000

    var typeName: String { Self.typeName }
    var schema: Schema { Self.schema }

    func validateConfig(_ request: ValidateEphemeralResourceConfigRequest) async -> [Diagnostic] {
        recorder.record(.validate(request))
        return []
    }

    func open(_ request: OpenEphemeralResourceRequest) async -> OpenEphemeralResourceResponse {
        recorder.record(.open(request))
        let name = request.config[attribute: "name"].stringValue ?? ""
        return OpenEphemeralResourceResponse(
            result: request.config.setting("secret", to: .string(String(name.reversed()))),
            renewAt: Self.renewAt, private: Array("lease:\(name)".utf8)
        )
    }

    func renew(_ request: RenewEphemeralResourceRequest) async -> RenewEphemeralResourceResponse {
        recorder.record(.renew(request))
        return RenewEphemeralResourceResponse(renewAt: Self.renewAt + 60, private: request.private + Array("+".utf8))
    }

    func close(_ request: CloseEphemeralResourceRequest) async -> [Diagnostic] {
        recorder.record(.close(request))
        return []
    }
}

private struct LeaseProvider: Provider {
    let recorder: LeaseRecorder
    var address: String { "registry.terraform.io/example/lease" }
    var schema: Schema { Schema(block: SchemaBlock(attributes: [])) }
    var resources: [any ManagedResource] { [] }
    var dataSources: [any DataSource] { [] }
    var ephemeralResources: [any EphemeralResource] { [FakeLease(recorder: recorder)] }
    func configure(_ request: ConfigureProviderRequest) async -> [Diagnostic] { [] }
}

@Suite("Router: ephemeral resources")
struct RouterEphemeralTests {
    private let recorder = LeaseRecorder()
    private var router: ProviderRouter { ProviderRouter(provider: LeaseProvider(recorder: recorder)) }

    private static func config(_ value: CtyValue, _ arena: WireArena) -> UnsafeMutablePointer<Tfplugin6__DynamicValue> {
        // Values built here always conform; a failure is a bug in the test.
        dynamic((try? DynamicValueWire.encode(value, as: FakeLease.type)) ?? [], arena)
    }

    private static func known(_ name: String) -> CtyValue {
        .object(type: FakeLease.type, ["name": .string(name), "secret": .null(.string)])
    }

    private func open(_ value: CtyValue?, typeName: String = FakeLease.typeName, deferralAllowed: Bool = false) async -> RPCResult {
        let bytes = request(Tfplugin6__OpenEphemeralResource__Request.self) { arena, message in
            message.pointee.type_name = arena.string(typeName)
            if let value { message.pointee.config = Self.config(value, arena) }
            if deferralAllowed {
                let capabilities = arena.message(Tfplugin6__ClientCapabilities.self)
                capabilities.pointee.deferral_allowed = 1
                message.pointee.client_capabilities = capabilities
            }
        }
        return await router.call("OpenEphemeralResource", bytes)
    }

    private func close(_ typeName: String = FakeLease.typeName, private blob: [UInt8]?) async throws -> [Diagnostic] {
        let bytes = request(Tfplugin6__CloseEphemeralResource__Request.self) { arena, message in
            message.pointee.type_name = arena.string(typeName)
            if let blob {
                message.pointee._private_case = TFPLUGIN6__CLOSE_EPHEMERAL_RESOURCE__REQUEST___PRIVATE_PRIVATE
                message.pointee.private_ = arena.bytes(blob)
            }
        }
        return try response(Tfplugin6__CloseEphemeralResource__Response.self, await router.call("CloseEphemeralResource", bytes)) {
            diagnostics($0.n_diagnostics, $0.diagnostics)
        }
    }

    private func openDiagnostics(_ result: RPCResult) throws -> [Diagnostic] {
        try response(Tfplugin6__OpenEphemeralResource__Response.self, result) { diagnostics($0.n_diagnostics, $0.diagnostics) }
    }

    @Test("GetMetadata and GetProviderSchema list the ephemeral resource type")
    func listed() async throws {
        let names = try response(Tfplugin6__GetMetadata__Response.self, await router.call("GetMetadata", [])) { message in
            (0..<message.n_ephemeral_resources).map { String(wire: message.ephemeral_resources[$0]!.pointee.type_name) }
        }
        #expect(names == ["fake_lease"])
        let schemas = try response(Tfplugin6__GetProviderSchema__Response.self, await router.call("GetProviderSchema", [])) { message in
            (0..<message.n_ephemeral_resource_schemas).map { index in
                let entry = message.ephemeral_resource_schemas[index]!.pointee
                return (String(wire: entry.key), Int(entry.value.pointee.block.pointee.n_attributes))
            }
        }
        #expect(schemas.map(\.0) == ["fake_lease"])
        #expect(schemas.map(\.1) == [2])
    }

    @Test("Open returns the result, renew_at and private bytes the resource produced")
    func openRoundTrip() async throws {
        let result = await open(Self.known("abc"), deferralAllowed: true)
        let (value, renewAt, blob, diags) = try response(Tfplugin6__OpenEphemeralResource__Response.self, result) { message in
            (
                try decoded(message.result, as: FakeLease.type),
                message._renew_at_case == TFPLUGIN6__OPEN_EPHEMERAL_RESOURCE__RESPONSE___RENEW_AT_RENEW_AT ? message.renew_at?.pointee.seconds : nil,
                message._private_case == TFPLUGIN6__OPEN_EPHEMERAL_RESOURCE__RESPONSE___PRIVATE_PRIVATE ? [UInt8](wire: message.private_) : nil,
                diagnostics(message.n_diagnostics, message.diagnostics)
            )
        }
        #expect(diags.isEmpty)
        #expect(value?[attribute: "secret"] == .string("cba"))
        #expect(renewAt == FakeLease.renewAt)
        #expect(blob == Array("lease:abc".utf8))
        guard case .open(let request) = recorder.calls.first else { Issue.record("open not called: \(recorder.calls)"); return }
        #expect(request.deferralAllowed)
    }

    @Test("Renew and Close receive the private bytes Terraform hands back; Renew's answer carries its own")
    func renewAndClose() async throws {
        let renewBytes = request(Tfplugin6__RenewEphemeralResource__Request.self) { arena, message in
            message.pointee.type_name = arena.string(FakeLease.typeName)
            message.pointee._private_case = TFPLUGIN6__RENEW_EPHEMERAL_RESOURCE__REQUEST___PRIVATE_PRIVATE
            message.pointee.private_ = arena.bytes(Array("lease:abc".utf8))
        }
        let (renewAt, blob) = try response(Tfplugin6__RenewEphemeralResource__Response.self, await router.call("RenewEphemeralResource", renewBytes)) {
            ($0.renew_at?.pointee.seconds, [UInt8](wire: $0.private_))
        }
        #expect(renewAt == FakeLease.renewAt + 60)
        #expect(blob == Array("lease:abc+".utf8))
        #expect(try await close(private: Array("lease:abc".utf8)).isEmpty)
        #expect(try await close(private: nil).isEmpty)
        let closed = recorder.calls.compactMap { call -> [UInt8]? in
            if case .close(let request) = call { return request.private }
            return nil
        }
        #expect(closed == [Array("lease:abc".utf8), []])
    }

    @Test("an unknown type name is a diagnostic in each ephemeral RPC, and nothing is called", arguments: ["fake_leas", "fake_lease\0x", ""])
    func unknownTypeName(_ typeName: String) async throws {
        let opened = try openDiagnostics(await open(Self.known("abc"), typeName: typeName))
        #expect(opened.map(\.summary) == ["Unknown ephemeral resource type"])
        let closed = try await close(typeName, private: Array("garbage".utf8))
        #expect(closed.map(\.summary) == ["Unknown ephemeral resource type"])
        let validateBytes = request(Tfplugin6__ValidateEphemeralResourceConfig__Request.self) { arena, message in
            message.pointee.type_name = arena.string(typeName)
            message.pointee.config = Self.config(Self.known("abc"), arena)
        }
        let validated = try response(
            Tfplugin6__ValidateEphemeralResourceConfig__Response.self, await router.call("ValidateEphemeralResourceConfig", validateBytes)
        ) { diagnostics($0.n_diagnostics, $0.diagnostics) }
        #expect(validated.map(\.summary) == ["Unknown ephemeral resource type"])
        #expect(recorder.calls.isEmpty)
    }

    @Test("Open refuses a missing, null, wholly unknown or partly unknown configuration before the resource sees it")
    func openRefusesUnknownConfig() async throws {
        let partly = CtyValue.object(type: FakeLease.type, ["name": .unknown(.string), "secret": .null(.string)])
        for value in [nil, CtyValue.null(FakeLease.type), .unknown(FakeLease.type), partly] {
            let diagnostics = try openDiagnostics(await open(value))
            #expect(diagnostics.map(\.summary) == ["Invalid ephemeral resource configuration"], "\(String(describing: value))")
        }
        let detail = try openDiagnostics(await open(partly)).first?.detail ?? ""
        #expect(detail.contains("only once its configuration is known"), "\(detail)")
        #expect(recorder.calls.isEmpty)
    }

    @Test("Validate passes a configuration with unknowns to the resource")
    func validateAllowsUnknowns() async throws {
        let partly = CtyValue.object(type: FakeLease.type, ["name": .unknown(.string), "secret": .null(.string)])
        let bytes = request(Tfplugin6__ValidateEphemeralResourceConfig__Request.self) { arena, message in
            message.pointee.type_name = arena.string(FakeLease.typeName)
            message.pointee.config = Self.config(partly, arena)
        }
        let validated = try response(
            Tfplugin6__ValidateEphemeralResourceConfig__Response.self, await router.call("ValidateEphemeralResourceConfig", bytes)
        ) { diagnostics($0.n_diagnostics, $0.diagnostics) }
        #expect(validated.isEmpty)
        guard case .validate(let request) = recorder.calls.first else { Issue.record("validate not called"); return }
        #expect(request.config[attribute: "name"].isKnown == false)
    }

    @Test("bytes that do not parse are INVALID_ARGUMENT, and the router keeps serving")
    func malformed() async throws {
        for method in ["ValidateEphemeralResourceConfig", "OpenEphemeralResource", "RenewEphemeralResource", "CloseEphemeralResource"] {
            let result = await router.call(method, [0xFF, 0xFF, 0xFF])
            #expect(result.failureCode == .invalidArgument, "\(method)")
        }
        #expect(try openDiagnostics(await open(Self.known("x"))).isEmpty)
    }
}
