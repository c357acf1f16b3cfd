import CTFPlugin6

// Provider-level RPCs: metadata, schema, provider configuration, stop.

/// The type names GetMetadata lists, in the provider's order.
struct ProviderMetadata: RPCAnswer {
    var resourceTypeNames: [String]
    var dataSourceTypeNames: [String]
    var diagnostics: [Diagnostic] { [] }
}

enum GetMetadataRPC: RPC {
    typealias WireRequest = Tfplugin6__GetMetadata__Request
    typealias WireResponse = Tfplugin6__GetMetadata__Response
    typealias Target = RouterCore
    static let name = "GetMetadata"
    static var diagnosticsField: DiagnosticsField<WireResponse>? { DiagnosticsField(count: \.n_diagnostics, elements: \.diagnostics) }
    static var tracked: Bool { false }

    static func fromWire(_ message: WireRequest, _ values: RequestValues) -> Void {}

    static func call(_ core: RouterCore, _ request: Void) async -> ProviderMetadata {
        ProviderMetadata(resourceTypeNames: core.resourceList.map(\.element.typeName), dataSourceTypeNames: core.dataSourceList.map(\.element.typeName))
    }

    static func toWire(_ response: ProviderMetadata, _ request: Void, _ writer: inout ResponseWriter, _ message: UnsafeMutablePointer<WireResponse>) {
        message.pointee.server_capabilities = ServerCapabilities.router.wire(in: writer.arena)
        (message.pointee.n_resources, message.pointee.resources) = writer.repeated(response.resourceTypeNames.map { name in
            let metadata = writer.message(Tfplugin6__GetMetadata__ResourceMetadata.self)
            metadata.pointee.type_name = writer.string(name)
            return metadata
        })
        (message.pointee.n_data_sources, message.pointee.data_sources) = writer.repeated(response.dataSourceTypeNames.map { name in
            let metadata = writer.message(Tfplugin6__GetMetadata__DataSourceMetadata.self)
            metadata.pointee.type_name = writer.string(name)
            return metadata
        })
    }
}

/// Every schema the provider declares, in its order.
struct ProviderSchemas: RPCAnswer {
    var provider: Schema
    var providerMeta: Schema?
    var resources: [(typeName: String, schema: Schema)]
    var dataSources: [(typeName: String, schema: Schema)]
    var diagnostics: [Diagnostic] { [] }
}

enum GetProviderSchemaRPC: RPC {
    typealias WireRequest = Tfplugin6__GetProviderSchema__Request
    typealias WireResponse = Tfplugin6__GetProviderSchema__Response
    typealias Target = RouterCore
    static let name = "GetProviderSchema"
    static var diagnosticsField: DiagnosticsField<WireResponse>? { DiagnosticsField(count: \.n_diagnostics, elements: \.diagnostics) }
    static var tracked: Bool { false }

    static func fromWire(_ message: WireRequest, _ values: RequestValues) -> Void {}

    static func call(_ core: RouterCore, _ request: Void) async -> ProviderSchemas {
        ProviderSchemas(
            provider: core.providerSchema, providerMeta: core.providerMetaSchema,
            resources: core.resourceList.map { ($0.element.typeName, $0.schema) },
            dataSources: core.dataSourceList.map { ($0.element.typeName, $0.schema) }
        )
    }

    static func toWire(_ response: ProviderSchemas, _ request: Void, _ writer: inout ResponseWriter, _ message: UnsafeMutablePointer<WireResponse>) {
        let arena = writer.arena
        message.pointee.provider = response.provider.wire(in: arena)
        message.pointee.provider_meta = response.providerMeta?.wire(in: arena)
        (message.pointee.n_resource_schemas, message.pointee.resource_schemas) = writer.repeated(response.resources.map { resource in
            let entry = arena.message(Tfplugin6__GetProviderSchema__Response__ResourceSchemasEntry.self)
            entry.pointee.key = arena.string(resource.typeName)
            entry.pointee.value = resource.schema.wire(in: arena)
            return entry
        })
        (message.pointee.n_data_source_schemas, message.pointee.data_source_schemas) = writer.repeated(response.dataSources.map { dataSource in
            let entry = arena.message(Tfplugin6__GetProviderSchema__Response__DataSourceSchemasEntry.self)
            entry.pointee.key = arena.string(dataSource.typeName)
            entry.pointee.value = dataSource.schema.wire(in: arena)
            return entry
        })
        message.pointee.server_capabilities = ServerCapabilities.router.wire(in: arena)
    }

    /// Encoded once per process: the schema cannot change under a running
    /// plugin, and Terraform asks for it at almost every launch.
    static func pack(_ response: ProviderSchemas, _ request: Void, _ context: ResponseContext) -> [UInt8] {
        context.core.providerSchemaResponse.get { packFresh(response, request, context) }
    }

    static func packFresh(_ response: ProviderSchemas, _ request: Void, _ context: ResponseContext) -> [UInt8] {
        WireArena.pack(WireResponse.self) { arena, message in
            var writer = ResponseWriter(arena: arena, context: context)
            toWire(response, request, &writer, message)
        }
    }
}

enum ValidateProviderConfigRPC: RPC {
    typealias WireRequest = Tfplugin6__ValidateProviderConfig__Request
    typealias WireResponse = Tfplugin6__ValidateProviderConfig__Response
    typealias Target = any Provider
    static let name = "ValidateProviderConfig"
    static var diagnosticsField: DiagnosticsField<WireResponse>? { DiagnosticsField(count: \.n_diagnostics, elements: \.diagnostics) }

    static func fromWire(_ message: WireRequest, _ values: RequestValues) throws(RejectedRequest) -> ValidateProviderConfigRequest {
        ValidateProviderConfigRequest(config: try values.decode(message.config, .config("provider configuration")))
    }

    static func call(_ provider: any Provider, _ request: ValidateProviderConfigRequest) async -> [Diagnostic] {
        await provider.validateConfig(request)
    }

    static func toWire(_ response: [Diagnostic], _ request: ValidateProviderConfigRequest, _ writer: inout ResponseWriter, _ message: UnsafeMutablePointer<WireResponse>) {}
}

enum ConfigureProviderRPC: RPC {
    typealias WireRequest = Tfplugin6__ConfigureProvider__Request
    typealias WireResponse = Tfplugin6__ConfigureProvider__Response
    typealias Target = any Provider
    static let name = "ConfigureProvider"
    static var diagnosticsField: DiagnosticsField<WireResponse>? { DiagnosticsField(count: \.n_diagnostics, elements: \.diagnostics) }

    static func fromWire(_ message: WireRequest, _ values: RequestValues) throws(RejectedRequest) -> ConfigureProviderRequest {
        ConfigureProviderRequest(
            terraformVersion: String(wire: message.terraform_version),
            config: try values.decode(message.config, .config("provider configuration"))
        )
    }

    static func call(_ provider: any Provider, _ request: ConfigureProviderRequest) async -> [Diagnostic] {
        await provider.configure(request)
    }

    static func toWire(_ response: [Diagnostic], _ request: ConfigureProviderRequest, _ writer: inout ResponseWriter, _ message: UnsafeMutablePointer<WireResponse>) {}
}

/// Cancels the calls in flight, then lets the provider stop its own work.
/// The empty `Error` field tells Terraform the stop succeeded. Not tracked:
/// it would cancel itself.
enum StopProviderRPC: RPC {
    typealias WireRequest = Tfplugin6__StopProvider__Request
    typealias WireResponse = Tfplugin6__StopProvider__Response
    typealias Target = RouterCore
    static let name = "StopProvider"
    /// StopProvider's response has no diagnostics, only an error string.
    static var diagnosticsField: DiagnosticsField<WireResponse>? { nil }
    static var tracked: Bool { false }

    static func fromWire(_ message: WireRequest, _ values: RequestValues) -> Void {}

    static func call(_ core: RouterCore, _ request: Void) async -> [Diagnostic] {
        let cancelled = core.calls.cancelAll()
        PluginLog.debug("Stopping: cancelled the calls in flight", ["count": String(cancelled)])
        await core.provider.stop()
        return []
    }

    static func toWire(_ response: [Diagnostic], _ request: Void, _ writer: inout ResponseWriter, _ message: UnsafeMutablePointer<WireResponse>) {}
}
