import CTFPlugin6

// Ephemeral resource RPCs (tfplugin6.6+, Terraform 1.10 and later).
// `private` is a proto3 optional field here: it is read only when its case
// says it was sent, and written with its case set, or protobuf-c would drop it.
// Renew and Close refusals hand nothing back: Close's response has no
// private field, and a Renew refused before the provider saw it leaves
// Terraform with the private bytes it already holds.

enum ValidateEphemeralResourceConfigRPC: RPC {
    typealias WireRequest = Tfplugin6__ValidateEphemeralResourceConfig__Request
    typealias WireResponse = Tfplugin6__ValidateEphemeralResourceConfig__Response
    typealias Target = any EphemeralResource
    static let name = "ValidateEphemeralResourceConfig"
    static var diagnosticsField: DiagnosticsField<WireResponse>? { DiagnosticsField(count: \.n_diagnostics, elements: \.diagnostics) }
    static func typeName(_ message: WireRequest) -> String { String(wire: message.type_name) }

    static func fromWire(_ message: WireRequest, _ values: RequestValues) throws(RejectedRequest) -> ValidateEphemeralResourceConfigRequest {
        ValidateEphemeralResourceConfigRequest(
            typeName: values.typeName, config: try values.decode(message.config, .config("ephemeral resource configuration"))
        )
    }

    static func call(_ resource: any EphemeralResource, _ request: ValidateEphemeralResourceConfigRequest) async -> [Diagnostic] {
        await resource.validateConfig(request)
    }

    static func toWire(
        _ response: [Diagnostic], _ request: ValidateEphemeralResourceConfigRequest, _ writer: inout ResponseWriter,
        _ message: UnsafeMutablePointer<WireResponse>
    ) {}
}

/// Terraform opens an ephemeral resource only once its configuration is
/// wholly known (until then the result is unknown, and nothing is opened):
/// an Open with unknowns is refused here, so no resource sees one.
enum OpenEphemeralResourceRPC: RPC {
    typealias WireRequest = Tfplugin6__OpenEphemeralResource__Request
    typealias WireResponse = Tfplugin6__OpenEphemeralResource__Response
    typealias Target = any EphemeralResource
    static let name = "OpenEphemeralResource"
    static var diagnosticsField: DiagnosticsField<WireResponse>? { DiagnosticsField(count: \.n_diagnostics, elements: \.diagnostics) }
    static func typeName(_ message: WireRequest) -> String { String(wire: message.type_name) }

    static let configRole = ValueRole.config("ephemeral resource configuration")

    static func fromWire(_ message: WireRequest, _ values: RequestValues) throws(RejectedRequest) -> OpenEphemeralResourceRequest {
        let config = try values.decode(message.config, configRole)
        guard config.isWhollyKnown else {
            throw values.reject(
                configRole.name, "holds unknown values; Terraform opens an ephemeral resource only once its configuration is known"
            )
        }
        return OpenEphemeralResourceRequest(
            typeName: values.typeName, config: config,
            deferralAllowed: message.client_capabilities.map { $0.pointee.deferral_allowed != 0 } ?? false
        )
    }

    static func call(_ resource: any EphemeralResource, _ request: OpenEphemeralResourceRequest) async -> OpenEphemeralResourceResponse {
        await resource.open(request)
    }

    static func toWire(
        _ response: OpenEphemeralResourceResponse, _ request: OpenEphemeralResourceRequest, _ writer: inout ResponseWriter,
        _ message: UnsafeMutablePointer<WireResponse>
    ) {
        message.pointee.result = writer.value(response.result, "result")
        if let renewAt = response.renewAt {
            message.pointee._renew_at_case = TFPLUGIN6__OPEN_EPHEMERAL_RESOURCE__RESPONSE___RENEW_AT_RENEW_AT
            message.pointee.renew_at = EphemeralWire.timestamp(renewAt, writer)
        }
        if !response.private.isEmpty {
            message.pointee._private_case = TFPLUGIN6__OPEN_EPHEMERAL_RESOURCE__RESPONSE___PRIVATE_PRIVATE
            message.pointee.private_ = writer.bytes(response.private)
        }
    }
}

enum RenewEphemeralResourceRPC: RPC {
    typealias WireRequest = Tfplugin6__RenewEphemeralResource__Request
    typealias WireResponse = Tfplugin6__RenewEphemeralResource__Response
    typealias Target = any EphemeralResource
    static let name = "RenewEphemeralResource"
    static var diagnosticsField: DiagnosticsField<WireResponse>? { DiagnosticsField(count: \.n_diagnostics, elements: \.diagnostics) }
    static func typeName(_ message: WireRequest) -> String { String(wire: message.type_name) }

    static func fromWire(_ message: WireRequest, _ values: RequestValues) -> RenewEphemeralResourceRequest {
        let sent = message._private_case == TFPLUGIN6__RENEW_EPHEMERAL_RESOURCE__REQUEST___PRIVATE_PRIVATE
        return RenewEphemeralResourceRequest(typeName: values.typeName, private: sent ? [UInt8](wire: message.private_) : [])
    }

    static func call(_ resource: any EphemeralResource, _ request: RenewEphemeralResourceRequest) async -> RenewEphemeralResourceResponse {
        await resource.renew(request)
    }

    static func toWire(
        _ response: RenewEphemeralResourceResponse, _ request: RenewEphemeralResourceRequest, _ writer: inout ResponseWriter,
        _ message: UnsafeMutablePointer<WireResponse>
    ) {
        if let renewAt = response.renewAt {
            message.pointee._renew_at_case = TFPLUGIN6__RENEW_EPHEMERAL_RESOURCE__RESPONSE___RENEW_AT_RENEW_AT
            message.pointee.renew_at = EphemeralWire.timestamp(renewAt, writer)
        }
        if !response.private.isEmpty {
            message.pointee._private_case = TFPLUGIN6__RENEW_EPHEMERAL_RESOURCE__RESPONSE___PRIVATE_PRIVATE
            message.pointee.private_ = writer.bytes(response.private)
        }
    }
}

enum CloseEphemeralResourceRPC: RPC {
    typealias WireRequest = Tfplugin6__CloseEphemeralResource__Request
    typealias WireResponse = Tfplugin6__CloseEphemeralResource__Response
    typealias Target = any EphemeralResource
    static let name = "CloseEphemeralResource"
    static var diagnosticsField: DiagnosticsField<WireResponse>? { DiagnosticsField(count: \.n_diagnostics, elements: \.diagnostics) }
    static func typeName(_ message: WireRequest) -> String { String(wire: message.type_name) }

    static func fromWire(_ message: WireRequest, _ values: RequestValues) -> CloseEphemeralResourceRequest {
        let sent = message._private_case == TFPLUGIN6__CLOSE_EPHEMERAL_RESOURCE__REQUEST___PRIVATE_PRIVATE
        return CloseEphemeralResourceRequest(typeName: values.typeName, private: sent ? [UInt8](wire: message.private_) : [])
    }

    static func call(_ resource: any EphemeralResource, _ request: CloseEphemeralResourceRequest) async -> [Diagnostic] {
        await resource.close(request)
    }

    static func toWire(
        _ response: [Diagnostic], _ request: CloseEphemeralResourceRequest, _ writer: inout ResponseWriter,
        _ message: UnsafeMutablePointer<WireResponse>
    ) {}
}

enum EphemeralWire {
    static func timestamp(_ unixSeconds: Int64, _ writer: ResponseWriter) -> UnsafeMutablePointer<Google__Protobuf__Timestamp> {
        let timestamp = writer.message(Google__Protobuf__Timestamp.self)
        timestamp.pointee.seconds = unixSeconds
        return timestamp
    }
}

extension OpenEphemeralResourceResponse: RPCAnswer {}
extension RenewEphemeralResourceResponse: RPCAnswer {}

extension RPC where Target == any EphemeralResource {
    static func find(_ typeName: String, in core: RouterCore) throws(RejectedRequest) -> Found<Target> {
        guard let entry = core.ephemeralResources[typeName] else {
            throw RejectedRequest(diagnostic: .unknownEphemeralResourceType(typeName, rpc: name))
        }
        return Found(target: entry.element, valueType: entry.valueType)
    }
}

extension Diagnostic {
    static func unknownEphemeralResourceType(_ typeName: String, rpc: String) -> Diagnostic {
        .error(
            "Unknown ephemeral resource type",
            "This provider has no ephemeral resource type named \(PluginLog.jsonString(typeName)) (in \(rpc)). Check the spelling in the configuration, or use a provider version that has this ephemeral resource type."
        )
    }
}

// The message descriptors (kept with these RPCs rather than in
// WireMessage.swift, so other branches adding RPCs do not collide there).

extension Tfplugin6__ValidateEphemeralResourceConfig__Request: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__validate_ephemeral_resource_config__request() }
}

extension Tfplugin6__ValidateEphemeralResourceConfig__Response: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__validate_ephemeral_resource_config__response() }
}

extension Tfplugin6__OpenEphemeralResource__Request: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__open_ephemeral_resource__request() }
}

extension Tfplugin6__OpenEphemeralResource__Response: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__open_ephemeral_resource__response() }
}

extension Tfplugin6__RenewEphemeralResource__Request: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__renew_ephemeral_resource__request() }
}

extension Tfplugin6__RenewEphemeralResource__Response: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__renew_ephemeral_resource__response() }
}

extension Tfplugin6__CloseEphemeralResource__Request: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__close_ephemeral_resource__request() }
}

extension Tfplugin6__CloseEphemeralResource__Response: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__close_ephemeral_resource__response() }
}

extension Tfplugin6__GetMetadata__EphemeralMetadata: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__get_metadata__ephemeral_metadata() }
}

extension Tfplugin6__GetProviderSchema__Response__EphemeralResourceSchemasEntry: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        ctfplugin6_tfplugin6__get_provider_schema__response__ephemeral_resource_schemas_entry()
    }
}

extension Google__Protobuf__Timestamp: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_google__protobuf__timestamp() }
}

extension Tfplugin6__ClientCapabilities: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__client_capabilities() }
}
