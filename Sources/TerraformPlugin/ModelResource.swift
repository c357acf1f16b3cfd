/// An optional create/read/update/delete layer over `ManagedResource`, as
/// terraform-plugin-framework's `resource.Resource` is over tfprotov6: the
/// resource works on its typed `Model` and declares plan behaviour on its
/// schema (`requiresReplace()`, `useStateForUnknown()`, `defaultValue(_:)`);
/// the layer writes `plan`, `apply` and `read` once.
///
/// The default `plan`:
/// - destroy: the prior private state carried forward, and `planDestroy`'s
///   diagnostics (say at plan that the delete cannot work);
/// - otherwise the proposed state, with each declared default planned where
///   the configuration leaves its attribute null; then, on an update, the
///   attributes whose replace rule says they differ are the requires-replace
///   paths. On create or replacement every computed attribute the
///   configuration leaves null (and that has no default) is unknown; on an
///   in-place update that changes anything, such attributes keep the prior
///   value when declared `useStateForUnknown()`, else become unknown.
/// - then `modifyPlan`, which sees the models and may change the planned
///   one, add diagnostics, or force a replacement (`requireReplace`). An
///   error returns the proposed state unchanged with the diagnostics.
///
/// The default `apply` calls `delete` (planned state null), `create` (prior
/// state null) or `update`; the default `read` calls `read(state:private:)`.
/// Only top-level attributes are planned; nested blocks pass through as
/// Terraform proposed them.
public protocol ModelResource: ManagedResource, ModelBacked {

    /// Resource-specific planning after the declared behaviour is applied.
    /// Never creates anything remotely nor mints secrets (Terraform may
    /// plan twice). Default: nothing.
    func modifyPlan(_ plan: inout ModelPlan<Model>) async

    /// Diagnostics for a planned destroy. Default: none.
    func planDestroy(prior: Model, private: [UInt8]) async -> [Diagnostic]

    /// Creates the object planned. A nil state means nothing was created.
    func create(planned: Model, config: Model) async -> ModelResult<Model>

    /// An in-place update. Default: the planned state and private state as
    /// they are (nothing remote to change).
    func update(prior: Model, planned: Model, config: Model, private: [UInt8]) async -> ModelResult<Model>

    /// Deletes the object. A nil state means it is gone; returning the
    /// prior state keeps it tracked (say why in an error). Default: gone.
    func delete(prior: Model, private: [UInt8]) async -> ModelResult<Model>

    /// Refreshes the state; nil when the object no longer exists. Default:
    /// the state and private state as they are.
    func read(state: Model, private: [UInt8]) async -> ModelResult<Model>
}

/// What a create, update, delete or read returns.
public struct ModelResult<Model: ObjectModel>: Sendable {
    /// Nil: no object (a delete done, a create that created nothing, an
    /// object gone from the remote).
    public var state: Model?
    public var `private`: [UInt8]
    public var diagnostics: [Diagnostic]

    public init(state: Model?, private: [UInt8] = [], diagnostics: [Diagnostic] = []) {
        self.state = state
        self.private = `private`
        self.diagnostics = diagnostics
    }

    /// No object, with why.
    public static func removed(_ diagnostics: [Diagnostic] = []) -> ModelResult {
        ModelResult(state: nil, diagnostics: diagnostics)
    }
}

/// A plan in progress, as `modifyPlan` sees it.
public struct ModelPlan<Model: ObjectModel>: Sendable {
    public let config: Model
    /// Nil on create.
    public let prior: Model?
    public var planned: Model
    /// The attributes whose change forces a replacement, in schema order,
    /// then in the order `requireReplace` added them.
    public private(set) var requiresReplace: [AttributePath]
    public var diagnostics: [Diagnostic] = []
    /// The planned private state; the prior one by default.
    public var `private`: [UInt8]

    let planner: SchemaPlanner
    let configValue: CtyValue

    /// True when apply will create a new object: a create or a replacement.
    public var createsObject: Bool { prior == nil || !requiresReplace.isEmpty }

    /// Forces a replacement because of `path` (a resource-specific reason,
    /// such as an expiry). Planned computed values become unknown as in any
    /// replacement. Ignored on create, where there is nothing to replace.
    public mutating func requireReplace(_ path: AttributePath) {
        guard prior != nil else { return }
        if requiresReplace.isEmpty {
            let type = planner.schema.impliedType
            planned = Model(planner.markedNew(planned.value(of: type), config: configValue))
        }
        requiresReplace.append(path)
    }
}

extension ModelResource {
    public func modifyPlan(_ plan: inout ModelPlan<Model>) async {}

    public func planDestroy(prior: Model, private: [UInt8]) async -> [Diagnostic] { [] }

    public func update(prior: Model, planned: Model, config: Model, private blob: [UInt8]) async -> ModelResult<Model> {
        ModelResult(state: planned, private: blob)
    }

    public func delete(prior: Model, private: [UInt8]) async -> ModelResult<Model> { .removed() }

    public func read(state: Model, private blob: [UInt8]) async -> ModelResult<Model> {
        ModelResult(state: state, private: blob)
    }

    public func plan(_ request: PlanResourceChangeRequest) async -> PlanResourceChangeResponse {
        let proposed = request.proposedNewState
        let priorValue = request.priorState
        if proposed.isNull {
            let diagnostics = priorValue.isNull ? [] : await planDestroy(prior: Model(priorValue), private: request.priorPrivate)
            return PlanResourceChangeResponse(plannedState: proposed, plannedPrivate: request.priorPrivate, diagnostics: diagnostics)
        }
        let planner = SchemaPlanner(schema: schema)
        var planned = planner.applyingDefaults(proposed, config: request.config)
        var replace: [AttributePath] = []
        if priorValue.isNull {
            planned = planner.markedNew(planned, config: request.config)
        } else {
            replace = planner.replacePaths(prior: priorValue, planned: planned)
            if !replace.isEmpty {
                planned = planner.markedNew(planned, config: request.config)
            } else if planned != priorValue {
                planned = planner.markedUpdated(planned, prior: priorValue, config: request.config)
            }
        }
        var plan = ModelPlan(
            config: Model(request.config), prior: priorValue.isNull ? nil : Model(priorValue), planned: Model(planned),
            requiresReplace: replace, private: request.priorPrivate, planner: planner, configValue: request.config
        )
        await modifyPlan(&plan)
        if plan.diagnostics.hasErrors {
            return PlanResourceChangeResponse(plannedState: proposed, plannedPrivate: request.priorPrivate, diagnostics: plan.diagnostics)
        }
        return PlanResourceChangeResponse(
            plannedState: plan.planned.value(of: schema.impliedType, over: planned), requiresReplace: plan.requiresReplace,
            plannedPrivate: plan.private, diagnostics: plan.diagnostics
        )
    }

    public func apply(_ request: ApplyResourceChangeRequest) async -> ApplyResourceChangeResponse {
        let prior = request.priorState
        let planned = request.plannedState
        let result: ModelResult<Model>
        let base: CtyValue
        if planned.isNull {
            // The router refuses a change with neither state; nothing to do if one slips through.
            if prior.isNull { return ApplyResourceChangeResponse(newState: planned) }
            result = await delete(prior: Model(prior), private: request.plannedPrivate)
            base = prior
        } else if prior.isNull {
            result = await create(planned: Model(planned), config: Model(request.config))
            base = planned
        } else {
            result = await update(prior: Model(prior), planned: Model(planned), config: Model(request.config), private: request.plannedPrivate)
            base = planned
        }
        return ApplyResourceChangeResponse(newState: stateValue(result.state, over: base), private: result.private, diagnostics: result.diagnostics)
    }

    public func read(_ request: ReadResourceRequest) async -> ReadResourceResponse {
        let current = request.currentState
        if current.isNull { return ReadResourceResponse(newState: current, private: request.private) }
        let result = await read(state: Model(current), private: request.private)
        return ReadResourceResponse(newState: stateValue(result.state, over: current), private: result.private, diagnostics: result.diagnostics)
    }

    /// A model as a state of this resource's schema; null for none.
    public func stateValue(_ model: Model?, over base: CtyValue? = nil) -> CtyValue {
        model.map { $0.value(of: schema.impliedType, over: base) } ?? .null(schema.impliedType)
    }
}

/// The schema-declared part of planning (see `ModelResource`).
struct SchemaPlanner: Sendable {
    let schema: Schema

    /// Declared defaults where the configuration leaves the attribute null.
    func applyingDefaults(_ planned: CtyValue, config: CtyValue) -> CtyValue {
        var result = planned
        for attribute in schema.block.attributes {
            if let value = attribute.planBehaviour.defaultValue, config[attribute: attribute.name].isNull {
                result = result.setting(attribute.name, to: value)
            }
        }
        return result
    }

    /// The attributes whose replace rule says the update changes them.
    func replacePaths(prior: CtyValue, planned: CtyValue) -> [AttributePath] {
        schema.block.attributes.compactMap { attribute in
            guard let rule = attribute.planBehaviour.replaceRule,
                  rule.differs(prior[attribute: attribute.name], planned[attribute: attribute.name])
            else { return nil }
            return AttributePath(attribute.name)
        }
    }

    /// A new object's plan: computed attributes the configuration leaves
    /// null, without a default, are decided at apply.
    func markedNew(_ planned: CtyValue, config: CtyValue) -> CtyValue {
        var result = planned
        for attribute in providerDecided(config: config) {
            result = result.setting(attribute.name, to: .unknown(attribute.type))
        }
        return result
    }

    /// An in-place update's plan: the same attributes keep their prior
    /// value when declared `useStateForUnknown()`, else are unknown.
    func markedUpdated(_ planned: CtyValue, prior: CtyValue, config: CtyValue) -> CtyValue {
        var result = planned
        for attribute in providerDecided(config: config) {
            let value = attribute.planBehaviour.useStateForUnknown ? prior[attribute: attribute.name] : .unknown(attribute.type)
            result = result.setting(attribute.name, to: value)
        }
        return result
    }

    private func providerDecided(config: CtyValue) -> [SchemaAttribute] {
        schema.block.attributes.filter {
            $0.computed && $0.planBehaviour.defaultValue == nil && config[attribute: $0.name].isNull
        }
    }
}
