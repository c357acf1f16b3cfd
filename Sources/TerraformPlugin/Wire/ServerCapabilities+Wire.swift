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

    /// What this package's router provides.
    static let router = ServerCapabilities(planDestroy: true, getProviderSchemaOptional: true)

    init(planDestroy: Bool, getProviderSchemaOptional: Bool) {
        self.planDestroy = planDestroy
        self.getProviderSchemaOptional = getProviderSchemaOptional
    }

    init(wire: UnsafePointer<Tfplugin6__ServerCapabilities>) {
        planDestroy = wire.pointee.plan_destroy != 0
        getProviderSchemaOptional = wire.pointee.get_provider_schema_optional != 0
    }

    func wire(in arena: WireArena) -> UnsafeMutablePointer<Tfplugin6__ServerCapabilities> {
        let message = arena.message(Tfplugin6__ServerCapabilities.self)
        message.pointee.plan_destroy = planDestroy ? 1 : 0
        message.pointee.get_provider_schema_optional = getProviderSchemaOptional ? 1 : 0
        return message
    }
}
