import CTFPlugin6

/// Serves `/tfplugin6.Provider/*` calls with a `Provider`: every handler
/// decodes the request into Swift values, calls the provider, and encodes
/// its answer. Bytes that do not parse are answered `INVALID_ARGUMENT`;
/// everything else that goes wrong is a diagnostic in the RPC's response.
///
/// Safe for concurrent calls. Provider calls run as tracked tasks that
/// StopProvider cancels.
public struct ProviderRouter: RPCHandler {
    let core: RouterCore

    public init(provider: some Provider) {
        core = RouterCore(provider: provider)
    }

    public func handle(method: String, request: [UInt8]) async -> RPCResult {
        guard let route = Self.routes[method] else {
            PluginLog.debug("Unimplemented RPC called", ["tf_rpc": method])
            return .failure(.unimplemented, "\(method) is not implemented by this provider")
        }
        let start = ContinuousClock.now
        let served = await route(core, request)
        if PluginLog.isEnabled(.trace) {
            // Names and timings only: values and private state can hold secrets.
            PluginLog.trace(
                "Served RPC",
                [
                    "tf_rpc": method, "tf_type_name": served.typeName, "tf_status": served.statusName,
                    "tf_req_duration_ms": Self.milliseconds(ContinuousClock.now - start),
                ]
            )
        }
        return served.result
    }

    typealias Route = @Sendable (RouterCore, [UInt8]) async -> Served

    static let routes: [String: Route] = [
        "/tfplugin6.Provider/GetMetadata": getMetadata,
        "/tfplugin6.Provider/GetProviderSchema": getProviderSchema,
        "/tfplugin6.Provider/ValidateProviderConfig": validateProviderConfig,
        "/tfplugin6.Provider/ConfigureProvider": configureProvider,
        "/tfplugin6.Provider/StopProvider": stopProvider,
        "/tfplugin6.Provider/ValidateResourceConfig": validateResourceConfig,
        "/tfplugin6.Provider/UpgradeResourceState": upgradeResourceState,
        "/tfplugin6.Provider/ReadResource": readResource,
        "/tfplugin6.Provider/PlanResourceChange": planResourceChange,
        "/tfplugin6.Provider/ApplyResourceChange": applyResourceChange,
        "/tfplugin6.Provider/ImportResourceState": importResourceState,
        "/tfplugin6.Provider/ValidateDataResourceConfig": validateDataResourceConfig,
        "/tfplugin6.Provider/ReadDataSource": readDataSource,
    ]

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

    init(_ typeName: String, _ response: [UInt8]) {
        self.result = .success(response)
        self.typeName = typeName
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

/// A request that cannot go to the provider (unknown type name, a value
/// that does not decode); the diagnostic goes back in the RPC's response.
struct RejectedRequest: Error {
    var diagnostic: Diagnostic
}

/// The router's state, shared by all calls.
final class RouterCore: Sendable {
    let provider: any Provider
    /// By type name; the lists keep the provider's order for GetMetadata and
    /// GetProviderSchema. A duplicated name keeps its first declaration.
    let resources: [String: any ManagedResource]
    let resourceList: [any ManagedResource]
    let dataSources: [String: any DataSource]
    let dataSourceList: [any DataSource]
    let calls = InFlightCalls()
    let providerSchemaResponse = LazyBytes()

    init(provider: some Provider) {
        self.provider = provider
        (resources, resourceList) = Self.index(provider.resources, \.typeName, kind: "resource")
        (dataSources, dataSourceList) = Self.index(provider.dataSources, \.typeName, kind: "data source")
    }

    private static func index<Element>(
        _ elements: [Element], _ name: (Element) -> String, kind: String
    ) -> ([String: Element], [Element]) {
        var byName: [String: Element] = [:]
        var list: [Element] = []
        for element in elements {
            guard byName[name(element)] == nil else {
                PluginLog.warn("Provider declares a \(kind) type twice; the first declaration is used", ["tf_type_name": name(element)])
                continue
            }
            byName[name(element)] = element
            list.append(element)
        }
        return (byName, list)
    }

    func resource(named typeName: String) throws(RejectedRequest) -> any ManagedResource {
        guard let resource = resources[typeName] else { throw RejectedRequest(diagnostic: .unknownResourceType(typeName)) }
        return resource
    }

    func dataSource(named typeName: String) throws(RejectedRequest) -> any DataSource {
        guard let dataSource = dataSources[typeName] else { throw RejectedRequest(diagnostic: .unknownDataSourceType(typeName)) }
        return dataSource
    }

    /// Terraform sends `provider_meta` only when the provider declares a
    /// schema for it.
    func providerMeta(_ wire: UnsafePointer<Tfplugin6__DynamicValue>?) throws(RejectedRequest) -> CtyValue? {
        guard let wire, let schema = provider.providerMetaSchema else { return nil }
        return try decodeValue(wire, as: schema.impliedType, "provider_meta value")
    }
}

/// Decodes a request value, or rejects the request naming the attribute.
func decodeValue(_ wire: UnsafePointer<Tfplugin6__DynamicValue>?, as type: CtyType, _ what: String) throws(RejectedRequest) -> CtyValue {
    do {
        return try DynamicValueWire.decode(wire, as: type)
    } catch {
        throw RejectedRequest(diagnostic: .invalidRequestValue(error, what))
    }
}

/// Encodes a value the provider returned; a value that does not conform to
/// the schema becomes a diagnostic (a provider bug) and no bytes.
func encodeProduced(
    _ value: CtyValue, as type: CtyType, _ what: String, typeName: String, into diagnostics: inout [Diagnostic]
) -> [UInt8]? {
    do {
        return try DynamicValueWire.encode(value, as: type)
    } catch {
        diagnostics.append(.providerProducedInvalidValue(error, what, typeName: typeName))
        return nil
    }
}
