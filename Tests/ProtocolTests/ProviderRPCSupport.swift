import CTFPlugin6
import Foundation
import PluginTestSupport
@testable import TerraformPlugin
import Testing
import TursoEmulator

// Helpers for ProviderRPCTests: typed tfplugin6 calls to the provider binary.
// Requests are built with protobuf-c through TerraformPlugin's own wire types
// (WireArena) and values with MsgPackValueCodec; responses are unpacked with
// protobuf-c and read field by field, so each test checks what the binary
// actually put on the wire.

/// The implied types of the provider's schemas, written out here rather than
/// taken from TursoProvider: the schema test compares the binary's schemas
/// against them, and every other test decodes the binary's answers with them.
enum TursoTypes {
    static let providerConfig = CtyType.object([
        "api_token": .string, "base_url": .string, "private_state_key": .string, "private_state_previous_keys": .list(.string),
    ])
    static let timedToken = CtyType.object([
        "name": .string, "ttl": .string, "renew_before": .string, "triggers": .map(.string),
        "id": .string, "token": .string, "expires_at": .string,
        "seal_token": .bool, "sealed_token": .string, "token_version": .number,
    ])
    static let apiToken = CtyType.object([
        "name": .string, "organization": .string, "group": .string, "scopes": .set(.string), "rotation_period": .string,
        "triggers": .map(.string), "id": .string, "token": .string, "created_at": .string,
        "name_prefix": .string, "seal_token": .bool, "sealed_token": .string, "token_version": .number,
    ])
    static let listedToken = CtyType.object([
        "name": .string, "id": .string, "organization": .string, "group": .string, "scopes": .list(.string), "created_at": .string,
    ])
    static let apiTokens = CtyType.object(["organization": .string, "tokens": .list(listedToken)])
    static let apiTokenValidation = CtyType.object(["token": .string, "valid": .bool, "expires_at": .string])
}

/// A private-state key for tests: long enough, and no secret.
let testPrivateStateKey = "protocol-tests-private-state-key-0123456789"

struct ProtocolTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

// MARK: - Decoded responses

struct PlanResult {
    var plannedState: CtyValue?
    var requiresReplace: [AttributePath]
    var plannedPrivate: [UInt8]
    var diagnostics: [Diagnostic]
}

struct StateResult {
    var state: CtyValue?
    var `private`: [UInt8]
    var diagnostics: [Diagnostic]
}

struct ImportResult {
    struct Imported {
        var typeName: String
        var state: CtyValue?
        var `private`: [UInt8]
    }

    var imported: [Imported]
    var diagnostics: [Diagnostic]
}

struct UpgradeResult {
    var upgradedState: CtyValue?
    var diagnostics: [Diagnostic]
}

extension [Diagnostic] {
    var errors: [Diagnostic] { filter { $0.severity == .error } }
    var warnings: [Diagnostic] { filter { $0.severity == .warning } }
}

// MARK: - The session

/// One launch of the provider binary as Terraform launches it (magic
/// cookie, AutoMTLS with a P-521 client certificate, a fresh socket folder),
/// with a typed method per tfplugin6 RPC.
struct ProviderSession: Sendable {
    let plugin: LaunchedPlugin

    /// - environment: added to the plugin's (HOME and XDG_CONFIG_HOME, say).
    static func launch(environment: [String: String] = [:]) async throws -> ProviderSession {
        var options = try PluginLaunchOptions.terraformLike()
        options.extraEnvironment.merge(environment) { $1 }
        // Terraform (go-plugin) hands its whole environment to the plugin.
        // PATH matters here: it is how an AddressSanitizer build finds
        // llvm-symbolizer, without which LeakSanitizer cannot match the
        // function-name suppressions of Tests/lsan.supp and reports the
        // schemas' one-time static initialisers as leaks.
        options.extraEnvironment["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return ProviderSession(plugin: try await LaunchedPlugin.launch(options, timeout: .seconds(60)))
    }

    var socketPath: String { plugin.handshake.address }

    /// Generous: the deadline only ends a call that hangs; under
    /// AddressSanitizer on a busy machine calls are slow, never this slow.
    static let callTimeout: Duration = .seconds(120)

    /// A raw `/tfplugin6.Provider/<method>` call.
    func call(_ method: String, _ request: [UInt8] = [], timeout: Duration = callTimeout) async -> CallResult {
        await plugin.client.call("/tfplugin6.Provider/" + method, request: request, timeout: timeout)
    }

    /// A call that must succeed at the gRPC level; its response unpacked
    /// with protobuf-c and read by `read`.
    func rpc<Response: WireMessage, Result>(
        _ method: String, _ request: [UInt8], _ type: Response.Type, timeout: Duration = callTimeout,
        _ read: (Response) throws -> Result
    ) async throws -> Result {
        let result = await call(method, request, timeout: timeout)
        return try Self.unpack(method, result, type, read)
    }

    static func unpack<Response: WireMessage, Result>(
        _ method: String, _ result: CallResult, _ type: Response.Type, _ read: (Response) throws -> Result
    ) throws -> Result {
        guard result.status == .ok, let bytes = result.response else { throw ProtocolTestFailure("\(method): \(result)") }
        return try UnpackedMessage<Response>(bytes).withMessage { message in try read(message) }
    }

    /// Ends the plugin as Terraform does and checks it exited cleanly: with
    /// status 0 (under AddressSanitizer a leak or a memory error would make
    /// it non-zero) and without leaving its socket behind.
    func finish(sourceLocation: SourceLocation = #_sourceLocation) async {
        let (result, status) = await plugin.shutdown(timeout: .seconds(60))
        #expect(result.status == .ok, "Shutdown: \(result)", sourceLocation: sourceLocation)
        #expect(status == .exited(0), "exit: \(status.map(String.init(describing:)) ?? "still running"); stderr: \(stderrTail)",
                sourceLocation: sourceLocation)
        #expect(access(socketPath, F_OK) != 0, "socket \(socketPath) left behind", sourceLocation: sourceLocation)
    }

    /// The plugin's stderr for failure messages: a sanitizer's report whole
    /// (it comes last, and says what leaked or crashed), else the end.
    var stderrTail: String {
        let stderr = plugin.process.standardError
        if let report = stderr.range(of: "==ERROR: ") {
            let lineStart = stderr[..<report.lowerBound].lastIndex(of: "\n").map(stderr.index(after:)) ?? stderr.startIndex
            return String(stderr[lineStart...])
        }
        return String(stderr.suffix(4000))
    }

    // MARK: Provider

    func getMetadata() async throws -> (resources: [String], dataSources: [String], capabilities: ServerCapabilities?, diagnostics: [Diagnostic]) {
        try await rpc("GetMetadata", WireArena.pack(Tfplugin6__GetMetadata__Request.self) { _, _ in }, Tfplugin6__GetMetadata__Response.self) { message in
            (
                wireElements(message.n_resources, message.resources).map { String(wire: $0.pointee.type_name) },
                wireElements(message.n_data_sources, message.data_sources).map { String(wire: $0.pointee.type_name) },
                message.server_capabilities.map { ServerCapabilities(wire: $0) },
                [Diagnostic](wire: message.n_diagnostics, message.diagnostics)
            )
        }
    }

    func validateProviderConfig(_ config: CtyValue) async throws -> [Diagnostic] {
        let request = try Self.pack(Tfplugin6__ValidateProviderConfig__Request.self) { arena, message in
            message.pointee.config = try dynamic(config, as: TursoTypes.providerConfig, arena)
        }
        return try await rpc("ValidateProviderConfig", request, Tfplugin6__ValidateProviderConfig__Response.self) {
            [Diagnostic](wire: $0.n_diagnostics, $0.diagnostics)
        }
    }

    /// ConfigureProvider with the given settings; the rest null.
    func configure(
        baseURL: String?, apiToken: String?, privateStateKey: String? = testPrivateStateKey, terraformVersion: String = "1.15.9"
    ) async throws -> [Diagnostic] {
        let config = CtyValue.object(type: TursoTypes.providerConfig, [
            "base_url": baseURL.map(CtyValue.string) ?? .null(.string),
            "api_token": apiToken.map(CtyValue.string) ?? .null(.string),
            "private_state_key": privateStateKey.map(CtyValue.string) ?? .null(.string),
        ])
        let request = try Self.pack(Tfplugin6__ConfigureProvider__Request.self) { arena, message in
            message.pointee.terraform_version = arena.string(terraformVersion)
            message.pointee.config = try dynamic(config, as: TursoTypes.providerConfig, arena)
        }
        return try await rpc("ConfigureProvider", request, Tfplugin6__ConfigureProvider__Response.self) {
            [Diagnostic](wire: $0.n_diagnostics, $0.diagnostics)
        }
    }

    /// Configures against `emulator` with its admin token and the test key,
    /// and requires that to produce no diagnostic at all.
    func configure(emulator: TursoAPIEmulator?) async throws {
        let diagnostics = try await configure(
            baseURL: emulator?.baseURL ?? "http://127.0.0.1:9", apiToken: emulator.map { _ in EmulatorConfiguration.defaultAdminToken }
        )
        guard diagnostics.isEmpty else { throw ProtocolTestFailure("ConfigureProvider: \(diagnostics)") }
    }

    /// The `error` field of the answer (empty: stopped).
    func stopProvider(timeout: Duration = callTimeout) async throws -> String {
        try await rpc("StopProvider", WireArena.pack(Tfplugin6__StopProvider__Request.self) { _, _ in }, Tfplugin6__StopProvider__Response.self,
                      timeout: timeout) { String(wire: $0.error) }
    }

    // MARK: Managed resources

    func validateResourceConfig(_ typeName: String, _ config: CtyValue, as type: CtyType) async throws -> [Diagnostic] {
        let request = try Self.pack(Tfplugin6__ValidateResourceConfig__Request.self) { arena, message in
            message.pointee.type_name = arena.string(typeName)
            message.pointee.config = try dynamic(config, as: type, arena)
        }
        return try await rpc("ValidateResourceConfig", request, Tfplugin6__ValidateResourceConfig__Response.self) {
            [Diagnostic](wire: $0.n_diagnostics, $0.diagnostics)
        }
    }

    func upgradeResourceState(_ typeName: String, version: Int64, json: String, as type: CtyType) async throws -> UpgradeResult {
        let request = Self.pack(Tfplugin6__UpgradeResourceState__Request.self) { arena, message in
            message.pointee.type_name = arena.string(typeName)
            message.pointee.version = version
            let raw = arena.message(Tfplugin6__RawState.self)
            raw.pointee.json = arena.bytes(Array(json.utf8))
            message.pointee.raw_state = raw
        }
        return try await rpc("UpgradeResourceState", request, Tfplugin6__UpgradeResourceState__Response.self) { message in
            UpgradeResult(
                upgradedState: try decoded(message.upgraded_state, as: type),
                diagnostics: [Diagnostic](wire: message.n_diagnostics, message.diagnostics)
            )
        }
    }

    /// PlanResourceChange with values given as msgpack bytes, so that tests
    /// can send values no encoder would write.
    func planRaw(
        _ typeName: String, prior: [UInt8], proposed: [UInt8], config: [UInt8], priorPrivate: [UInt8] = [], as type: CtyType
    ) async throws -> PlanResult {
        let request = Self.pack(Tfplugin6__PlanResourceChange__Request.self) { arena, message in
            message.pointee.type_name = arena.string(typeName)
            message.pointee.prior_state = DynamicValueWire.message(msgpack: prior, in: arena)
            message.pointee.proposed_new_state = DynamicValueWire.message(msgpack: proposed, in: arena)
            message.pointee.config = DynamicValueWire.message(msgpack: config, in: arena)
            message.pointee.prior_private = arena.bytes(priorPrivate)
        }
        return try await rpc("PlanResourceChange", request, Tfplugin6__PlanResourceChange__Response.self) { message in
            PlanResult(
                plannedState: try decoded(message.planned_state, as: type),
                requiresReplace: wireElements(message.n_requires_replace, message.requires_replace).map { AttributePath(wire: $0) },
                plannedPrivate: [UInt8](wire: message.planned_private),
                diagnostics: [Diagnostic](wire: message.n_diagnostics, message.diagnostics)
            )
        }
    }

    /// PlanResourceChange as Terraform sends it: the proposed new state is
    /// the configuration with computed attributes taken from the prior state
    /// (null for a create).
    func plan(
        _ typeName: String, prior: CtyValue, proposed: CtyValue, config: CtyValue, priorPrivate: [UInt8] = [], as type: CtyType
    ) async throws -> PlanResult {
        try await planRaw(
            typeName, prior: try MsgPackValueCodec.encode(prior, as: type), proposed: try MsgPackValueCodec.encode(proposed, as: type),
            config: try MsgPackValueCodec.encode(config, as: type), priorPrivate: priorPrivate, as: type
        )
    }

    func apply(
        _ typeName: String, prior: CtyValue, planned: CtyValue, config: CtyValue, plannedPrivate: [UInt8] = [], as type: CtyType
    ) async throws -> StateResult {
        let request = try Self.pack(Tfplugin6__ApplyResourceChange__Request.self) { arena, message in
            message.pointee.type_name = arena.string(typeName)
            message.pointee.prior_state = try dynamic(prior, as: type, arena)
            message.pointee.planned_state = try dynamic(planned, as: type, arena)
            message.pointee.config = try dynamic(config, as: type, arena)
            message.pointee.planned_private = arena.bytes(plannedPrivate)
        }
        return try await rpc("ApplyResourceChange", request, Tfplugin6__ApplyResourceChange__Response.self) { message in
            StateResult(
                state: try decoded(message.new_state, as: type), private: [UInt8](wire: message.private_),
                diagnostics: [Diagnostic](wire: message.n_diagnostics, message.diagnostics)
            )
        }
    }

    /// Plan then apply of a create, as `terraform apply` does for a new
    /// resource: the planned state and private bytes go to apply unchanged.
    func create(_ typeName: String, config: CtyValue, as type: CtyType) async throws -> (plan: PlanResult, apply: StateResult) {
        let null = CtyValue.null(type)
        let plan = try await plan(typeName, prior: null, proposed: config, config: config, as: type)
        guard let planned = plan.plannedState, plan.diagnostics.errors.isEmpty else {
            throw ProtocolTestFailure("plan of \(typeName): \(plan.diagnostics)")
        }
        let apply = try await apply(typeName, prior: null, planned: planned, config: config, plannedPrivate: plan.plannedPrivate, as: type)
        return (plan, apply)
    }

    func read(_ typeName: String, state: CtyValue, private blob: [UInt8], as type: CtyType) async throws -> StateResult {
        let request = try Self.pack(Tfplugin6__ReadResource__Request.self) { arena, message in
            message.pointee.type_name = arena.string(typeName)
            message.pointee.current_state = try dynamic(state, as: type, arena)
            message.pointee.private_ = arena.bytes(blob)
        }
        return try await rpc("ReadResource", request, Tfplugin6__ReadResource__Response.self) { message in
            StateResult(
                state: try decoded(message.new_state, as: type), private: [UInt8](wire: message.private_),
                diagnostics: [Diagnostic](wire: message.n_diagnostics, message.diagnostics)
            )
        }
    }

    /// Imported states are decoded with `type` (the one type this provider's
    /// imports produce).
    func importState(_ typeName: String, id: String, as type: CtyType) async throws -> ImportResult {
        let request = Self.pack(Tfplugin6__ImportResourceState__Request.self) { arena, message in
            message.pointee.type_name = arena.string(typeName)
            message.pointee.id = arena.string(id)
        }
        return try await rpc("ImportResourceState", request, Tfplugin6__ImportResourceState__Response.self) { message in
            ImportResult(
                imported: try wireElements(message.n_imported_resources, message.imported_resources).map { imported in
                    ImportResult.Imported(
                        typeName: String(wire: imported.pointee.type_name),
                        state: try decoded(imported.pointee.state, as: type),
                        private: [UInt8](wire: imported.pointee.private_)
                    )
                },
                diagnostics: [Diagnostic](wire: message.n_diagnostics, message.diagnostics)
            )
        }
    }

    // MARK: Data sources

    func validateDataResourceConfig(_ typeName: String, _ config: CtyValue, as type: CtyType) async throws -> [Diagnostic] {
        let request = try Self.pack(Tfplugin6__ValidateDataResourceConfig__Request.self) { arena, message in
            message.pointee.type_name = arena.string(typeName)
            message.pointee.config = try dynamic(config, as: type, arena)
        }
        return try await rpc("ValidateDataResourceConfig", request, Tfplugin6__ValidateDataResourceConfig__Response.self) {
            [Diagnostic](wire: $0.n_diagnostics, $0.diagnostics)
        }
    }

    func readDataSourceRequest(_ typeName: String, _ config: CtyValue, as type: CtyType) throws -> [UInt8] {
        try Self.pack(Tfplugin6__ReadDataSource__Request.self) { arena, message in
            message.pointee.type_name = arena.string(typeName)
            message.pointee.config = try dynamic(config, as: type, arena)
        }
    }

    static func readDataSourceResult(_ result: CallResult, as type: CtyType) throws -> StateResult {
        try unpack("ReadDataSource", result, Tfplugin6__ReadDataSource__Response.self) { message in
            StateResult(
                state: try decoded(message.state, as: type), private: [],
                diagnostics: [Diagnostic](wire: message.n_diagnostics, message.diagnostics)
            )
        }
    }

    func readDataSource(_ typeName: String, _ config: CtyValue, as type: CtyType) async throws -> StateResult {
        let result = await call("ReadDataSource", try readDataSourceRequest(typeName, config, as: type))
        return try Self.readDataSourceResult(result, as: type)
    }

    // MARK: Packing

    static func pack<Message: WireMessage>(_ type: Message.Type, _ fill: (WireArena, UnsafeMutablePointer<Message>) -> Void) -> [UInt8] {
        WireArena.pack(type, fill)
    }

    /// `pack` for fills that encode values (which can throw).
    static func pack<Message: WireMessage>(
        _ type: Message.Type, _ fill: (WireArena, UnsafeMutablePointer<Message>) throws -> Void
    ) throws -> [UInt8] {
        var failure: (any Error)?
        let bytes = WireArena.pack(type) { arena, message in
            do { try fill(arena, message) } catch { failure = error }
        }
        if let failure { throw failure }
        return bytes
    }
}

/// A `DynamicValue` holding `value` as msgpack.
func dynamic(_ value: CtyValue, as type: CtyType, _ arena: WireArena) throws -> UnsafeMutablePointer<Tfplugin6__DynamicValue> {
    DynamicValueWire.message(msgpack: try MsgPackValueCodec.encode(value, as: type), in: arena)
}

/// A response's `DynamicValue` decoded against `type`; nil when absent.
func decoded(_ value: UnsafeMutablePointer<Tfplugin6__DynamicValue>?, as type: CtyType) throws -> CtyValue? {
    guard let value else { return nil }
    return try MsgPackValueCodec.decode([UInt8](wire: value.pointee.msgpack), as: type)
}

// MARK: - Values

extension CtyValue {
    static func timedTokenConfig(name: String, ttl: String? = nil, renewBefore: String? = nil) -> CtyValue {
        .object(type: TursoTypes.timedToken, [
            "name": .string(name),
            "ttl": ttl.map(CtyValue.string) ?? .null(.string),
            "renew_before": renewBefore.map(CtyValue.string) ?? .null(.string),
        ])
    }

    static func apiTokenConfig(name: String, organization: String? = nil, group: String? = nil, scopes: [String]? = nil) -> CtyValue {
        .object(type: TursoTypes.apiToken, [
            "name": .string(name),
            "organization": organization.map(CtyValue.string) ?? .null(.string),
            "group": group.map(CtyValue.string) ?? .null(.string),
            "scopes": scopes.map { .set(of: .string, $0.map(CtyValue.string)) } ?? .null(.set(.string)),
        ])
    }
}

/// MessagePack written byte by byte, for values the codec refuses to write
/// (cut short, of the wrong type, not UTF-8).
enum HandMsgPack {
    static let null: [UInt8] = [0xC0]

    /// A str of up to 255 bytes, whatever they are.
    static func string(bytes: [UInt8]) -> [UInt8] {
        precondition(bytes.count < 256)
        return (bytes.count < 32 ? [0xA0 | UInt8(bytes.count)] : [0xD9, UInt8(bytes.count)]) + bytes
    }

    static func string(_ text: String) -> [UInt8] { string(bytes: Array(text.utf8)) }

    /// A positive fixint.
    static func int(_ value: UInt8) -> [UInt8] {
        precondition(value < 128)
        return [value]
    }

    /// A fixmap of string keys to already encoded values, in the given order.
    static func map(_ entries: [(String, [UInt8])]) -> [UInt8] {
        precondition(entries.count < 16)
        return [0x80 | UInt8(entries.count)] + entries.flatMap { string($0.0) + $0.1 }
    }

    /// A `turso_timed_token` configuration with `name` encoded as given and
    /// every other attribute null. `name` comes last, so that cutting bytes
    /// off the end cuts into its value.
    static func timedTokenConfig(name: [UInt8]) -> [UInt8] {
        map([
            ("ttl", null), ("renew_before", null), ("triggers", null),
            ("id", null), ("token", null), ("expires_at", null), ("name", name),
        ])
    }
}

// MARK: - Emulator

extension TursoAPIEmulator {
    /// An emulator on a free port of 127.0.0.1, with one organization.
    static func started() throws -> TursoAPIEmulator {
        let emulator = TursoAPIEmulator(configuration: EmulatorConfiguration(organizations: ["my-org": ["default"]]))
        try emulator.start()
        return emulator
    }
}

/// Waits (polling, at most `limit`) until `condition` holds; whether it did.
/// A rendezvous with the plugin, not a timing assertion.
func eventually(limit: Duration = .seconds(60), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + limit
    while !condition() {
        guard ContinuousClock.now < deadline else { return false }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return true
}
