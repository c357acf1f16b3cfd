import CTFPlugin6

/// One tfplugin6 RPC, in the shape terraform-plugin-go's tf6server gives
/// every RPC: a pure `fromWire` (message to Swift request), the provider
/// call, a pure `toWire` (Swift response to message). Everything else, the
/// same for every RPC, is `serve`'s: bytes that do not parse, the type-name
/// lookup, refusing a request (private state echoed), running the call as a
/// tracked, cancellable task, and the fallback when the provider's answer
/// cannot be encoded.
///
/// Adding an RPC: a request and a response type (what the provider sees), a
/// conformance of a caseless enum to this protocol, and one line in
/// `ProviderRouter.rpcs`.
protocol RPC: SendableMetatype {
    /// The protobuf-c request and response structs.
    associatedtype WireRequest: WireMessage
    associatedtype WireResponse: WireMessage
    /// What the call goes to: `any Provider`, `any ManagedResource`,
    /// `any DataSource` (found by type name), or the `RouterCore` itself.
    associatedtype Target: Sendable
    associatedtype Request: Sendable
    associatedtype Response: RPCAnswer

    /// The method name, e.g. `PlanResourceChange`: the gRPC path's last part,
    /// named in diagnostics and logs.
    static var name: String { get }

    /// The request's type name (`type_name`); empty for provider-level RPCs.
    static func typeName(_ message: WireRequest) -> String

    /// Looks the target up by exact type name, with the value type of its
    /// schema (cached once per type name in `RouterCore`).
    static func find(_ typeName: String, in core: RouterCore) throws(RejectedRequest) -> Found<Target>

    /// The private state field a refusal hands back unchanged, so that a
    /// request refused before the provider saw it loses nothing.
    static var echoedPrivate: PrivateField<WireRequest, WireResponse>? { get }

    /// The response's repeated diagnostics field (nil only for
    /// StopProvider, whose response has none).
    static var diagnosticsField: DiagnosticsField<WireResponse>? { get }

    /// The log field naming the request's type (`tf_resource_type`,
    /// `tf_data_source_type`); nil for provider-level RPCs.
    static var typeLogKey: String? { get }

    /// False only for calls that must not be cancelled by StopProvider
    /// (StopProvider itself).
    static var tracked: Bool { get }

    /// Message to request. Pure: copies what it needs out of `message`,
    /// whose pointers die with it, and decodes values through `values`,
    /// which checks each against its role.
    static func fromWire(_ message: WireRequest, _ values: RequestValues) throws(RejectedRequest) -> Request

    /// The provider call.
    static func call(_ target: Target, _ request: Request) async -> Response

    /// Response to message. Pure: values go through `writer`, which turns a
    /// value that does not conform to the schema into a diagnostic. The
    /// response's own diagnostics and the writer's are added by `serve`.
    static func toWire(_ response: Response, _ request: Request, _ writer: inout ResponseWriter, _ message: UnsafeMutablePointer<WireResponse>)

    /// The packed response. The default builds it with `toWire`; an RPC whose
    /// answer never changes may cache it.
    static func pack(_ response: Response, _ request: Request, _ context: ResponseContext) -> [UInt8]
}

/// A provider's answer: whatever else it holds, diagnostics.
protocol RPCAnswer: Sendable {
    var diagnostics: [Diagnostic] { get }
}

extension Array: RPCAnswer where Element == Diagnostic {
    var diagnostics: [Diagnostic] { self }
}

extension UpgradeResourceStateResponse: RPCAnswer {}
extension ReadResourceResponse: RPCAnswer {}
extension PlanResourceChangeResponse: RPCAnswer {}
extension ApplyResourceChangeResponse: RPCAnswer {}
extension ImportResourceStateResponse: RPCAnswer {}
extension ReadDataSourceResponse: RPCAnswer {}

/// A target found by type name, and the type its values decode against.
struct Found<Target> {
    var target: Target
    var valueType: CtyType
}

/// A request's private state field and the response field it is echoed to.
struct PrivateField<WireRequest, WireResponse> {
    var request: KeyPath<WireRequest, ProtobufCBinaryData>
    var response: WritableKeyPath<WireResponse, ProtobufCBinaryData>
}

/// A response's `n_diagnostics` and `diagnostics` fields.
struct DiagnosticsField<WireResponse> {
    var count: WritableKeyPath<WireResponse, Int>
    var elements: WritableKeyPath<WireResponse, UnsafeMutablePointer<UnsafeMutablePointer<Tfplugin6__Diagnostic>?>?>
}

/// A request that cannot go to the provider (unknown type name, a value
/// that does not decode or does not fit its role); the diagnostic goes back
/// in the RPC's response.
struct RejectedRequest: Error {
    var diagnostic: Diagnostic
}

// MARK: - Defaults

extension RPC {
    static func typeName(_ message: WireRequest) -> String { "" }
    static var echoedPrivate: PrivateField<WireRequest, WireResponse>? { nil }
    static var tracked: Bool { true }
    static var typeLogKey: String? { nil }

    static func pack(_ response: Response, _ request: Request, _ context: ResponseContext) -> [UInt8] {
        WireArena.pack(WireResponse.self) { arena, message in
            var writer = ResponseWriter(arena: arena, context: context)
            toWire(response, request, &writer, message)
            write(response.diagnostics + writer.diagnostics, to: message, in: arena)
        }
    }
}

extension RPC where Target == any ManagedResource {
    static var typeLogKey: String? { "tf_resource_type" }

    static func find(_ typeName: String, in core: RouterCore) throws(RejectedRequest) -> Found<Target> {
        guard let entry = core.resources[typeName] else { throw RejectedRequest(diagnostic: .unknownResourceType(typeName, rpc: name)) }
        return Found(target: entry.element, valueType: entry.valueType)
    }
}

extension RPC where Target == any DataSource {
    static var typeLogKey: String? { "tf_data_source_type" }

    static func find(_ typeName: String, in core: RouterCore) throws(RejectedRequest) -> Found<Target> {
        guard let entry = core.dataSources[typeName] else { throw RejectedRequest(diagnostic: .unknownDataSourceType(typeName, rpc: name)) }
        return Found(target: entry.element, valueType: entry.valueType)
    }
}

extension RPC where Target == any Provider {
    static func find(_ typeName: String, in core: RouterCore) throws(RejectedRequest) -> Found<Target> {
        Found(target: core.provider, valueType: core.providerConfigType)
    }
}

extension RPC where Target == RouterCore {
    static func find(_ typeName: String, in core: RouterCore) throws(RejectedRequest) -> Found<Target> {
        Found(target: core, valueType: core.providerConfigType)
    }
}

// MARK: - Serving

extension RPC {
    /// Serves one call: the only place that unpacks, looks up, refuses,
    /// tracks and encodes.
    static func serve(_ core: RouterCore, _ bytes: [UInt8]) async -> Served {
        let message: UnpackedMessage<WireRequest>
        do { message = try UnpackedMessage(bytes) } catch { return .malformed(error) }
        let (typeName, echoed) = message.withMessage { message in
            (Self.typeName(message), echoedPrivate.map { [UInt8](wire: message[keyPath: $0.request]) })
        }
        guard let typeLogKey, var context = PluginLog.request else { return await serve(core, message, typeName, echoed) }
        // From here on, every line (the provider's too) names the type.
        context.typeField = (typeLogKey, typeName)
        return await PluginLog.$request.withValue(context) { await serve(core, message, typeName, echoed) }
    }

    private static func serve(_ core: RouterCore, _ message: UnpackedMessage<WireRequest>, _ typeName: String, _ echoed: [UInt8]?) async -> Served {
        let found: Found<Target>
        let request: Request
        do throws(RejectedRequest) {
            found = try find(typeName, in: core)
            let values = RequestValues(rpc: name, typeName: typeName, valueType: found.valueType, providerMetaType: core.providerMetaType)
            request = try message.withMessage { message throws(RejectedRequest) in try fromWire(message, values) }
        } catch {
            PluginLog.debug("Request refused", ["diagnostic_summary": error.diagnostic.summary], module: ProviderRouter.logModule)
            return Served(typeName, refusal(error.diagnostic, echoing: echoed), typeLogKey: typeLogKey)
        }
        let target = found.target
        let response: Response
        if tracked {
            response = await core.calls.run { await call(target, request) }
        } else {
            response = await call(target, request)
        }
        let context = ResponseContext(core: core, typeName: typeName, valueType: found.valueType)
        return Served(typeName, pack(response, request, context), typeLogKey: typeLogKey)
    }

    /// The response to a refused request: the diagnostic, the request's
    /// private state handed back, nothing else.
    static func refusal(_ diagnostic: Diagnostic, echoing echoed: [UInt8]?) -> [UInt8] {
        WireArena.pack(WireResponse.self) { arena, message in
            if let echoed, let field = echoedPrivate { message.pointee[keyPath: field.response] = arena.bytes(echoed) }
            write([diagnostic], to: message, in: arena)
        }
    }

    private static func write(_ diagnostics: [Diagnostic], to message: UnsafeMutablePointer<WireResponse>, in arena: WireArena) {
        guard let field = diagnosticsField else { return }
        (message.pointee[keyPath: field.count], message.pointee[keyPath: field.elements]) = diagnostics.wire(in: arena)
    }
}

/// What `toWire` may know beyond the response: the type name served and
/// the schema type of its values, and the router (for responses, such as
/// imports, that hold objects of other types).
struct ResponseContext {
    let core: RouterCore
    let typeName: String
    let valueType: CtyType
}

/// Builds a response message: arena allocations, plus the encoding of
/// values the provider produced, which it checks against their schema.
struct ResponseWriter {
    let arena: WireArena
    let context: ResponseContext
    /// Problems with the provider's answer, sent after its own diagnostics.
    private(set) var diagnostics: [Diagnostic] = []

    init(arena: WireArena, context: ResponseContext) {
        self.arena = arena
        self.context = context
    }

    /// Encodes a value the provider produced for `typeName` (the served type
    /// by default). A value that does not conform to the schema is a
    /// provider bug: a diagnostic, and `fallback` is sent in its place (or
    /// no value at all).
    mutating func value(
        _ value: CtyValue, _ what: String, fallback: CtyValue? = nil, as type: CtyType? = nil, typeName: String? = nil
    ) -> UnsafeMutablePointer<Tfplugin6__DynamicValue>? {
        let type = type ?? context.valueType
        do {
            return DynamicValueWire.message(msgpack: try DynamicValueWire.encode(value, as: type), in: arena)
        } catch {
            diagnostics.append(.providerProducedInvalidValue(error, what, typeName: typeName ?? context.typeName))
        }
        guard let fallback, let bytes = try? DynamicValueWire.encode(fallback, as: type) else { return nil }
        return DynamicValueWire.message(msgpack: bytes, in: arena)
    }

    mutating func append(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }

    func bytes(_ bytes: [UInt8]) -> ProtobufCBinaryData { arena.bytes(bytes) }
    func string(_ text: String) -> UnsafeMutablePointer<CChar> { arena.string(text) }
    func message<Message: WireMessage>(_ type: Message.Type) -> UnsafeMutablePointer<Message> { arena.message(type) }
    func repeated<Element>(_ elements: [UnsafeMutablePointer<Element>]) -> (Int, UnsafeMutablePointer<UnsafeMutablePointer<Element>?>?) {
        arena.repeated(elements)
    }
}
