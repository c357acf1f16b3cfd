import CTFPlugin6

// Managed resource RPCs. Private state travels through untouched: what
// Terraform sends reaches the resource, what the resource returns reaches
// Terraform, and a refused request hands it back.

enum ValidateResourceConfigRPC: RPC {
    typealias WireRequest = Tfplugin6__ValidateResourceConfig__Request
    typealias WireResponse = Tfplugin6__ValidateResourceConfig__Response
    typealias Target = any ManagedResource
    static let name = "ValidateResourceConfig"
    static var diagnosticsField: DiagnosticsField<WireResponse>? { DiagnosticsField(count: \.n_diagnostics, elements: \.diagnostics) }
    static func typeName(_ message: WireRequest) -> String { String(wire: message.type_name) }

    static func fromWire(_ message: WireRequest, _ values: RequestValues) throws(RejectedRequest) -> ValidateResourceConfigRequest {
        ValidateResourceConfigRequest(typeName: values.typeName, config: try values.decode(message.config, .config("resource configuration")))
    }

    static func call(_ resource: any ManagedResource, _ request: ValidateResourceConfigRequest) async -> [Diagnostic] {
        await resource.validateConfig(request)
    }

    static func toWire(_ response: [Diagnostic], _ request: ValidateResourceConfigRequest, _ writer: inout ResponseWriter, _ message: UnsafeMutablePointer<WireResponse>) {}
}

/// The stored state arrives as JSON in whatever schema version wrote it;
/// the upgraded state goes back as msgpack in the current schema.
enum UpgradeResourceStateRPC: RPC {
    typealias WireRequest = Tfplugin6__UpgradeResourceState__Request
    typealias WireResponse = Tfplugin6__UpgradeResourceState__Response
    typealias Target = any ManagedResource
    static let name = "UpgradeResourceState"
    static var diagnosticsField: DiagnosticsField<WireResponse>? { DiagnosticsField(count: \.n_diagnostics, elements: \.diagnostics) }
    static func typeName(_ message: WireRequest) -> String { String(wire: message.type_name) }

    static func fromWire(_ message: WireRequest, _ values: RequestValues) -> UpgradeResourceStateRequest {
        UpgradeResourceStateRequest(typeName: values.typeName, version: message.version, rawStateJSON: RawStateWire.json(message.raw_state))
    }

    static func call(_ resource: any ManagedResource, _ request: UpgradeResourceStateRequest) async -> UpgradeResourceStateResponse {
        await resource.upgradeState(request)
    }

    static func toWire(
        _ response: UpgradeResourceStateResponse, _ request: UpgradeResourceStateRequest, _ writer: inout ResponseWriter,
        _ message: UnsafeMutablePointer<WireResponse>
    ) {
        guard !response.diagnostics.hasErrors else {
            if let state = response.upgradedState { message.pointee.upgraded_state = writer.value(state, "upgraded state") }
            return
        }
        // Terraform reads a missing or null state as "gone" and drops the
        // resource from state: never let that happen silently.
        guard let state = response.upgradedState, !state.isNull, state.isWhollyKnown else {
            writer.append(.providerProducedNoUpgradedState(typeName: writer.context.typeName))
            return
        }
        message.pointee.upgraded_state = writer.value(state, "upgraded state")
    }
}

enum ReadResourceRPC: RPC {
    typealias WireRequest = Tfplugin6__ReadResource__Request
    typealias WireResponse = Tfplugin6__ReadResource__Response
    typealias Target = any ManagedResource
    static let name = "ReadResource"
    static var diagnosticsField: DiagnosticsField<WireResponse>? { DiagnosticsField(count: \.n_diagnostics, elements: \.diagnostics) }
    static var echoedPrivate: PrivateField<WireRequest, WireResponse>? { PrivateField(request: \.private_, response: \.private_) }
    static func typeName(_ message: WireRequest) -> String { String(wire: message.type_name) }

    static func fromWire(_ message: WireRequest, _ values: RequestValues) throws(RejectedRequest) -> ReadResourceRequest {
        ReadResourceRequest(
            typeName: values.typeName,
            currentState: try values.decode(message.current_state, .currentState),
            private: [UInt8](wire: message.private_),
            providerMeta: try values.providerMeta(message.provider_meta)
        )
    }

    static func call(_ resource: any ManagedResource, _ request: ReadResourceRequest) async -> ReadResourceResponse {
        await resource.read(request)
    }

    /// A null new state means "the object is gone"; when the provider's
    /// answer is unusable, keep the current state rather than lose track.
    static func toWire(_ response: ReadResourceResponse, _ request: ReadResourceRequest, _ writer: inout ResponseWriter, _ message: UnsafeMutablePointer<WireResponse>) {
        message.pointee.new_state = writer.value(response.newState, "new state", fallback: request.currentState)
        message.pointee.private_ = writer.bytes(response.private)
    }
}

/// With `plan_destroy`, Terraform also plans destroys: the proposed new
/// state is then null, and the resource's `plan` sees exactly that.
enum PlanResourceChangeRPC: RPC {
    typealias WireRequest = Tfplugin6__PlanResourceChange__Request
    typealias WireResponse = Tfplugin6__PlanResourceChange__Response
    typealias Target = any ManagedResource
    static let name = "PlanResourceChange"
    static var diagnosticsField: DiagnosticsField<WireResponse>? { DiagnosticsField(count: \.n_diagnostics, elements: \.diagnostics) }
    static var echoedPrivate: PrivateField<WireRequest, WireResponse>? { PrivateField(request: \.prior_private, response: \.planned_private) }
    static func typeName(_ message: WireRequest) -> String { String(wire: message.type_name) }

    static func fromWire(_ message: WireRequest, _ values: RequestValues) throws(RejectedRequest) -> PlanResourceChangeRequest {
        let request = PlanResourceChangeRequest(
            typeName: values.typeName,
            priorState: try values.decode(message.prior_state, .priorState),
            proposedNewState: try values.decode(message.proposed_new_state, .proposedNewState),
            config: try values.decode(message.config, .resourceConfig),
            priorPrivate: [UInt8](wire: message.prior_private),
            providerMeta: try values.providerMeta(message.provider_meta)
        )
        // Create has no prior state, destroy no proposed one; nothing has neither.
        guard !(request.priorState.isNull && request.proposedNewState.isNull) else {
            throw values.reject("proposed new state", "is null while the prior state is null too: there is nothing to plan")
        }
        return request
    }

    static func call(_ resource: any ManagedResource, _ request: PlanResourceChangeRequest) async -> PlanResourceChangeResponse {
        await resource.plan(request)
    }

    static func toWire(
        _ response: PlanResourceChangeResponse, _ request: PlanResourceChangeRequest, _ writer: inout ResponseWriter,
        _ message: UnsafeMutablePointer<WireResponse>
    ) {
        message.pointee.planned_state = writer.value(response.plannedState, "planned state")
        (message.pointee.n_requires_replace, message.pointee.requires_replace) = response.requiresReplace.wire(in: writer.arena)
        message.pointee.planned_private = writer.bytes(response.plannedPrivate)
    }
}

enum ApplyResourceChangeRPC: RPC {
    typealias WireRequest = Tfplugin6__ApplyResourceChange__Request
    typealias WireResponse = Tfplugin6__ApplyResourceChange__Response
    typealias Target = any ManagedResource
    static let name = "ApplyResourceChange"
    static var diagnosticsField: DiagnosticsField<WireResponse>? { DiagnosticsField(count: \.n_diagnostics, elements: \.diagnostics) }
    static var echoedPrivate: PrivateField<WireRequest, WireResponse>? { PrivateField(request: \.planned_private, response: \.private_) }
    static func typeName(_ message: WireRequest) -> String { String(wire: message.type_name) }

    static func fromWire(_ message: WireRequest, _ values: RequestValues) throws(RejectedRequest) -> ApplyResourceChangeRequest {
        let request = ApplyResourceChangeRequest(
            typeName: values.typeName,
            priorState: try values.decode(message.prior_state, .priorState),
            plannedState: try values.decode(message.planned_state, .plannedState),
            config: try values.decode(message.config, .resourceConfig),
            plannedPrivate: [UInt8](wire: message.planned_private),
            providerMeta: try values.providerMeta(message.provider_meta)
        )
        guard !(request.priorState.isNull && request.plannedState.isNull) else {
            throw values.reject("planned state", "is null while the prior state is null too: there is nothing to apply")
        }
        return request
    }

    static func call(_ resource: any ManagedResource, _ request: ApplyResourceChangeRequest) async -> ApplyResourceChangeResponse {
        await resource.apply(request)
    }

    /// Terraform drops a resource whose new state is null. If the
    /// provider's answer is unusable, the prior state is the last thing
    /// known to be true, so the object stays tracked for a retry.
    static func toWire(
        _ response: ApplyResourceChangeResponse, _ request: ApplyResourceChangeRequest, _ writer: inout ResponseWriter,
        _ message: UnsafeMutablePointer<WireResponse>
    ) {
        message.pointee.new_state = writer.value(response.newState, "new state", fallback: request.priorState)
        message.pointee.private_ = writer.bytes(response.private)
    }
}

enum ImportResourceStateRPC: RPC {
    typealias WireRequest = Tfplugin6__ImportResourceState__Request
    typealias WireResponse = Tfplugin6__ImportResourceState__Response
    typealias Target = any ManagedResource
    static let name = "ImportResourceState"
    static var diagnosticsField: DiagnosticsField<WireResponse>? { DiagnosticsField(count: \.n_diagnostics, elements: \.diagnostics) }
    static func typeName(_ message: WireRequest) -> String { String(wire: message.type_name) }

    static func fromWire(_ message: WireRequest, _ values: RequestValues) -> ImportResourceStateRequest {
        ImportResourceStateRequest(typeName: values.typeName, id: String(wire: message.id))
    }

    static func call(_ resource: any ManagedResource, _ request: ImportResourceStateRequest) async -> ImportResourceStateResponse {
        await resource.importState(request)
    }

    static func toWire(
        _ response: ImportResourceStateResponse, _ request: ImportResourceStateRequest, _ writer: inout ResponseWriter,
        _ message: UnsafeMutablePointer<WireResponse>
    ) {
        var imported: [UnsafeMutablePointer<Tfplugin6__ImportResourceState__ImportedResource>] = []
        for resource in response.importedResources {
            // An import may yield objects of other types than the one asked for.
            guard let entry = writer.context.core.resources[resource.typeName] else {
                writer.append(.unknownResourceType(resource.typeName, rpc: name))
                continue
            }
            guard let state = writer.value(resource.state, "imported state", as: entry.valueType, typeName: resource.typeName) else { continue }
            let element = writer.message(Tfplugin6__ImportResourceState__ImportedResource.self)
            element.pointee.type_name = writer.string(resource.typeName)
            element.pointee.state = state
            element.pointee.private_ = writer.bytes(resource.private)
            imported.append(element)
        }
        (message.pointee.n_imported_resources, message.pointee.imported_resources) = writer.repeated(imported)
    }
}
