import CTFPlugin6

// Resource identity (Terraform 1.12+) and moves between resource types
// (Terraform 1.8+). Identities in Read, Plan, Apply and Import answers are
// added by those RPCs' toWire (ResponseWriter.identity(of:)).

struct IdentitySchemas: RPCAnswer {
    var schemas: [(typeName: String, schema: ResourceIdentitySchema)]
    var diagnostics: [Diagnostic] { [] }
}

enum GetResourceIdentitySchemasRPC: RPC {
    typealias WireRequest = Tfplugin6__GetResourceIdentitySchemas__Request
    typealias WireResponse = Tfplugin6__GetResourceIdentitySchemas__Response
    typealias Target = RouterCore
    static let name = "GetResourceIdentitySchemas"
    static var diagnosticsField: DiagnosticsField<WireResponse>? { DiagnosticsField(count: \.n_diagnostics, elements: \.diagnostics) }
    static var tracked: Bool { false }

    static func fromWire(_ message: WireRequest, _ values: RequestValues) -> Void {}

    static func call(_ core: RouterCore, _ request: Void) async -> IdentitySchemas {
        IdentitySchemas(schemas: core.abilities.identityList.map { ($0.typeName, $0.entry.schema) })
    }

    static func toWire(_ response: IdentitySchemas, _ request: Void, _ writer: inout ResponseWriter, _ message: UnsafeMutablePointer<WireResponse>) {
        let arena = writer.arena
        (message.pointee.n_identity_schemas, message.pointee.identity_schemas) = writer.repeated(response.schemas.map { item in
            let entry = arena.message(Tfplugin6__GetResourceIdentitySchemas__Response__IdentitySchemasEntry.self)
            entry.pointee.key = arena.string(item.typeName)
            entry.pointee.value = item.schema.wire(in: arena)
            return entry
        })
    }
}

extension UpgradeResourceIdentityResponse: RPCAnswer {}

/// The stored identity arrives as JSON in whatever identity version wrote
/// it; the upgraded one goes back as msgpack in the current version.
enum UpgradeResourceIdentityRPC: RPC {
    typealias WireRequest = Tfplugin6__UpgradeResourceIdentity__Request
    typealias WireResponse = Tfplugin6__UpgradeResourceIdentity__Response
    typealias Target = any ManagedResource
    static let name = "UpgradeResourceIdentity"
    static var diagnosticsField: DiagnosticsField<WireResponse>? { DiagnosticsField(count: \.n_diagnostics, elements: \.diagnostics) }
    static func typeName(_ message: WireRequest) -> String { String(wire: message.type_name) }

    static func fromWire(_ message: WireRequest, _ values: RequestValues) -> UpgradeResourceIdentityRequest {
        UpgradeResourceIdentityRequest(typeName: values.typeName, version: message.version, rawIdentityJSON: RawStateWire.json(message.raw_identity))
    }

    static func call(_ resource: any ManagedResource, _ request: UpgradeResourceIdentityRequest) async -> UpgradeResourceIdentityResponse {
        guard let resource = resource as? any ResourceWithIdentity else {
            return UpgradeResourceIdentityResponse(diagnostics: [.resourceWithoutIdentity(request.typeName, rpc: name)])
        }
        return await resource.upgradeIdentity(request)
    }

    static func toWire(
        _ response: UpgradeResourceIdentityResponse, _ request: UpgradeResourceIdentityRequest, _ writer: inout ResponseWriter,
        _ message: UnsafeMutablePointer<WireResponse>
    ) {
        guard let identity = response.upgradedIdentity, let entry = writer.context.core.abilities.identities[request.typeName] else { return }
        message.pointee.upgraded_identity = writer.identityData(identity, typeName: request.typeName, entry: entry)
    }
}

extension MoveResourceStateResponse: RPCAnswer {}

/// `moved { from = other.x  to = ours.x }` across types or providers: the
/// target resource gets the source's raw state and private bytes.
enum MoveResourceStateRPC: RPC {
    typealias WireRequest = Tfplugin6__MoveResourceState__Request
    typealias WireResponse = Tfplugin6__MoveResourceState__Response
    typealias Target = any ManagedResource
    static let name = "MoveResourceState"
    static var diagnosticsField: DiagnosticsField<WireResponse>? { DiagnosticsField(count: \.n_diagnostics, elements: \.diagnostics) }
    static func typeName(_ message: WireRequest) -> String { String(wire: message.target_type_name) }

    static func fromWire(_ message: WireRequest, _ values: RequestValues) -> MoveResourceStateRequest {
        MoveResourceStateRequest(
            sourceProviderAddress: String(wire: message.source_provider_address),
            sourceTypeName: String(wire: message.source_type_name),
            sourceSchemaVersion: message.source_schema_version,
            sourceStateJSON: RawStateWire.json(message.source_state),
            sourcePrivate: [UInt8](wire: message.source_private),
            targetTypeName: values.typeName
        )
    }

    static func call(_ resource: any ManagedResource, _ request: MoveResourceStateRequest) async -> MoveResourceStateResponse {
        let refused = MoveResourceStateResponse(diagnostics: [
            .cannotMoveResource(from: request.sourceTypeName, provider: request.sourceProviderAddress, to: request.targetTypeName),
        ])
        guard let resource = resource as? any ResourceWithMoveState else { return refused }
        return await resource.moveState(request) ?? refused
    }

    static func toWire(
        _ response: MoveResourceStateResponse, _ request: MoveResourceStateRequest, _ writer: inout ResponseWriter,
        _ message: UnsafeMutablePointer<WireResponse>
    ) {
        // A moved state that is null, or none without an error, would drop
        // the resource from state: only a real object goes back.
        guard let state = response.targetState, !state.isNull else {
            if !response.diagnostics.hasErrors { writer.append(.providerProducedNoUpgradedState(typeName: request.targetTypeName)) }
            return
        }
        guard let encoded = writer.value(state, "moved state") else { return }
        message.pointee.target_state = encoded
        message.pointee.target_private = writer.bytes(response.targetPrivate)
        message.pointee.target_identity = writer.identity(of: state)
    }
}
