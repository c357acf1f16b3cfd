import CTFPlugin6

// List resources (Terraform 1.14+, `terraform query`).

enum ValidateListResourceConfigRPC: RPC {
    typealias WireRequest = Tfplugin6__ValidateListResourceConfig__Request
    typealias WireResponse = Tfplugin6__ValidateListResourceConfig__Response
    typealias Target = any ListResource
    static let name = "ValidateListResourceConfig"
    static var diagnosticsField: DiagnosticsField<WireResponse>? { DiagnosticsField(count: \.n_diagnostics, elements: \.diagnostics) }
    static func typeName(_ message: WireRequest) -> String { String(wire: message.type_name) }

    static func fromWire(_ message: WireRequest, _ values: RequestValues) throws(RejectedRequest) -> ValidateListResourceConfigRequest {
        ValidateListResourceConfigRequest(typeName: values.typeName, config: try values.decode(message.config, .listConfig))
    }

    static func call(_ list: any ListResource, _ request: ValidateListResourceConfigRequest) async -> [Diagnostic] {
        await list.validateConfig(request)
    }

    static func toWire(
        _ response: [Diagnostic], _ request: ValidateListResourceConfigRequest, _ writer: inout ResponseWriter, _ message: UnsafeMutablePointer<WireResponse>
    ) {}
}

extension ListResourceResponse: RPCAnswer {}

/// Each result is one event: the identity (required by Terraform), the
/// display name and, when asked for, the resource object. Problems with the
/// listing as a whole are an event of their own, first.
enum ListResourceRPC: StreamingRPC {
    typealias WireRequest = Tfplugin6__ListResource__Request
    typealias WireResponse = Tfplugin6__ListResource__Event
    typealias Target = any ListResource
    static let name = "ListResource"
    static var diagnosticsField: DiagnosticsField<WireResponse>? { DiagnosticsField(count: \.n_diagnostic, elements: \.diagnostic) }
    static func typeName(_ message: WireRequest) -> String { String(wire: message.type_name) }

    static func fromWire(_ message: WireRequest, _ values: RequestValues) throws(RejectedRequest) -> ListResourceRequest {
        ListResourceRequest(
            typeName: values.typeName, config: try values.decode(message.config, .listConfig),
            includeResourceObject: message.include_resource_object != 0, limit: message.limit
        )
    }

    static func call(_ list: any ListResource, _ request: ListResourceRequest) async -> ListResourceResponse {
        await list.list(request)
    }

    static func toWire(
        _ response: ListResourceResponse, _ request: ListResourceRequest, _ writer: inout ResponseWriter, _ message: UnsafeMutablePointer<WireResponse>
    ) {}

    static func events(_ response: ListResourceResponse, _ request: ListResourceRequest, _ context: ResponseContext) -> [[UInt8]] {
        let core = context.core
        guard let identity = core.abilities.identities[request.typeName], let resource = core.resources[request.typeName] else {
            return [refusal(.resourceWithoutIdentity(request.typeName, rpc: name), echoing: nil)]
        }
        var events: [[UInt8]] = []
        if !response.diagnostics.isEmpty { events.append(refusal(response.diagnostics, echoing: nil)) }
        // Terraform stops reading at the limit; sending more would be waste.
        let limit = request.limit > 0 ? Int(clamping: request.limit) : Int.max
        for result in response.results.prefix(limit) {
            events.append(event(context, { writer, message in
                message.pointee.identity = writer.identityData(result.identity, typeName: request.typeName, entry: identity)
                message.pointee.display_name = writer.string(result.displayName)
                if request.includeResourceObject, let object = result.resourceObject,
                   let encoded = writer.value(object, "listed resource object", as: resource.valueType) {
                    message.pointee._resource_object_case = TFPLUGIN6__LIST_RESOURCE__EVENT___RESOURCE_OBJECT_RESOURCE_OBJECT
                    message.pointee.resource_object = encoded
                }
            }, finish: { produced, arena, message in
                (message.pointee.n_diagnostic, message.pointee.diagnostic) = (result.diagnostics + produced).wire(in: arena)
            }))
        }
        return events
    }

    static func refusal(_ diagnostics: [Diagnostic], echoing echoed: [UInt8]?) -> [UInt8] {
        WireArena.pack(WireResponse.self) { arena, message in
            (message.pointee.n_diagnostic, message.pointee.diagnostic) = diagnostics.wire(in: arena)
        }
    }
}
