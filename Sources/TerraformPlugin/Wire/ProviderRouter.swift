import CTFPlugin6

/// Serves `/tfplugin6.Provider/*` calls with a `Provider`: every handler
/// decodes the request into Swift values, calls the provider, and encodes
/// its answer. Bytes that do not parse are answered `INVALID_ARGUMENT`;
/// everything else that goes wrong is a diagnostic in the RPC's response.
///
/// Safe for concurrent calls. Provider calls run as tracked tasks that
/// StopProvider cancels.
package struct ProviderRouter: RPCHandler {
    let core: RouterCore

    package init(provider: some Provider) {
        core = RouterCore(provider: provider)
    }

    package func handle(method: String, request: [UInt8]) async -> RPCResult {
        let context = Self.logContext(method: method)
        return await PluginLog.$request.withValue(context) {
            guard let route = Self.routes[method] else {
                PluginLog.debug("Unimplemented RPC called", module: Self.logModule)
                return .failure(.unimplemented, "\(method) is not implemented by this provider")
            }
            PluginLog.trace("Received request", module: Self.logModule)
            let start = ContinuousClock.now
            let served = await route(core, request)
            if PluginLog.isEnabled(.trace) {
                var servedContext = context
                if let key = served.typeLogKey { servedContext.typeField = (key, served.typeName) }
                // Names and timings only: values and private state can hold secrets.
                PluginLog.$request.withValue(servedContext) {
                    PluginLog.trace(
                        "Served request",
                        ["tf_status": served.statusName, "tf_req_duration_ms": Self.milliseconds(ContinuousClock.now - start)],
                        module: Self.logModule
                    )
                }
            }
            return served.result
        }
    }

    /// The log context of one request, unary or streaming. One id per
    /// request, as terraform-plugin-go makes: it ties the router's lines to
    /// the provider's lines about the same call.
    static func logContext(method: String) -> PluginLog.RequestContext {
        let rpc = method.hasPrefix(methodPrefix) ? String(method.dropFirst(methodPrefix.count)) : method
        return PluginLog.RequestContext(requestID: PluginLog.requestID(), rpc: rpc)
    }

    static let methodPrefix = "/tfplugin6.Provider/"
    /// terraform-plugin-go's name for its protocol-level lines.
    static let logModule = "sdk.proto"

    typealias Route = @Sendable (RouterCore, [UInt8]) async -> Served

    /// Every RPC served. Adding one: its `RPC` conformance, and a line here.
    static let rpcs: [any RPC.Type] = [
        GetMetadataRPC.self,
        GetProviderSchemaRPC.self,
        ValidateProviderConfigRPC.self,
        ConfigureProviderRPC.self,
        StopProviderRPC.self,
        ValidateResourceConfigRPC.self,
        UpgradeResourceStateRPC.self,
        ReadResourceRPC.self,
        PlanResourceChangeRPC.self,
        ApplyResourceChangeRPC.self,
        ImportResourceStateRPC.self,
        ValidateDataResourceConfigRPC.self,
        ReadDataSourceRPC.self,
        GetResourceIdentitySchemasRPC.self,
        UpgradeResourceIdentityRPC.self,
        MoveResourceStateRPC.self,
        GetFunctionsRPC.self,
        CallFunctionRPC.self,
        ValidateListResourceConfigRPC.self,
        ValidateActionConfigRPC.self,
        PlanActionRPC.self,
        // ListResource and InvokeAction stream: `streamingRPCs`.
        ValidateEphemeralResourceConfigRPC.self,
        OpenEphemeralResourceRPC.self,
        RenewEphemeralResourceRPC.self,
        CloseEphemeralResourceRPC.self,
    ]

    /// By gRPC method path.
    static let routes: [String: Route] = Dictionary(
        uniqueKeysWithValues: rpcs.map { rpc in (methodPrefix + rpc.name, rpc.serve) }
    )

    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let microseconds = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        let fraction = String(microseconds % 1000)
        return "\(microseconds / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}

/// What a handler produced, with what the log line needs.
struct Served: Sendable {
    var result: RPCResult
    var typeName: String
    /// `tf_resource_type` or `tf_data_source_type`; nil for provider RPCs.
    var typeLogKey: String?

    init(_ typeName: String, _ response: [UInt8], typeLogKey: String? = nil) {
        self.result = .success(response)
        self.typeName = typeName
        self.typeLogKey = typeLogKey
    }

    /// Request bytes that do not parse: there is no response to put a
    /// diagnostic in.
    static func malformed(_ error: WireDecodingError) -> Served {
        Served(result: .failure(.invalidArgument, error.description), typeName: "")
    }

    private init(result: RPCResult, typeName: String) {
        self.result = result
        self.typeName = typeName
    }

    var statusName: String {
        switch result {
        case .success: "ok"
        case .failure(let code, _): "\(code)"
        }
    }
}

/// A type's implementation and the type of its values, computed once.
struct TypeEntry<Element: Sendable>: Sendable {
    let element: Element
    /// Read once: a provider's schema cannot change under a running plugin.
    let schema: Schema
    /// The schema's implied type, which every request value of this type
    /// decodes against: computed here once, not per request.
    let valueType: CtyType
}

/// The router's state, shared by all calls.
final class RouterCore: Sendable {
    let provider: any Provider
    let providerSchema: Schema
    let providerMetaSchema: Schema?
    let providerConfigType: CtyType
    let providerMetaType: CtyType?
    /// By exact type name (Swift string equality: no prefix or C-string
    /// matching); the lists keep the provider's order for GetMetadata and
    /// GetProviderSchema. A duplicated name keeps its first declaration.
    let resources: [String: TypeEntry<any ManagedResource>]
    let resourceList: [TypeEntry<any ManagedResource>]
    let dataSources: [String: TypeEntry<any DataSource>]
    let dataSourceList: [TypeEntry<any DataSource>]
    /// Identities, moves, functions, list resources and actions.
    let abilities: RouterAbilities
    let ephemeralResources: [String: TypeEntry<any EphemeralResource>]
    let ephemeralResourceList: [TypeEntry<any EphemeralResource>]
    let calls = InFlightCalls()
    let providerSchemaResponse = LazyBytes()

    init(provider: some Provider) {
        self.provider = provider
        providerSchema = provider.schema
        providerMetaSchema = provider.providerMetaSchema
        providerConfigType = providerSchema.impliedType
        providerMetaType = providerMetaSchema?.impliedType
        (resources, resourceList) = Self.index(provider.resources, \.typeName, \.schema, kind: "resource")
        (dataSources, dataSourceList) = Self.index(provider.dataSources, \.typeName, \.schema, kind: "data source")
        abilities = RouterAbilities(provider: provider, resources: resourceList)
        (ephemeralResources, ephemeralResourceList) = Self.index(
            provider.ephemeralResources, \.typeName, \.schema, kind: "ephemeral resource"
        )
    }

    private static func index<Element: Sendable>(
        _ elements: [Element], _ name: (Element) -> String, _ schema: (Element) -> Schema, kind: String
    ) -> ([String: TypeEntry<Element>], [TypeEntry<Element>]) {
        var byName: [String: TypeEntry<Element>] = [:]
        var list: [TypeEntry<Element>] = []
        for element in elements {
            guard byName[name(element)] == nil else {
                PluginLog.warn("Provider declares a \(kind) type twice; the first declaration is used", ["tf_type_name": name(element)])
                continue
            }
            let schema = schema(element)
            let entry = TypeEntry(element: element, schema: schema, valueType: schema.impliedType)
            byName[name(element)] = entry
            list.append(entry)
        }
        return (byName, list)
    }
}
