import CTFPlugin6

/// What the provider tells Terraform about the optional protocol features it
/// relies on. GetMetadata and GetProviderSchema both carry it.
struct ServerCapabilities: Hashable, Sendable {
    /// Terraform calls PlanResourceChange for destroys too (the resource's
    /// `plan` sees a null proposed state).
    var planDestroy: Bool
    /// The schema is static, so Terraform may use a cached copy instead of
    /// calling GetProviderSchema at every launch.
    var getProviderSchemaOptional: Bool
    /// Terraform may call MoveResourceState (`moved` blocks across resource
    /// types or providers): some resource takes over other states.
    var moveResourceState = false

    /// What this package's router provides to any provider.
    static let router = ServerCapabilities(planDestroy: true, getProviderSchemaOptional: true)

    /// What the router provides to this provider.
    init(_ core: RouterCore) {
        self = .router
        moveResourceState = core.abilities.movesState
    }

    init(planDestroy: Bool, getProviderSchemaOptional: Bool, moveResourceState: Bool = false) {
        self.planDestroy = planDestroy
        self.getProviderSchemaOptional = getProviderSchemaOptional
        self.moveResourceState = moveResourceState
    }

    init(wire: UnsafePointer<Tfplugin6__ServerCapabilities>) {
        planDestroy = wire.pointee.plan_destroy != 0
        getProviderSchemaOptional = wire.pointee.get_provider_schema_optional != 0
        moveResourceState = wire.pointee.move_resource_state != 0
    }

    func wire(in arena: WireArena) -> UnsafeMutablePointer<Tfplugin6__ServerCapabilities> {
        let message = arena.message(Tfplugin6__ServerCapabilities.self)
        message.pointee.plan_destroy = planDestroy ? 1 : 0
        message.pointee.get_provider_schema_optional = getProviderSchemaOptional ? 1 : 0
        message.pointee.move_resource_state = moveResourceState ? 1 : 0
        return message
    }
}
