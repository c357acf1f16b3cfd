import CTFPlugin6

// Managed resource RPCs. Private state travels through untouched: what
// Terraform sends reaches the resource, what the resource returns reaches
// Terraform.
extension ProviderRouter {
    static func validateResourceConfig(_ core: RouterCore, _ bytes: [UInt8]) async -> Served {
        let message: UnpackedMessage<Tfplugin6__ValidateResourceConfig__Request>
        do { message = try UnpackedMessage(bytes) } catch { return .malformed(error) }
        let typeName = message.withMessage { String(wire: $0.type_name) }
        let resource: any ManagedResource
        let request: ValidateResourceConfigRequest
        do throws(RejectedRequest) {
            resource = try core.resource(named: typeName)
            let type = resource.schema.impliedType
            request = try message.withMessage { message throws(RejectedRequest) in
                ValidateResourceConfigRequest(typeName: typeName, config: try decodeValue(message.config, as: type, "resource configuration"))
            }
        } catch {
            return Served(typeName, validateResourceConfigResponse([error.diagnostic]))
        }
        let diagnostics = await core.calls.run { await resource.validateConfig(request) }
        return Served(typeName, validateResourceConfigResponse(diagnostics))
    }

    static func validateResourceConfigResponse(_ diagnostics: [Diagnostic]) -> [UInt8] {
        WireArena.pack(Tfplugin6__ValidateResourceConfig__Response.self) { arena, response in
            (response.pointee.n_diagnostics, response.pointee.diagnostics) = diagnostics.wire(in: arena)
        }
    }

    /// The stored state arrives as JSON in whatever schema version wrote it;
    /// the upgraded state goes back as msgpack in the current schema.
    static func upgradeResourceState(_ core: RouterCore, _ bytes: [UInt8]) async -> Served {
        let message: UnpackedMessage<Tfplugin6__UpgradeResourceState__Request>
        do { message = try UnpackedMessage(bytes) } catch { return .malformed(error) }
        let request = message.withMessage { message in
            UpgradeResourceStateRequest(
                typeName: String(wire: message.type_name), version: message.version, rawStateJSON: RawStateWire.json(message.raw_state)
            )
        }
        let typeName = request.typeName
        let resource: any ManagedResource
        do throws(RejectedRequest) {
            resource = try core.resource(named: typeName)
        } catch {
            return Served(typeName, upgradeResourceStateResponse(upgradedState: nil, [error.diagnostic]))
        }
        let response = await core.calls.run { await resource.upgradeState(request) }
        var diagnostics = response.diagnostics
        var upgradedState: [UInt8]?
        if let state = response.upgradedState {
            upgradedState = encodeProduced(state, as: resource.schema.impliedType, "upgraded state", typeName: typeName, into: &diagnostics)
        } else if !diagnostics.hasErrors {
            // Terraform would read a missing state as null, dropping the
            // resource from state: never let that happen silently.
            diagnostics.append(.providerProducedNoUpgradedState(typeName: typeName))
        }
        return Served(typeName, upgradeResourceStateResponse(upgradedState: upgradedState, diagnostics))
    }

    static func upgradeResourceStateResponse(upgradedState: [UInt8]?, _ diagnostics: [Diagnostic]) -> [UInt8] {
        WireArena.pack(Tfplugin6__UpgradeResourceState__Response.self) { arena, response in
            if let upgradedState { response.pointee.upgraded_state = DynamicValueWire.message(msgpack: upgradedState, in: arena) }
            (response.pointee.n_diagnostics, response.pointee.diagnostics) = diagnostics.wire(in: arena)
        }
    }

    static func readResource(_ core: RouterCore, _ bytes: [UInt8]) async -> Served {
        let message: UnpackedMessage<Tfplugin6__ReadResource__Request>
        do { message = try UnpackedMessage(bytes) } catch { return .malformed(error) }
        let (typeName, requestPrivate) = message.withMessage { (String(wire: $0.type_name), [UInt8](wire: $0.private_)) }
        let resource: any ManagedResource
        let request: ReadResourceRequest
        do throws(RejectedRequest) {
            resource = try core.resource(named: typeName)
            let type = resource.schema.impliedType
            request = try message.withMessage { message throws(RejectedRequest) in
                ReadResourceRequest(
                    typeName: typeName,
                    currentState: try decodeValue(message.current_state, as: type, "current state"),
                    private: requestPrivate,
                    providerMeta: try core.providerMeta(message.provider_meta)
                )
            }
        } catch {
            return Served(typeName, readResourceResponse(newState: nil, private: requestPrivate, [error.diagnostic]))
        }
        let response = await core.calls.run { await resource.read(request) }
        var diagnostics = response.diagnostics
        let type = resource.schema.impliedType
        // A null new state means "the object is gone"; when the provider's
        // answer is unusable, keep the current state rather than lose track.
        let newState = encodeProduced(response.newState, as: type, "new state", typeName: typeName, into: &diagnostics)
            ?? (try? DynamicValueWire.encode(request.currentState, as: type))
        return Served(typeName, readResourceResponse(newState: newState, private: response.private, diagnostics))
    }

    static func readResourceResponse(newState: [UInt8]?, private: [UInt8], _ diagnostics: [Diagnostic]) -> [UInt8] {
        WireArena.pack(Tfplugin6__ReadResource__Response.self) { arena, response in
            if let newState { response.pointee.new_state = DynamicValueWire.message(msgpack: newState, in: arena) }
            response.pointee.private_ = arena.bytes(`private`)
            (response.pointee.n_diagnostics, response.pointee.diagnostics) = diagnostics.wire(in: arena)
        }
    }

    /// With `plan_destroy`, Terraform also plans destroys: the proposed new
    /// state is then null, and the resource's `plan` sees exactly that.
    static func planResourceChange(_ core: RouterCore, _ bytes: [UInt8]) async -> Served {
        let message: UnpackedMessage<Tfplugin6__PlanResourceChange__Request>
        do { message = try UnpackedMessage(bytes) } catch { return .malformed(error) }
        let (typeName, priorPrivate) = message.withMessage { (String(wire: $0.type_name), [UInt8](wire: $0.prior_private)) }
        let resource: any ManagedResource
        let request: PlanResourceChangeRequest
        do throws(RejectedRequest) {
            resource = try core.resource(named: typeName)
            let type = resource.schema.impliedType
            request = try message.withMessage { message throws(RejectedRequest) in
                PlanResourceChangeRequest(
                    typeName: typeName,
                    priorState: try decodeValue(message.prior_state, as: type, "prior state"),
                    proposedNewState: try decodeValue(message.proposed_new_state, as: type, "proposed new state"),
                    config: try decodeValue(message.config, as: type, "resource configuration"),
                    priorPrivate: priorPrivate,
                    providerMeta: try core.providerMeta(message.provider_meta)
                )
            }
        } catch {
            return Served(typeName, planResourceChangeResponse(plannedState: nil, requiresReplace: [], plannedPrivate: priorPrivate, [error.diagnostic]))
        }
        let response = await core.calls.run { await resource.plan(request) }
        var diagnostics = response.diagnostics
        let plannedState = encodeProduced(
            response.plannedState, as: resource.schema.impliedType, "planned state", typeName: typeName, into: &diagnostics
        )
        return Served(typeName, planResourceChangeResponse(
            plannedState: plannedState, requiresReplace: response.requiresReplace, plannedPrivate: response.plannedPrivate, diagnostics
        ))
    }

    static func planResourceChangeResponse(
        plannedState: [UInt8]?, requiresReplace: [AttributePath], plannedPrivate: [UInt8], _ diagnostics: [Diagnostic]
    ) -> [UInt8] {
        WireArena.pack(Tfplugin6__PlanResourceChange__Response.self) { arena, response in
            if let plannedState { response.pointee.planned_state = DynamicValueWire.message(msgpack: plannedState, in: arena) }
            (response.pointee.n_requires_replace, response.pointee.requires_replace) = requiresReplace.wire(in: arena)
            response.pointee.planned_private = arena.bytes(plannedPrivate)
            (response.pointee.n_diagnostics, response.pointee.diagnostics) = diagnostics.wire(in: arena)
        }
    }

    static func applyResourceChange(_ core: RouterCore, _ bytes: [UInt8]) async -> Served {
        let message: UnpackedMessage<Tfplugin6__ApplyResourceChange__Request>
        do { message = try UnpackedMessage(bytes) } catch { return .malformed(error) }
        let (typeName, plannedPrivate) = message.withMessage { (String(wire: $0.type_name), [UInt8](wire: $0.planned_private)) }
        let resource: any ManagedResource
        let request: ApplyResourceChangeRequest
        do throws(RejectedRequest) {
            resource = try core.resource(named: typeName)
            let type = resource.schema.impliedType
            request = try message.withMessage { message throws(RejectedRequest) in
                ApplyResourceChangeRequest(
                    typeName: typeName,
                    priorState: try decodeValue(message.prior_state, as: type, "prior state"),
                    plannedState: try decodeValue(message.planned_state, as: type, "planned state"),
                    config: try decodeValue(message.config, as: type, "resource configuration"),
                    plannedPrivate: plannedPrivate,
                    providerMeta: try core.providerMeta(message.provider_meta)
                )
            }
        } catch {
            return Served(typeName, applyResourceChangeResponse(newState: nil, private: plannedPrivate, [error.diagnostic]))
        }
        let response = await core.calls.run { await resource.apply(request) }
        var diagnostics = response.diagnostics
        let type = resource.schema.impliedType
        // Terraform drops a resource whose new state is null. If the
        // provider's answer is unusable, the prior state is the last thing
        // known to be true, so the object stays tracked for a retry.
        let newState = encodeProduced(response.newState, as: type, "new state", typeName: typeName, into: &diagnostics)
            ?? (try? DynamicValueWire.encode(request.priorState, as: type))
        return Served(typeName, applyResourceChangeResponse(newState: newState, private: response.private, diagnostics))
    }

    static func applyResourceChangeResponse(newState: [UInt8]?, private: [UInt8], _ diagnostics: [Diagnostic]) -> [UInt8] {
        WireArena.pack(Tfplugin6__ApplyResourceChange__Response.self) { arena, response in
            if let newState { response.pointee.new_state = DynamicValueWire.message(msgpack: newState, in: arena) }
            response.pointee.private_ = arena.bytes(`private`)
            (response.pointee.n_diagnostics, response.pointee.diagnostics) = diagnostics.wire(in: arena)
        }
    }

    static func importResourceState(_ core: RouterCore, _ bytes: [UInt8]) async -> Served {
        let message: UnpackedMessage<Tfplugin6__ImportResourceState__Request>
        do { message = try UnpackedMessage(bytes) } catch { return .malformed(error) }
        let request = message.withMessage { message in
            ImportResourceStateRequest(typeName: String(wire: message.type_name), id: String(wire: message.id))
        }
        let typeName = request.typeName
        let resource: any ManagedResource
        do throws(RejectedRequest) {
            resource = try core.resource(named: typeName)
        } catch {
            return Served(typeName, importResourceStateResponse([], [error.diagnostic]))
        }
        let response = await core.calls.run { await resource.importState(request) }
        var diagnostics = response.diagnostics
        var imported: [(typeName: String, state: [UInt8], private: [UInt8])] = []
        for resource in response.importedResources {
            // An import may yield objects of other types than the one asked for.
            guard let schema = core.resources[resource.typeName]?.schema else {
                diagnostics.append(.unknownResourceType(resource.typeName))
                continue
            }
            let state = encodeProduced(
                resource.state, as: schema.impliedType, "imported state", typeName: resource.typeName, into: &diagnostics
            )
            if let state { imported.append((resource.typeName, state, resource.private)) }
        }
        return Served(typeName, importResourceStateResponse(imported, diagnostics))
    }

    static func importResourceStateResponse(
        _ imported: [(typeName: String, state: [UInt8], private: [UInt8])], _ diagnostics: [Diagnostic]
    ) -> [UInt8] {
        WireArena.pack(Tfplugin6__ImportResourceState__Response.self) { arena, response in
            (response.pointee.n_imported_resources, response.pointee.imported_resources) = arena.repeated(imported.map { resource in
                let message = arena.message(Tfplugin6__ImportResourceState__ImportedResource.self)
                message.pointee.type_name = arena.string(resource.typeName)
                message.pointee.state = DynamicValueWire.message(msgpack: resource.state, in: arena)
                message.pointee.private_ = arena.bytes(resource.private)
                return message
            })
            (response.pointee.n_diagnostics, response.pointee.diagnostics) = diagnostics.wire(in: arena)
        }
    }
}
